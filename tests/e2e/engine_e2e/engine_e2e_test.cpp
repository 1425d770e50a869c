// End to end: real tc-run processes run scenarios against a real MariaDB started here, and we read what they wrote.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "db/connection.hpp"
#include "sandbox/data_template.hpp"
#include "sandbox/server.hpp"
#include "support/private_server.hpp"
#include "support/test_files.hpp"
#include "util/json.hpp"
#include "util/process.hpp"

namespace fs = std::filesystem;
namespace bp = boost::process;
using namespace tc;
using tc::test::slurp;

namespace {

struct World {
  fs::path root;
  std::unique_ptr<toolkit::Server> server;
  std::string dsn;
  World() {
    std::string tmpl = (fs::temp_directory_path() / "tc-engine-e2e-XXXXXX").string();
    root = mkdtemp(tmpl.data());
    server = test::start_private_server(root / "server");
    auto d = test::root_dsn(*server);
    dsn = d.str(true);
  }
  ~World() {
    // The runs' toolkit daemon (network faults start one) and anything else of the state dir, by their pids.
    run_process({std::string(TC_BINARY_DIR) + "/runner/toolkit", "--state-dir", (root / "state").string(), "down"});
    server->stop();
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  fs::path write(const std::string& name, const std::string& yaml) const {
    fs::path p = root / name;
    std::ofstream(p) << yaml;
    return p;
  }
  ProcessResult tc_run(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {std::string(TC_BINARY_DIR) + "/runner/tc-run"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--source", dsn, "--reports", (root / "reports").string(), "--state-dir",
                             (root / "state").string(), "--tester", "e2e"});
    ProcessOptions po;
    po.timeout = std::chrono::seconds(120);
    return run_process(argv, po);
  }
  std::vector<fs::path> runs(const std::string& id) const {
    std::vector<fs::path> out;
    if (!fs::exists(root / "reports" / id)) return out;
    for (const auto& e : fs::directory_iterator(root / "reports" / id)) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
  }
};

World& world() {
  static World w;
  return w;
}

Json result_of(const fs::path& run) {
  return Json::parse(slurp(run / "result.json"));
}

const Json* step_named(const Json& result, const std::string& name) {
  for (const auto& s : result["steps"])
    if (s.value("name", "") == name) return &s;
  return nullptr;
}

}  // namespace

