// Property test of the engine: scenarios generated from the step types' declarations (every type, string and map
// forms, background / when / retry / timeout / capture / observe / expect, matrix values holding ${...}) validate,
// and running them on a real server always ends in a verdict with its files: exit 0, 1 or 2; every variant has
// execution-log.md, result.json and timeline.svg; cleanup ran; the fault ledger is balanced; no sanitizer report.
//   TC_PROPERTY_RUNS=N (default 16), TC_PROPERTY_SEED=S (default fixed, so CI is repeatable; `random` for a new one),
//   TC_PROPERTY_VERBOSE=1 prints each run's verdict and reason.
// A scenario that breaks a property is written to build/property-failures/ with its seed; once understood it goes to
// tests/corpus/property/, which runs first on every test run.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "engine/engine.hpp"
#include "faults/ledger.hpp"
#include "support/private_server.hpp"
#include "support/test_files.hpp"
#include "util/json.hpp"
#include "util/process.hpp"

namespace fs = std::filesystem;
using namespace tc;
using tc::test::slurp;
using K = scenario::ArgKind;

namespace {

// Types whose run needs what this test has not got (a running flap): every other declared type is generated.
const std::set<std::string> kLeftOut = {"flap_recovery"};
const std::set<std::string> kRare = {"manual", "pipeline", "http"};

// Values that make a step do real work rather than fail on its first line; everything else comes from its kind.
Json sample_value(const std::string& type, const scenario::ArgField& f, std::mt19937& rng) {
  auto pick = [&](std::vector<Json> v) { return v[rng() % v.size()]; };
  if (f.name == "query")
    return pick({"SELECT COUNT(*) AS n FROM users", "SELECT 1 AS n", "SELECT 1 AS n", "SELECT nope FROM users"});
  if (f.name == "command") return pick({"echo ${word}", "true", "true", "exit 3"});
  if (f.name == "table") return "users";
  if (f.name == "url") return "http://127.0.0.1:1/none";  // refused at once: an ERROR the engine must carry
  if (f.name == "since") return pick({"0-1-1", "mysql-bin.000001:4", "garbage"});
  if (f.name == "instruction") return "Look at the dashboard";
  if (f.name == "key") return "id";
  if (f.name == "where") return "id > 0";
  if (type == "assert" && f.name == "value") return pick({"${n}", "${= n * 2}", "text"});
  switch (f.kind) {
    case K::Text:
    case K::NonEmptyText: return "x";
    case K::Int: return f.min + static_cast<long long>(rng() % 3);
    case K::Duration: return pick({"100ms", "300ms", "1s"});
    case K::Bool: return rng() % 2 == 0;
    case K::TextList: return Json::array({"a"});
    case K::KeyColumns: return "id";
    case K::ScalarMap: return Json{{"A", "1"}};
    case K::Choice: return f.choices[rng() % f.choices.size()];
    case K::Connection: return "source";
    case K::StepId: return "bg";
    case K::Step: return Json{{"sql", "SELECT 1 AS n"}, {"expect", Json{{"row.n", 1}}}};
    case K::Any: return pick({1, "x", Json{{"a", 1}}});
  }
  return "x";
}

struct Generator {
  std::mt19937 rng;
  std::vector<scenario::StepDecl> decls;
  std::string dsn;
  int ids = 0;

  bool coin(int one_in) { return rng() % one_in == 0; }

  Json argument(const scenario::StepDecl& d) {
    if (d.string_form.allowed && (!d.map_form || coin(2))) {
      switch (d.string_form.kind) {
        case K::Duration: return coin(2) ? "200ms" : "0";
        case K::Choice: return d.string_form.choices[rng() % d.string_form.choices.size()];
        case K::StepId: return "bg";
        default: break;
      }
      if (d.name == "toolkit") return coin(2) ? "status" : "generate-data --count 3";
      if (d.name == "sql") return "SELECT COUNT(*) AS n FROM users";
      if (d.name == "exec") return coin(2) ? "echo ${word}" : "exit 1";
      return "x";
    }
    if (d.null_is_empty_map && coin(3)) return nullptr;
    Json m = Json::object();
    bool op_done = false;
    for (const auto& f : d.fields) {
      bool is_operator = d.name == "assert" && f.name != "value";
      if (is_operator) {
        if (op_done || coin(2)) continue;
        op_done = true;
        m[f.name] = f.name == "between" ? Json::array({0, 100}) : f.name == "in" ? Json::array({1, 2}) : Json(1);
        continue;
      }
      if (f.required || coin(2)) m[f.name] = sample_value(d.name, f, rng);
    }
    if (d.name == "assert" && !op_done) m["equals"] = 1;
    if (d.name == "hold") m["for"] = "300ms";
    return m;
  }

