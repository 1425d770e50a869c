// Secrets never leak: real tc-run processes run scenarios that use a `secrets:` variable, a password in the DSNs of
// `source:` and `connections:`, and `${env:...}` values (echoed by exec steps, inside SQL errors, in a manual step
// answered from an answers file); then every file the runs wrote and the captured terminal output are scanned.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "db/connection.hpp"
#include "sandbox/data_template.hpp"
#include "sandbox/server.hpp"
#include "support/private_server.hpp"
#include "support/test_files.hpp"
#include "util/json.hpp"
#include "util/process.hpp"

namespace fs = std::filesystem;
using namespace tc;
using tc::test::slurp;

namespace {

// Distinct values that occur nowhere else, so any hit is a leak.
const std::string kVarSecret = "tok4f8a1c9eQZXsecret";  // a `secrets:` variable
const std::string kDbPassword = "Pw7dbXq93KLMsecret";   // the database password, from ${env:TC_SEC_DB_PW}
const std::string kEnvSecret = "envS3cr3tVAL88secret";  // another ${env:...} value

struct World {
  test::RunTempDir tmp{"tc-secrets"};  // on exit stops what state/ started (the daemon) by pid, then removes it
  fs::path root = tmp.path;
  std::unique_ptr<toolkit::Server> server;
  int port = 0;
  World() {
    server = test::start_private_server(root / "server");
    auto d = test::root_dsn(*server);
    port = d.port;
    auto c = db::Connection::open(d);
    c->execute("CREATE USER IF NOT EXISTS 'sec'@'%' IDENTIFIED BY '" + kDbPassword + "'");
    c->execute("GRANT ALL ON *.* TO 'sec'@'%'");
  }
  ~World() { server->stop(); }
  std::string dsn_text() const {
    return "mysql://sec:${env:TC_SEC_DB_PW}@127.0.0.1:" + std::to_string(port) + "/testdb";
  }
};

// The scenario's shared head: the secret-bearing source, connections and variables.
std::string head(const World& w, const std::string& id) {
  return "id: " + id + "\ntitle: secrets in a run\nsource: " + w.dsn_text() + "\nvars:\n  api_token: " + kVarSecret +
         "\n  env_value: ${env:TC_SEC_ENV}\nsecrets: [api_token]\nconnections:\n  app: " + w.dsn_text() +
         "\n  wrong_port: mysql://sec:${env:TC_SEC_DB_PW}@127.0.0.1:1/testdb\n";
}

struct Hit {
  std::string where;
  int line;
  std::string secret;
};

void scan_text(const std::string& where, const std::string& text, std::vector<Hit>& hits) {
  for (const auto& s : {kVarSecret, kDbPassword, kEnvSecret}) {
    size_t at = 0;
    while ((at = text.find(s, at)) != std::string::npos) {
      int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
      hits.push_back({where, line, s});
      at += s.size();
    }
  }
}

}  // namespace

TEST_CASE("no secret value appears in any file a run writes or in the terminal output (PASS, FAIL, ERROR runs)") {
  World w;
  std::ofstream(w.root / "pass.yaml") << head(w, "SEC-PASS") + R"(steps:
  - name: token echoed
    exec: echo token=${api_token} env=${env:TC_SEC_ENV} var=${env_value}
    expect: {value: {matches: "^token="}}
  - name: the operator logs in
    id: login
    manual: {instruction: "Log in to the dashboard with token ${api_token} and password ${env:TC_SEC_DB_PW}", choices: [PASS, FAIL]}
  - name: query through the app connection
    sql: {query: "SELECT COUNT(*) FROM users", connection: app}
  - toolkit: status
  # Starts the toolkit daemon fronting the DSN server: its config, log and the ledger are scanned too.
  - toolkit: network --slow --latency 5
  - toolkit: network --up
checks:
  - name: users seeded
    sql: {query: "SELECT COUNT(*) > 0 FROM users", connection: app}
    expect: 1
)";
  std::ofstream(w.root / "fail.yaml") << head(w, "SEC-FAIL") + R"(steps:
  - name: env secret echoed
    exec: echo ${env:TC_SEC_ENV} ${api_token}
