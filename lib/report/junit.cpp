// JUnit XML for CI: one testsuite per run, one testcase per step and check, plus the run's verdict.
#include <fmt/format.h>

#include "report/text_escape.hpp"
#include "report/writers.hpp"
#include "result/utc_time.hpp"
#include "util/text.hpp"

namespace tc::report {

namespace {

struct Counts {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  void add(Status s) {
    ++tests;
    if (s == Status::Failed) ++failures;
    if (s == Status::Error) ++errors;
    if (s == Status::Skipped || s == Status::Pending) ++skipped;
  }
  void add(Verdict v) {
    add(v == Verdict::Pass ? Status::Passed : v == Verdict::Fail ? Status::Failed : Status::Error);
  }
  void add(const Counts& o) { tests += o.tests, failures += o.failures, errors += o.errors, skipped += o.skipped; }
  std::string attrs() const {
    return fmt::format("tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\"", tests, failures, errors, skipped);
  }
};

// The verdict gets a testcase of its own only when no step's testcase already says why the run is not green
// (a PENDING manual step is only "skipped" to JUnit): otherwise each failure would be counted twice.
bool needs_verdict_case(const RunResult& run) {
  if (run.verdict == Verdict::Pass) return false;
  for (const auto& s : run.steps)
    if (s.status == Status::Failed || s.status == Status::Error) return false;
  return true;
}

Counts count(const RunResult& run) {
  Counts c;
  for (const auto& s : run.steps) c.add(s.status);
  if (needs_verdict_case(run)) c.add(run.verdict);
  return c;
}

std::string suite_name(const RunResult& run) {
  std::string id = run.scenario_id.empty() ? "scenario" : run.scenario_id;
  return run.variant.empty() ? id : id + " [" + run.variant + "]";
}

std::string case_name(const StepResult& s) {
  if (!s.name.empty()) return s.name;
  if (!s.action.empty()) return s.action;
  return fmt::format("{} {}", s.phase, s.index);
}

std::string details(const StepResult& s) {
  std::string d = s.message;
  if (!s.action.empty()) d += (d.empty() ? "" : "\n") + ("action: " + s.action);
  if (!trim(s.output_excerpt).empty()) d += (d.empty() ? "" : "\n") + ("output:\n" + s.output_excerpt);
  return d;
}

void testcase(std::string& out, const StepResult& s) {
  out += fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"{}\"", xml_escape(case_name(s)),
                     xml_escape(s.phase), format_seconds(s.duration));
  switch (s.status) {
    case Status::Passed:
      if (trim(s.output_excerpt).empty()) {
        out += "/>\n";
        return;
      }
      out += ">\n      <system-out>" + xml_escape(s.output_excerpt) + "</system-out>\n";
      break;
    case Status::Failed:
      out += fmt::format(">\n      <failure message=\"{}\" type=\"failed\">{}</failure>\n", xml_escape(s.message),
                         xml_escape(details(s)));
      break;
    case Status::Error:
      out += fmt::format(">\n      <error message=\"{}\" type=\"error\">{}</error>\n", xml_escape(s.message),
                         xml_escape(details(s)));
      break;
    case Status::Skipped:
    case Status::Pending:
      out += fmt::format(">\n      <skipped message=\"{}\"/>\n",
                         xml_escape(std::string(status_name(s.status)) + (s.message.empty() ? "" : ": " + s.message)));
      break;
  }
  out += "    </testcase>\n";
}

// A pending manual step is only "skipped" to JUnit; this testcase keeps such a run from looking green in CI.
void verdict_case(std::string& out, const RunResult& run) {
  if (!needs_verdict_case(run)) return;
  out += fmt::format("    <testcase name=\"verdict\" classname=\"run\" time=\"{}\"", format_seconds(run.duration()));
  std::string msg =
      std::string(verdict_name(run.verdict)) + (run.verdict_reason.empty() ? "" : ": " + run.verdict_reason);
  const char* tag = run.verdict == Verdict::Fail ? "failure" : "error";
  out += fmt::format(">\n      <{} message=\"{}\" type=\"{}\">{}</{}>\n    </testcase>\n", tag, xml_escape(msg),
                     verdict_name(run.verdict), xml_escape(msg), tag);
}

void property(std::string& out, const std::string& name, const std::string& value) {
  out += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", xml_escape(name), xml_escape(value));
}

void testsuite(std::string& out, const RunResult& run, const Counts& c) {
  out += fmt::format("  <testsuite name=\"{}\" {} time=\"{}\" timestamp=\"{}\">\n", xml_escape(suite_name(run)),
                     c.attrs(), format_seconds(run.duration()), utc_iso_seconds(run.started));
  out += "    <properties>\n";
  property(out, "verdict", verdict_name(run.verdict));
  property(out, "title", run.title);
  property(out, "variant", run.variant);
  for (const auto& [k, v] : run.variant_values.items())
    property(out, "variant." + k, v.is_string() ? v.get<std::string>() : v.dump());
  property(out, "tester", run.tester);
  property(out, "etl_tool", run.etl_tool);
  property(out, "target", run.target);
  property(out, "source", run.source);
  property(out, "toolkit_version", run.toolkit_version);
  property(out, "tc_run_version", run.tc_run_version);
  property(out, "run_dir", run.run_dir);
  out += "    </properties>\n";
  for (const auto& s : run.steps) testcase(out, s);
  verdict_case(out, run);
  if (!run.notes.empty()) {
    std::string notes;
    for (const auto& n : run.notes) notes += n + "\n";
    out += "    <system-out>" + xml_escape(notes) + "</system-out>\n";
  }
  out += "  </testsuite>\n";
}

}  // namespace

std::string render_junit(const std::vector<RunResult>& runs) {
  Counts total;
  std::vector<Counts> per_run;
  Millis time{0};
  for (const auto& r : runs) {
    per_run.push_back(count(r));
    total.add(per_run.back());
    time += r.duration();
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"tc-run\" {} time=\"{}\">\n", total.attrs(), format_seconds(time));
  for (size_t i = 0; i < runs.size(); ++i) testsuite(out, runs[i], per_run[i]);
  out += "</testsuites>\n";
  return out;
}

}  // namespace tc::report