  Json step(bool allow_background, bool& made_background) {
    std::vector<const scenario::StepDecl*> pool;
    for (const auto& d : decls)
      if (!kLeftOut.count(d.name) && (d.name != "stop" || made_background) &&
          (d.name != "sample" || (allow_background && !made_background)))  // a recorder runs in the background
        pool.push_back(&d);
    // Types that end in a tester's PENDING or a refused connection are drawn less often, so that most runs get to
    // their checks and a fair share PASS.
    const scenario::StepDecl* pickd = pool[rng() % pool.size()];
    for (int tries = 0; tries < 3 && kRare.count(pickd->name) && !coin(4); ++tries) pickd = pool[rng() % pool.size()];
    const auto& d = *pickd;
    Json s = Json::object();
    s[d.name] = argument(d);
    if (d.name == "stop") made_background = false;  // collected once
    if (coin(3)) s["name"] = "step " + std::to_string(++ids);
    if (allow_background && !made_background && (d.name == "sample" || (d.name == "exec" && coin(4)))) {
      s["id"] = "bg";
      s["background"] = true;
      if (d.name == "exec") s["exec"] = "sleep 1";
      made_background = true;
      return s;
    }
    if (!d.self_timed && coin(5)) s["timeout"] = "5s";
    if (coin(6)) s["retry"] = Json{{"count", 1}, {"delay", "100ms"}};
    if (coin(5))
      s["when"] = std::vector<std::string>{"${= n > 0}", "${word} == alpha", "false", "${= n in [1, 2]}"}[rng() % 4];
    if (coin(4)) s["observe"] = "took";
    if (coin(4) && !d.outputs.empty()) s["capture"] = Json{{"c" + std::to_string(++ids), d.outputs[0].name}};
    if (coin(5)) s["expect"] = Json{{"value", Json{{"not_equals", "zzz"}}}};
    if (coin(4)) s["continue_on_failure"] = true;
    return s;
  }

  Json scenario(int index) {
    // A manual target (its pipeline actions are a tester, who does not answer here) whose destination is the source
    // server itself: every step type runs without a pipeline to start, and the data checks compare real tables.
    Json sc = {{"id", "PROP-" + std::to_string(index)},
               {"title", "generated"},
               {"target", {{"type", "manual"}, {"destination", dsn}}}};
    sc["vars"] = {{"n", 1 + static_cast<int>(rng() % 3)}, {"word", "alpha"}};
    if (coin(2))
      sc["matrix"] = {
          {"v", Json::array({Json{{"name", "a"}, {"cmd", "echo ${word}"}}, Json{{"name", "b"}, {"cmd", "true"}}})}};
    bool bg = false;
    Json pre = Json::array(), steps = Json::array(), checks = Json::array();
    if (coin(3)) pre.push_back(step(false, bg));
    int n = 2 + static_cast<int>(rng() % 5);
    for (int i = 0; i < n; ++i) steps.push_back(step(true, bg));
    if (sc.contains("matrix")) steps.push_back({{"exec", "${v.cmd}"}});
    for (int i = 0; i < 1 + static_cast<int>(rng() % 2); ++i) checks.push_back(step(false, bg));
    if (!pre.empty()) sc["preconditions"] = pre;
    sc["steps"] = steps;
    sc["checks"] = checks;
    sc["cleanup"] = Json::array({Json{{"exec", "touch '${run_dir}/cleaned'"}}});
    return sc;
  }
};

struct Case {
  std::string name, yaml;
};

// Runs one scenario and returns every property it breaks (empty = all hold).
std::vector<std::string> check_case(const fs::path& root, const std::string& dsn, const Case& c,
                                    std::map<std::string, int>& verdicts) {
  std::vector<std::string> broken;
  fs::path dir = root / c.name;
  fs::create_directories(dir);
  fs::path file = dir / "scenario.yaml";
  std::ofstream(file) << c.yaml;
  std::string tc_run = std::string(TC_BINARY_DIR) + "/runner/tc-run";
  auto v = run_process({tc_run, "validate", file.string()});
  if (v.exit_code != 0)
    broken.push_back("a scenario generated from the declarations does not validate: " + v.out + v.err);
  ProcessOptions po;
  po.timeout = std::chrono::seconds(120);
  auto r = run_process({tc_run, "run", file.string(), "--source", dsn, "--state-dir", (dir / "state").string(),
                        "--reports", (dir / "reports").string(), "-q"},
                       po);
  if (r.timed_out) broken.push_back("tc-run did not end within 120 s");
  if (r.exit_code < 0 || r.exit_code > 2) broken.push_back("exit code " + std::to_string(r.exit_code));
  for (const char* san : {"AddressSanitizer", "LeakSanitizer", "runtime error:", "UndefinedBehaviorSanitizer"})
    if (r.err.find(san) != std::string::npos) broken.push_back(std::string("sanitizer report: ") + san);
  int runs = 0;
  if (fs::exists(dir / "reports"))
    for (const auto& id : fs::directory_iterator(dir / "reports"))
      for (const auto& run : fs::directory_iterator(id.path())) {
        ++runs;
        for (const char* f : {"execution-log.md", "result.json", "timeline.svg"})
          if (!fs::exists(run.path() / f)) broken.push_back(run.path().filename().string() + " has no " + f);
        if (!fs::exists(run.path() / "cleaned"))
          broken.push_back(run.path().filename().string() + ": cleanup did not run");
        try {
          Json res = Json::parse(slurp(run.path() / "result.json"));
          ++verdicts[res.at("verdict").get<std::string>()];
          if (std::getenv("TC_PROPERTY_VERBOSE"))
            MESSAGE(c.name << ": " << res["verdict"] << " " << res["verdict_reason"]);
        } catch (const std::exception& e) {
          broken.push_back(run.path().filename().string() + ": result.json unreadable: " + e.what());
        }
      }
  if (runs == 0 && v.exit_code == 0) broken.push_back("no run folder was written");
  if (!toolkit::Ledger((dir / "state").string()).outstanding().empty())
    broken.push_back("the fault ledger is not balanced");
  if (!broken.empty()) broken.push_back("stderr: " + r.err.substr(r.err.size() > 2000 ? r.err.size() - 2000 : 0));
  return broken;
}

}  // namespace