checks:
  - name: echo does not match
    exec: echo ${api_token} ${env:TC_SEC_ENV} ${env:TC_SEC_DB_PW}
    expect: {value: nothing-like-this}
)";
  std::ofstream(w.root / "error.yaml") << head(w, "SEC-ERROR") + R"(steps:
  - name: a command that hangs after printing secrets
    exec: "echo ${api_token}; echo ${env:TC_SEC_ENV} >&2; sleep 30"
    timeout: 1s
  - name: never runs
    exec: echo ${api_token}
checks:
  - name: a connection that cannot be made
    sql: {query: SELECT 1, connection: wrong_port}
  - name: a SQL error naming the token
    sql: {query: "SELECT * FROM no_such_${api_token}", connection: app}
  - name: the secret in a string the server complains about
    sql: {query: "SELECT '${env:TC_SEC_ENV}' FROM no_such_table", connection: app}
cleanup:
  - name: cleanup echoes too
    exec: echo ${env:TC_SEC_DB_PW} ${api_token}
  - name: manual in cleanup
    manual: {instruction: "Confirm the token ${api_token} was revoked"}
)";
  std::ofstream(w.root / "answers.yaml") << "login: PASS\n\"manual in cleanup\": done\n";

  ProcessOptions po;
  po.timeout = std::chrono::minutes(3);
  po.env = {{"TC_SEC_DB_PW", kDbPassword}, {"TC_SEC_ENV", kEnvSecret}, {"CI", "1"}};
  std::map<std::string, int> expected = {{"pass", 0}, {"fail", 1}, {"error", 2}};
  std::vector<Hit> hits;
  for (const auto& [name, code] : expected) {
    auto r = run_process({std::string(TC_BINARY_DIR) + "/runner/tc-run", (w.root / (name + ".yaml")).string(),
                          "--reports", (w.root / "reports").string(), "--state-dir", (w.root / "state").string(),
                          "--answers", (w.root / "answers.yaml").string(), "--tester", "ci"},
                         po);
    INFO(name << " stdout: " << r.out);
    INFO(name << " stderr: " << r.err);
    CHECK(r.exit_code == code);
    scan_text(name + " run: stdout", r.out, hits);
    scan_text(name + " run: stderr", r.err, hits);
    // The plan and validate print resolved steps too.
    auto plan = run_process({std::string(TC_BINARY_DIR) + "/runner/tc-run", "plan",
                             (w.root / (name + ".yaml")).string(), "--state-dir", (w.root / "state").string()},
                            po);
    scan_text(name + " plan: stdout", plan.out + plan.err, hits);
  }
  // Every file of every run folder, recursively (reports, JUnit, JSON, tc-run.log, step logs, copied server logs).
  // The secrets did reach the steps (masked): the echo ran with the real value.
  int files = 0;
  bool saw_step_log = false, masked_seen = false;
  for (const auto& e : fs::recursive_directory_iterator(w.root / "reports")) {
    if (!e.is_regular_file()) continue;
    ++files;
    saw_step_log = saw_step_log || e.path().parent_path().filename() == "steps";
    std::string text = slurp(e.path());
    masked_seen = masked_seen || text.find("token=******") != std::string::npos;
    scan_text(fs::relative(e.path(), w.root).string(), text, hits);
  }
  CHECK(files >= 12);  // 3 runs x (execution-log.md, result.json, junit.xml, tc-run.log, ...)
  // And what the runs left in the state directory: the daemon's config and log, the fault ledger, the run lock.
  int state_files = 0;
  bool saw_daemon_log = false;
  for (const auto& e : fs::recursive_directory_iterator(w.root / "state")) {
    if (!e.is_regular_file()) continue;
    ++state_files;
    saw_daemon_log = saw_daemon_log || e.path().filename() == "daemon.log";
    scan_text(fs::relative(e.path(), w.root).string(), slurp(e.path()), hits);
  }
  CHECK(state_files >= 3);
  CHECK(saw_daemon_log);
  CHECK(saw_step_log);
  CHECK(masked_seen);
  std::string report;
  for (const auto& h : hits)
    report += "secret " + h.secret + " leaked at " + h.where + ":" + std::to_string(h.line) + "\n";
  CHECK_MESSAGE(hits.empty(), report);
}
