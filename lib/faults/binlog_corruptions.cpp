#include <fstream>

#include "faults/binlog_corruption.hpp"

namespace tc::toolkit {

// One line per corruption; each declaration lives in lib/faults/corruptions/<name>.cpp (declare_corruption_<name>).
// clang-format off
#define TC_BINLOG_CORRUPTIONS(X) \
  X(truncate)                    \
  X(random_bytes)                \
  X(magic_number)
// clang-format on

#define TC_DECLARE(n) BinlogCorruption declare_corruption_##n();
TC_BINLOG_CORRUPTIONS(TC_DECLARE)
#undef TC_DECLARE

const std::vector<BinlogCorruption>& binlog_corruptions() {
#define TC_ADD(n) declare_corruption_##n(),
  static const auto* all = new std::vector<BinlogCorruption>{TC_BINLOG_CORRUPTIONS(TC_ADD)};  // never destroyed
#undef TC_ADD
  return *all;
}

const BinlogCorruption* find_corruption(const std::string& name) {
  for (const auto& c : binlog_corruptions())
    if (c.name == name) return &c;
  return nullptr;
}

std::vector<std::string> corruption_names() {
  std::vector<std::string> names;
  for (const auto& c : binlog_corruptions()) names.push_back(c.name);
  return names;
}

std::string read_binlog_range(const std::string& path, std::uintmax_t offset, size_t n) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  std::string s(n, '\0');
  in.read(s.data(), static_cast<std::streamsize>(n));
  s.resize(static_cast<size_t>(in.gcount()));
  return s;
}

}  // namespace tc::toolkit
