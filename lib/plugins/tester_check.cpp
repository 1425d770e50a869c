#include "plugins/tester_check.hpp"

#include "plugins/check_args.hpp"
#include "plugins/table_meta.hpp"
#include "targets/target.hpp"

namespace tc::plugins::checks {

std::vector<scenario::OutputDecl> tester_outputs() {
  using O = scenario::OutputType;
  return {{"asked_tester", O::Text, "the question put to the tester (a destination tc-run cannot read)"},
          {"answered", O::Bool, "whether the tester answered"},
          {"verdict", O::Text, "the tester's PASS or FAIL"},
          {"observation", O::Text, "what the tester wrote down"},
          {"operator", O::Text, "who answered"}};
}

Outcome ask_tester_instead(StepContext& ctx, const std::string& question, Json facts) {
  std::string key = !ctx.step.id.empty() ? ctx.step.id : !ctx.step.name.empty() ? ctx.step.name : question;
  Answer a = ctx.services.prompter().ask(key, question, {});
  Outcome o;
  o.output = std::move(facts);
  o.output["asked_tester"] = question;
  o.output["answered"] = a.answered;
  if (!a.answered) {
    o.status = report::Status::Pending;
    o.output["value"] = nullptr;
    o.message = "tc-run cannot read the destination; waiting for the tester's answer (interactively or in --answers)";
    return o;
  }
  o.output["value"] = a.text;
  o.output["verdict"] = a.verdict;
  o.output["observation"] = a.observation;
  o.output["operator"] = a.operator_name;
  std::string who = a.operator_name.empty() ? "" : " (" + a.operator_name + ")";
  if (a.verdict == "FAIL") {
    o.status = report::Status::Failed;
    o.message = "tester answered FAIL" + (a.observation.empty() ? "" : ": " + a.observation) + who;
  } else {
    o.message = "tester answered " + (a.text.empty() ? std::string("OK") : a.text) + who +
                (a.observation.empty() ? "" : ": " + a.observation);
  }
  o.log = question + "\n-> " + o.message + "\n";
  return o;
}

long long source_row_count(StepContext& ctx, const std::string& table, const std::string& where,
                           const std::string& source_name) {
  TableName name = TableName::parse(table);
  auto src = open_named(ctx.services, source_name);
  try {
    read_table(*src, name, source_name);
    return src->scalar("SELECT COUNT(*) FROM " + name.sql() + (where.empty() ? "" : " WHERE " + where))
        .get<long long>();
  } catch (const db::Error& e) {
    throw StepError("row count on " + source_name + " failed: " + e.what());
  }
}

std::string tool_name(StepContext& ctx) {
  std::string t = ctx.services.target().etl_tool();
  return t.empty() ? "the ETL tool" : t;
}

}  // namespace tc::plugins::checks
