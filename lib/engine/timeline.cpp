#include "engine/timeline.hpp"

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

std::vector<report::Event> Timeline::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

std::vector<report::Event> Timeline::take() {
  std::lock_guard lock(mutex_);
  return std::move(events_);
}

}  // namespace tc::engine
