// magic-number: the 4-byte binlog header is zeroed, so no reader takes the file for a binlog.
#include <stdexcept>

#include "faults/binlog_corruption.hpp"
#include "faults/binlog_fault.hpp"

namespace tc::toolkit {

BinlogCorruption declare_corruption_magic_number() {
  return {.name = "magic-number",
          .summary = "zero the 4-byte magic number: the file is no binlog any more",
          .plan = [](const CorruptionRequest& r, Json& plan) {
            std::string before = read_binlog_range(r.path, 0, 4);
            if (before.size() < 4) throw std::runtime_error(r.path + " is shorter than a binlog header");
            plan["changes"] =
                Json::array({{{"offset", 0}, {"before", to_hex(before)}, {"after", to_hex(std::string(4, '\0'))}}});
          }};
}

}  // namespace tc::toolkit
