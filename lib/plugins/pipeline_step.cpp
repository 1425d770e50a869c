// pipeline: drives and observes the pipeline under test (status, start, stop, restart = "Fix Now", resync).
#include "plugins/step_type.hpp"
#include "scenario/vars.hpp"
#include "targets/registry.hpp"
#include "targets/target.hpp"

namespace tc::plugins {
namespace {

const std::vector<std::string> kActions = {"status", "start", "stop", "restart", "resync", "last-error"};

class PipelineStep : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    using O = scenario::OutputType;
    static const scenario::StepDecl d{
        .name = "pipeline",
        .summary = "Drives or observes the pipeline under test through its target; restart is \"Fix Now\"",
        .string_form = {.allowed = true, .kind = scenario::ArgKind::Choice, .choices = kActions, .doc = "the action"},
        .outputs = {{"value", O::Text, "the state (running, connecting, failed, stopped, ...); last-error: the error"},
                    {"state", O::Text, "the state"},
                    {"last_errno", O::Number, "the pipeline's last error number (0 = none)"},
                    {"last_error", O::Text, "the pipeline's last error text"},
                    {"lag_seconds", O::Number, "how far behind the source, when the target knows"},
                    {"detail", O::Map, "target-specific facts (detail.tables_syncing, ...)"}},
    };
    return d;
  }
  // `detail` holds what the scenario's target declares it fills (a replica's Slave_IO_State, debezium's
  // tables_syncing): validate refuses `detail.x` the target never gives.
  std::optional<std::vector<scenario::OutputDecl>> outputs_for(const Json&, const Json& target) const override {
    const auto* t = targets::target_decl_of(target);
    if (!t || t->open_detail || t->detail.empty()) return std::nullopt;
    auto outputs = decl().outputs;
    for (auto& o : outputs)
      if (o.name == "detail") o.keys = t->detail;
    return outputs;
  }
  std::string describe(const Json& args) const override {
    std::string a = scenario::to_text(args);
    return a == "restart" ? "pipeline restart (\"Fix Now\")" : "pipeline " + a;
  }
  Outcome run(StepContext& ctx) const override {
    std::string action = scenario::to_text(ctx.args);
    auto& target = ctx.services.target();
    Outcome o;
    try {
      if (action == "status") {
        auto s = target.status();
        o.output = s.to_json();
        o.message =
            s.state + (s.last_errno ? " (error " + std::to_string(s.last_errno) + ": " + s.last_error + ")" : "");
      } else if (action == "last-error") {
        o.output["value"] = target.last_error();
        o.message = o.output["value"].get<std::string>();
      } else {
        if (action == "start")
          target.start();
        else if (action == "stop")
          target.stop();
        else if (action == "restart")
          target.restart();
        else if (action == "resync")
          target.resync();
        else
          throw StepError("unknown pipeline action '" + action + "'");
        auto s = target.status();
        o.output = s.to_json();
        o.message = action + " done; pipeline now " + s.state;
        ctx.services.event("pipeline." + action, o.message);
      }
    } catch (const StepError&) {
      throw;
    } catch (const std::exception& e) {
      throw StepError("pipeline " + action + " on " + target.kind() + ": " + e.what());
    }
    return o;
  }
};

}  // namespace
std::unique_ptr<StepType> make_pipeline() {
  return std::make_unique<PipelineStep>();
}
}  // namespace tc::plugins
