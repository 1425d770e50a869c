#include "import/markdown_known.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

#include "import/markdown_doc.hpp"
#include "util/text.hpp"

namespace tc::scenario::md {

namespace {

bool has(const std::string& hay, std::initializer_list<const char*> words) {
  return std::any_of(words.begin(), words.end(), [&](const char* w) { return hay.find(w) != std::string::npos; });
}

bool has_word(const std::string& hay, const char* word) {
  return std::regex_search(hay, std::regex(std::string("\\b") + word + "\\b"));
}

std::string option_value(const std::vector<std::string>& args, const std::string& opt) {
  for (size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == opt) return args[i + 1];
  for (const auto& a : args)
    if (a.starts_with(opt + "=")) return a.substr(opt.size() + 1);
  return "";
}

bool has_flag(const std::vector<std::string>& args, const std::string& flag) {
  return std::find(args.begin(), args.end(), flag) != args.end();
}

// A table the item names: a `code span` that is a bare identifier, or "table NAME"; default the toolkit's users.
std::string table_in(const std::string& text) {
  static const std::regex ident(R"(^[A-Za-z_][A-Za-z0-9_.]*$)");
  for (const auto& span : code_spans(text))
    if (std::regex_match(span, ident)) return span;
  static const std::regex named(R"(\btable\s+([A-Za-z_][A-Za-z0-9_]*))", std::regex::icase);
  std::smatch m;
  if (std::regex_search(text, m, named)) return m[1].str();
  return "users";
}

// A wait the checklist may time: its elapsed milliseconds are captured as `capture_var` ("< 5 minutes" asserts).
Json wait_for(const Json& expect, const char* observe, const char* capture_var) {
  Json until = Json::object();
  until["pipeline"] = "status";
  until["expect"] = expect;
  Json step = Json::object();
  step["wait"] = Json{{"until", until}, {"timeout", "5m"}};
  step["observe"] = observe;
  step["capture"] = Json{{capture_var, "elapsed"}};
  return step;
}

}  // namespace

std::optional<Known> known_condition(const std::string& text) {
  const std::string t = lower(plain_text(text));
  Known k;
  bool about_pipeline = has(t, {"pipeline", "etl", "replica", "sync"});
  if (has(t, {"fix now"})) {
    k.step["pipeline"] = "restart";
    k.note = "pipeline: restart (\"Fix Now\")";
  } else if (has(t, {"binlog"}) && has(t, {"enabled", "row", " on", "running"}) &&
             !has(t, {"position", "advanc", "corrupt"})) {
    k.step["toolkit"] = "status";
    k.step["expect"] = Json{{"binlog_format", "ROW"}};
    k.note = "toolkit: status, expect binlog_format ROW";
  } else if (about_pipeline && has(t, {"wait", "until"}) && has(t, {"detect"})) {
    k.step = wait_for(Json{{"value", Json{{"not_equals", "running"}}}}, "time_to_detect", kDetectVar);
    k.note = "wait until pipeline status is no longer running (observe time_to_detect, capture detect_ms)";
  } else if (about_pipeline && has(t, {"resume"}) && has(t, {"sync", "running"})) {
    k.step = wait_for("running", "time_to_recover", kRecoverVar);
    k.note = "wait until pipeline status is running (observe time_to_recover, capture recover_ms)";
  } else if (about_pipeline && has(t, {"connected", "syncing", "running", "active"}) &&
             !has(t, {"fail", "error", "stop", "detect", "initial"})) {
    // A state to reach, not a snapshot: a pipeline just started is `connecting` for a moment.
    Json until = Json{{"pipeline", "status"}, {"expect", "running"}};
    k.step["wait"] = Json{{"until", until}, {"timeout", "60s"}, {"every", "250ms"}};
    k.note = "wait until pipeline status is running (60s)";
  } else if (has(t, {"initial sync", "initial load", "snapshot"}) && has(t, {"complet", "done", "finish", "success"})) {
    k.step["converges"] = Json{{"table", table_in(text)}, {"timeout", "2m"}};
    k.note = "converges: the destination holds the source's rows";
  } else if (about_pipeline && has(t, {"wait"}) && has(t, {"attempt", "recover", "retry"}) && !has(t, {"resume"})) {
    k.step["sleep"] = "5s";
    k.note = "sleep 5s (the pipeline's own retry; the wait that follows measures the recovery)";
  } else {
    return std::nullopt;
  }
  return k;
}

bool docker_only(const std::string& text) {
  const std::string t = lower(plain_text(text));
  return has(t,
             {"--cap-add", "cap_add", "net_admin", "--privileged", "docker run", "docker compose", "docker-compose"}) ||
         (has_word(t, "docker") && has(t, {"container", "running", "started", "up"}));
}

std::optional<TimeBound> time_bound(const std::string& text) {
  const std::string t = lower(plain_text(text));
  static const std::regex re(
      R"((?:<|<=|under|within|less than|at most)\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?)\b)");
  std::smatch m;
  if (!std::regex_search(t, m, re)) return std::nullopt;
  double n = std::stod(m[1].str());
  std::string unit = m[2].str();
  double factor = unit.starts_with("ms") || unit.starts_with("milli") ? 1
                  : unit.starts_with("h")                             ? 3'600'000
                  : unit.starts_with("m")                             ? 60'000
                                                                      : 1000;
  TimeBound b;
  b.ms = static_cast<long long>(n * factor);
  b.words = m[0].str();
  if (has(t, {"detect", "error", "notice", "fail"}))
    b.var = kDetectVar;
  else if (has(t, {"recover", "resum", "reconnect", "restart", "back to", "running again"}))
    b.var = kRecoverVar;
  return b;
}

std::optional<Known> known_check(const std::string& text) {
  const std::string t = lower(plain_text(text));
  Known k;
  if (has(t, {"duplicate"})) {
    k.step["no_duplicates"] = Json{{"table", table_in(text)}};
    k.note = "no_duplicates";
  } else if (has(t, {"row count"}) || (has_word(t, "rows") && has(t, {"match", "equal", "same"}))) {
    // After a fault the destination may still be catching up: converge first, then compare the counts.
    k.step["converges"] = Json{{"table", table_in(text)}, {"timeout", "2m"}};
    k.note = "converges (rows_match and data_match until equal, within 2m)";
  } else if (has(t, {"binlog"}) && has(t, {"position", "advanc", "moved"})) {
    k.step["binlog_advanced"] = Json{{"since", "${binlog_before}"}};
    k.note = "binlog_advanced since ${binlog_before} (captured by a toolkit: status precondition)";
  } else if (has(t, {"gtid"}) && has(t, {"contiguous", "gap", "sequence", "continuous"})) {
    k.step["gtid_contiguous"] = Json::object();
    k.note = "gtid_contiguous";
  } else if (has(t, {"checksum"}) || (has(t, {"data"}) && has(t, {"match", "identical"}))) {
    k.step["data_match"] = Json{{"table", table_in(text)}};
    k.note = "data_match";
  } else if (has(t, {"pipeline"}) && has(t, {"running", "active"}) && !has(t, {"not running", "inactive"})) {
    k.step["pipeline"] = "status";
    k.step["expect"] = "running";
    k.note = "pipeline: status, expect running";
  } else if (has(t, {"object", "table"}) && has(t, {"syncing", "completed"})) {
    // Each target answers it: the replica by its threads running, Debezium by its tables, a dashboard by the tester.
    k.step["pipeline"] = "status";
    k.step["expect"] = "running";
    k.note = "pipeline: status, expect running (the target answers for its objects)";
  } else {
    return std::nullopt;
  }
  return k;
}

std::vector<std::string> toolkit_commands(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& span : code_spans(text)) {
    std::string c = toolkit_command_line(span);
    if (!c.empty()) out.push_back(c);
  }
  return out;
}

