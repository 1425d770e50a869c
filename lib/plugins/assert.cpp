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
  std::string name() const override { return "assert"; }
  std::vector<Issue> validate(const Json& args) const override {
    if (!args.is_object())
      return {{"", "expected a map {value: X, <operator>: Y}, e.g. {value: \"${detect_ms}\", less_than: 30000}"}};
    std::vector<Issue> issues;
    if (!args.contains("value")) issues.push_back({"", "'value' is missing: the value to test"});
    const auto& ops = scenario::detail::assertion_ops();
    int found = 0;
    for (const auto& [k, v] : args.items()) {
      if (k == "value") continue;
      if (std::find(ops.begin(), ops.end(), k) != ops.end()) {
        ++found;
        continue;
      }
      std::string hint = closest(k, ops);
      issues.push_back(
          {"/" + k, "'" + k + "' is not an operator" +
                        (hint.empty() ? " (one of: " + join(ops) + ")" : "; did you mean '" + hint + "'?")});
    }
    if (found != 1 && issues.empty())
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
