// The result model as JSON (result.json) and back, so shards' results can be merged later.
#include <ostream>
#include <stdexcept>
#include <utility>

#include "report/writers.hpp"
#include "result/utc_time.hpp"

namespace tc::report {

namespace {

Json attempt_json(const Attempt& a) {
  return {{"offset_ms", a.offset.count()},
          {"duration_ms", a.duration.count()},
          {"status", status_name(a.status)},
          {"message", a.message}};
}

Json step_json(const StepResult& s) {
  Json attempts = Json::array();
  for (const auto& a : s.attempts) attempts.push_back(attempt_json(a));
  return {{"phase", s.phase},
          {"index", s.index},
          {"id", s.id},
          {"name", s.name},
          {"type", s.type},
          {"action", s.action},
          {"status", status_name(s.status)},
          {"message", s.message},
          {"output_excerpt", s.output_excerpt},
          {"output", s.output},
          {"started", utc_iso(s.started)},
          {"offset_ms", s.offset.count()},
          {"duration_ms", s.duration.count()},
          {"background", s.background},
          {"attempts", attempts},
          {"log_file", s.log_file}};
}

Status parse_status(const std::string& s) {
  for (Status st : {Status::Passed, Status::Failed, Status::Error, Status::Skipped, Status::Pending})
    if (s == status_name(st)) return st;
  throw std::invalid_argument("unknown status \"" + s + "\"");
}

Verdict parse_verdict(const std::string& s) {
  for (Verdict v : {Verdict::Pass, Verdict::Fail, Verdict::Error})
    if (s == verdict_name(v)) return v;
  throw std::invalid_argument("unknown verdict \"" + s + "\"");
}

Clock::time_point parse_time(const Json& j) {
  auto t = parse_utc_iso(j.get<std::string>());
  if (!t) throw std::invalid_argument("malformed time \"" + j.get<std::string>() + "\"");
  return *t;
}

StepResult step_from(const Json& j) {
  StepResult s;
  s.phase = j.value("phase", "");
  s.index = j.value("index", 0);
  s.id = j.value("id", "");
  s.name = j.value("name", "");
  s.type = j.value("type", "");
  s.action = j.value("action", "");
  s.status = parse_status(j.at("status").get<std::string>());
  s.message = j.value("message", "");
  s.output_excerpt = j.value("output_excerpt", "");
  s.output = j.value("output", Json());
  if (j.contains("started")) s.started = parse_time(j["started"]);
  s.offset = Millis(j.value("offset_ms", 0LL));
  s.duration = Millis(j.value("duration_ms", 0LL));
  s.background = j.value("background", false);
  for (const auto& a : j.value("attempts", Json::array()))
    s.attempts.push_back({Millis(a.value("offset_ms", 0LL)), Millis(a.value("duration_ms", 0LL)),
                          parse_status(a.at("status").get<std::string>()), a.value("message", "")});
  s.log_file = j.value("log_file", "");
  return s;
}

Json event_json(const Event& e) {
  return {{"offset_ms", e.offset.count()}, {"kind", e.kind}, {"text", e.text}};
}

// Everything but the two arrays that grow with the run (steps, timeline), which stay empty here.
Json head_json(const RunResult& run);

// `v` as dump(2) prints it at nesting depth `depth` (JSON strings never hold a raw newline, so indenting after each
// newline is exact).
void put_indented(std::ostream& out, const Json& v, int depth) {
  std::string text = v.dump(2, ' ', false, Json::error_handler_t::replace);
  std::string pad(static_cast<size_t>(2 * depth), ' ');
  size_t from = 0;
  for (size_t nl; (nl = text.find('\n', from)) != std::string::npos; from = nl + 1)
    out.write(text.data() + from, static_cast<std::streamsize>(nl + 1 - from)) << pad;
  out.write(text.data() + from, static_cast<std::streamsize>(text.size() - from));
}

// A top-level array built one element at a time, laid out as dump(2) lays it out.
template <typename Items, typename ToJson>
void put_array(std::ostream& out, const Items& items, ToJson to_json_item) {
  if (items.empty()) {
    out << "[]";
    return;
  }
  out << "[\n";
  size_t i = 0;
  for (const auto& item : items) {
    out << "    ";
    put_indented(out, to_json_item(item), 2);
    out << (++i < items.size() ? ",\n" : "\n");
  }
  out << "  ]";
}

}  // namespace

void write_json(const RunResult& run, std::ostream& out) {
  Json head = head_json(run);
  out << "{\n";
  size_t i = 0;
  for (const auto& [key, value] : head.items()) {
    out << "  " << Json(key).dump() << ": ";
    if (key == "steps")
      put_array(out, run.steps, step_json);
    else if (key == "timeline")
      put_array(out, run.timeline, event_json);
    else
      put_indented(out, value, 1);
    out << (++i < head.size() ? ",\n" : "\n");
  }
  out << "}";
}

Json to_json(const RunResult& run) {
  Json j = head_json(run);
  for (const auto& s : run.steps) j["steps"].push_back(step_json(s));
  for (const auto& e : run.timeline) j["timeline"].push_back(event_json(e));
  return j;
}

namespace {

Json head_json(const RunResult& run) {
  Json steps = Json::array(), observations = Json::array(), timeline = Json::array(), artifacts = Json::array();
  for (const auto& o : run.observations)
    observations.push_back(
        {{"name", o.name}, {"value", o.value}, {"unit", o.unit}, {"step", o.step}, {"note", o.note}});
  for (const auto& a : run.artifacts) artifacts.push_back({{"label", a.label}, {"path", a.path}});
  Json tables = Json::array();
  for (const auto& t : run.tables)
    tables.push_back({{"title", t.title}, {"step", t.step}, {"columns", t.columns}, {"rows", t.rows}});
  return {{"scenario",
           {{"id", run.scenario_id},
            {"title", run.title},
            {"category", run.category},
            {"severity", run.severity},
            {"description", run.description},
            {"file", run.scenario_file},
            {"etl_tools", run.etl_tools}}},
          {"variant", run.variant},
          {"variant_values", run.variant_values},
          {"tester", run.tester},
          {"etl_tool", run.etl_tool},
          {"toolkit_version", run.toolkit_version},
          {"tc_run_version", run.tc_run_version},
          {"target", run.target},
          {"target_name", run.target_name},
          {"shard", run.shard},
          {"source", run.source},
          {"started", utc_iso(run.started)},
          {"finished", utc_iso(run.finished)},
          {"duration_ms", run.duration().count()},
          {"verdict", verdict_name(run.verdict)},
          {"verdict_reason", run.verdict_reason},
          {"steps", std::move(steps)},
          {"observations", std::move(observations)},
          {"tables", std::move(tables)},
          {"series", run.series},
          {"timeline", std::move(timeline)},
          {"artifacts", std::move(artifacts)},
          {"notes", run.notes},
          {"run_dir", run.run_dir}};
}

}  // namespace

RunResult run_from_json(const Json& j) {
  try {
    RunResult r;
    const Json& sc = j.at("scenario");
    r.scenario_id = sc.value("id", "");
    r.title = sc.value("title", "");
    r.category = sc.value("category", "");
    r.severity = sc.value("severity", "");
    r.description = sc.value("description", "");
    r.scenario_file = sc.value("file", "");
    r.etl_tools = sc.value("etl_tools", std::vector<std::string>{});
    r.variant = j.value("variant", "");
    r.variant_values = j.value("variant_values", Json::object());
    r.tester = j.value("tester", "");
    r.etl_tool = j.value("etl_tool", "");
    r.toolkit_version = j.value("toolkit_version", "");
    r.tc_run_version = j.value("tc_run_version", "");
    r.target = j.value("target", "");
    r.target_name = j.value("target_name", "");
    r.shard = j.value("shard", "");
    r.source = j.value("source", "");
    r.started = parse_time(j.at("started"));
    r.finished = parse_time(j.at("finished"));
    r.verdict = parse_verdict(j.at("verdict").get<std::string>());
    r.verdict_reason = j.value("verdict_reason", "");
    for (const auto& s : j.value("steps", Json::array())) r.steps.push_back(step_from(s));
    for (const auto& o : j.value("observations", Json::array()))
      r.observations.push_back(
          {o.value("name", ""), o.value("value", ""), o.value("unit", ""), o.value("step", ""), o.value("note", "")});
    for (const auto& t : j.value("tables", Json::array()))
      r.tables.push_back({t.value("title", ""), t.value("columns", std::vector<std::string>{}),
                          t.value("rows", std::vector<std::vector<std::string>>{}), t.value("step", "")});
    r.series = j.value("series", Json::array());
    for (const auto& e : j.value("timeline", Json::array()))
      r.timeline.push_back({Millis(e.value("offset_ms", 0LL)), e.value("kind", ""), e.value("text", "")});
    for (const auto& a : j.value("artifacts", Json::array()))
      r.artifacts.push_back({a.value("label", ""), a.value("path", "")});
    r.notes = j.value("notes", std::vector<std::string>{});
    r.run_dir = j.value("run_dir", "");
    return r;
  } catch (const Json::exception& e) {
    throw std::invalid_argument(std::string("not a tc-run result: ") + e.what());
  }
}

}  // namespace tc::report
