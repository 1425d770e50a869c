// Runs every selected variant of a scenario through its phases and writes each run's reports.
#include <fmt/chrono.h>
#include <pwd.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "daemon/daemon_client.hpp"
#include "daemon/daemon_protocol.hpp"
#include "engine/engine.hpp"
#include "engine/interrupt.hpp"
#include "engine/prompter_factory.hpp"
#include "engine/run_state.hpp"
#include "engine/status_line.hpp"
#include "engine/variables.hpp"
#include "engine/verdict.hpp"
#include "faults/ledger.hpp"
#include "tc/version.hpp"
#include "util/process.hpp"
#include "util/run_lock.hpp"
#include "util/text.hpp"
#include "util/utc_time.hpp"

namespace tc::engine {

namespace fs = std::filesystem;
using scenario::Phase;

std::stop_token RunState::phase_token() const {
  return in_cleanup ? std::stop_token{} : Interrupt::instance().token();
}

namespace {

// The Tester row without --tester: git's user.name (who the tester is to their team), else the login.
std::string user_name() {
  static const std::string name = [] {
    ProcessOptions po;
    po.timeout = std::chrono::seconds(2);
    try {
      auto r = run_process({"git", "config", "user.name"}, po);
      if (r.exit_code == 0 && !trim(r.out).empty()) return trim(r.out);
    } catch (const std::exception&) {
    }
    if (const char* u = std::getenv("USER"); u && *u) return std::string(u);
    if (auto* pw = getpwuid(getuid())) return std::string(pw->pw_name);
    return std::string("unknown");
  }();
  return name;
}

// The result of a step that did not run to its end: skipped, or an error that escaped it.
report::StepResult unfinished(RunState& st, const scenario::Step& step, Phase phase, int index, report::Status status,
                              const std::string& message) {
  report::StepResult r;
  r.phase = scenario::phase_name(phase);
  r.index = index;
  r.name = step_label(st, step);
  r.type = step.type;
  r.status = status;
  r.message = st.vars.mask(message);
  r.offset = st.timeline.now();
  return r;
}

report::StepResult escaped_error(RunState& st, const scenario::Step& step, Phase phase, int index,
                                 const std::exception& e) {
  auto r = unfinished(st, step, phase, index, report::Status::Error,
                      std::string("the step could not be completed: ") + e.what());
  st.timeline.add("step.end", r.name + ": ERROR — " + r.message);
  return r;
}

// Runs one phase's steps in order. Returns false when the phase stopped early.
bool run_phase(RunState& st, Phase phase) {
  const auto& steps = st.scenario.phase(phase);
  if (steps.empty()) return true;
  st.timeline.add("phase", std::string(scenario::phase_name(phase)));
  bool all_ok = true;
  int index = 0;
  for (const auto& step : steps) {
    ++index;
    bool interrupted = st.phase_token().stop_requested();
    bool keep_going = phase == Phase::Checks || phase == Phase::Cleanup;
    if ((!all_ok && !keep_going) || interrupted) {
      auto r = unfinished(st, step, phase, index, report::Status::Skipped,
                          interrupted ? "skipped: run interrupted" : "skipped: an earlier step did not pass");
      std::lock_guard lock(st.mutex);
      st.result.steps.push_back(r);
      continue;
    }
    if (step.background && phase != Phase::Checks && phase != Phase::Cleanup) {
      try {
        start_background(st, step, phase, index);
      } catch (const std::exception& e) {
        all_ok = all_ok && step.continue_on_failure;
        std::lock_guard lock(st.mutex);
        st.result.steps.push_back(escaped_error(st, step, phase, index, e));
      }
      continue;
    }
    report::StepResult r;
    try {
      r = run_step(st, step, phase, index);
    } catch (const std::exception& e) {
      // Nothing a step does may end the run between a fault and its cleanup: whatever escaped is its ERROR.
      r = escaped_error(st, step, phase, index, e);
    }
    bool ok = r.status == report::Status::Passed || r.status == report::Status::Skipped ||
              (r.status == report::Status::Pending && phase != Phase::Preconditions);
    if (!ok && !step.continue_on_failure) all_ok = false;
    std::lock_guard lock(st.mutex);
    st.result.steps.push_back(std::move(r));
  }
  return all_ok;
}

// The logs servers and engines write under the state dir (<state>/sandbox/error.log, <state>/replica/error.log,
// <state>/debezium/engine.log, ...) grow across runs: their sizes now, so a run keeps only its own part.
std::map<std::string, std::uintmax_t> log_sizes(const std::string& state_dir) {
  std::map<std::string, std::uintmax_t> sizes;
  std::error_code ec;
  fs::recursive_directory_iterator it(state_dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (it.depth() >= 2 || it->path().filename() == "data") {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      if (it.depth() >= 2) continue;
    }
    auto ext = it->path().extension();
    if ((ext == ".log" || ext == ".out") && it->is_regular_file(ec)) sizes[it->path().string()] = it->file_size(ec);
  }
  return sizes;
}

// A timed fault (--duration) or a flap changes inside the daemon, after the command that started it returned: its
// real moments come from the daemon and go into the timeline in their place.
void add_scheduled_fault_changes(RunState& st) {
  std::string dir = st.toolkit.resolved_state_dir();
  if (!toolkit::daemon_running(dir)) return;
  Json status;
  try {
    status = toolkit::daemon_request(toolkit::DaemonPaths(dir).socket, {{"op", "status"}});
  } catch (const std::exception& e) {
    st.result.notes.push_back(std::string("could not read the daemon's scheduled fault changes: ") + e.what());
    return;
  }
  for (const auto& c : status.value("scheduled_changes", Json::array())) {
    if (!c.contains("at_ms") || !c["at_ms"].is_number_integer()) continue;
    std::chrono::system_clock::time_point at{std::chrono::milliseconds(c["at_ms"].get<long long>())};
    std::string type = c.value("type", ""), what = c.value("what", ""), id = c.value("ledger_id", "");
    if (what == "ended")
      st.timeline.add_at(at, "fault.ended",
                         (c.value("flap", false) ? "flap of " + type : type + " fault") +
                             " ended on its schedule (--duration), ledger " + id);
    else
      st.timeline.add_at(at, "fault.flap", "flap " + type + " " + what + ", ledger " + id);
  }
}

void keep_artifacts(RunState& st) {
  std::string state = st.toolkit.resolved_state_dir();
  auto keep = [&](const std::string& src, const std::string& name, const std::string& label) {
    std::error_code ec;
    if (src.empty() || !fs::exists(src, ec)) return;
    std::uintmax_t from = 0;
    if (auto it = st.log_sizes_at_start.find(src); it != st.log_sizes_at_start.end()) from = it->second;
    std::uintmax_t size = fs::file_size(src, ec);
    if (ec || from > size) from = 0;  // rotated or truncated meanwhile: all of it is this run's
    fs::path dst = fs::path(st.run_dir) / "logs" / name;
    fs::create_directories(dst.parent_path(), ec);
    std::ifstream in(src, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(from));
    std::ofstream out(dst, std::ios::binary | std::ios::trunc);
    out << in.rdbuf();
    if (out) st.result.artifacts.push_back({label + (from ? " (this run's part)" : ""), "logs/" + name});
  };
  if (st.toolkit.sandbox()) keep(state + "/sandbox/error.log", "source-error.log", "Source server error log");
  if (st.target)
    for (const auto& f : st.target->log_files()) {
      // Two adapters' files may share a name (error.log): prefix the folder they live in.
      fs::path p(f);
      std::string name = "pipeline-" + p.parent_path().filename().string() + "-" + p.filename().string();
      keep(f, name, "Pipeline log " + p.parent_path().filename().string() + "/" + p.filename().string());
    }
  for (const auto& s : st.result.steps)
    if (!s.log_file.empty())
      st.result.artifacts.push_back({"Output of " + s.phase + " " + std::to_string(s.index), s.log_file});
  if (fs::exists(fs::path(st.run_dir) / "tc-run.log")) st.result.artifacts.push_back({"tc-run log", "tc-run.log"});
}

// A step whose output carries a "table" ({title, columns, rows}) measured one: it goes under Observations.
void lift_tables(report::RunResult& r) {
  // A recorder's samples become the run's series (kept once, not in the step's output too).
  // A background step and the `stop:` that collected it carry the same outcome: each table and series once.
  for (auto& s : r.steps)
    if (s.output.is_object() && s.output.contains("series") && s.output["series"].is_array()) {
      bool seen = false;
      for (const auto& x : r.series) seen = seen || x["samples"] == s.output["series"];
      if (!seen)
        r.series.push_back({{"step", s.name}, {"offset_ms", s.offset.count()}, {"samples", s.output["series"]}});
      s.output.erase("series");
    }
  for (const auto& s : r.steps) {
    if (!s.output.is_object() || !s.output.contains("table") || !s.output["table"].is_object()) continue;
    const Json& t = s.output["table"];
    report::Table table;
    table.title = t.value("title", "");
    table.step = s.name;
    for (const auto& c : t.value("columns", Json::array())) table.columns.push_back(scenario::to_text(c));
    for (const auto& row : t.value("rows", Json::array())) {
      std::vector<std::string> cells;
      for (const auto& c : row) cells.push_back(scenario::to_text(c));
      table.rows.push_back(std::move(cells));
    }
    bool seen = false;
    for (const auto& x : r.tables) seen = seen || (x.title == table.title && x.rows == table.rows);
    if (!seen) r.tables.push_back(std::move(table));
  }
}

report::RunResult run_variant(const scenario::Scenario& sc, const scenario::Variant& variant, const RunOptions& opts,
                              std::ostream& progress, const RunHooks& hooks) {
  RunState st(sc, opts);
  st.hooks = &hooks;
  st.variant = variant;
  auto& r = st.result;
  r.started = report::Clock::now();
  r.scenario_id = sc.id;
  r.title = sc.title;
  r.category = sc.category;
  r.severity = sc.severity;
  r.description = sc.description;
  r.scenario_file = sc.file;
  r.etl_tools = sc.etl_tools;
  r.variant = variant.name;
  for (const auto& [k, v] : variant.values) r.variant_values[k] = v;
  r.tester = opts.tester.empty() ? user_name() : opts.tester;
  r.toolkit_version = kToolkitVersion;
  r.shard = opts.shard;
  {
    Json t = opts.target.empty() ? sc.target : Json(opts.target);
    if (t.is_object() && t.contains("type")) t = t["type"];
    r.target_name = t.is_string() ? t.get<std::string>() : "replica";
  }
  r.tc_run_version = kVersion;
  r.etl_tool = sc.etl_tools.empty() ? "" : sc.etl_tools.front();

  st.toolkit.state_dir = opts.state_dir;
  st.toolkit.source = opts.source.empty() ? sc.source : opts.source;
  st.log_sizes_at_start = log_sizes(st.toolkit.resolved_state_dir());
  st.toolkit.allow_destructive.insert(st.toolkit.allow_destructive.end(), sc.allow_destructive.begin(),
                                      sc.allow_destructive.end());
  std::string dir_name = utc_stamp(r.started) + (variant.name.empty() ? "" : "-" + variant.name);
  st.run_dir = (fs::absolute(opts.reports_dir) / sc.id / dir_name).string();
  for (int n = 2; fs::exists(st.run_dir); ++n)
    st.run_dir = (fs::absolute(opts.reports_dir) / sc.id / (dir_name + "-" + std::to_string(n))).string();
  fs::create_directories(st.run_dir);
  r.run_dir = st.run_dir;
  // From here on the caller can keep a crash note for this run (the full log is written when it ends).
  if (st.hooks && st.hooks->started) st.hooks->started(r);

  static std::atomic<int> seq{0};
  st.log = spdlog::basic_logger_mt("run-" + std::to_string(seq++), (fs::path(st.run_dir) / "tc-run.log").string());
  st.log->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  // Flushed by a background tick, not per line (a write syscall per event was most of a no-op step's cost);
  // warnings and errors still go out at once, and the end of the run flushes the rest.
  st.log->flush_on(spdlog::level::warn);
  spdlog::flush_every(std::chrono::seconds(1));
  // On a terminal one live line shows the step in flight; in CI (no TTY) only plain progress lines.
  StatusLine status(progress, !opts.quiet && ::isatty(2) && !std::getenv("CI"));
  st.status = &status;
  st.timeline.on_event([&](const report::Event& e) {
    st.log->info("T+{}s {} {}", format_seconds(e.offset), e.kind, e.text);
    if (!opts.quiet)
      status.print(fmt::format("[{}{} T+{:>8}s] {:<16} {}", sc.id, variant.name.empty() ? "" : " " + variant.name,
                               format_seconds(e.offset), e.kind, e.text));
  });

  bool setup_ok = true;
  try {
    build_variables(st);
    st.toolkit.source = st.vars.interpolate(st.toolkit.source);
    st.prompter = make_prompter(opts, st.vars);
    st.services = make_services(st);
  } catch (const std::exception& e) {
    setup_ok = false;
    r.notes.push_back(std::string("could not prepare the run: ") + e.what());
  }
  st.timeline.add("run",
                  "start " + sc.id + (variant.name.empty() ? "" : " variant " + variant.name) + " in " + st.run_dir);

  if (setup_ok) {
    // Leftover faults from a crashed run would falsify this one: refuse, or undo them first with --recover.
    toolkit::Ledger ledger(st.toolkit.resolved_state_dir());
    auto left = ledger.outstanding();
    if (!left.empty()) {
      std::string kinds;
      for (const auto& e : left)
        kinds += (kinds.empty() ? "" : ", ") + e.kind + " (pid " + std::to_string(e.owner_pid) + ")";
      if (opts.recover) {
        std::ostringstream sink;
        auto still = toolkit::recover_leftovers(st.toolkit, sink);
        st.timeline.add("recover", "undid leftover faults: " + kinds);
        if (!still.empty()) {
          setup_ok = false;
          r.notes.push_back("recovery did not undo every leftover fault: " + sink.str());
        }
      } else {
        setup_ok = false;
        r.notes.push_back("leftover faults from an earlier run are still applied: " + kinds +
                          ". Run `tc-run recover` (or pass --recover) first.");
      }
    }
  }
  if (setup_ok && st.toolkit.sandbox()) {
    try {
      st.timeline.add("source", toolkit::ensure_source(st.toolkit));
    } catch (const std::exception& e) {
      setup_ok = false;
      r.notes.push_back(std::string("the source could not be started: ") + e.what());
    }
  }
  r.source = st.toolkit.source.empty() ? "sandbox" : st.vars.mask(st.toolkit.source);

  bool pre_ok = setup_ok && run_phase(st, Phase::Preconditions);
  if (pre_ok) {
    run_phase(st, Phase::Steps);
    run_phase(st, Phase::Checks);
  } else if (setup_ok) {
    r.notes.push_back("a precondition did not hold: steps and checks were not run");
  }
  bool interrupted = Interrupt::instance().requested();
  // Cleanup always runs, even after a failure, a timeout or a signal.
  Interrupt::instance().set_in_cleanup(true);
  st.in_cleanup = true;
  try {
    collect_background(st, "");
  } catch (const std::exception& e) {
    r.notes.push_back(std::string("collecting background steps: ") + e.what());
  }
  if (setup_ok) run_phase(st, Phase::Cleanup);
  Interrupt::instance().set_in_cleanup(false);
  add_scheduled_fault_changes(st);

  r.finished = report::Clock::now();
  decide_verdict(r, interrupted);
  if (!setup_ok && r.verdict != report::Verdict::Error) r.verdict = report::Verdict::Error;
  if (!setup_ok && !r.notes.empty()) r.verdict_reason = r.notes.front();
  st.timeline.add("run",
                  std::string("verdict ") + report::verdict_name(r.verdict) + ": " + st.vars.mask(r.verdict_reason));
  keep_artifacts(st);
  lift_tables(r);
  r.timeline = st.timeline.take();
  for (auto& n : r.notes) n = st.vars.mask(n);
  r.verdict_reason = st.vars.mask(r.verdict_reason);
  st.log->flush();
  spdlog::drop(st.log->name());
  st.status = nullptr;
  st.target.reset();
  return std::move(r);  // r is st.result: move it out instead of copying a long run
}

}  // namespace

RunSummary run_scenario(const scenario::Scenario& sc, const RunOptions& opts, std::ostream& progress,
                        const RunHooks& hooks) {
  RunSummary out;
  auto variants = sc.variants();
  if (!opts.variant.empty() &&
      std::none_of(variants.begin(), variants.end(), [&](const auto& v) { return v.name == opts.variant; })) {
    std::string names;
    for (const auto& v : variants) names += (names.empty() ? "" : ", ") + v.name;
    throw std::invalid_argument("no variant named '" + opts.variant + "' (variants: " + names + ")");
  }
  // One run at a time per state dir: two runs' faults would falsify each other's results.
  toolkit::Config where;
  where.state_dir = opts.state_dir;
  std::string state_dir = where.resolved_state_dir();
  std::optional<RunLock> lock;
  lock.emplace(state_dir, Millis(0));
  if (!lock->held() && opts.lock_wait.count() > 0) {
    progress << fmt::format("waiting up to {} for the run lock {} held by {}\n", format_duration(opts.lock_wait),
                            lock->path(), lock->holder()->describe());
    lock.emplace(state_dir, opts.lock_wait, Interrupt::instance().token());
  }
  if (!lock->held()) {
    progress << fmt::format(
        "tc-run: refused: another run holds the state dir {} — {}{}. Wait for it, pass --lock-wait DURATION to wait, "
        "or use another --state-dir.\n",
        state_dir, lock->holder()->describe(),
        opts.lock_wait.count() > 0 ? " (waited " + format_duration(opts.lock_wait) + ")" : "");
    out.exit_code = 2;
    return out;
  }
  for (const auto& v : variants) {
    if (!opts.variant.empty() && v.name != opts.variant) continue;
    if (Interrupt::instance().requested()) break;
    lock->set_holder(sc.id, v.name);
    auto r = run_variant(sc, v, opts, progress, hooks);
    if (hooks.finished) hooks.finished(r);
    // Quiet: the caller's one summary line per verdict is all that is printed.
    if (!opts.quiet)
      progress << fmt::format("{}{}: {} ({}) — log: {}/execution-log.md\n", sc.id,
                              v.name.empty() ? "" : " [" + v.name + "]", report::verdict_name(r.verdict),
                              r.verdict_reason, r.run_dir);
    out.runs.push_back(std::move(r));
  }
  out.exit_code = exit_code_for(out.runs);
  return out;
}

}  // namespace tc::engine
