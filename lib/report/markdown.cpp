// The execution log in the test case's own "Test Execution Log" layout (see seeds/TC-001), plus the timeline.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "report/text_escape.hpp"
#include "report/writers.hpp"
#include "result/utc_time.hpp"
#include "util/text.hpp"

namespace tc::report {

namespace {

std::string or_dash(const std::string& s) {
  return s.empty() ? "-" : s;
}

std::string t_plus(Millis offset) {
  return "T+" + format_seconds(offset) + "s";
}

std::string step_label(const StepResult& s) {
  if (!s.name.empty()) return md_line(s.name);
  if (!s.action.empty()) return md_line(s.action);
  return s.type.empty() ? fmt::format("{} {}", s.phase, s.index) : s.type;
}

// Preconditions and cleanup are marked so the numbered list still reads in execution order.
std::string phase_prefix(const std::string& phase) {
  if (phase == "steps" || phase.empty()) return "";
  if (phase == "preconditions") return "Precondition: ";
  if (phase == "cleanup") return "Cleanup: ";
  if (phase == "checks") return "Check: ";
  return md_line(phase) + ": ";
}

// Skipped steps never ran: their times would only mislead.
bool never_started(const StepResult& s) {
  return s.status == Status::Skipped && s.duration.count() == 0 && s.attempts.empty();
}

// Text as inline code when it is one line, else as a fenced block (indented under `indent`) on its own lines.
std::string code_after(const std::string& first, const std::string& text, const std::string& indent) {
  std::string t = trim(text);
  if (t.find('\n') == std::string::npos) return first + " " + md_code(t) + "\n";
  return first + "\n" + md_fence(t, indent);
}

void step_item(std::string& out, int number, const StepResult& s) {
  std::string marker = fmt::format("{}. ", number);
  std::string indent(marker.size(), ' ');
  out += marker + phase_prefix(s.phase) + step_label(s) + " — " + status_name(s.status);
  if (!never_started(s)) out += fmt::format(" at {}, took {}", t_plus(s.offset), format_duration(s.duration));
  if (s.background) out += " (background)";
  out += "\n";
  if (!s.action.empty() && md_line(s.action) != step_label(s)) out += indent + "Action: " + md_code(s.action) + "\n";
  // Each result once: the output only when it adds to the message (a command's message often is its output).
  std::string message = trim(s.message), output = trim(s.output_excerpt);
  // An excerpt ends in "…": compare what it kept.
  auto kept = [](std::string t) {
    const std::string mark = "…";
    if (t.size() >= mark.size() && t.compare(t.size() - mark.size(), mark.size(), mark) == 0)
      t = trim(t.substr(0, t.size() - mark.size()));
    return t;
  };
  if (!output.empty() && message.find(kept(output)) != std::string::npos) output.clear();
  if (s.status == Status::Passed && !message.empty() && !output.empty() &&
      output.find(kept(message)) != std::string::npos)
    message.clear();
  if (!message.empty())
    out += code_after(indent + (s.status == Status::Passed ? "Result:" : "Reason:"), message, indent);
  if (!output.empty()) out += code_after(indent + "Output:", output, indent);
  if (s.attempts.size() > 1) {
    out += indent + fmt::format("Attempts ({}):\n", s.attempts.size());
    for (size_t i = 0; i < s.attempts.size(); ++i) {
      const auto& a = s.attempts[i];
      out += indent + fmt::format("- Attempt {}: {} at {}, took {}", i + 1, status_name(a.status), t_plus(a.offset),
                                  format_duration(a.duration));
      if (!a.message.empty()) out += " — " + md_code(a.message);
      out += "\n";
    }
  }
}

void steps_section(std::string& out, const RunResult& run) {
  out += "**Steps Performed:**\n";
  int n = 0;
  for (const auto& s : run.steps)
    if (s.phase != "checks") step_item(out, ++n, s);
  if (n == 0) out += "- N/A\n";
}

std::string observation_value(const Observation& o) {
  std::string v = md_line(o.value);
  // The value normally carries its unit already; add it only when it does not.
  if (!v.empty() && !o.unit.empty() &&
      (v.size() < o.unit.size() || v.compare(v.size() - o.unit.size(), o.unit.size(), o.unit) != 0))
    v += " " + md_line(o.unit);
  // Never an empty value: say what is missing instead.
  if (v.empty()) return "(" + md_line(o.note.empty() ? "empty" : o.note) + ")";
  if (!o.note.empty()) v += " (" + md_line(o.note) + ")";
  return v;
}

void observations_section(std::string& out, const RunResult& run) {
  out += "**Observations:**\n";
  size_t before = out.size();
  for (const auto& o : run.observations) {
    out += "- " + md_line(o.name) + ": " + observation_value(o);
    if (!o.step.empty()) out += " (" + md_line(o.step) + ")";
    out += "\n";
  }
  for (const auto& t : run.tables) {
    out += "- " + md_line(t.title) + (t.step.empty() ? "" : " (" + md_line(t.step) + ")") + ":\n\n";
    out += "  |";
    for (const auto& c : t.columns) out += " " + md_cell(c) + " |";
    out += "\n  |";
    for (size_t i = 0; i < t.columns.size(); ++i) out += "---|";
    out += "\n";
    for (const auto& row : t.rows) {
      out += "  |";
      for (size_t i = 0; i < t.columns.size(); ++i) out += " " + md_cell(i < row.size() ? row[i] : "") + " |";
      out += "\n";
    }
    out += "\n";
  }
  // Exact texts of everything that went wrong, so a reviewer need not open the raw logs.
  for (const auto& s : run.steps) {
    if (s.status == Status::Passed || s.status == Status::Skipped || s.message.empty()) continue;
    out +=
        code_after("- " + phase_prefix(s.phase) + step_label(s) + " " + status_name(s.status) + ":", s.message, "  ");
  }
  if (out.size() == before) out += "- N/A\n";
}

void checklist_section(std::string& out, const RunResult& run) {
  out += "**Verification Checklist:**\n";
  bool any = false;
  std::set<std::string> ran;  // labels of checks that ran: a `when`-skipped twin of one of them is not listed again
  for (const auto& s : run.steps)
    if (s.phase == "checks" && s.status != Status::Skipped) ran.insert(step_label(s));
  for (const auto& s : run.steps) {
    if (s.phase != "checks") continue;
    any = true;
    if (s.status == Status::Passed) {
      out += "- [x] " + step_label(s) + "\n";
    } else if (s.status == Status::Skipped) {
      if (ran.count(step_label(s))) continue;
      std::string why = s.message;
      if (why.starts_with("skipped: ")) why = why.substr(9);
      out += "- n/a: " + step_label(s) + (why.empty() ? "" : " — " + md_line(why)) + "\n";
    } else {
      std::string reason = status_name(s.status);
      if (!s.message.empty()) reason += ": " + md_line(s.message);
      out += "- [ ] " + step_label(s) + " — " + reason + "\n";
    }
  }
  if (!any) out += "- N/A (the scenario defines no checks)\n";
}

std::string link_target(const std::string& path) {
  // Angle brackets let paths with spaces or parentheses stay one link.
  if (path.find_first_of(" ()<>") != std::string::npos) return "<" + path + ">";
  return path;
}

void logs_section(std::string& out, const RunResult& run) {
  out += "**Screenshots/Logs:**\n";
  // The run at a glance (write_run_files draws it beside this log).
  out += "- ![Timeline](timeline.svg)\n";
  std::set<std::string> seen = {"timeline.svg"};
  auto link = [&](const std::string& label, const std::string& path) {
    if (path.empty() || !seen.insert(path).second) return;
    std::string text = md_line(label.empty() ? path : label);
    std::replace(text.begin(), text.end(), '[', '(');
    std::replace(text.begin(), text.end(), ']', ')');
    out += "- [" + text + "](" + link_target(path) + ")\n";
  };
  for (const auto& a : run.artifacts) link(a.label, a.path);
  for (const auto& s : run.steps) link("Output of " + step_label(s), s.log_file);
  // The timeline is always there, so the section is never "N/A".
}

void notes_section(std::string& out, const RunResult& run) {
  out += "**Notes:**\n";
  out += std::string("- Verdict ") + verdict_name(run.verdict);
  if (!run.verdict_reason.empty()) out += ": " + md_line(run.verdict_reason);
  out += "\n";
  for (const auto& n : run.notes) out += "- " + md_line(n) + "\n";
  out += "- Started " + utc_iso(run.started) + ", finished " + utc_iso(run.finished) + " (UTC)\n";
  if (!run.scenario_file.empty()) out += "- Scenario file: " + md_code(run.scenario_file) + "\n";
}

void timeline_section(std::string& out, const RunResult& run) {
  out += "**Timeline:**\n";
  if (run.timeline.empty()) {
    out += "- N/A\n";
    return;
  }
  // Background steps report from other threads; order by time, keeping the recorded order for ties.
  std::vector<Event> events = run.timeline;
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.offset < b.offset; });
  out += "| T+ | Event | Detail |\n|----|-------|--------|\n";
  for (const auto& e : events)
    out += "| " + t_plus(e.offset) + " | " + md_cell(e.kind) + " | " + md_cell(e.text) + " |\n";
}

}  // namespace

std::string render_markdown(const RunResult& run, int run_number) {
  std::string out = fmt::format("### Run {} - {}\n", run_number, utc_date(run.started));
  auto row = [&](const char* field, const std::string& value) {
    out += fmt::format("| {} | {} |\n", field, md_cell(value));
  };
  out += "| Field | Value |\n|-------|-------|\n";
  row("Tester", or_dash(run.tester));
  row("ETL Tool", or_dash(run.etl_tool));
  row("Toolkit Version", or_dash(run.toolkit_version));
  row("Result", verdict_name(run.verdict));
  row("Variant", or_dash(run.variant));
  row("Target", or_dash(run.target));
  row("Source", or_dash(run.source));
  row("Duration", format_duration(run.duration()));
  row("tc-run version", or_dash(run.tc_run_version));
  out += "\n";
  steps_section(out, run);
  out += "\n";
  observations_section(out, run);
  out += "\n";
  checklist_section(out, run);
  out += "\n";
  logs_section(out, run);
  out += "\n";
  notes_section(out, run);
  out += "\n";
  timeline_section(out, run);
  return utf8_clean(out);
}

}  // namespace tc::report
