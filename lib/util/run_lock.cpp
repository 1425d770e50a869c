#include "util/run_lock.hpp"

#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "util/json.hpp"
#include "util/utc_time.hpp"

namespace tc {
namespace {

std::string lock_path(const std::string& state_dir) {
  return state_dir + "/run.lock";
}

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

std::string read_all(int fd) {
  std::string text;
  char buf[1024];
  off_t at = 0;
  for (;;) {
    ssize_t n = ::pread(fd, buf, sizeof buf, at);
    if (n <= 0) break;
    text.append(buf, static_cast<size_t>(n));
    at += n;
  }
  return text;
}

std::optional<LockHolder> parse_holder(const std::string& text) {
  auto j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  LockHolder h;
  h.pid = j.value("pid", 0L);
  h.scenario = j.value("scenario", "");
  h.variant = j.value("variant", "");
  h.started = j.value("started", "");
  h.host = j.value("host", "");
  return h;
}

int open_lock(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot open the run lock " + path + ": " + std::strerror(errno));
  return fd;
}

}  // namespace

std::string LockHolder::describe() const {
  std::string what = scenario.empty() ? "" : scenario + (variant.empty() ? "" : " [" + variant + "]");
  return fmt::format("pid {} ({}{}{})", pid, what.empty() ? "" : what + ", ",
                     started.empty() ? "since an unknown time" : "since " + started, host.empty() ? "" : " on " + host);
}

RunLock::RunLock(const std::string& state_dir, std::chrono::milliseconds wait, std::stop_token stop)
    : path_(lock_path(state_dir)) {
  int fd = open_lock(path_);
  // At least a moment: `network --status` takes a brief shared lock to see whether anyone holds it.
  auto deadline = std::chrono::steady_clock::now() + std::max(wait, std::chrono::milliseconds(300));
  for (;;) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      fd_ = fd;
      // Commands this run starts (exec steps typing `toolkit ...`) act on its behalf.
      ::setenv("TC_RUN_LOCK_PID", std::to_string(::getpid()).c_str(), 1);
      started_ = utc_iso_seconds(std::chrono::system_clock::now()) + "Z";
      set_holder("", "");
      return;
    }
    if (errno != EWOULDBLOCK && errno != EINTR) {
      int e = errno;
      ::close(fd);
      throw std::runtime_error("cannot lock " + path_ + ": " + std::strerror(e));
    }
    other_ = parse_holder(read_all(fd));
    if (std::chrono::steady_clock::now() >= deadline || stop.stop_requested()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // flock has no timed wait; poll briefly
  }
  ::close(fd);
  if (!other_) other_ = LockHolder{};  // held, but its text is not written yet
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

void RunLock::set_holder(const std::string& scenario, const std::string& variant) {
  if (fd_ < 0) return;
  Json j = {{"pid", static_cast<long>(::getpid())},
            {"scenario", scenario},
            {"variant", variant},
            {"started", started_},
            {"host", host_name()}};
  std::string text = j.dump() + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()))
    throw std::runtime_error("cannot write the run lock " + path_ + ": " + std::strerror(errno));
}

std::optional<LockHolder> run_lock_holder(const std::string& state_dir) {
  std::string path = lock_path(state_dir);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::optional<LockHolder> out;
  if (::flock(fd, LOCK_SH | LOCK_NB) != 0) {
    out = parse_holder(read_all(fd));
    if (!out) out = LockHolder{};
  }
  ::close(fd);  // a shared lock we got is released here
  return out;
}

bool run_lock_is_ours(const LockHolder& h) {
  if (h.pid == static_cast<long>(::getpid())) return true;
  const char* env = std::getenv("TC_RUN_LOCK_PID");
  return env && h.pid != 0 && std::to_string(h.pid) == env;
}

}  // namespace tc
