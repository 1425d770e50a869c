// wait: polls a condition (any step or check) every interval until it holds or the timeout passes.
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "plugins/check_args.hpp"
#include "plugins/step_type.hpp"
#include "util/text.hpp"

namespace tc::plugins {
namespace {

using SteadyClock = std::chrono::steady_clock;

class Wait : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    using K = scenario::ArgKind;
    using O = scenario::OutputType;
    static const scenario::StepDecl d{
        .name = "wait",
        .summary = "Polls a condition (any step, with its own expect) until it holds or the timeout passes",
        .map_form = true,
        .fields = {{.name = "until", .kind = K::Step, .required = true, .doc = "the condition: a step"},
                   {.name = "timeout", .kind = K::Duration, .doc = "how long to wait", .default_text = "5m"},
                   {.name = "every", .kind = K::Duration, .doc = "poll interval", .default_text = "1s"},
                   {.name = "on_timeout",
                    .kind = K::Choice,
                    .doc = "record: a condition that never held becomes the observation \"not reached\" and the "
                           "step passes",
                    .choices = {"fail", "record"},
                    .default_text = "fail"}},
        .outputs = {{"value", O::Any, "the condition's last primary value"},
                    {"elapsed_ms", O::Millis, "time until the condition held (or the timeout)"},
                    {"polls", O::Number, "how many times the condition was evaluated"},
                    {"last", O::Map, "the condition's whole last output (last.value, last.state, ...)"},
                    {"reached", O::Bool, "whether the condition held"},
                    {"timed_out", O::Bool, "whether the timeout passed first"}},
        .self_timed = true,
    };
    return d;
  }
  std::string describe(const Json& args) const override {
    if (!args.is_object() || !args.contains("until") || !args["until"].is_object()) return "wait";
    // "wait until pipeline status is running"
    std::string action, expect;
    for (const auto& [k, v] : args["until"].items()) {
      if (k == "expect")
        expect = v.is_string() ? v.get<std::string>() : v.dump();
      else if (k != "name" && k != "timeout" && k != "retry")
        action = k + " " + (v.is_string() ? v.get<std::string>() : v.dump());
    }
    return "wait until " + action + (expect.empty() ? " holds" : " is " + expect);
  }
  Outcome run(StepContext& ctx) const override {
    const auto& step = ctx.step;
    if (step.until.empty()) throw StepError("wait has no condition");
    // The argument is interpolated, so --var overrides of timeout/every apply here.
    Millis timeout = step.timeout.value_or(Millis(300'000)), every = step.every;
    timeout = checks::arg_duration(ctx.args, "timeout", timeout, true);
    every = checks::arg_duration(ctx.args, "every", every, true);
    auto start = SteadyClock::now();
    auto deadline = start + timeout;
    int polls = 0;
    Outcome last;
    std::mutex m;
    std::condition_variable_any cv;
    while (true) {
      ++polls;
      last = ctx.services.evaluate(step.until.front(), ctx.stop);
      if (last.unanswerable) throw StepError("the condition can never hold: " + last.message);
      auto now = SteadyClock::now();
      auto elapsed = std::chrono::duration_cast<Millis>(now - start);
      if (last.status == report::Status::Passed) {
        Outcome o;
        o.output = {{"value", last.output.value("value", Json(nullptr))},
                    {"elapsed_ms", elapsed.count()},
                    {"polls", polls},
                    {"last", last.output},
                    {"timed_out", false},
                    {"reached", true}};
        o.message = "condition held after " + format_duration(elapsed) + " (" + std::to_string(polls) + " polls)";
        ctx.services.event("wait.satisfied", o.message);
        return o;
      }
      if (ctx.stop.stop_requested()) throw StepError("wait interrupted after " + format_duration(elapsed));
      if (now + every > deadline) {
        // Sleep out the remainder once, so the timeout is honoured exactly, then give up.
        if (now >= deadline) {
          Outcome o;
          // on_timeout: record: "does it notice?" may legitimately be "no": the step passes, the observation
          // says "not reached", and the verdict rests on the checks.
          bool record = ctx.args.is_object() && ctx.args.value("on_timeout", std::string("fail")) == "record";
          o.status = record ? report::Status::Passed : report::Status::Failed;
          o.output = {{"value", last.output.value("value", Json(nullptr))},
                      {"elapsed_ms", elapsed.count()},
                      {"polls", polls},
                      {"last", last.output},
                      {"timed_out", true}};
          o.message = (record ? "not reached within " : "timed out after ") + format_duration(timeout) +
                      "; last observed: " + excerpt(last.output.value("value", Json(nullptr)).dump(), 1, 200) +
                      (last.message.empty() ? "" : " (" + last.message + ")");
          if (record) {
            o.output["reached"] = false;
            ctx.services.event("wait.not_reached", o.message);
          }
          return o;
        }
        std::unique_lock lock(m);
        cv.wait_until(lock, ctx.stop, deadline, [] { return false; });
        continue;
      }
      std::unique_lock lock(m);
      cv.wait_until(lock, ctx.stop, now + every, [] { return false; });
    }
  }
};

}  // namespace
std::unique_ptr<StepType> make_wait() {
  return std::make_unique<Wait>();
}
}  // namespace tc::plugins
