// exec: runs a command line; captures exit code, stdout and stderr; a timeout kills the process group.
#include <algorithm>

#include "plugins/step_type.hpp"
#include "scenario/vars.hpp"
#include "util/process.hpp"
#include "util/text.hpp"

namespace tc::plugins {
namespace {

class Exec : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    using K = scenario::ArgKind;
    using O = scenario::OutputType;
    static const scenario::StepDecl d{
        .name = "exec",
        .summary = "Runs a shell command; a non-zero exit fails the step unless `expect` names exit_code",
        .string_form = {.allowed = true, .doc = "the command line"},
        .map_form = true,
        .fields = {{.name = "command", .kind = K::NonEmptyText, .required = true, .doc = "the command line"},
                   {.name = "env", .kind = K::ScalarMap, .doc = "extra environment variables"},
                   {.name = "cwd", .kind = K::Text, .doc = "working directory"},
                   {.name = "stdin", .kind = K::Text, .doc = "text written to the command's standard input"}},
        .outputs = {{"value", O::Text, "standard output, trimmed"},
                    {"exit_code", O::Number, "the exit code"},
                    {"stdout", O::Text, "standard output"},
                    {"stderr", O::Text, "standard error"},
                    {"elapsed_ms", O::Millis, "how long the command ran"}},
    };
    return d;
  }
  std::string describe(const Json& args) const override {
    return args.is_string() ? args.get<std::string>() : scenario::to_text(args.value("command", Json("")));
  }
  Outcome run(StepContext& ctx) const override {
    ProcessOptions po;
    po.stop = ctx.stop;
    std::string command = describe(ctx.args);
    if (ctx.args.is_object()) {
      // Named copies: iterating items() of a temporary (`value("env", {})`) read freed memory (SIGSEGV).
      const Json env = ctx.args.value("env", Json::object());
      for (const auto& [k, v] : env.items()) po.env[k] = scenario::to_text(v);
      if (ctx.args.contains("cwd")) po.cwd = scenario::to_text(ctx.args["cwd"]);
      if (ctx.args.contains("stdin")) po.stdin_text = scenario::to_text(ctx.args["stdin"]);
    }
    auto r = run_shell(command, po);
    Outcome o;
    o.output = {{"value", trim(r.out)},
                {"exit_code", r.exit_code},
                {"stdout", r.out},
                {"stderr", r.err},
                {"elapsed_ms", r.elapsed.count()}};
    o.log = "$ " + command + "\n" + r.out + (r.err.empty() ? "" : "\n[stderr]\n" + r.err);
    if (r.cancelled && ctx.step.background) {
      o.message = "stopped (background step)";  // being stopped is how a background command ends
      return o;
    }
    if (r.cancelled || r.timed_out) {
      o.status = report::Status::Error;
      o.message = "command was stopped before it finished (process group killed)";
      return o;
    }
    // Without an explicit exit_code expectation a non-zero exit is a failure.
    bool checks_exit = std::any_of(ctx.step.expect.begin(), ctx.step.expect.end(),
                                   [](const scenario::Assertion& a) { return a.path == "exit_code"; });
    if (r.exit_code != 0 && !checks_exit) {
      o.status = report::Status::Failed;
      o.message = "exit code " + std::to_string(r.exit_code) + (r.err.empty() ? "" : ": " + excerpt(r.err, 3, 300));
    } else {
      o.message = "exit code " + std::to_string(r.exit_code);
    }
    return o;
  }
};

}  // namespace
std::unique_ptr<StepType> make_exec() {
  return std::make_unique<Exec>();
}
}  // namespace tc::plugins
