#pragma once
// The run's timeline: every event with its T+ offset from the run start. Thread-safe (background steps add to it).
#include <chrono>
#include <functional>
#include <mutex>
#include <vector>

#include "result/result.hpp"

namespace tc::engine {

/// Collects events with offsets from one start instant.
class Timeline {
 public:
  Timeline() : start_(std::chrono::steady_clock::now()), start_sys_(std::chrono::system_clock::now()) {}
  Millis now() const { return std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - start_); }
  void add(const std::string& kind, const std::string& text);
  /// An event that happened elsewhere at wall-clock time `at` (the daemon ending a timed fault), put in its place
  /// among the others; not shown on the terminal (it is reported late). Ignored when before the run started.
  void add_at(std::chrono::system_clock::time_point at, const std::string& kind, const std::string& text);
  std::vector<report::Event> events() const;
  /// Moves the events out (the run's end: avoids a second copy of a long timeline).
  std::vector<report::Event> take();
  /// Called for every event (the terminal progress lines and the run log). Set before events arrive.
  void on_event(std::function<void(const report::Event&)> f) {
    std::lock_guard lock(mutex_);
    listener_ = std::move(f);
  }

 private:
  std::chrono::steady_clock::time_point start_;
  std::chrono::system_clock::time_point start_sys_;
  mutable std::mutex mutex_;
  std::vector<report::Event> events_;
  std::function<void(const report::Event&)> listener_;
};

}  // namespace tc::engine