TEST_CASE("property: generated scenarios validate and always end in a verdict with every file, cleanup run") {
  test::RunTempDir tmp("tc-property");
  auto server = test::start_private_server(tmp.path / "server");
  std::string dsn = test::root_dsn(*server).str(true);

  std::vector<Case> cases;
  fs::path regressions = fs::path(TC_SOURCE_DIR) / "tests" / "corpus" / "property";
  if (fs::exists(regressions))
    for (const auto& e : fs::directory_iterator(regressions))
      if (e.path().extension() == ".yaml") cases.push_back({"regression-" + e.path().stem().string(), slurp(e.path())});

  const char* seed_env = std::getenv("TC_PROPERTY_SEED");
  unsigned seed = seed_env && std::string(seed_env) == "random" ? std::random_device{}()
                  : seed_env                                    ? static_cast<unsigned>(std::stoul(seed_env))
                                                                : 20261202u;
  int count = std::getenv("TC_PROPERTY_RUNS") ? std::stoi(std::getenv("TC_PROPERTY_RUNS")) : 16;
  Generator g{std::mt19937(seed), engine::load_options().steps, dsn};
  std::set<std::string> types_used;
  for (int i = 0; i < count; ++i) {
    Json sc = g.scenario(i);
    for (const char* phase : {"preconditions", "steps", "checks"})
      for (const auto& s : sc.value(phase, Json::array()))
        for (const auto& [k, v] : s.items())
          for (const auto& d : g.decls)
            if (d.name == k) types_used.insert(k);
    cases.push_back({"seed-" + std::to_string(seed) + "-" + std::to_string(i), sc.dump(2)});  // JSON is YAML
  }
  MESSAGE("seed " << seed << ", " << cases.size() << " scenarios, " << types_used.size() << " step types");

  int failures = 0;
  std::map<std::string, int> verdicts;
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto broken = check_case(tmp.path / "runs", dsn, c, verdicts);
    if (broken.empty()) continue;
    ++failures;
    fs::path keep = fs::path(TC_BINARY_DIR) / "property-failures";
    fs::create_directories(keep);
    std::ofstream(keep / (c.name + ".yaml")) << c.yaml;
    std::string all;
    for (const auto& b : broken) all += "\n  - " + b;
    FAIL_CHECK(c.name << " (kept in " << (keep / (c.name + ".yaml")).string() << "):" << all);
  }
  CHECK(failures == 0);
  std::string dist;
  for (const auto& [v, n] : verdicts) dist += " " + v + " " + std::to_string(n);
  MESSAGE("verdicts:" << dist);
  // The runs did real work: some passed and some did not (a generator whose every run ERRORs at once tests nothing).
  CHECK(verdicts["PASS"] > 0);
  CHECK(verdicts["PASS"] < static_cast<int>(cases.size()) * 2);
  // The generator reaches most of what is declared (a short run may miss a few types).
  CHECK(types_used.size() * 10 >= (g.decls.size() - kLeftOut.size()) * 6);
  server->stop();
}
