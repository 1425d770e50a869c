// `toolkit network` end to end: real MariaDB client connections through the daemon's fault proxy.
#include <doctest/doctest.h>

#include <iostream>

#include "daemon/fault_probe.hpp"
#include "daemon/fault_type.hpp"
#include "faults/ledger.hpp"
#include "proxy/net_helpers.hpp"
#include "proxy/network_fixture.hpp"

using namespace tc;
using namespace tc::test;
using namespace std::chrono_literals;

namespace {
NetworkFixture& fx() {
  return NetworkFixture::get();
}

// Connection refused: Connector/C reports 2002 for a refused TCP connect, libmysqlclient 2003.
bool can_not_connect(int code) {
  return code == 2002 || code == 2003;
}

// The MySQL error a fresh connection through the proxy gets (0 = it worked), and how long it took.
std::pair<int, double> try_connect(std::chrono::seconds connect_timeout = 5s) {
  auto t0 = Clock::now();
  try {
    db::ConnectOptions o;
    o.connect_timeout = connect_timeout;
    o.read_timeout = connect_timeout;
    auto c = db::Connection::open(fx().public_dsn(), o);
    c->scalar("SELECT 1");
    return {0, ms_since(t0)};
  } catch (const db::Error& e) {
    MESSAGE("client error ", e.code(), ": ", std::string(e.what()));
    return {e.code(), ms_since(t0)};
  }
}

std::unique_ptr<db::Connection> open_conn(std::chrono::seconds read_timeout = 0s) {
  db::ConnectOptions o;
  o.read_timeout = read_timeout;
  o.write_timeout = read_timeout;
  return db::Connection::open(fx().public_dsn(), o);
}

std::pair<int, double> try_query(db::Connection& c) {
  auto t0 = Clock::now();
  try {
    c.scalar("SELECT COUNT(*) FROM users");
    return {0, ms_since(t0)};
  } catch (const db::Error& e) {
    MESSAGE("client error ", e.code(), ": ", std::string(e.what()));
    return {e.code(), ms_since(t0)};
  }
}

// ISO-8601 UTC with milliseconds ("2024-05-01T10:00:00.123Z") as a system_clock time.
std::chrono::system_clock::time_point parse_iso(const std::string& s) {
  std::tm tm{};
  int msec = 0;
  REQUIRE(sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                 &tm.tm_sec, &msec) == 7);
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(msec);
}

// What a raw probe of the public port sees right now: true if the server greeting came through.
bool reachable() {
  return toolkit::probe({"127.0.0.1", fx().public_port, ""}, 150ms).outcome == "data";
}

void require_up() {
  std::string out;
  REQUIRE_MESSAGE(fx().network({"--up"}, &out) == 0, out);
  REQUIRE(try_connect().first == 0);
}
}  // namespace

TEST_CASE("pass: a client works through the proxy, status shows it") {
  require_up();
  auto [code, ms] = try_connect();
  CHECK(code == 0);
  MESSAGE("connect + query through the proxy: ", ms, " ms");
  std::string out;
  Json j;
  REQUIRE(fx().network({"--status"}, &out, &j) == 0);
  CHECK(j["server"]["running"] == true);
  CHECK(j["proxy"]["listening"] == true);
  CHECK(j["faults"].empty());
  CHECK(out.find("server:  running") != std::string::npos);
}

TEST_CASE("reject: new connections are refused (2002/2003) at once, open ones with 2013; --up restores") {
  require_up();
  auto open = open_conn();
  REQUIRE(try_query(*open).first == 0);
  std::string out;
  Json j;
  REQUIRE_MESSAGE(fx().network({"--down", "--type", "reject"}, &out, &j) == 0, out);
  CHECK(j["probe"]["outcome"] == "refused");
  MESSAGE("reject verification probe: ", j["probe"]["ms"], " ms");

  auto [code, ms] = try_connect();
  CHECK(can_not_connect(code));
  CHECK(ms < 1000);
  auto [qcode, qms] = try_query(*open);
  CHECK((qcode == 2013 || qcode == 2006));
  CHECK(qms < 1000);

  REQUIRE(fx().network({"--up"}, &out) == 0);
  CHECK(try_connect().first == 0);
}

TEST_CASE("timeout: clients hang until their own timeouts; --up restores") {
  require_up();
  auto open = open_conn(2s);
  REQUIRE(try_query(*open).first == 0);
  std::string out;
  Json j;
  REQUIRE_MESSAGE(fx().network({"--down", "--type", "timeout"}, &out, &j) == 0, out);
  CHECK(j["probe"]["outcome"] == "hang");

  auto [code, ms] = try_connect(2s);
  CHECK((code == 2013 || code == 2003));
  CHECK(ms >= 1900);  // it hung until the client's 2 s timeout
  CHECK(ms < 4000);
  auto [qcode, qms] = try_query(*open);
  CHECK(qcode == 2013);
  CHECK(qms >= 1900);

  REQUIRE(fx().network({"--status"}, &out, &j) == 0);
  REQUIRE(j["faults"].size() == 1);
  CHECK(j["faults"][0]["type"] == "timeout");
  CHECK(j["faults"][0]["until"].is_null());
  // When the proxy's behaviour last changed, and to what.
  REQUIRE(j["last_change_at"].is_string());
  CHECK(j["last_change"].get<std::string>().find("-> timeout") != std::string::npos);

  REQUIRE(fx().network({"--up"}, &out) == 0);
  CHECK(try_connect().first == 0);
}

