// Suites: `tc-run run PATH...` over files and folders, several targets, --jobs N at once (each in its own state
// dir), --shard I/N of the runs, and `tc-run merge` bringing shards' result.json files into one report.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <boost/process.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <numeric>
#include <ostream>
#include <regex>
#include <set>
#include <thread>

#include "engine/interrupt.hpp"
#include "report/suite.hpp"
#include "report/writers.hpp"
#include "result/utc_time.hpp"
#include "runner/commands.hpp"
#include "runner/run_reports.hpp"
#include "scenario/loader.hpp"
#include "toolkit/toolkit.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;
namespace bp = boost::process;

namespace tc::cli {

namespace {

using Clock = std::chrono::steady_clock;

// One run of a suite: a scenario file, one of its variants, one target ("" = the scenario's own).
struct RunSpec {
  std::string file, id, variant, target, key;
  long long expected_ms = 0;  // from --durations, for balancing shards
};

// "TC-001 [reject] on debezium"
std::string label(const RunSpec& s) {
  return s.id + (s.variant.empty() ? "" : " [" + s.variant + "]") + (s.target.empty() ? "" : " on " + s.target);
}

std::string target_of(const scenario::Scenario& sc, const std::string& asked) {
  if (!asked.empty()) return asked;
  Json t = sc.target;
  if (t.is_object() && t.contains("type")) t = t["type"];
  return t.is_string() ? t.get<std::string>() : "replica";
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The folder's suite.json (or a file) from an earlier merge: run key -> duration.
std::map<std::string, long long> read_durations(const std::string& path) {
  std::map<std::string, long long> out;
  fs::path p = fs::is_directory(path) ? fs::path(path) / "suite.json" : fs::path(path);
  Json j = Json::parse(slurp(p), nullptr, false);
  if (j.is_discarded() || !j.contains("runs"))
    throw std::invalid_argument("--durations " + path + ": not a suite.json written by tc-run run or merge");
  for (const auto& r : j["runs"])
    if (r.contains("key") && r.contains("duration_ms"))
      out[r["key"].get<std::string>()] = r["duration_ms"].get<long long>();
  return out;
}

// Which of the sorted runs belong to shard `index` of `count`: by count (round robin), or by the durations of an
// earlier run (longest first onto the lightest shard), so shards take about as long as each other.
std::vector<RunSpec> pick_shard(std::vector<RunSpec> runs, int index, int count, bool by_duration) {
  std::sort(runs.begin(), runs.end(), [](const RunSpec& a, const RunSpec& b) { return a.key < b.key; });
  std::vector<RunSpec> out;
  if (!by_duration) {
    for (size_t i = 0; i < runs.size(); ++i)
      if (static_cast<int>(i % count) == index - 1) out.push_back(runs[i]);
    return out;
  }
  long long known = 0, n = 0;
  for (const auto& r : runs)
    if (r.expected_ms > 0) known += r.expected_ms, ++n;
  long long fallback = n ? known / n : 1;  // a run new since that report: as long as the average
  std::vector<size_t> order(runs.size());
  std::iota(order.begin(), order.end(), 0);
  auto cost = [&](size_t i) { return runs[i].expected_ms > 0 ? runs[i].expected_ms : fallback; };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return cost(a) > cost(b); });
  std::vector<long long> load(count, 0);
  for (size_t i : order) {
    int lightest = static_cast<int>(std::min_element(load.begin(), load.end()) - load.begin());
    load[lightest] += cost(i);
    if (lightest == index - 1) out.push_back(runs[i]);
  }
  std::sort(out.begin(), out.end(), [](const RunSpec& a, const RunSpec& b) { return a.key < b.key; });
  return out;
}

// "20261201T213854Z": the run folders' UTC stamp.
std::string stamp_now() {
  std::string s = report::utc_iso_seconds(report::Clock::now());
  s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == '-' || c == ':'; }), s.end());
  return s + "Z";
}

