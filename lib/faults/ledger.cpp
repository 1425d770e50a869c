#include "faults/ledger.hpp"

#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>

#include "util/utc_time.hpp"

namespace tc::toolkit {

namespace {
std::string now_iso() {
  return utc_iso(std::chrono::system_clock::now());
}

// Appends one line and fsyncs, under an exclusive lock.
void append_line(const std::string& path, const std::string& line) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot open ledger " + path);
  ::flock(fd, LOCK_EX);
  std::string data = line + "\n";
  ssize_t n = ::write(fd, data.data(), data.size());
  ::fsync(fd);
  ::flock(fd, LOCK_UN);
  ::close(fd);
  if (n != static_cast<ssize_t>(data.size())) throw std::runtime_error("cannot write ledger " + path);
}
}  // namespace

Ledger::Ledger(const std::string& state_dir) : path_(state_dir + "/ledger.jsonl") {
  std::filesystem::create_directories(state_dir);
}

std::string Ledger::record(const std::string& kind, const Json& details) {
  static std::atomic<int> seq{0};
  auto t = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch());
  std::string id = fmt::format("f-{}-{}-{}", t.count(), ::getpid(), seq++);
  Json j = {{"op", "apply"}, {"id", id}, {"kind", kind}, {"details", details}, {"at", now_iso()}, {"pid", ::getpid()}};
  append_line(path_, j.dump());
  return id;
}

void Ledger::mark_undone(const std::string& id) {
  append_line(path_, Json({{"op", "undo"}, {"id", id}, {"at", now_iso()}}).dump());
}

std::vector<LedgerEntry> Ledger::outstanding() const {
  std::vector<LedgerEntry> order;
  std::map<std::string, size_t> index;
  std::ifstream in(path_);
  std::string line;
  std::vector<bool> undone;
  while (std::getline(in, line)) {
    Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("op")) continue;  // a torn last line after a crash
    std::string id = j.value("id", "");
    if (j["op"] == "apply") {
      index[id] = order.size();
      order.push_back(
          {id, j.value("kind", ""), j.value("details", Json::object()), j.value("at", ""), j.value("pid", 0)});
      undone.push_back(false);
    } else if (j["op"] == "undo" && index.count(id)) {
      undone[index[id]] = true;
    }
  }
  std::vector<LedgerEntry> out;
  for (size_t i = 0; i < order.size(); ++i)
    if (!undone[i]) out.push_back(order[i]);
  return out;
}

}  // namespace tc::toolkit
