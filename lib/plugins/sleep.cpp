// sleep: pause for a duration (interruptible).
#include <condition_variable>
#include <mutex>

#include "plugins/step_type.hpp"
#include "scenario/vars.hpp"

namespace tc::plugins {
namespace {

class Sleep : public StepType {
 public:
  std::string name() const override { return "sleep"; }
  std::vector<Issue> validate(const Json& args) const override {
    if ((args.is_number() && args.get<double>() >= 0) ||
        (args.is_string() &&
         (args.get<std::string>().find("${") != std::string::npos || parse_duration(args.get<std::string>()))))
      return {};
    return {{"", "expected a duration such as 500ms, 5s, 1m"}};
  }
  Outcome run(StepContext& ctx) const override {
    auto d = ctx.args.is_number() ? Millis(static_cast<long long>(ctx.args.get<double>() * 1000))
                                  : parse_duration(scenario::to_text(ctx.args));
    if (!d) throw StepError("not a duration: " + scenario::to_text(ctx.args));
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    if (d->count() > 0) cv.wait_for(lock, ctx.stop, *d, [] { return false; });  // 0: no futex round trip
    Outcome o;
    o.output["value"] = d->count();
    o.message = "slept " + format_duration(*d);
    return o;
  }
};

}  // namespace
std::unique_ptr<StepType> make_sleep() {
  return std::make_unique<Sleep>();
}
}  // namespace tc::plugins
