// toolkit: a toolkit command in the testers' words, parsed by the same code as the `toolkit` CLI.
#include <sstream>

#include "plugins/step_type.hpp"
#include "scenario/vars.hpp"
#include "util/text.hpp"

namespace tc::plugins {
namespace {

class ToolkitStep : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    using O = scenario::OutputType;
    static const scenario::StepDecl d{
        .name = "toolkit",
        .summary = "A toolkit command in the testers' words (docs/toolkit-commands.md), without the word toolkit",
        .string_form = {.allowed = true, .doc = "the command line, e.g. network --down --type reject"},
        .outputs = {{"value", O::Any, "the command's primary value (its text when it has none)"},
                    {"exit_code", O::Number, "0 when the command did what it says"}},
        .open_outputs = true,  // each command adds its own keys (status: binlog_position, gtid_binlog_pos, ...)
    };
    return d;
  }
  std::vector<Issue> validate(const Json& args) const override {
    if (args.is_string() && trim(args.get<std::string>()).starts_with("toolkit "))
      return {{"", "write the command without the word 'toolkit' (e.g. 'status')"}};
    return {};
  }
  // Parsed by the toolkit's own CLI11 parser for each variant: a misspelt option or value must stop the run before
  // any fault is applied, not half-way through it.
  std::vector<Issue> validate_resolved(const Json& args) const override {
    std::vector<std::string> argv;
    try {
      argv = split_args(scenario::to_text(args));
    } catch (const std::exception& e) {
      return {{"", e.what()}};
    }
    if (argv.empty() || argv.front() == "toolkit") return {};  // validate() reports these
    std::string problem = toolkit::check_command(argv);
    if (problem.empty()) return {};
    return {{"", problem}};
  }
  std::optional<std::vector<scenario::OutputDecl>> outputs_for(const Json& args, const Json&) const override {
    if (!args.is_string()) return std::nullopt;
    try {
      return toolkit::command_outputs(split_args(args.get<std::string>()));
    } catch (const std::exception&) {
      return std::nullopt;  // an unbalanced quote: validate_resolved reports it
    }
  }
  std::string describe(const Json& args) const override { return "toolkit " + scenario::to_text(args); }
  Outcome run(StepContext& ctx) const override {
    std::vector<std::string> argv;
    try {
      argv = split_args(scenario::to_text(ctx.args));
    } catch (const std::exception& e) {
      throw StepError(e.what());
    }
    toolkit::Config cfg = ctx.services.toolkit_config();
    cfg.json = false;
    std::ostringstream out;
    auto r = toolkit::run_command(argv, cfg, out, ctx.stop);
    Outcome o;
    o.output = r.output.is_object() ? r.output : Json::object();
    if (!o.output.contains("value")) o.output["value"] = trim(r.text.empty() ? out.str() : r.text);
    o.output["exit_code"] = r.exit_code;
    o.log = "$ toolkit " + scenario::to_text(ctx.args) + "\n" + out.str();
    std::string text = trim(out.str());
    if (r.exit_code != 0) {
      // A fault that did not take effect, or a command that could not run, is never a pass.
      o.status = report::Status::Error;
      o.message = "toolkit exited " + std::to_string(r.exit_code) + ": " + excerpt(text, 3, 300);
      return o;
    }
    o.message = excerpt(text, 1, 200);
    // Faults are visible in the timeline as applied / undone, as the command itself says.
    if (r.fault != toolkit::FaultChange::none)
      ctx.services.event(r.fault == toolkit::FaultChange::undone ? "fault.undone" : "fault.applied",
                         "toolkit " + scenario::to_text(ctx.args));
    return o;
  }
};

}  // namespace
std::unique_ptr<StepType> make_toolkit() {
  return std::make_unique<ToolkitStep>();
}
}  // namespace tc::plugins
