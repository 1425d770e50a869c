#include "report/suite.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "report/text_escape.hpp"
#include "result/utc_time.hpp"
#include "util/duration.hpp"
#include "util/text.hpp"

namespace tc::report {

namespace {

// "4.312 s" from an observation, "" when the run never measured it (or measured "not reached").
std::string measured(const RunResult& r, const std::string& name) {
  for (const auto& o : r.observations)
    if (o.name == name) return o.note.empty() ? o.value : "not reached";
  return "";
}

// The run's figure beside its log (both in the run folder).
std::string figure_link(const std::string& log_link) {
  const std::string log = "execution-log.md";
  if (log_link.size() < log.size() || log_link.compare(log_link.size() - log.size(), log.size(), log) != 0) return "";
  return log_link.substr(0, log_link.size() - log.size()) + "timeline.svg";
}

std::string cell(const RunResult& r, const std::string& link) {
  std::string c = std::string("[") + verdict_name(r.verdict) + "](" + link + ")";
  if (auto fig = figure_link(link); !fig.empty()) c += " [figure](" + fig + ")";
  std::string d = measured(r, "time to detect"), rec = measured(r, "time to recover");
  if (!d.empty()) c += " detect " + d;
  if (!rec.empty()) c += (d.empty() ? " " : ", ") + std::string("recover ") + rec;
  return c;
}

std::string row_key(const RunResult& r) {
  return r.scenario_id + (r.variant.empty() ? "" : " [" + r.variant + "]");
}

}  // namespace

std::string target_column(const RunResult& r) {
  return !r.target_name.empty() ? r.target_name : !r.target.empty() ? r.target : "replica";
}

std::string run_key(const RunResult& r) {
  return r.scenario_id + "|" + r.variant + "|" + target_column(r);
}

int Suite::exit_code() const {
  int code = 0;
  for (const auto& r : runs) {
    if (r.verdict == Verdict::Error) code = 2;
    if (r.verdict == Verdict::Fail) code = std::max(code, 1);
  }
  if (!missing_shards.empty() || !empty_shards.empty() || !problems.empty() || runs.empty()) code = 2;
  return code;
}

std::string render_suite_markdown(const Suite& s) {
  std::vector<std::string> columns;
  std::vector<std::string> rows;
  std::map<std::string, std::map<std::string, size_t>> at;  // row -> column -> run index
  std::vector<size_t> order(s.runs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return s.runs[a].started < s.runs[b].started; });
  for (size_t i : order) {
    const auto& r = s.runs[i];
    std::string col = target_column(r), row = row_key(r);
    if (std::find(columns.begin(), columns.end(), col) == columns.end()) columns.push_back(col);
    if (!at.count(row)) rows.push_back(row);
    at[row][col] = i;  // a repeated run of the same cell: the later one (runs are in start order)
  }
  // Test cases by id; within one, variants in the order they ran (the matrix's order).
  std::map<std::string, std::string> id_of;
  for (const auto& r : s.runs) id_of[row_key(r)] = r.scenario_id;
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const std::string& a, const std::string& b) { return id_of[a] < id_of[b]; });
  int pass = 0, fail = 0, error = 0;
  for (const auto& r : s.runs) (r.verdict == Verdict::Pass ? pass : r.verdict == Verdict::Fail ? fail : error)++;

  std::string out = "# Certification report\n\n";
  out += fmt::format("{} run(s): {} PASS, {} FAIL, {} ERROR", s.runs.size(), pass, fail, error);
  if (s.shard_count > 0) out += fmt::format(", from {} shard(s)", s.shard_count);
  out += ".\n";
  if (!s.runs.empty()) {
    auto first = std::min_element(s.runs.begin(), s.runs.end(), [](auto& a, auto& b) { return a.started < b.started; });
    out += "Runs started " + utc_iso(first->started) + " (UTC).\n";
  }
  for (int m : s.missing_shards)
    out += fmt::format("\n**Shard {}/{} is missing**: its results never arrived; this report is incomplete.\n", m,
                       s.shard_count);
  for (int e : s.empty_shards)
    out += fmt::format("\n**Shard {}/{} ran nothing**: more shards than runs, or its selection was empty.\n", e,
                       s.shard_count);
  for (const auto& p : s.problems) out += "\n**Problem:** " + md_line(p) + "\n";
  if (s.runs.empty()) out += "\nNo run results were found: nothing is certified.\n";

  out += "\n| Test case | Variant |";
  for (const auto& c : columns) out += " " + md_cell(c) + " |";
  out += "\n|---|---|";
  for (size_t i = 0; i < columns.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& row : rows) {
    const auto& any = s.runs[at[row].begin()->second];
    out += "| " + md_cell(any.scenario_id + (any.title.empty() ? "" : ": " + any.title)) + " | " +
           md_cell(any.variant.empty() ? "-" : any.variant) + " |";
    for (const auto& c : columns) {
      auto it = at[row].find(c);
      out += " " + (it == at[row].end() ? std::string("-") : cell(s.runs[it->second], s.links[it->second])) + " |";
    }
    out += "\n";
  }

  bool any_bad = false;
  for (size_t i = 0; i < s.runs.size(); ++i) {
    const auto& r = s.runs[i];
    if (r.verdict == Verdict::Pass) continue;
    if (!any_bad) out += "\n## FAIL and ERROR\n\n";
    any_bad = true;
    std::string fig = figure_link(s.links[i]);
    out += fmt::format("- **{}** {} on {}: {} ([execution log]({}){})\n", verdict_name(r.verdict), md_line(row_key(r)),
                       md_line(target_column(r)), md_line(r.verdict_reason), s.links[i],
                       fig.empty() ? "" : ", [timeline](" + fig + ")");
  }
  return out;
}

