#include "engine/status_line.hpp"

#include <fmt/format.h>

namespace tc::engine {

StatusLine::StatusLine(std::ostream& out, bool live) : out_(out), live_(live) {
  if (!live_) return;
  ticker_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!quit_) {
      if (active_) draw_locked();
      cv_.wait_for(lock, std::chrono::milliseconds(200));
    }
  });
}

StatusLine::~StatusLine() {
  if (!live_) return;
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
    if (active_) out_ << "\r\033[K" << std::flush;
  }
  cv_.notify_all();
  ticker_.join();
}

void StatusLine::draw_locked() {
  auto elapsed = std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - started_);
  std::string label = step_.size() > 60 ? step_.substr(0, 59) + "…" : step_;
  out_ << "\r\033[K" << fmt::format("  ▶ {}  {}", label, format_duration(elapsed))
       << (timeout_ ? " / timeout " + format_duration(*timeout_) : std::string()) << std::flush;
}

void StatusLine::print(const std::string& line) {
  std::lock_guard lock(mutex_);
  if (live_ && active_) out_ << "\r\033[K";
  out_ << line << "\n";
  if (live_ && active_) draw_locked();
  out_ << std::flush;
}

void StatusLine::begin(const std::string& step, std::optional<Millis> timeout) {
  std::lock_guard lock(mutex_);
  step_ = step;
  timeout_ = timeout;
  started_ = std::chrono::steady_clock::now();
  active_ = true;
}

void StatusLine::end() {
  std::lock_guard lock(mutex_);
  if (live_ && active_) out_ << "\r\033[K" << std::flush;
  active_ = false;
}

}  // namespace tc::engine
