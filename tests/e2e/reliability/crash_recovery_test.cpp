// Crash recovery: SIGKILL a running tc-run (and, separately, the toolkit daemon) in the middle of each fault; then
// recovery (`tc-run recover`, or the next run with --recover, after the next run without it refused) leaves the
// server running and reachable through the proxy, no fault active, the ledger empty, every corrupted binlog
// byte-identical to its backup with the later events kept, and every committed row still there.
#include <signal.h>

#include "reliability_fixture.hpp"

using namespace reltest;
using tc::Json;

namespace {

struct Fault {
  std::string name, command, kind;
  bool binlog = false, stops_server = false;
};

const std::vector<Fault> kFaults = {
    {"reject", "network --down --type reject", "network.reject"},
    {"timeout", "network --down --type timeout", "network.timeout"},
    {"latency", "network --slow --latency 300", "network.latency"},
    {"flap", "network --flap --type reject --interval 1 --duration 2m", "network.flap"},
    {"service", "network --down --type service", "service.stop", false, true},
    {"truncate", "corrupt --type truncate --percentage 50", "binlog.truncate", true},
    {"random-bytes", "corrupt --type random-bytes --count 10", "binlog.random-bytes", true},
    {"magic-number", "corrupt --type magic-number", "binlog.magic-number", true},
};

struct BinlogProof {
  std::string path, backup;
};

std::vector<BinlogProof> binlog_proofs(World& w) {
  std::vector<BinlogProof> out;
  for (const auto& e : w.outstanding())
    if (e.kind.rfind("binlog.", 0) == 0) out.push_back({e.details.value("path", ""), e.details.value("backup", "")});
  return out;
}

// Everything a recovery must leave behind.
void check_recovered(World& w, long long expected_rows, const std::vector<BinlogProof>& binlogs) {
  CHECK(w.outstanding().empty());
  std::string text;
  auto st = w.toolkit({"network", "--status", "--json"}, &text);
  INFO(text);
  REQUIRE(st.exit_code == 0);
  CHECK(st.output["server"]["running"] == true);
  CHECK(st.output["faults"].empty());
  CHECK(st.output["leftovers"].empty());
  CHECK(st.output.value("daemon", false));
  // A real connector query on the public port: through the proxy, as a pipeline connects.
  CHECK(w.rows_through_proxy() == expected_rows);
  for (const auto& b : binlogs) {
    INFO(b.path);
    std::string backup = slurp(b.backup), now = slurp(b.path);
    REQUIRE(!backup.empty());
    REQUIRE(now.size() >= backup.size());
    CHECK(now.compare(0, backup.size(), backup) == 0);  // the corrupted range is the backup's bytes again
    CHECK(now.size() > backup.size());                  // and the events written since are kept
    auto r = tc::run_process({"mariadb-binlog", b.path});
    INFO(r.err);
    CHECK(r.exit_code == 0);  // mariadb-binlog reads every event of the whole file
    CHECK(r.err.find("ERROR") == std::string::npos);
  }
}

// The next run refuses while leftovers are outstanding and names them; returns its result.json.
Json refused_run(World& w, const std::string& kind) {
  auto ok = w.scenario("rel-ok",
                       "id: REL-OK\ntitle: a run after a crash\nsteps:\n  - toolkit: status\nchecks:\n  - name: server "
                       "answers\n    sql: SELECT 1\n    expect: 1\n");
  auto r = w.tc_run({"run", ok.string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 2);
  auto pos = r.out.find("REL-OK: ERROR  ");
  REQUIRE(pos != std::string::npos);
  std::string log = r.out.substr(pos + 15, r.out.find('\n', pos) - pos - 15);
  Json res = Json::parse(slurp(fs::path(log).parent_path() / "result.json"));
  std::string reason = res.value("verdict_reason", "");
  CHECK_MESSAGE(reason.find(kind) != std::string::npos, reason);
  CHECK_MESSAGE(reason.find("recover") != std::string::npos, reason);
  return res;
}

// Recovery, alternating between `tc-run recover` and `tc-run run --recover`.
void recover(World& w, int how) {
  if (how % 2 == 0) {
    auto r = w.tc_run({"recover"});
    INFO(r.out, r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("recovered") != std::string::npos);
  } else {
    auto ok = w.scenario("rel-ok",
                         "id: REL-OK\ntitle: a run after a crash\nsteps:\n  - toolkit: status\nchecks:\n  - name: "
                         "server answers\n    sql: SELECT 1\n    expect: 1\n");
    auto r = w.tc_run({"run", ok.string(), "--recover"});
    INFO(r.out, r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("REL-OK: PASS") != std::string::npos);
  }
}

}  // namespace

TEST_CASE("SIGKILL tc-run mid-fault, then recover: each fault") {
  auto& w = World::get();
  int index = 0;
  for (const auto& f : kFaults) {
    ++index;
    SUBCASE(f.name.c_str()) {
      REQUIRE(w.outstanding().empty());
      long long rows0 = w.rows_direct();
      std::string id = "REL-KILL-" + f.name;
      std::string yaml = "id: " + id + "\ntitle: SIGKILL during " + f.name +
                         "\nsteps:\n  - toolkit: generate-data --count 7\n  - toolkit: " + f.command + "\n";
      if (!f.stops_server) yaml += "  - toolkit: generate-data --count 7\n";
      yaml +=
          "  - name: hold the fault\n    sleep: 10m\ncleanup:\n  - toolkit: network --up\n  - toolkit: restore --all\n";
      auto file = w.scenario(id, yaml);
      auto child = w.tc_run_async({"run", file.string()});
      bool mid = eventually([&] { return w.ledger_shows(f.kind) && w.run_log_mentions(id, "hold the fault"); }, 60s);
      INFO(slurp(w.root / "async.out"), slurp(w.root / "async.err"));
      ::kill(child.id(), SIGKILL);
      child.wait();
      REQUIRE(mid);
      CHECK(w.ledger_shows(f.kind));  // the fault outlived the run that set it
      long long expected = rows0 + (f.stops_server ? 7 : 14);
      auto proofs = binlog_proofs(w);
      CHECK(proofs.size() == (f.binlog ? 1u : 0u));
      refused_run(w, f.kind);
      recover(w, index);
      check_recovered(w, expected, proofs);
    }
  }
}

TEST_CASE("SIGKILL the toolkit daemon mid-fault, then tc-run recover: each network fault") {
  auto& w = World::get();
  int index = 0;
  for (const auto& f : kFaults) {
    if (f.binlog) continue;  // the daemon holds network and service faults only
    ++index;
    SUBCASE(f.name.c_str()) {
      REQUIRE(w.outstanding().empty());
      tc::toolkit::ensure_daemon(w.cfg);
      long long rows = w.rows_direct();
      std::string text;
      std::vector<std::string> args;
      std::istringstream in(f.command);
      for (std::string a; in >> a;) args.push_back(a);
      auto r = w.toolkit(args, &text);
      INFO(text);
      REQUIRE(r.exit_code == 0);
      REQUIRE(w.ledger_shows(f.kind));
      int pid = w.daemon_pid();
      REQUIRE(pid > 0);
      ::kill(pid, SIGKILL);
      CHECK(eventually([&] { return ::kill(pid, 0) != 0; }, 5s));
      CHECK(w.ledger_shows(f.kind));  // the ledger still knows what the dead daemon had applied
      refused_run(w, f.kind);
      recover(w, index);
      check_recovered(w, rows, {});
    }
  }
}