// A run whose job died (crash, kill) still gets a result: ERROR naming what happened, written like any other.
report::RunResult crashed_run(const RunSpec& spec, const std::string& why, const std::string& reports,
                              const std::string& shard) {
  report::RunResult r;
  r.scenario_id = spec.id;
  r.variant = spec.variant;
  r.target_name = spec.target;
  r.scenario_file = spec.file;
  r.shard = shard;
  r.started = r.finished = report::Clock::now();
  r.verdict = report::Verdict::Error;
  r.verdict_reason = why;
  std::string stamp = stamp_now();
  fs::path dir = fs::path(reports) / spec.id /
                 (stamp + "-" + (spec.variant.empty() ? "" : spec.variant + "-") +
                  (spec.target.empty() ? "" : spec.target + "-") + "crashed");
  fs::create_directories(dir);
  r.run_dir = fs::absolute(dir).string();
  r.notes.push_back("the tc-run process running this variant ended without writing its result");
  report::write_run_files(r);
  return r;
}

// Runs one spec in a child tc-run with its own state dir; SIGTERM on interruption lets it clean up first.
report::RunResult run_child(const RunSpec& spec, const engine::RunOptions& opts, const std::string& state_dir,
                            const std::string& shard, const fs::path& logs) {
  std::vector<std::string> args = {"run", spec.file, "--state-dir", state_dir, "--reports", opts.reports_dir, "-q"};
  if (!spec.variant.empty()) args.insert(args.end(), {"--variant", spec.variant});
  if (!spec.target.empty()) args.insert(args.end(), {"--target", spec.target});
  if (!shard.empty()) args.insert(args.end(), {"--shard-label", shard});
  if (!opts.tester.empty()) args.insert(args.end(), {"--tester", opts.tester});
  if (!opts.source.empty()) args.insert(args.end(), {"--source", opts.source});
  if (!opts.answers_file.empty()) args.insert(args.end(), {"--answers", opts.answers_file});
  if (opts.recover) args.push_back("--recover");
  for (const auto& [k, v] : opts.vars) args.insert(args.end(), {"--var", k + "=" + v});
  fs::create_directories(logs);
  std::string base = spec.id + "-" + (spec.variant.empty() ? "run" : spec.variant) + "-" +
                     (spec.target.empty() ? "default" : spec.target);
  fs::path out = logs / (base + ".out"), err = logs / (base + ".err");
  std::error_code ec;
  bp::group group;
  bp::child child(bp::exe = fs::read_symlink("/proc/self/exe").string(), bp::args = args, bp::std_out > out.string(),
                  bp::std_err > err.string(), bp::std_in < bp::null, group, ec);
  if (ec) return crashed_run(spec, "could not start tc-run for this run: " + ec.message(), opts.reports_dir, shard);
  auto& interrupt = engine::Interrupt::instance();
  bool asked = false;
  auto asked_at = Clock::now();
  while (child.running(ec)) {
    if (interrupt.requested() && !asked) {
      ::kill(-group.native_handle(), SIGTERM);  // the child stops its step and runs its cleanup
      asked = true;
      asked_at = Clock::now();
    }
    if (asked && Clock::now() - asked_at > std::chrono::minutes(3)) group.terminate(ec);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  child.wait(ec);
  int code = child.exit_code();
  // Its summary line names the run folder: "TC-001 [reject]: PASS  /path/execution-log.md".
  static const std::regex line(R"(: (PASS|FAIL|ERROR)  (.*)/execution-log\.md)");
  std::string text = slurp(out);
  std::smatch m;
  if (std::regex_search(text, m, line)) {
    fs::path dir = m[2].str();
    Json j = Json::parse(slurp(dir / "result.json"), nullptr, false);
    if (!j.is_discarded()) return report::run_from_json(j);
  }
  std::string tail = slurp(err);
  if (tail.size() > 600) tail = tail.substr(tail.size() - 600);
  return crashed_run(spec,
                     fmt::format("the job running it ended with exit code {} and no result{}", code,
                                 tail.empty() ? "" : ": " + excerpt(trim(tail), 4, 400)),
                     opts.reports_dir, shard);
}

// Progress of the jobs: on a terminal one live line per job (what it runs, for how long) below the finished runs;
// elsewhere (CI, a pipe) plain lines, one when a job starts a run and one when it ends it.
class JobBoard {
 public:
  JobBoard(std::ostream& out, int jobs) : out_(out), live_(::isatty(2) && !std::getenv("CI")), lines_(jobs) {
    if (!live_) return;
    for (int j = 0; j < jobs; ++j) out_ << "\n";
    ticker_ = std::thread([this] {
      std::unique_lock lock(m_);
      while (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return done_; })) draw();
    });
  }
  ~JobBoard() {
    {
      std::lock_guard lock(m_);
      done_ = true;
      for (auto& l : lines_) l.text = "idle", l.since = {};
      if (live_) draw();
    }
    cv_.notify_all();
    if (ticker_.joinable()) ticker_.join();
  }
  void start(int job, const std::string& what) {
    std::lock_guard lock(m_);
    lines_[job - 1] = {what, Clock::now()};
    if (live_)
      draw();
    else
      out_ << fmt::format("[job {}] start {}\n", job, what) << std::flush;
  }
  void finish(int job, const std::string& text) {
    std::lock_guard lock(m_);
    lines_[job - 1] = {"idle", {}};
    if (!live_) {
      out_ << fmt::format("[job {}] {}\n", job, text) << std::flush;
      return;
    }
    up();
    out_ << "\r\033[K" << fmt::format("[job {}] {}\n", job, text);  // scrolls up above the live lines
    for (size_t i = 0; i < lines_.size(); ++i) out_ << "\n";
    draw();
  }

 private:
  struct Line {
    std::string text;
    Clock::time_point since;
  };
  void up() { out_ << "\033[" << lines_.size() << "F"; }
  void draw() {
    up();
    for (size_t i = 0; i < lines_.size(); ++i) {
      const auto& l = lines_[i];
      std::string t =
          l.since == Clock::time_point{}
              ? l.text
              : fmt::format("{}  {:.0f} s", l.text, std::chrono::duration<double>(Clock::now() - l.since).count());
      out_ << "\r\033[K" << fmt::format("  job {}: {}", i + 1, t) << "\n";
    }
    out_ << std::flush;
  }
  std::ostream& out_;
  bool live_;
  std::vector<Line> lines_;
  std::mutex m_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread ticker_;
};

