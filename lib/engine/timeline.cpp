#include "engine/timeline.hpp"

#include <algorithm>

namespace tc::engine {

void Timeline::add(const std::string& kind, const std::string& text) {
  report::Event e{now(), kind, text};
  bool notify;
  {
    std::lock_guard lock(mutex_);
    events_.push_back(e);
    notify = static_cast<bool>(listener_);
  }
  // Outside the lock: the listener may print or log. listener_ is only set before the run starts.
  if (notify) listener_(e);
}

void Timeline::add_at(std::chrono::system_clock::time_point at, const std::string& kind, const std::string& text) {
  if (at < start_sys_) return;
  report::Event e{std::chrono::duration_cast<Millis>(at - start_sys_), kind, text};
  std::lock_guard lock(mutex_);
  auto pos = std::upper_bound(events_.begin(), events_.end(), e.offset,
                              [](Millis t, const report::Event& x) { return t < x.offset; });
  events_.insert(pos, std::move(e));
}

std::vector<report::Event> Timeline::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

std::vector<report::Event> Timeline::take() {
  std::lock_guard lock(mutex_);
  return std::move(events_);
}

}  // namespace tc::engine
