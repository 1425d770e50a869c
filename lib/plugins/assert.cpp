// assert: {value: X, <operator>: Y}: a test case's own assertion on a captured or measured value, e.g.
// `assert: {value: "${detect_ms}", less_than: 30000}`. False is FAIL with both values; under checks a checklist line.
#include <algorithm>

#include "plugins/step_type.hpp"
#include "scenario/step_parser.hpp"
#include "util/text.hpp"

namespace tc::plugins {
namespace {

class Assert : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    using O = scenario::OutputType;
    static const scenario::StepDecl d = [] {
      scenario::StepDecl d{
          .name = "assert",
          .summary = "A test case's own assertion on a captured or measured value: {value: X, <operator>: Y}",
          .map_form = true,
          .fields = {{.name = "value", .kind = scenario::ArgKind::Any, .required = true, .doc = "the value tested"}},
          .outputs = {{"value", O::Any, "the value tested"},
                      {"passed", O::Bool, "whether the assertion held"},
                      {"operator", O::Text, "the operator"},
                      {"operand", O::Any, "what the value was compared with"}},
      };
      // Exactly one operator of `expect` beside value (validate() counts them).
      for (const auto& op : scenario::detail::assertion_ops())
        d.fields.push_back({.name = op, .kind = scenario::ArgKind::Any, .doc = "an operator of expect"});
      return d;
    }();
    return d;
  }
  std::vector<Issue> validate(const Json& args) const override {
    if (!args.is_object()) return {};  // the loader has reported the shape
    std::vector<Issue> issues;
    const auto& ops = scenario::detail::assertion_ops();
    int found = 0;
    for (const auto& [k, v] : args.items())
      if (std::find(ops.begin(), ops.end(), k) != ops.end()) ++found;
    if (found != 1)
      issues.push_back({"", "expected exactly one operator beside 'value' (one of: " + join(ops) + "), got " +
                                std::to_string(found)});
    return issues;
  }
  std::string describe(const Json& args) const override {
    if (!args.is_object()) return "assert";
    std::string text = "assert " + scenario::to_text(args.value("value", Json("?")));
    for (const auto& [k, v] : args.items())
      if (k != "value") text += " " + k + " " + scenario::to_text(v);
    return text;
  }
  Outcome run(StepContext& ctx) const override {
    Outcome o;
    Json value = ctx.args.value("value", Json(nullptr));
    scenario::Assertion a;
    a.path = "value";
    for (const auto& [k, v] : ctx.args.items())
      if (k != "value") a.op = k, a.operand = v;
    std::string why;
    bool ok = ctx.services.check(a, Json{{"value", value}}, why);
    o.output = {{"value", value}, {"passed", ok}, {"operand", a.operand}, {"operator", a.op}};
    if (ok) {
      o.message = scenario::to_text(value) + " " + a.op + " " + scenario::to_text(a.operand);
    } else {
      o.status = report::Status::Failed;
      o.message = why;
    }
    return o;
  }
};

}  // namespace
std::unique_ptr<StepType> make_assert() {
  return std::make_unique<Assert>();
}
}  // namespace tc::plugins
