// manual: an instruction for the tester; waits for their answer (terminal or --answers file).
#include "plugins/step_type.hpp"
#include "scenario/vars.hpp"
#include "util/text.hpp"

namespace tc::plugins {
namespace {

class Manual : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    using K = scenario::ArgKind;
    using O = scenario::OutputType;
    static const scenario::StepDecl d{
        .name = "manual",
        .summary = "An instruction for the tester, prompted in the terminal or answered from --answers",
        .string_form = {.allowed = true, .doc = "the instruction"},
        .map_form = true,
        .fields = {{.name = "instruction", .kind = K::NonEmptyText, .required = true, .doc = "the instruction"},
                   {.name = "choices", .kind = K::TextList, .doc = "the accepted answers"}},
        .outputs = {{"value", O::Text, "the tester's answer"},
                    {"answered", O::Bool, "whether the tester answered"},
                    {"verdict", O::Text, "PASS or FAIL when the tester gave one"},
                    {"observation", O::Text, "what the tester wrote down"},
                    {"operator", O::Text, "who answered"}},
    };
    return d;
  }
  std::string describe(const Json& args) const override {
    return "manual: " +
           (args.is_string() ? args.get<std::string>() : scenario::to_text(args.value("instruction", Json(""))));
  }
  Outcome run(StepContext& ctx) const override {
    std::string instruction =
        ctx.args.is_string() ? ctx.args.get<std::string>() : scenario::to_text(ctx.args["instruction"]);
    std::vector<std::string> choices;
    if (ctx.args.is_object())
      for (const auto& c : ctx.args.value("choices", Json::array())) choices.push_back(scenario::to_text(c));
    std::string key = !ctx.step.id.empty() ? ctx.step.id : !ctx.step.name.empty() ? ctx.step.name : instruction;
    Answer a = ctx.services.prompter().ask(key, instruction, choices);
    Outcome o;
    if (!a.answered) {
      o.status = report::Status::Pending;
      o.message = "no answer from the tester (give one interactively or in --answers)";
      o.output = {{"value", nullptr}, {"answered", false}};
      return o;
    }
    o.output = {{"value", a.text},
                {"answered", true},
                {"verdict", a.verdict},
                {"observation", a.observation},
                {"operator", a.operator_name}};
    if (a.verdict == "FAIL") {
      o.status = report::Status::Failed;
      o.message = "tester answered FAIL" + (a.observation.empty() ? "" : ": " + a.observation);
    } else {
      o.message = "tester answered " + (a.text.empty() ? std::string("OK") : a.text) +
                  (a.operator_name.empty() ? "" : " (" + a.operator_name + ")");
    }
    return o;
  }
};

}  // namespace
std::unique_ptr<StepType> make_manual() {
  return std::make_unique<Manual>();
}
}  // namespace tc::plugins
