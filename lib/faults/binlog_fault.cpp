#include "faults/binlog_fault.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "faults/binlog_corruption.hpp"
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

Json plan_corruption(const std::string& path, const std::string& type, int percentage, int count,
                     std::mt19937_64& rng) {
  const BinlogCorruption* c = find_corruption(type);
  if (!c) {
    std::string names;
    for (const auto& n : corruption_names()) names += (names.empty() ? "" : ", ") + n;
    throw std::runtime_error("unknown corruption type '" + type + "' (" + names + ")");
  }
  auto size = fs::file_size(path);
  Json plan = {{"type", type}, {"path", path}, {"file", fs::path(path).filename().string()}, {"size_before", size}};
  c->plan({path, size, percentage, count, &rng}, plan);
  return plan;
}

void apply_corruption(const Json& plan) {
  std::string path = plan["path"];
  if (plan.contains("truncate_to")) {
    fs::resize_file(path, plan["truncate_to"].get<std::uintmax_t>());
    return;
  }
  for (const auto& c : plan["changes"]) write_at(path, c["offset"].get<std::uintmax_t>(), from_hex(c["after"]));
}

void backup_binlog(const std::string& path, const std::string& backup, std::uintmax_t size) {
  fs::create_directories(fs::path(backup).parent_path());
  std::string data = read_binlog_range(path, 0, size);
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
