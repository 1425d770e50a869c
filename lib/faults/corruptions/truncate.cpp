// truncate: the binlog file is cut to a percentage of its size (a disk full, a crash mid-write).
#include <stdexcept>

#include "faults/binlog_corruption.hpp"

namespace tc::toolkit {

BinlogCorruption declare_corruption_truncate() {
  return {.name = "truncate",
          .summary = "cut the file to --percentage of its size (a crash mid-write, a full disk)",
          .plan = [](const CorruptionRequest& r, Json& plan) {
            if (r.percentage < 0 || r.percentage >= 100) throw std::runtime_error("--percentage must be 0..99");
            std::uintmax_t to = r.size * static_cast<std::uintmax_t>(r.percentage) / 100;
            plan["percentage"] = r.percentage;
            plan["truncate_to"] = to;
            plan["removed_bytes"] = r.size - to;
          }};
}

}  // namespace tc::toolkit