TEST_CASE("service: the server is stopped (refused at once), --up starts it and waits until it accepts") {
  require_up();
  std::string out;
  Json j;
  REQUIRE_MESSAGE(fx().network({"--down", "--type", "service"}, &out, &j) == 0, out);
  auto [code, ms] = try_connect();
  CHECK(can_not_connect(code));
  CHECK(ms < 1000);
  REQUIRE(fx().network({"--status"}, &out, &j) == 0);
  CHECK(j["server"]["running"] == false);
  CHECK(toolkit::Ledger(fx().dir).outstanding().size() == 1);

  auto t0 = Clock::now();
  REQUIRE_MESSAGE(fx().network({"--up"}, &out) == 0, out);
  MESSAGE("service restart by --up: ", ms_since(t0), " ms");
  CHECK(try_connect().first == 0);
  REQUIRE(fx().network({"--status"}, &out, &j) == 0);
  CHECK(j["server"]["running"] == true);
  CHECK(toolkit::Ledger(fx().dir).outstanding().empty());
}

TEST_CASE("slow: latency is added each way; --slow --off removes it") {
  require_up();
  auto c = open_conn();
  REQUIRE(try_query(*c).first == 0);
  auto [c0, base] = try_query(*c);
  std::string out;
  Json j;
  REQUIRE_MESSAGE(fx().network({"--slow", "--latency", "200"}, &out, &j) == 0, out);
  CHECK(j["probe"]["ms"].get<double>() >= 199);  // the greeting came 200 ms late
  auto [code, ms] = try_query(*c);
  CHECK(code == 0);
  CHECK(ms >= 399);  // one round trip: 200 ms there, 200 ms back
  CHECK(ms < 600);
  MESSAGE("query round trip: ", base, " ms without, ", ms, " ms with 200 ms latency");
  REQUIRE(fx().network({"--slow", "--off"}, &out) == 0);
  auto [code2, ms2] = try_query(*c);
  CHECK(code2 == 0);
  CHECK(ms2 < 100);
}

TEST_CASE("--duration returns at once and the fault ends on time") {
  require_up();
  std::string out;
  Json j;
  auto t0 = Clock::now();
  REQUIRE_MESSAGE(fx().network({"--down", "--type", "reject", "--duration", "1"}, &out, &j) == 0, out);
  double took = ms_since(t0);
  CHECK(took < 500);
  auto until = parse_iso(j["fault"]["until"]);
  CHECK_FALSE(reachable());
  while (!reachable() && ms_since(t0) < 5000) std::this_thread::sleep_for(5ms);
  auto restored = std::chrono::system_clock::now();
  double off_ms = std::chrono::duration<double, std::milli>(restored - until).count();
  MESSAGE("--duration 1: command took ", took, " ms; restored ", off_ms, " ms after the scheduled end");
  CHECK(std::abs(off_ms) <= 100);
  CHECK(try_connect().first == 0);
  REQUIRE(fx().network({"--status"}, &out, &j) == 0);
  CHECK(j["faults"].empty());
  CHECK(toolkit::Ledger(fx().dir).outstanding().empty());
}

TEST_CASE("--flap toggles on schedule without blocking, then restores") {
  require_up();
  std::string out;
  Json j;
  auto t0 = Clock::now();
  REQUIRE_MESSAGE(fx().network({"--flap", "--type", "reject", "--interval", "1", "--duration", "3"}, &out, &j) == 0,
                  out);
  CHECK(ms_since(t0) < 500);
  auto until = parse_iso(j["fault"]["until"]);
  auto start = until - 3s;
  // Record every change of reachability until well after the end.
  std::vector<std::pair<std::chrono::system_clock::time_point, bool>> changes;
  bool last = reachable();
  CHECK_FALSE(last);
  while (ms_since(t0) < 4000) {
    bool now = reachable();
    if (now != last) changes.push_back({std::chrono::system_clock::now(), now});
    last = now;
    std::this_thread::sleep_for(5ms);
  }
  REQUIRE(changes.size() == 3);  // off at +1 s, on at +2 s, off (restored) at +3 s
  for (size_t i = 0; i < changes.size(); ++i) {
    double off =
        std::chrono::duration<double, std::milli>(changes[i].first - (start + std::chrono::seconds(i + 1))).count();
    MESSAGE("flap toggle ", i + 1, " (", std::string(changes[i].second ? "restored" : "fault"), ") ", off,
            " ms from schedule");
    CHECK(changes[i].second == (i % 2 == 0));
    CHECK(std::abs(off) <= 100);
  }
  CHECK(toolkit::Ledger(fx().dir).outstanding().empty());
}