// Links from the suite folder to each run's execution log.
report::Suite suite_of(std::vector<report::RunResult> runs, const fs::path& out_dir,
                       const std::vector<fs::path>& dirs) {
  report::Suite s;
  for (size_t i = 0; i < runs.size(); ++i) {
    fs::path log = (i < dirs.size() ? dirs[i] : fs::path(runs[i].run_dir)) / "execution-log.md";
    std::error_code ec;
    fs::path rel = fs::relative(fs::absolute(log), fs::absolute(out_dir), ec);
    s.links.push_back(ec ? log.string() : rel.string());
  }
  s.runs = std::move(runs);
  return s;
}

void write_suite(const report::Suite& s, const fs::path& dir) {
  fs::create_directories(dir);
  std::ofstream(dir / "suite.md") << report::render_suite_markdown(s);
  std::ofstream(dir / "junit.xml") << report::render_suite_junit(s);
  std::ofstream(dir / "suite.json") << report::suite_json(s).dump(2) << "\n";
}

}  // namespace

bool SuiteOptions::is_suite(const std::vector<std::string>& paths) const {
  bool folder = std::any_of(paths.begin(), paths.end(), [](const std::string& p) { return fs::is_directory(p); });
  return folder || paths.size() > 1 || targets.size() > 1 || jobs > 1 || shard_count > 0;
}

std::vector<std::string> discover(const std::vector<std::string>& paths, std::ostream& err, int& code) {
  std::vector<std::string> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const auto& f = it->path();
        if (!it->is_regular_file(ec) || (f.extension() != ".yaml" && f.extension() != ".yml")) continue;
        if (f.filename() == "TEMPLATE.yaml") continue;
        if (scenario::looks_like_scenario(f.string())) found.push_back(f.string());
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) {
        err << p << ": error: no scenario (*.yaml with top-level id and steps) in this folder\n";
        code = 2;
      }
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(p);  // a missing file is named by the loader
    }
  }
  return files;
}