TEST_CASE("every phase, matrix, retry, wait, background and the core plugins pass end to end") {
  auto& w = world();
  auto file = w.write("pass.yaml", R"(id: E2E-PASS
title: Every phase passes
category: Engine
severity: Low
vars: {n: 3}
matrix:
  mode: [alpha, beta]
preconditions:
  - name: server answers
    sql: SELECT 1
    expect: 1
steps:
  - name: ticker
    id: bg
    exec: "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.05; done"
    background: true
  - sql: CREATE TABLE e2e_${mode} (id INT PRIMARY KEY, v INT)
  - sql: INSERT INTO e2e_${mode} VALUES (1, ${n})
  - name: read back
    sql: {query: "SELECT v FROM e2e_${mode} WHERE id = 1", connection: source}
    capture: v1
    expect: {value: {equals: 3}}
  - name: echo captured
    exec: echo ${v1}-${mode}
    expect: {value: {matches: "^3-(alpha|beta)$"}}
  - name: flaky
    exec: 'f=${run_dir}/count; n=$(cat $f 2>/dev/null || echo 0); n=$((n+1)); echo $n > $f; test $n -ge 3'
    retry: {count: 3, delay: 100ms}
  - name: wait for flag
    wait:
      until: {exec: 'test -f ${run_dir}/flag || { sleep 0.3; touch ${run_dir}/flag; false; }'}
      timeout: 10s
      every: 100ms
    observe: flag appeared
  - name: beta only
    when: ${mode} == beta
    exec: "true"
  - sleep: 200ms
  - name: stop ticker
    stop: bg
    observe: {ticker output: value}
checks:
  - name: one row
    sql: SELECT COUNT(*) FROM e2e_${mode}
    expect: 1
  - name: value in range
    sql: SELECT v FROM e2e_${mode}
    expect: {value: {between: [1, 5]}}
cleanup:
  - sql: DROP TABLE e2e_${mode}
  - exec: touch ${run_dir}/cleaned
)");
  auto r = w.tc_run({file.string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  auto runs = w.runs("E2E-PASS");
  REQUIRE(runs.size() == 2);
  for (const auto& run : runs) {
    auto res = result_of(run);
    CHECK(res["verdict"] == "PASS");
    CHECK(fs::exists(run / "cleaned"));
    CHECK(fs::exists(run / "junit.xml"));
    CHECK(fs::exists(run / "tc-run.log"));
    const Json* flaky = step_named(res, "flaky");
    REQUIRE(flaky);
    CHECK((*flaky)["attempts"].size() == 3);
    const Json* bg = step_named(res, "ticker");
    REQUIRE(bg);
    CHECK((*bg)["status"] == "passed");
    CHECK((*bg)["background"] == true);
    const Json* beta = step_named(res, "beta only");
    REQUIRE(beta);
    bool is_beta = run.filename().string().find("beta") != std::string::npos;
    CHECK((*beta)["status"] == (is_beta ? "passed" : "skipped"));
    std::string md = slurp(run / "execution-log.md");
    for (const char* section : {"### Run 1 - ", "| Tester | e2e |", "| Result | PASS |", "**Steps Performed:**",
                                "**Observations:**", "**Verification Checklist:**", "- [x] one row",
                                "- [x] value in range", "**Screenshots/Logs:**", "**Notes:**", "flag appeared"})
      CHECK_MESSAGE(md.find(section) != std::string::npos, section);
    // The wait is measured to the millisecond and lands in the timeline.
    bool satisfied = false, started = false;
    for (const auto& e : res["timeline"]) {
      satisfied |= e["kind"] == "wait.satisfied";
      started |= e["kind"] == "step.start";
    }
    CHECK(satisfied);
    CHECK(started);
  }
}

TEST_CASE("a failed check gives FAIL (exit 1), every check is still evaluated and cleanup runs") {
  auto& w = world();
  auto file = w.write("fail.yaml", R"(id: E2E-FAIL
title: A check fails
steps:
  - sql: SELECT 1
checks:
  - name: wrong on purpose
    sql: SELECT 1
    expect: 2
  - name: still evaluated
    sql: SELECT 2
    expect: 2
cleanup:
  - exec: touch ${run_dir}/cleaned
)");
  auto r = w.tc_run({file.string()});
  CHECK(r.exit_code == 1);
  auto runs = w.runs("E2E-FAIL");
  REQUIRE(runs.size() == 1);
  auto res = result_of(runs[0]);
  CHECK(res["verdict"] == "FAIL");
  CHECK((*step_named(res, "still evaluated"))["status"] == "passed");
  CHECK(fs::exists(runs[0] / "cleaned"));
  std::string md = slurp(runs[0] / "execution-log.md");
  CHECK(md.find("- [ ] wrong on purpose") != std::string::npos);
  CHECK(md.find("expected 2, got 1") != std::string::npos);
  CHECK(md.find("- [x] still evaluated") != std::string::npos);
}

TEST_CASE("a failed precondition is ERROR (exit 2): steps are skipped and cleanup still runs") {
  auto& w = world();
  auto file = w.write("pre.yaml", R"(id: E2E-PRE
title: A precondition fails
preconditions:
  - name: impossible
    exec: exit 3
steps:
  - name: never
    exec: touch ${run_dir}/ran
checks:
  - exec: "true"
cleanup:
  - exec: touch ${run_dir}/cleaned
)");
  auto r = w.tc_run({file.string()});
  CHECK(r.exit_code == 2);
  auto runs = w.runs("E2E-PRE");
  REQUIRE(runs.size() == 1);
  auto res = result_of(runs[0]);
  CHECK(res["verdict"] == "ERROR");
  CHECK_FALSE(fs::exists(runs[0] / "ran"));
  CHECK(fs::exists(runs[0] / "cleaned"));
}

TEST_CASE("a step timeout kills the command's process group and the run is ERROR") {
  auto& w = world();
  auto file = w.write("timeout.yaml", R"(id: E2E-TIMEOUT
title: A step times out
steps:
  - name: too slow
    exec: "sleep 30 & sleep 31; echo never"
    timeout: 500ms
checks:
  - exec: "true"
)");
  auto t0 = std::chrono::steady_clock::now();
  auto r = w.tc_run({file.string()});
  auto elapsed = std::chrono::steady_clock::now() - t0;
  CHECK(r.exit_code == 2);
  CHECK(elapsed < std::chrono::seconds(10));
  auto res = result_of(w.runs("E2E-TIMEOUT").at(0));
  CHECK((*step_named(res, "too slow"))["message"].get<std::string>().find("timed out after 500 ms") !=
        std::string::npos);
  // No orphan `sleep 30` from the killed group survives.
  auto ps = run_shell("pgrep -f '^sleep 3[01]$' || true");
  CHECK(ps.out.empty());
}

TEST_CASE("manual steps: PENDING without answers (never PASS), answered from --answers") {
  auto& w = world();
  auto file = w.write("manual.yaml", R"(id: E2E-MANUAL
title: Manual steps
steps:
  - id: click
    manual: Click Fix Now in the dashboard
checks:
  - id: looks_ok
    name: Dashboard shows Running
    manual: {instruction: "Does the dashboard show Running?", choices: [PASS, FAIL]}
)");
  auto r = w.tc_run({file.string()});
  CHECK(r.exit_code == 2);
  auto answers =
      w.write("answers.yaml", "click: done\nlooks_ok: {verdict: PASS, observation: green badge, operator: Arun}\n");
  auto r2 = w.tc_run({file.string(), "--answers", answers.string()});
  INFO(r2.out, r2.err);
  CHECK(r2.exit_code == 0);
  auto runs = w.runs("E2E-MANUAL");
  REQUIRE(runs.size() == 2);
  CHECK(result_of(runs[0])["verdict"] == "ERROR");
  CHECK(result_of(runs[1])["verdict"] == "PASS");
}

TEST_CASE("SIGINT mid-step stops the step, runs cleanup and writes the log with verdict ERROR") {
  auto& w = world();
  auto file = w.write("sigint.yaml", R"(id: E2E-SIGINT
title: Interrupted
steps:
  - name: long
    exec: sleep 60
checks:
  - exec: "true"
cleanup:
  - name: slow cleanup
    exec: sleep 1; touch ${run_dir}/cleaned
)");
  std::vector<std::string> args = {file.string(),
                                   "--source",
                                   w.dsn,
                                   "--reports",
                                   (w.root / "reports").string(),
                                   "--state-dir",
                                   (w.root / "state").string()};
  bp::child c(std::string(TC_BINARY_DIR) + "/runner/tc-run", bp::args(args), bp::std_out > bp::null,
              bp::std_err > (w.root / "sigint.err").string());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ::kill(c.id(), SIGINT);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::kill(c.id(), SIGINT);  // during cleanup: refused, cleanup completes
  c.wait();
  CHECK(c.exit_code() == 2);
  auto runs = w.runs("E2E-SIGINT");
  REQUIRE(runs.size() == 1);
  CHECK(fs::exists(runs[0] / "cleaned"));
  auto res = result_of(runs[0]);
  CHECK(res["verdict"] == "ERROR");
  CHECK(slurp(runs[0] / "execution-log.md").find("| Result | ERROR |") != std::string::npos);
  CHECK(slurp(w.root / "sigint.err").find("refusing to stop") != std::string::npos);
}

TEST_CASE("tc-run new writes a valid scenario from the template; validate and list see it") {
  auto& w = world();
  fs::path dir = w.root / "new-scenarios";
  fs::create_directories(dir);
  fs::copy_file(std::string(TC_SOURCE_DIR) + "/scenarios/TEMPLATE.yaml", dir / "TEMPLATE.yaml");
  std::string bin = std::string(TC_BINARY_DIR) + "/runner/tc-run";
  auto r = run_process({bin, "new", "TC-042", "--title", "Replica \"survives\" DDL", "--dir", dir.string()});
  CHECK(r.exit_code == 0);
  std::string text = slurp(dir / "TC-042.yaml");
  CHECK(text.find("id: TC-042") != std::string::npos);
  auto v = run_process({bin, "validate", (dir / "TC-042.yaml").string()});
  INFO(v.out, v.err);
  CHECK(v.exit_code == 0);
  auto l = run_process({bin, "list", dir.string()});
  CHECK(l.out.find("Replica \"survives\" DDL") != std::string::npos);
  // Writing it again is refused rather than overwriting the tester's work.
  CHECK(run_process({bin, "new", "TC-042", "--title", "x", "--dir", dir.string()}).exit_code == 2);
  // A bad file is rejected with its location and exit 2.
  auto bad = w.write("bad.yaml", "id: X\ntitle: t\nstpes: []\n");
  auto b = run_process({bin, "validate", bad.string()});
  CHECK(b.exit_code == 2);
  CHECK(b.err.find("bad.yaml:3:1") != std::string::npos);
  CHECK(b.err.find("did you mean 'steps'") != std::string::npos);
}

TEST_CASE("on a terminal one live status line shows the step, its elapsed time and its timeout") {
  auto& w = world();
  auto file = w.write("live.yaml",
                      "id: E2E-LIVE\ntitle: live line\nsteps:\n  - name: napping\n    sleep: 3s\n"
                      "    timeout: 10s\nchecks:\n  - exec: \"true\"\n");
  std::string sock = "tc-e2e-live-" + std::to_string(::getpid());
  std::string cmd = std::string(TC_BINARY_DIR) + "/runner/tc-run " + file.string() + " --source " + w.dsn +
                    " --state-dir " + (w.root / "state").string() + " --reports " + (w.root / "reports").string() +
                    "; sleep 3";
  // A real terminal: tmux runs tc-run and we read its screen (CI is unset inside so the live line is drawn).
  REQUIRE(run_process(
              {"tmux", "-L", sock, "new-session", "-d", "-x", "160", "-y", "20", "env", "-u", "CI", "sh", "-c", cmd})
              .exit_code == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1800));
  auto screen = run_process({"tmux", "-L", sock, "capture-pane", "-p"}).out;
  run_process({"tmux", "-L", sock, "kill-server"});
  INFO(screen);
  CHECK(screen.find("▶ napping") != std::string::npos);
  CHECK(screen.find("/ timeout 10.000 s") != std::string::npos);
}

TEST_CASE("exec in its documented map form (command, env, cwd, stdin) runs in steps and checks, with every report") {
  // Was SIGSEGV (exit 139, no report): iterating items() of a temporary.
  auto& w = world();
  auto file = w.write("exec-map.yaml", R"(id: E2E-EXEC-MAP
title: exec map form
steps:
  - exec: {command: "echo $GREETING > out.txt", env: {GREETING: hello}, cwd: "${run_dir}"}
  - exec: {command: "cat", stdin: "from stdin"}
    expect: "from stdin"
checks:
  - name: env and cwd applied
    exec: {command: "cat out.txt", cwd: "${run_dir}", env: {UNUSED: "1"}}
    expect: hello
)");
  auto r = w.tc_run({file.string()});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  auto runs = w.runs("E2E-EXEC-MAP");
  REQUIRE(runs.size() == 1);
  CHECK(result_of(runs[0])["verdict"] == "PASS");
  for (const char* f : {"execution-log.md", "result.json", "junit.xml"}) CHECK(fs::exists(runs[0] / f));
}

TEST_CASE("a capture, observe or expect of an output the step does not produce is the step's ERROR, never \"\"") {
  auto& w = world();
  auto file = w.write("missing-output.yaml", R"(id: E2E-MISSING
title: paths that do not exist
steps:
  - name: elapsed is a path every step has
    wait: {until: {sql: SELECT 1}, timeout: 5s}
    capture: {t: elapsed}
  - name: elapsed captured as milliseconds
    assert: {value: "${t}", at_least: 0}
  - name: capture of a missing key
    sql: SELECT 1 AS n
    capture: {before: row.position}
checks:
  - name: not_equals on a missing path must not pass
    sql: SELECT 1 AS n
    expect: {row.missing: {not_equals: "x"}}
)");
  auto r = w.tc_run({file.string()});
  CHECK(r.exit_code == 2);
  auto runs = w.runs("E2E-MISSING");
  REQUIRE(runs.size() == 1);
  auto res = result_of(runs[0]);
  CHECK(res["verdict"] == "ERROR");
  CHECK((*step_named(res, "elapsed is a path every step has"))["status"] == "passed");
  CHECK((*step_named(res, "elapsed captured as milliseconds"))["status"] == "passed");
  const Json& cap = *step_named(res, "capture of a missing key");
  CHECK(cap["status"] == "error");
  CHECK(cap["message"].get<std::string>().find("no output 'row.position'") != std::string::npos);
  CHECK(cap["message"].get<std::string>().find("row.n") != std::string::npos);  // names what the step gave
  const Json& chk = *step_named(res, "not_equals on a missing path must not pass");
  CHECK(chk["status"] == "error");
  CHECK(chk["message"].get<std::string>().find("row.missing") != std::string::npos);
}

TEST_CASE("an explicit default: stands in for a missing path, and the result says so; without one it is an ERROR") {
  auto& w = world();
  auto file = w.write("defaults.yaml", R"(id: E2E-DEFAULT
title: defaults for paths a step may not give
steps:
  - name: a row without the columns asked for
    sql: SELECT 1 AS n
    capture: {lag: {path: row.lag, default: 7}, n: row.n}
    observe: {replica lag: {path: row.lag, default: "n/a"}, n: row.n}
    expect: {row.flag: {equals: false, default: false}, row.n: 1}
  - name: the captured default
    assert: {value: "${= lag + n}", equals: 8}
  - name: a default that does not meet the expectation fails, naming the default
    sql: SELECT 1 AS n
    expect: {row.flag: {equals: true, default: false}}
    continue_on_failure: true
  - name: no default
    sql: SELECT 1 AS n
    capture: {other: row.lag}
)");
  auto r = w.tc_run({file.string()});
  INFO(r.err);
  auto runs = w.runs("E2E-DEFAULT");
  REQUIRE(runs.size() == 1);
  auto res = result_of(runs[0]);
  const Json& first = *step_named(res, "a row without the columns asked for");
  CHECK(first["status"] == "passed");
  CHECK(first["message"].get<std::string>().find(
            "expect row.flag: took false (the default: the step has no output 'row.flag'") != std::string::npos);
  CHECK((*step_named(res, "the captured default"))["status"] == "passed");
  const Json& fails = *step_named(res, "a default that does not meet the expectation fails, naming the default");
  CHECK(fails["status"] == "failed");
  CHECK(fails["message"].get<std::string>().find("expected true, got false (the default:") != std::string::npos);
  const Json& none = *step_named(res, "no default");
  CHECK(none["status"] == "error");
  CHECK(none["message"].get<std::string>().find("no output 'row.lag'") != std::string::npos);
  bool seen = false;
  for (const auto& o : res["observations"])
    if (o["name"] == "replica lag") {
      seen = true;
      CHECK(o["value"] == "n/a");
      CHECK(o["note"].get<std::string>().find("the default: the step has no output 'row.lag'") != std::string::npos);
    }
  CHECK(seen);
  std::string log = slurp(runs[0] / "execution-log.md");
  CHECK(log.find("the default: the step has no output 'row.lag'") != std::string::npos);
}

TEST_CASE("a timed fault's real end and a flap's toggles are in the timeline at their moments") {
  auto& w = world();
  auto file = w.write("timed-fault.yaml", R"(id: E2E-TIMED
title: faults that end by themselves
steps:
  - name: refuse for 2 s
    toolkit: network --down --type reject --duration 2s
  - sleep: 4s
  - name: flap for 3 s
    toolkit: network --flap --type timeout --interval 1s --duration 3s --wait
checks:
  - exec: "true"
cleanup:
  - toolkit: network --up
)");
  auto r = w.tc_run({file.string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  auto runs = w.runs("E2E-TIMED");
  REQUIRE(runs.size() == 1);
  auto res = result_of(runs[0]);
  long long applied = -1, ended = -1, previous = -1;
  int toggles = 0;
  bool ordered = true;
  for (const auto& e : res["timeline"]) {
    long long t = e["offset_ms"].get<long long>();
    ordered = ordered && t >= previous;
    previous = t;
    std::string kind = e["kind"], text = e["text"];
    if (kind == "fault.applied" && text.find("--type reject") != std::string::npos) applied = t;
    if (kind == "fault.ended" && text.find("reject fault ended on its schedule") != std::string::npos) ended = t;
    if (kind == "fault.flap") ++toggles;
  }
  CHECK(ordered);  // the late events are in their place
  REQUIRE(applied >= 0);
  REQUIRE(ended >= 0);
  CHECK(ended - applied >= 1500);  // the command returns once the fault is verified: ~2 s before it ends
  CHECK(ended - applied <= 3000);
  CHECK(toggles >= 2);  // off at 1 s, on at 2 s (the end at 3 s is fault.ended)
  std::string log = slurp(runs[0] / "execution-log.md");
  CHECK(log.find("ended on its schedule") != std::string::npos);
}

TEST_CASE("validate checks pipeline status detail paths against what the scenario's target declares") {
  auto& w = world();
  auto file = w.write("detail-paths.yaml", R"(id: E2E-DETAIL
title: detail keys per target
target: debezium
steps:
  - name: a debezium key, misspelt
    pipeline: status
    expect: {detail.tables_synced: true}
  - name: a replica key, only when the target is a replica
    when: ${target} == replica
    pipeline: status
    expect: {detail.Slave_IO_Running: "Yes"}
  - name: a wait reading the detail of its last poll
    wait: {until: {pipeline: status}, timeout: 5s}
    observe: {engine: last.detail.engine_stat}
  - name: a key the debezium engine gives
    pipeline: status
    capture: {applied: detail.events_applied}
checks:
  - exec: "true"
)");
  auto validate = [&](std::vector<std::string> extra) {
    std::vector<std::string> argv = {std::string(TC_BINARY_DIR) + "/runner/tc-run", "validate", file.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_process(argv);
  };
  auto r = validate({});
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("detail-paths.yaml:7:36: error: expect detail.tables_synced: 'detail' of 'pipeline' on target "
                   "'debezium' has no key 'tables_synced' (did you mean 'tables_syncing'?)") != std::string::npos);
  CHECK(r.err.find("has no key 'engine_stat' (did you mean 'engine_state'?)") != std::string::npos);
  CHECK(r.err.find("Slave_IO_Running") == std::string::npos);       // that step does not run on debezium
  CHECK(r.err.find("detail-paths.yaml:17:") == std::string::npos);  // events_applied is a debezium key
  // On a replica the misspelt debezium key is still unknown, and the replica's own column is fine.
  auto rep = validate({"--target", "replica"});
  CHECK(rep.exit_code == 2);
  CHECK(rep.err.find("on target 'replica' has no key 'tables_synced'") != std::string::npos);
  CHECK(rep.err.find("'Slave_IO_Running'") == std::string::npos);
  // An http target's detail holds the user's own pointers: nothing is refused before the run.
  auto api = validate({"--target", "fivetran-api"});
  INFO(api.err);
  CHECK(api.err.find("has no key") == std::string::npos);
}

TEST_CASE("validate parses toolkit lines with the toolkit's parser, per variant, at the step's line") {
  auto& w = world();
  auto file = w.write("toolkit-typos.yaml", R"(id: E2E-TYPOS
title: misspelt toolkit lines
matrix:
  failure:
    - {name: ok, inject: network --down --type reject}
    - {name: bad, inject: network --down --type rejct}
steps:
  - toolkit: generate-data --cuont 5
  - toolkit: ${failure.inject}
  - toolkit: netwrk --up
checks:
  - toolkit: status
)");
  ProcessOptions po;
  po.timeout = std::chrono::seconds(60);
  auto r = run_process({std::string(TC_BINARY_DIR) + "/runner/tc-run", "validate", file.string()}, po);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("toolkit-typos.yaml:8:14: error: toolkit generate-data --cuont 5: unknown option '--cuont' for "
                   "generate-data; did you mean '--count'?") != std::string::npos);
  CHECK(r.err.find("toolkit-typos.yaml:9:14: error: toolkit network --down --type rejct: --type: rejct not in "
                   "{reject,timeout,service}; did you mean 'reject'? (variant bad)") != std::string::npos);
  CHECK(r.err.find("toolkit-typos.yaml:10:14: error: toolkit netwrk --up: unknown toolkit command 'netwrk'; did you "
                   "mean 'network'?") != std::string::npos);
  CHECK(r.err.find("variant ok") == std::string::npos);
  // plan refuses the same file: nothing is planned (or run) with a typo in it.
  auto p = run_process({std::string(TC_BINARY_DIR) + "/runner/tc-run", "plan", file.string()}, po);
  CHECK(p.exit_code == 2);
}

TEST_CASE("a matrix value holding ${var} is interpolated; a target name from the registry validates") {
  auto& w = world();
  auto file = w.write("matrix-var.yaml", R"(id: E2E-MATRIX-VAR
title: matrix values with variables
target: fivetran-api
vars: {outage: 7s}
matrix:
  f:
    - {name: a, cmd: "echo down for ${outage}"}
steps:
  - exec: ${f.cmd}
    expect: down for 7s
checks:
  - exec: "true"
)");
  ProcessOptions po;
  po.timeout = std::chrono::seconds(60);
  auto v = run_process({std::string(TC_BINARY_DIR) + "/runner/tc-run", "validate", file.string()}, po);
  CHECK(v.exit_code == 0);
  auto r = w.tc_run({file.string(), "--target", "replica"});
  auto runs = w.runs("E2E-MATRIX-VAR");
  REQUIRE(runs.size() == 1);
  auto res = result_of(runs[0]);
  CHECK(res["steps"][0]["status"] == "passed");
  CHECK(res["steps"][0]["action"] == "echo down for 7s");
}

TEST_CASE("an expected value that cannot be computed is that step's ERROR; later checks and cleanup still run") {
  auto& w = world();
  auto file = w.write("escape.yaml", R"(id: E2E-ESCAPE
title: expected values from a capture never made, and a type error
steps:
  - name: skipped, so its capture is never made
    sql: SELECT 5 AS n
    capture: {n: row.n}
    when: "false"
checks:
  - name: needs the capture
    sql: SELECT 1 AS n
    expect: {row.n: "${= n + 1}"}
  - name: a type error in an expression
    assert: {value: "${= 'abc' * 2}", equals: 1}
  - name: still evaluated
    sql: SELECT 2
    expect: 2
cleanup:
  - exec: touch ${run_dir}/cleaned
)");
  auto r = w.tc_run({file.string()});
  INFO(r.err);
  CHECK(r.exit_code == 2);
  auto runs = w.runs("E2E-ESCAPE");
  REQUIRE(runs.size() == 1);
  auto res = result_of(runs[0]);
  CHECK(res["verdict"] == "ERROR");
  const Json& needs = *step_named(res, "needs the capture");
  CHECK(needs["status"] == "error");
  CHECK(needs["message"].get<std::string>().find("undefined variable ${n}") != std::string::npos);
  const Json& type = *step_named(res, "a type error in an expression");
  CHECK(type["status"] == "error");
  CHECK(type["message"].get<std::string>().find("'abc' is not a number") != std::string::npos);
  CHECK((*step_named(res, "still evaluated"))["status"] == "passed");
  CHECK(fs::exists(runs[0] / "cleaned"));
}

TEST_CASE(
    "validate checks toolkit steps' paths against the command's declared outputs, and stop's against the "
    "background step's") {
  auto& w = world();
  auto file = w.write("toolkit-outputs.yaml", R"(id: E2E-TKOUT
title: toolkit outputs known before the run
steps:
  - toolkit: generate-data --count 5 --interval 1
    id: load
    background: true
  - toolkit: status
    capture: {binlog_before: position}
  - toolkit: status
    capture: {fine: binlog_position}
  - stop: load
    observe: {rows generated: total}
checks:
  - exec: "true"
)");
  auto r = run_process({std::string(TC_BINARY_DIR) + "/runner/tc-run", "validate", file.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("toolkit-outputs.yaml:8:15: error: capture binlog_before: 'toolkit status' has no output "
                   "'position' (did you mean 'binlog_position'?)") != std::string::npos);
  CHECK(r.err.find("toolkit-outputs.yaml:12:15: error: observe 'rows generated': the background step 'load' "
                   "(toolkit generate-data) has no output 'total'") != std::string::npos);
  CHECK(r.err.find("binlog_position:") == std::string::npos);  // the right key is not reported
  CHECK(r.err.find(":10:") == std::string::npos);
}

TEST_CASE("Ctrl-C at a manual prompt in a real terminal (tmux) ends the prompt at once and runs cleanup") {
  auto& w = world();
  auto file = w.write("prompt.yaml", R"(id: E2E-PROMPT
title: a tester at the prompt presses Ctrl-C
steps:
  - manual: Click Fix Now in the dashboard
checks:
  - exec: "true"
cleanup:
  - exec: touch ${run_dir}/cleaned
)");
  fs::path exit_file = w.root / "prompt-exit";
  std::string session = "tc-prompt-" + std::to_string(::getpid());
  std::string cmd = "env -u CI " + std::string(TC_BINARY_DIR) + "/runner/tc-run run " + file.string() + " --source '" +
                    w.dsn + "' --reports " + (w.root / "reports").string() + " --state-dir " +
                    (w.root / "state").string() + "; echo $? > " + exit_file.string() + "; sleep 30";
  REQUIRE(run_process({"tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "40", cmd}).exit_code == 0);
  auto screen = [&] { return run_process({"tmux", "capture-pane", "-p", "-t", session}).out; };
  auto t0 = std::chrono::steady_clock::now();
  while (screen().find("Click Fix Now in the dashboard") == std::string::npos &&
         std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60))
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the prompt is waiting for a line
  std::string before = screen();
  INFO(before);
  REQUIRE(before.find("Click Fix Now in the dashboard") != std::string::npos);
  auto pressed = std::chrono::steady_clock::now();
  run_process({"tmux", "send-keys", "-t", session, "C-c"});
  while (!fs::exists(exit_file) && std::chrono::steady_clock::now() - pressed < std::chrono::seconds(20))
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - pressed);
  std::string after = screen();
  run_process({"tmux", "kill-session", "-t", session});
  INFO(after);
  REQUIRE(fs::exists(exit_file));
  CHECK(slurp(exit_file).find("2") == 0);    // ERROR: interrupted, never PASS
  CHECK(waited < std::chrono::seconds(10));  // the prompt did not wait for an answer first
  CHECK(after.find("(no answer: interrupted)") != std::string::npos);
  auto runs = w.runs("E2E-PROMPT");
  REQUIRE(runs.size() == 1);
  CHECK(fs::exists(runs[0] / "cleaned"));
  CHECK(result_of(runs[0])["verdict"] == "ERROR");
}
