// hold: a condition must hold at every poll for a whole period ("the pipeline remains connected under 2 s latency").
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "plugins/check_args.hpp"
#include "plugins/step_type.hpp"
#include "util/text.hpp"

namespace tc::plugins {
namespace {

using SteadyClock = std::chrono::steady_clock;

class Hold : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    using K = scenario::ArgKind;
    using O = scenario::OutputType;
    static const scenario::StepDecl d{
        .name = "hold",
        .summary =
            "A condition (any step, with its own expect) must hold at every poll for a whole period; fails "
            "at the first poll where it does not",
        .map_form = true,
        .fields = {{.name = "condition", .kind = K::Step, .required = true, .doc = "the condition: a step"},
                   {.name = "for", .kind = K::Duration, .required = true, .doc = "how long it must hold"},
                   {.name = "every", .kind = K::Duration, .doc = "poll interval", .default_text = "1s"}},
        .outputs = {{"value", O::Bool, "true when the condition held for the whole period"},
                    {"held_ms", O::Millis, "how long it held (until the first poll where it did not)"},
                    {"polls", O::Number, "how many times the condition was evaluated"},
                    {"last", O::Map, "the condition's last output (last.value, last.state, ...)"},
                    {"broken_at_ms", O::Millis, "when it stopped holding, from the start of the step"}},
    };
    return d;
  }
  std::string describe(const Json& args) const override {
    std::string what = "hold";
    if (args.is_object() && args.contains("condition") && args["condition"].is_object())
      for (const auto& [k, v] : args["condition"].items())
        if (k != "name" && k != "expect" && k != "timeout" && k != "retry")
          what += " " + k + " " + scenario::to_text(v);
    if (args.is_object() && args.contains("for")) what += " for " + scenario::to_text(args["for"]);
    return what;
  }
  Outcome run(StepContext& ctx) const override {
    if (ctx.step.until.empty()) throw StepError("hold has no condition");
    Millis period = checks::arg_duration(ctx.args, "for", Millis(0), true);
    Millis every = checks::arg_duration(ctx.args, "every", Millis(1000));
    if (every.count() <= 0) throw StepError("hold: every must be more than 0");
    auto start = SteadyClock::now();
    auto deadline = start + period;
    int polls = 0;
    std::mutex m;
    std::condition_variable_any cv;
    while (true) {
      ++polls;
      Outcome last = ctx.services.evaluate(ctx.step.until.front(), ctx.stop);
      if (last.unanswerable) throw StepError("the condition can never hold: " + last.message);
      auto now = SteadyClock::now();
      auto held = std::chrono::duration_cast<Millis>(now - start);
      if (ctx.stop.stop_requested()) throw StepError("hold interrupted after " + format_duration(held));
      Outcome o;
      o.output = {{"held_ms", held.count()}, {"polls", polls}, {"last", last.output}};
      if (last.status != report::Status::Passed) {
        o.status = last.status == report::Status::Error ? report::Status::Error : report::Status::Failed;
        o.output["value"] = false;
        o.output["broken_at_ms"] = held.count();
        o.message = "did not hold: at " + format_duration(held) + " (poll " + std::to_string(polls) + ") it gave " +
                    excerpt(last.output.value("value", Json(nullptr)).dump(), 1, 200) +
                    (last.message.empty() ? "" : " (" + last.message + ")");
        ctx.services.event("hold.broken", o.message);
        return o;
      }
      if (now >= deadline) {
        o.output["value"] = true;
        o.message = "held for " + format_duration(held) + " (" + std::to_string(polls) + " polls)";
        return o;
      }
      // The last poll falls on the deadline, so the whole period is covered.
      std::unique_lock lock(m);
      cv.wait_until(lock, ctx.stop, std::min(deadline, now + every), [] { return false; });
    }
  }
};

}  // namespace
std::unique_ptr<StepType> make_hold() {
  return std::make_unique<Hold>();
}
}  // namespace tc::plugins
