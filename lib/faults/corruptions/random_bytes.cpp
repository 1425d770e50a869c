// random-bytes: --count bytes past the header are overwritten (bit rot, a bad sector): events fail their checksums.
#include <cstring>
#include <set>
#include <stdexcept>

#include "faults/binlog_corruption.hpp"
#include "faults/binlog_fault.hpp"

namespace tc::toolkit {

namespace {
std::uint32_t le32(const std::string& s, size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3])) << 24;
}
}  // namespace

BinlogCorruption declare_corruption_random_bytes() {
  return {
      .name = "random-bytes",
      .summary = "overwrite --count random bytes past the header (bit rot): events fail their checksums",
      .plan = [](const CorruptionRequest& r, Json& plan) {
        if (r.count < 1) throw std::runtime_error("--count must be at least 1");
        // Past the magic number and the format description event, so the file still looks like a binlog.
        std::string head = read_binlog_range(r.path, 0, 4 + 19);
        std::uintmax_t min = 4;
        if (head.size() == 23 && std::memcmp(head.data(), kBinlogMagic, 4) == 0) min = 4 + le32(head, 4 + 9);
        if (r.size <= min || r.size - min < static_cast<std::uintmax_t>(r.count))
          throw std::runtime_error("binlog " + r.path + " has only " + std::to_string(r.size > min ? r.size - min : 0) +
                                   " bytes past its header; cannot change " + std::to_string(r.count));
        std::uniform_int_distribution<std::uintmax_t> pos(min, r.size - 1);
        std::set<std::uintmax_t> offsets;
        while (offsets.size() < static_cast<size_t>(r.count)) offsets.insert(pos(*r.rng));
        Json changes = Json::array();
        for (auto off : offsets) {
          std::string before = read_binlog_range(r.path, off, 1);
          unsigned char b = static_cast<unsigned char>(before[0]);
          unsigned char a = static_cast<unsigned char>((*r.rng)());
          if (a == b) a = static_cast<unsigned char>(~b);  // every listed byte really changes
          changes.push_back(
              {{"offset", off}, {"before", to_hex(before)}, {"after", to_hex(std::string(1, static_cast<char>(a)))}});
        }
        plan["header_bytes"] = min;
        plan["changes"] = changes;
      }};
}

}  // namespace tc::toolkit