int run_suite(const std::vector<std::string>& paths, const SuiteOptions& so, const engine::RunOptions& base,
              std::ostream& out, std::ostream& err) {
  engine::install_signal_handlers();
  int code = 0;
  std::vector<std::string> files = discover(paths, err, code);
  std::map<std::string, scenario::Scenario> scenarios;
  std::vector<RunSpec> specs;
  std::map<std::string, long long> durations;
  if (!so.durations.empty()) durations = read_durations(so.durations);
  std::vector<std::string> targets = so.targets.empty() ? std::vector<std::string>{""} : so.targets;
  for (const auto& f : files) {
    try {
      scenarios[f] = engine::load_and_validate(f, base);
    } catch (const scenario::LoadError& e) {
      for (const auto& d : e.diagnostics()) err << d.str() << "\n";
      code = 2;
      continue;
    }
    const auto& sc = scenarios[f];
    for (const auto& v : sc.variants()) {
      if (!base.variant.empty() && v.name != base.variant) continue;
      for (const auto& t : targets) {
        RunSpec s{f, sc.id, v.name, t, sc.id + "|" + v.name + "|" + target_of(sc, t)};
        if (auto it = durations.find(s.key); it != durations.end()) s.expected_ms = it->second;
        specs.push_back(s);
      }
    }
  }
  std::string shard;
  if (so.shard_count > 0) {
    shard = fmt::format("{}/{}", so.shard_index, so.shard_count);
    specs = pick_shard(specs, so.shard_index, so.shard_count, !durations.empty());
    // The manifest says what this shard was to run, even when that is nothing: merge tells missing from empty.
    fs::create_directories(base.reports_dir);
    Json keys = Json::array();
    for (const auto& s : specs) keys.push_back(s.key);
    std::ofstream(fs::path(base.reports_dir) / fmt::format("shard-{}-of-{}.json", so.shard_index, so.shard_count))
        << Json{{"shard", shard}, {"index", so.shard_index}, {"count", so.shard_count}, {"runs", keys}}.dump(2) << "\n";
    out << fmt::format("shard {}: {} run(s)\n", shard, specs.size());
  }

  std::vector<report::RunResult> results(specs.size());
  std::vector<bool> done(specs.size(), false);
  std::mutex m;
  if (so.jobs <= 1) {
    for (size_t i = 0; i < specs.size(); ++i) {
      if (engine::Interrupt::instance().requested()) break;
      engine::RunOptions o = base;
      o.variant = specs[i].variant;
      o.target = specs[i].target;
      o.shard = shard;
      auto summary = engine::run_scenario(scenarios[specs[i].file], o, err, report_hooks(o));
      if (!summary.runs.empty()) results[i] = summary.runs.front(), done[i] = true;
    }
  } else {
    // Each job has a state dir of its own (sandbox, proxy, pipeline, ledger, ports): faults never cross jobs.
    std::string state = toolkit::Config{base.state_dir, "", false, {}}.resolved_state_dir();
    fs::path logs = fs::path(base.reports_dir) / ("jobs-" + stamp_now());
    size_t next = 0;
    std::vector<std::thread> workers;
    JobBoard board(err, so.jobs);
    for (int j = 1; j <= so.jobs; ++j) {
      workers.emplace_back([&, j] {
        std::string dir = (fs::path(state) / fmt::format("job-{}", j)).string();
        for (;;) {
          size_t i;
          {
            std::lock_guard lock(m);
            if (next >= specs.size() || engine::Interrupt::instance().requested()) return;
            i = next++;
          }
          board.start(j, label(specs[i]));
          auto t0 = Clock::now();
          auto r = run_child(specs[i], base, dir, shard, logs);
          board.finish(
              j, fmt::format("{} {} ({:.1f} s) — {}/execution-log.md", report::verdict_name(r.verdict), label(specs[i]),
                             std::chrono::duration<double>(Clock::now() - t0).count(), r.run_dir));
          std::lock_guard lock(m);
          results[i] = r;
          done[i] = true;
        }
      });
    }
    for (auto& w : workers) w.join();
    // The jobs' state dirs end as they began: no server, daemon or engine left running.
    for (int j = 1; j <= so.jobs; ++j) {
      std::string dir = (fs::path(state) / fmt::format("job-{}", j)).string();
      if (!fs::exists(dir)) continue;
      std::ostringstream sink;
      toolkit::run_command({"--state-dir", dir, "down"}, toolkit::Config{}, sink);
    }
  }

  std::vector<report::RunResult> finished;
  for (size_t i = 0; i < specs.size(); ++i) {
    if (!done[i]) continue;  // interrupted before it started
    const auto& r = results[i];
    out << r.scenario_id << (r.variant.empty() ? "" : " [" + r.variant + "]")
        << (specs[i].target.empty() ? "" : " on " + specs[i].target) << ": " << report::verdict_name(r.verdict) << "  "
        << r.run_dir << "/execution-log.md\n";
    finished.push_back(r);
  }
  fs::path dir = fs::path(base.reports_dir) / ("suite-" + stamp_now());
  auto suite = suite_of(finished, dir, {});
  if (engine::Interrupt::instance().requested())
    suite.problems.push_back("interrupted: " + std::to_string(specs.size() - finished.size()) +
                             " run(s) never started");
  write_suite(suite, dir);
  out << "Suite report: " << (dir / "suite.md").string() << "\n";
  return std::max(code, finished.empty() && specs.empty() ? 2 : suite.exit_code());
}

