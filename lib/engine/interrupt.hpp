#pragma once
// Process-wide interruption (SIGINT/SIGTERM) as a stop token, with cleanup protection.
#include <atomic>
#include <stop_token>

namespace tc::engine {

/// The interruption state shared by the signal thread and the engine.
class Interrupt {
 public:
  static Interrupt& instance();
  std::stop_token token() const { return source_.get_token(); }
  void request(int signal);
  bool requested() const { return source_.stop_requested(); }
  int signal() const { return signal_; }
  /// While set, signals are refused with a message instead of stopping anything.
  void set_in_cleanup(bool v) { in_cleanup_ = v; }
  bool in_cleanup() const { return in_cleanup_; }

 private:
  std::stop_source source_;
  std::atomic<int> signal_{0};
  std::atomic<bool> in_cleanup_{false};
};

}  // namespace tc::engine