TEST_CASE("after SIGKILL of the daemon mid-fault, a fresh daemon and --up leave the server reachable") {
  require_up();
  std::string out;
  REQUIRE_MESSAGE(fx().network({"--down", "--type", "service"}, &out) == 0, out);
  REQUIRE(fx().network({"--slow", "--latency", "50"}, &out) == 0);
  CHECK(toolkit::Ledger(fx().dir).outstanding().size() == 2);
  fx().kill_daemon();
  CHECK(can_not_connect(try_connect().first));  // the proxy died with it: nothing listens

  // Status without a daemon names the leftovers from the ledger.
  Json j;
  REQUIRE(fx().network({"--status"}, &out, &j) == 0);
  CHECK(j["daemon"] == false);
  CHECK(j["leftovers"].size() == 2);
  CHECK(out.find("leftover") != std::string::npos);

  fx().start_daemon();  // what `network --up` does on demand (it starts `toolkit daemon` detached)
  REQUIRE_MESSAGE(fx().network({"--up"}, &out) == 0, out);
  CHECK(try_connect().first == 0);
  REQUIRE(fx().network({"--status"}, &out, &j) == 0);
  CHECK(j["server"]["running"] == true);
  CHECK(j["faults"].empty());
  CHECK(j["leftovers"].empty());
  CHECK(j["proxy"]["latency_ms"] == 0);
  CHECK(toolkit::Ledger(fx().dir).outstanding().empty());
}

TEST_CASE("bad input is a clear error") {
  std::string out;
  // A value outside the choices is a usage error of the parser (exit 2), with what it accepts and a hint.
  CHECK(fx().network({"--down", "--type", "bogus"}, &out) == 2);
  CHECK(out.find("bogus not in {reject,timeout,service}") != std::string::npos);
  CHECK(fx().network({"--down", "--type", "rejct"}, &out) == 2);
  CHECK(fx().network({"--down", "--up"}, &out) == 1);
  CHECK(out.find("exactly one") != std::string::npos);
  CHECK(fx().network({"--down", "--duration", "soon"}, &out) == 1);
  CHECK(out.find("--duration") != std::string::npos);
  CHECK(fx().network({}, &out) == 1);
  Json r = toolkit::daemon_request(toolkit::DaemonPaths(fx().dir).socket, {{"op", "explode"}});
  CHECK(r["ok"] == false);
  CHECK(r["error"].get<std::string>().find("unknown op") != std::string::npos);
}

TEST_CASE("every declared fault applies, is verified, is recorded under its ledger kind and undone, via the registry") {
  require_up();
  REQUIRE(toolkit::fault_types().size() >= 4);
  for (const auto& f : toolkit::fault_types()) {
    CAPTURE(f.name);
    std::vector<std::string> apply = f.verb == toolkit::FaultVerb::slow
                                         ? std::vector<std::string>{"network", "--slow", "--latency", "300"}
                                         : std::vector<std::string>{"network", "--down", "--type", f.name};
    std::ostringstream os;
    auto r = toolkit::run_command(apply, fx().config(), os);
    REQUIRE_MESSAGE(r.exit_code == 0, os.str());
    CHECK(r.fault == toolkit::FaultChange::applied);  // the command says it applied a fault: no argv re-reading
    CHECK(r.output["fault"]["type"] == f.name);
    CHECK(r.output["fault"]["slot"] == f.slot);
    CHECK(r.output["fault"]["kind"] == f.ledger_kind);
    CHECK(r.output["probe"]["outcome"] != "");  // its own probe verified it
    auto outstanding = toolkit::Ledger(fx().dir).outstanding();
    REQUIRE(outstanding.size() == 1);
    CHECK(outstanding[0].kind == f.ledger_kind);
    // What a client sees: blocked for the faults that refuse or stall (or stop the server), delayed for latency.
    auto p = toolkit::probe({"127.0.0.1", fx().public_port, ""}, 1s);
    if (f.mode == toolkit::ProxyMode::pass)
      CHECK((p.outcome == "data" && p.ms >= 290));
    else
      CHECK(p.outcome != "data");
    std::ostringstream up_out;
    auto up = toolkit::run_command({"network", "--up"}, fx().config(), up_out);
    REQUIRE_MESSAGE(up.exit_code == 0, up_out.str());
    CHECK(up.fault == toolkit::FaultChange::undone);
    CHECK(toolkit::Ledger(fx().dir).outstanding().empty());
    CHECK(reachable());
  }
  // The CLI's --type choices are the registry's names for --down.
  std::string out;
  CHECK(fx().network({"--down", "--type", "latency"}, &out) == 2);  // latency is --slow's, not a --type
  std::ostringstream os;
  auto status = toolkit::run_command({"network", "--status"}, fx().config(), os);
  CHECK(status.fault == toolkit::FaultChange::none);
}