std::string toolkit_command_line(const std::string& line) {
  std::string t = trim(line);
  if (t.starts_with("$ ")) t = trim(t.substr(2));
  if (!t.starts_with("toolkit ") && !t.starts_with("toolkit\t")) return "";
  return trim(t.substr(7));
}

bool runs_until_stopped(const std::string& command) {
  auto args = split_args(command);
  if (args.empty()) return false;
  if (args[0] == "generate-data") {
    std::string iv = option_value(args, "--interval");
    return !iv.empty() && iv != "0";
  }
  if (args[0] == "monitor") return has_flag(args, "--watch");
  if (args[0] == "network") return has_flag(args, "--flap");
  return false;
}

bool is_fault(const std::string& command) {
  auto args = split_args(command);
  if (args.empty()) return false;
  if (args[0] == "corrupt" || args[0] == "replicate") return true;
  if (args[0] == "network")
    return has_flag(args, "--down") || has_flag(args, "--flap") ||
           (has_flag(args, "--slow") && !has_flag(args, "--off"));
  return false;
}

std::string fault_name(const std::string& command) {
  auto args = split_args(command);
  for (const char* opt : {"--type", "--scenario"}) {
    std::string v = option_value(args, opt);
    if (!v.empty()) return slug(v);
  }
  for (const char* flag : {"--flap", "--slow", "--down"})
    if (has_flag(args, flag)) return std::string(flag + 2);
  return args.empty() ? "option" : slug(args[0]);
}

std::string slug(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c))
      out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != '_')
      out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "x" + out;
  return out;
}

}  // namespace tc::scenario::md
