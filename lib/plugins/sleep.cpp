// sleep: pause for a duration (interruptible).
#include <condition_variable>
#include <mutex>

#include "plugins/step_type.hpp"
#include "scenario/vars.hpp"

namespace tc::plugins {
namespace {

class Sleep : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    static const scenario::StepDecl d{
        .name = "sleep",
        .summary = "Pauses for a duration (interrupted by Ctrl-C or the step's timeout)",
        .string_form = {.allowed = true, .kind = scenario::ArgKind::Duration, .doc = "how long"},
        .outputs = {{"value", scenario::OutputType::Millis, "the pause in milliseconds"}},
    };
    return d;
  }
  Outcome run(StepContext& ctx) const override {
    auto d = duration_value(ctx.args);
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