std::string render_suite_junit(const Suite& s) {
  std::map<std::string, std::vector<size_t>> by_scenario;
  for (size_t i = 0; i < s.runs.size(); ++i) by_scenario[s.runs[i].scenario_id].push_back(i);
  auto attrs = [&](const std::vector<size_t>& idx, Millis& time) {
    int failures = 0, errors = 0;
    for (size_t i : idx) {
      failures += s.runs[i].verdict == Verdict::Fail;
      errors += s.runs[i].verdict == Verdict::Error;
      time += s.runs[i].duration();
    }
    return fmt::format("tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\"", idx.size(), failures, errors);
  };
  std::vector<size_t> all(s.runs.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  Millis total{0};
  std::string head = attrs(all, total);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"tc-run suite\" {} time=\"{}\">\n", head, format_seconds(total));
  for (const auto& [id, idx] : by_scenario) {
    Millis t{0};
    std::string a = attrs(idx, t);
    out += fmt::format("  <testsuite name=\"{}\" {} time=\"{}\">\n", xml_escape(id), a, format_seconds(t));
    for (size_t i : idx) {
      const auto& r = s.runs[i];
      std::string name = (r.variant.empty() ? std::string("-") : r.variant) + " on " + target_column(r);
      out += fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"{}\"", xml_escape(name), xml_escape(id),
                         format_seconds(r.duration()));
      if (r.verdict == Verdict::Pass) {
        out += "/>\n";
        continue;
      }
      const char* tag = r.verdict == Verdict::Fail ? "failure" : "error";
      out += fmt::format(">\n      <{} message=\"{}\" type=\"{}\">{}</{}>\n    </testcase>\n", tag,
                         xml_escape(r.verdict_reason), verdict_name(r.verdict),
                         xml_escape(r.verdict_reason + "\nlog: " + s.links[i]), tag);
    }
    out += "  </testsuite>\n";
  }
  // A missing shard is a failure CI must show, not an absence it can overlook.
  if (!s.missing_shards.empty() || !s.empty_shards.empty() || !s.problems.empty()) {
    out += "  <testsuite name=\"suite\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n";
    std::string msg;
    for (int m : s.missing_shards) msg += fmt::format("shard {}/{} is missing; ", m, s.shard_count);
    for (int e : s.empty_shards) msg += fmt::format("shard {}/{} ran nothing; ", e, s.shard_count);
    for (const auto& p : s.problems) msg += p + "; ";
    out += fmt::format(
        "    <testcase name=\"shards\" classname=\"suite\">\n      <error message=\"{}\" "
        "type=\"ERROR\"/>\n    </testcase>\n  </testsuite>\n",
        xml_escape(msg));
  }
  out += "</testsuites>\n";
  return out;
}

Json suite_json(const Suite& s) {
  Json runs = Json::array();
  for (size_t i = 0; i < s.runs.size(); ++i) {
    const auto& r = s.runs[i];
    runs.push_back({{"key", run_key(r)},
                    {"scenario", r.scenario_id},
                    {"title", r.title},
                    {"variant", r.variant},
                    {"target", target_column(r)},
                    {"etl_tool", r.etl_tool},
                    {"verdict", verdict_name(r.verdict)},
                    {"verdict_reason", r.verdict_reason},
                    {"duration_ms", r.duration().count()},
                    {"time_to_detect", measured(r, "time to detect")},
                    {"time_to_recover", measured(r, "time to recover")},
                    {"shard", r.shard},
                    {"started", utc_iso(r.started)},
                    {"log", s.links[i]},
                    {"run_dir", r.run_dir}});
  }
  return {{"runs", runs},
          {"shard_count", s.shard_count},
          {"missing_shards", s.missing_shards},
          {"empty_shards", s.empty_shards},
          {"problems", s.problems},
          {"exit_code", s.exit_code()}};
}

}  // namespace tc::report