int merge(const std::vector<std::string>& dirs, const std::string& out_dir, std::ostream& out, std::ostream& err) {
  std::vector<report::RunResult> runs;
  std::vector<fs::path> found;
  std::vector<std::string> problems;
  std::map<int, std::set<int>> manifests;  // count -> indexes with a manifest
  std::map<std::pair<int, int>, size_t> manifest_runs;
  std::set<std::string> seen;
  for (const auto& d : dirs) {
    std::error_code ec;
    if (!fs::is_directory(d, ec)) {
      problems.push_back(d + ": no such folder");
      continue;
    }
    for (auto it = fs::recursive_directory_iterator(d, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      const fs::path& p = it->path();
      std::string name = p.filename().string();
      if (name == "result.json") {
        fs::path folder = fs::canonical(p.parent_path(), ec);
        if (!seen.insert(folder.string()).second) continue;
        Json j = Json::parse(slurp(p), nullptr, false);
        try {
          if (j.is_discarded()) throw std::invalid_argument("not JSON");
          runs.push_back(report::run_from_json(j));
          found.push_back(folder);
        } catch (const std::exception& e) {
          problems.push_back(p.string() + ": " + e.what());
        }
      } else if (name.rfind("shard-", 0) == 0 && p.extension() == ".json") {
        Json j = Json::parse(slurp(p), nullptr, false);
        if (j.is_discarded() || !j.contains("index") || !j.contains("count")) {
          problems.push_back(p.string() + ": not a shard manifest");
          continue;
        }
        int i = j["index"].get<int>(), n = j["count"].get<int>();
        manifests[n].insert(i);
        manifest_runs[{i, n}] = j.value("runs", Json::array()).size();
      }
    }
  }
  // Shard counts also come from the results themselves ("2/3"), so a shard without its manifest is still known.
  std::map<int, std::set<int>> from_results;
  for (const auto& r : runs) {
    auto slash = r.shard.find('/');
    if (slash == std::string::npos) continue;
    from_results[std::stoi(r.shard.substr(slash + 1))].insert(std::stoi(r.shard.substr(0, slash)));
  }
  std::set<int> counts;
  for (const auto& [n, _] : manifests) counts.insert(n);
  for (const auto& [n, _] : from_results) counts.insert(n);
  fs::path out_path = out_dir;
  auto suite = suite_of(std::move(runs), out_path, found);
  suite.problems = problems;
  if (counts.size() > 1) suite.problems.push_back("results from different shard counts were merged together");
  if (!counts.empty()) {
    int n = *counts.rbegin();
    suite.shard_count = n;
    for (int i = 1; i <= n; ++i) {
      bool manifest = manifests[n].count(i) > 0, results = from_results[n].count(i) > 0;
      if (!manifest && !results)
        suite.missing_shards.push_back(i);
      else if (manifest && !results && manifest_runs[{i, n}] == 0)
        suite.empty_shards.push_back(i);
      else if (manifest && !results)
        suite.missing_shards.push_back(i);  // it meant to run something and none of it arrived
    }
  }
  write_suite(suite, out_path);
  for (int i : suite.missing_shards) err << fmt::format("merge: shard {}/{} is missing\n", i, suite.shard_count);
  for (int i : suite.empty_shards) err << fmt::format("merge: shard {}/{} ran nothing\n", i, suite.shard_count);
  for (const auto& p : suite.problems) err << "merge: " << p << "\n";
  out << fmt::format("merged {} run(s) into {}\n", suite.runs.size(), (out_path / "suite.md").string());
  return suite.exit_code();
}

}  // namespace tc::cli
