#pragma once
// The terminal's live status line (step, elapsed, timeout) on a TTY; plain progress lines otherwise (CI).
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>

#include "util/duration.hpp"

namespace tc::engine {

/// Prints progress lines; on a terminal also keeps one redrawn line for the step in flight.
class StatusLine {
 public:
  StatusLine(std::ostream& out, bool live);
  ~StatusLine();
  /// A permanent line (a timeline event); the live line is redrawn below it.
  void print(const std::string& line);
  void begin(const std::string& step, std::optional<Millis> timeout);
  void end();

 private:
  void draw_locked();
  std::ostream& out_;
  bool live_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool quit_ = false, active_ = false;
  std::string step_;
  std::optional<Millis> timeout_;
  std::chrono::steady_clock::time_point started_;
  std::thread ticker_;
};

}  // namespace tc::engine
