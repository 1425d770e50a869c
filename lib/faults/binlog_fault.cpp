#include "faults/binlog_fault.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>

#include "util/file_util.hpp"

namespace fs = std::filesystem;

namespace tc::toolkit {

std::string to_hex(const std::string& bytes) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (unsigned char c : bytes) {
    s += d[c >> 4];
    s += d[c & 15];
  }
  return s;
}

std::string from_hex(const std::string& hex) {
  if (hex.size() % 2) throw std::invalid_argument("odd hex string");
  std::string s;
  for (size_t i = 0; i < hex.size(); i += 2) s += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return s;
}

std::string binlog_file_path(const std::string& dir, const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
    throw std::runtime_error("--file must be a binlog file name (as in SHOW BINARY LOGS), got '" + name + "'");
  if (name.size() > 6 && name.substr(name.size() - 6) == ".index")
    throw std::runtime_error("refusing to touch the binlog index " + name + "; name a binlog file");
  fs::path p = fs::path(dir) / name;
  if (!fs::is_regular_file(p)) throw std::runtime_error("no binlog file " + name + " in " + dir);
  return p.string();
}

namespace {
std::string read_range(const std::string& path, std::uintmax_t offset, size_t n) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  std::string s(n, '\0');
  in.read(s.data(), static_cast<std::streamsize>(n));
  s.resize(static_cast<size_t>(in.gcount()));
  return s;
}

std::uint32_t le32(const std::string& s, size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3])) << 24;
}
}  // namespace

Json plan_corruption(const std::string& path, const std::string& type, int percentage, int count,
                     std::mt19937_64& rng) {
  auto size = fs::file_size(path);
  Json plan = {{"type", type}, {"path", path}, {"file", fs::path(path).filename().string()}, {"size_before", size}};
  if (type == "truncate") {
    if (percentage < 0 || percentage >= 100) throw std::runtime_error("--percentage must be 0..99");
    std::uintmax_t to = size * static_cast<std::uintmax_t>(percentage) / 100;
    plan["percentage"] = percentage;
    plan["truncate_to"] = to;
    plan["removed_bytes"] = size - to;
    return plan;
  }
  Json changes = Json::array();
  if (type == "magic-number") {
    std::string before = read_range(path, 0, 4);
    if (before.size() < 4) throw std::runtime_error(path + " is shorter than a binlog header");
    changes.push_back({{"offset", 0}, {"before", to_hex(before)}, {"after", to_hex(std::string(4, '\0'))}});
  } else if (type == "random-bytes") {
    if (count < 1) throw std::runtime_error("--count must be at least 1");
    // Past the magic number and the format description event, so the file still looks like a binlog.
    std::string head = read_range(path, 0, 4 + 19);
    std::uintmax_t min = 4;
    if (head.size() == 23 && std::memcmp(head.data(), kBinlogMagic, 4) == 0) min = 4 + le32(head, 4 + 9);
    if (size <= min || size - min < static_cast<std::uintmax_t>(count))
      throw std::runtime_error("binlog " + path + " has only " + std::to_string(size > min ? size - min : 0) +
                               " bytes past its header; cannot change " + std::to_string(count));
    std::uniform_int_distribution<std::uintmax_t> pos(min, size - 1);
    std::set<std::uintmax_t> offsets;
    while (offsets.size() < static_cast<size_t>(count)) offsets.insert(pos(rng));
    for (auto off : offsets) {
      std::string before = read_range(path, off, 1);
      unsigned char b = static_cast<unsigned char>(before[0]);
      unsigned char a = static_cast<unsigned char>(rng());
      if (a == b) a = static_cast<unsigned char>(~b);  // every listed byte really changes
      changes.push_back(
          {{"offset", off}, {"before", to_hex(before)}, {"after", to_hex(std::string(1, static_cast<char>(a)))}});
    }
    plan["header_bytes"] = min;
  } else {
    throw std::runtime_error("unknown corruption type '" + type + "' (truncate, random-bytes, magic-number)");
  }
  plan["changes"] = changes;
  return plan;
}

void apply_corruption(const Json& plan) {
  std::string path = plan["path"];
  if (plan["type"] == "truncate") {
    fs::resize_file(path, plan["truncate_to"].get<std::uintmax_t>());
    return;
  }
  for (const auto& c : plan["changes"]) write_at(path, c["offset"].get<std::uintmax_t>(), from_hex(c["after"]));
}

void backup_binlog(const std::string& path, const std::string& backup, std::uintmax_t size) {
  fs::create_directories(fs::path(backup).parent_path());
  std::string data = read_range(path, 0, size);
  if (data.size() != size) throw std::runtime_error("could not read " + path + " for the backup");
  std::string tmp = backup + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.flush();
    if (!out) throw std::runtime_error("cannot write backup " + backup);
  }
  int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);  // the backup must survive a crash that the corruption might cause
    ::close(fd);
  }
  fs::rename(tmp, backup);
}

Json restore_binlog(const std::string& path, const std::string& backup) {
  if (!fs::is_regular_file(backup)) throw std::runtime_error("backup " + backup + " is missing");
  if (!fs::is_regular_file(path)) throw std::runtime_error("binlog " + path + " no longer exists (purged or reset?)");
  std::string data = read_file_from(backup);
  auto before = fs::file_size(path);
  write_at(path, 0, data);
  auto after = fs::file_size(path);
  return {{"bytes_restored", data.size()},
          {"size_before", before},
          {"size_after", after},
          {"kept_after_backup", after > data.size() ? after - data.size() : 0}};
}

}  // namespace tc::toolkit
