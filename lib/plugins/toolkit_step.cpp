// toolkit: a toolkit command in the testers' words, parsed by the same code as the `toolkit` CLI.
#include <sstream>

#include "plugins/step_type.hpp"
#include "scenario/vars.hpp"
#include "util/text.hpp"

namespace tc::plugins {
namespace {

class ToolkitStep : public StepType {
 public:
  std::string name() const override { return "toolkit"; }
  std::vector<Issue> validate(const Json& args) const override {
    auto issues = expect_string(args, "a toolkit command, e.g. network --down --type reject");
    if (!issues.empty()) return issues;
    std::string text = args.get<std::string>();
    if (starts_with(trim(text), "toolkit "))
      return {{"", "write the command without the word 'toolkit' (e.g. 'status')"}};
    return {};
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
    // Faults are visible in the timeline as applied / undone.
    if (!argv.empty() &&
        (argv[0] == "network" || argv[0] == "corrupt" || argv[0] == "restore" || argv[0] == "replicate")) {
      bool undo = argv[0] == "restore" || std::find(argv.begin(), argv.end(), "--up") != argv.end() ||
                  std::find(argv.begin(), argv.end(), "--off") != argv.end();
      bool info = std::find(argv.begin(), argv.end(), "--status") != argv.end() ||
                  std::find(argv.begin(), argv.end(), "--list") != argv.end();
      if (!info) ctx.services.event(undo ? "fault.undone" : "fault.applied", "toolkit " + scenario::to_text(ctx.args));
    }
    return o;
  }
};

}  // namespace
std::unique_ptr<StepType> make_toolkit() {
  return std::make_unique<ToolkitStep>();
}
}  // namespace tc::plugins
