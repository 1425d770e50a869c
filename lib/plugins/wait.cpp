// wait: polls a condition (any step or check) every interval until it holds or the timeout passes.
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "plugins/step_type.hpp"
#include "util/text.hpp"

namespace tc::plugins {
namespace {

using SteadyClock = std::chrono::steady_clock;

class Wait : public StepType {
 public:
  std::string name() const override { return "wait"; }
  // The loader has already parsed until/timeout/every into the Step; only the shape is checked here.
  std::vector<Issue> validate(const Json& args) const override {
    auto issues = expect_map(args, {"until"}, {"timeout", "every", "on_timeout"});
    if (args.is_object() && args.contains("on_timeout")) {
      const Json& v = args["on_timeout"];
      if (!v.is_string() || (v != "fail" && v != "record"))
        issues.push_back({"/on_timeout",
                          "'on_timeout' is fail (the default: a condition that never held fails the "
                          "step) or record (it becomes the observation \"not reached\")"});
    }
    return issues;
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
    auto dur = [&](const char* key, Millis& out) {
      if (!ctx.args.is_object() || !ctx.args.contains(key)) return;
      const Json& v = ctx.args[key];
      auto d = v.is_number() ? std::optional<Millis>(Millis(static_cast<long long>(v.get<double>() * 1000)))
                             : parse_duration(v.is_string() ? v.get<std::string>() : v.dump());
      if (!d) throw StepError(std::string("wait: ") + key + " is not a duration: " + v.dump());
      out = *d;
    };
    dur("timeout", timeout);
    dur("every", every);
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
