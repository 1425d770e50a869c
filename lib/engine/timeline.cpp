#include "engine/timeline.hpp"

namespace tc::engine {

void Timeline::add(const std::string& kind, const std::string& text) {
  report::Event e{now(), kind, text};
  std::function<void(const report::Event&)> listener;
  {
    std::lock_guard lock(mutex_);
    events_.push_back(e);
    listener = listener_;
  }
  if (listener) listener(e);
}

std::vector<report::Event> Timeline::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

}  // namespace tc::engine
