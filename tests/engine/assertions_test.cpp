#include "engine/assertions.hpp"

#include <doctest/doctest.h>

#include "engine/condition.hpp"
#include "engine/verdict.hpp"

using namespace tc;
using tc::engine::holds;

static scenario::Assertion A(std::string path, std::string op, Json operand) {
  return {std::move(path), std::move(op), std::move(operand), {}};
}

TEST_CASE("assertions compare numbers as numbers even when the output is text") {
  scenario::Vars vars;
  Json out = {
      {"value", "42"}, {"exit_code", 0}, {"row", {{"n", 7}}}, {"rows", Json::array({{{"id", 1}}, {{"id", 2}}})}};
  std::string why;
  CHECK(holds(A("", "equals", 42), out, vars, why));
  CHECK(holds(A("value", "greater_than", 41), out, vars, why));
  CHECK_FALSE(holds(A("value", "less_than", 42), out, vars, why));
  CHECK(why.find("expected less than 42") != std::string::npos);
  CHECK(holds(A("row.n", "between", Json::array({5, 9})), out, vars, why));
  CHECK_FALSE(holds(A("row.n", "between", Json::array({8, 9})), out, vars, why));
  CHECK(holds(A("rows.1.id", "equals", 2), out, vars, why));
  CHECK(holds(A("exit_code", "in", Json::array({0, 1})), out, vars, why));
  // A path the output does not have never compares (not even with not_equals): it is named with what there is.
  CHECK_FALSE(holds(A("missing.path", "equals", 1), out, vars, why));
  CHECK(why.find("no output 'missing.path'") != std::string::npos);
  CHECK_FALSE(holds(A("missing", "not_equals", 1), out, vars, why));
  CHECK(why.find("(it gave: value, exit_code, row, rows)") != std::string::npos);
  CHECK(engine::has_output(out, "row.n"));
  CHECK_FALSE(engine::has_output(out, "row.m"));
  Json with_elapsed = {{"value", 1}, {"elapsed_ms", 250}};
  CHECK(engine::output_at(with_elapsed, "elapsed") == 250);  // the universal path
}

TEST_CASE("string assertions: contains, matches, not_equals, and operands with variables") {
  scenario::Vars vars;
  vars.set("want", "refused");
  Json out = {{"value", "Can't connect to MySQL server (111 \"Connection refused\")"}};
  std::string why;
  CHECK(holds(A("", "contains", "${want}"), out, vars, why));
  CHECK(holds(A("", "matches", "\\(111 .*\\)"), out, vars, why));
  CHECK_FALSE(holds(A("", "matches", "^Lost"), out, vars, why));
  CHECK(holds(A("", "not_contains", "timeout"), out, vars, why));
  CHECK_FALSE(holds(A("", "matches", "(unclosed"), out, vars, why));
  CHECK(why.find("invalid regular expression") != std::string::npos);
  CHECK(holds(A("", "not_equals", "running"), out, vars, why));
}

TEST_CASE("when conditions") {
  CHECK(engine::evaluate_condition("replica == replica"));
  CHECK_FALSE(engine::evaluate_condition("hevo == replica"));
  CHECK(engine::evaluate_condition("hevo != replica"));
  CHECK(engine::evaluate_condition("truncate in [reject, truncate]"));
  CHECK_FALSE(engine::evaluate_condition("service in [reject, truncate]"));
  CHECK_FALSE(engine::evaluate_condition("false"));
  CHECK_FALSE(engine::evaluate_condition("0"));
  CHECK_FALSE(engine::evaluate_condition(""));
  CHECK(engine::evaluate_condition("yes"));
  CHECK(engine::evaluate_condition("not 0"));
  CHECK_THROWS(engine::evaluate_condition("x in [a, b"));
}

TEST_CASE("verdicts: errors beat failures, pending and unchecked runs never pass") {
  report::RunResult r;
  report::StepResult check;
  check.phase = "checks";
  check.status = report::Status::Passed;
  r.steps = {check};
  engine::decide_verdict(r, false);
  CHECK(r.verdict == report::Verdict::Pass);

  r.steps[0].status = report::Status::Failed;
  engine::decide_verdict(r, false);
  CHECK(r.verdict == report::Verdict::Fail);

  report::StepResult pre;
  pre.phase = "preconditions";
  pre.status = report::Status::Failed;
  r.steps.push_back(pre);
  engine::decide_verdict(r, false);
  CHECK(r.verdict == report::Verdict::Error);

  report::RunResult pending;
  check.status = report::Status::Passed;
  report::StepResult manual;
  manual.phase = "steps";
  manual.status = report::Status::Pending;
  pending.steps = {manual, check};
  engine::decide_verdict(pending, false);
  CHECK(pending.verdict == report::Verdict::Error);
  CHECK(pending.verdict_reason.find("pending") != std::string::npos);

  report::RunResult nothing;
  engine::decide_verdict(nothing, false);
  CHECK(nothing.verdict == report::Verdict::Error);

  report::RunResult interrupted;
  interrupted.steps = {check};
  engine::decide_verdict(interrupted, true);
  CHECK(interrupted.verdict == report::Verdict::Error);

  std::vector<report::RunResult> runs(2);
  runs[0].verdict = report::Verdict::Pass;
  runs[1].verdict = report::Verdict::Fail;
  CHECK(engine::exit_code_for(runs) == 1);
  runs[0].verdict = report::Verdict::Error;
  CHECK(engine::exit_code_for(runs) == 2);
}
