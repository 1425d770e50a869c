// The replica target end to end: a real sandbox source, the real fault proxy (toolkit daemon) and a real replica.
#include <doctest/doctest.h>

#include "targets/factory.hpp"
#include "targets/replica_status.hpp"
#include "targets/replica_fixture.hpp"

using namespace tc;
using namespace tc::test;
using namespace std::chrono_literals;

namespace {
ReplicaFixture& fx() {
  return ReplicaFixture::get();
}
targets::ReplicaTarget& replica() {
  return *fx().replica;
}

long long count(db::Connection& c, const std::string& where = "") {
  return c.scalar("SELECT COUNT(*) FROM testdb.users" + (where.empty() ? "" : " WHERE " + where)).get<long long>();
}

void insert_rows(int n, const std::string& tag) {
  auto src = fx().source_conn();
  for (int i = 0; i < n; ++i)
    src->execute("INSERT INTO testdb.users (name, email) VALUES ('" + tag + std::to_string(i) + "', '" + tag +
                 std::to_string(i) + "@example.com')");
}

// Seconds until the destination holds as many users rows as the source, -1 if it never does within `timeout`.
double wait_caught_up(std::chrono::milliseconds timeout = 20s) {
  auto src = fx().source_conn();
  long long want = count(*src);
  return wait_until(
      [&] {
        try {
          return count(*fx().dest_conn()) == want;
        } catch (const db::Error&) {
          return false;
        }
      },
      timeout);
}

double wait_state(const std::string& state, std::chrono::milliseconds timeout) {
  return wait_until([&] { return replica().status().state == state; }, timeout);
}

void require_running() {
  if (replica().status().state != "running") {
    fx().network({"--up"});
    replica().restart();
  }
  REQUIRE_MESSAGE(wait_state("running", 15s) >= 0, replica().status().to_json().dump(2));
}
}  // namespace

TEST_CASE("replica: created from the seeded template, running through the fault proxy, rows arrive") {
  MESSAGE("replica created in ", fx().create_seconds, " s: ", replica().setup().dump());
  CHECK(replica().setup()["snapshot"]["kind"] == "template");
  double t = wait_state("running", 15s);
  REQUIRE_MESSAGE(t >= 0, replica().status().to_json().dump(2));
  auto s = replica().status();
  CHECK(s.last_errno == 0);
  CHECK(s.detail["Master_Port"].dump() == std::to_string(fx().source.public_port));  // through the proxy
  CHECK(s.detail["Using_Gtid"] == "Slave_Pos");
  CHECK(s.lag_seconds.has_value());
  CHECK(replica().destination_dsn() ==
        "mysql://root:rootpassword@127.0.0.1:" + std::to_string(replica().port()) + "/testdb");

  auto t0 = Clock::now();
  insert_rows(20, "arrive");
  double caught = wait_caught_up();
  MESSAGE("20 rows inserted on the source reached the destination in ", secs_since(t0), " s");
  CHECK(caught >= 0);
  auto dst = fx().dest_conn();
  CHECK(count(*dst, "name LIKE 'arrive%'") == 20);
  auto src = fx().source_conn();
  CHECK(replica().status().detail["gtid_slave_pos"] == src->scalar("SELECT @@gtid_binlog_pos"));
}

TEST_CASE(
    "replica: a network reject makes it failed with 2003 and the exact text; Fix Now after network --up recovers") {
  require_running();
  std::string out;
  REQUIRE_MESSAGE(fx().network({"--down", "--type", "reject"}, &out) == 0, out);
  auto t0 = Clock::now();
  double detect = wait_state("failed", 20s);
  REQUIRE_MESSAGE(detect >= 0, replica().status().to_json().dump(2));
  MESSAGE("time to detect a reject: ", secs_since(t0), " s (connect_retry 1 s, net_timeout 4 s, heartbeat 1 s)");
  auto s = replica().status();
  CHECK(s.last_errno == 2003);
  MESSAGE("Last_IO_Error: ", s.last_error);
  CHECK(s.last_error.find("Can't connect to server on '127.0.0.1'") != std::string::npos);
  CHECK(s.last_error.find("Connection refused") != std::string::npos);
  // The exact text the replica itself reports (read straight from SHOW SLAVE STATUS).
  auto dst = fx().dest_conn();
  auto row = dst->query("SHOW SLAVE STATUS").rows.at(0);
  CHECK(row["Last_IO_Errno"].dump() == "2003");
  CHECK(targets::status_from_slave_row(row, "").last_error == row["Last_IO_Error"].get<std::string>());

  // Rows written during the outage must arrive after the fix.
  insert_rows(10, "outage");
  std::this_thread::sleep_for(1500ms);
  CHECK(replica().status().state == "failed");  // it does not heal while the fault holds

  REQUIRE(fx().network({"--up"}, &out) == 0);
  auto t1 = Clock::now();
  replica().restart();
  double back = wait_state("running", 15s);
  REQUIRE_MESSAGE(back >= 0, replica().status().to_json().dump(2));
  MESSAGE("Fix Now -> running in ", secs_since(t1), " s");
  CHECK(replica().status().last_errno == 0);
  CHECK(wait_caught_up() >= 0);
  CHECK(count(*fx().dest_conn(), "name LIKE 'outage%'") == 10);
}

TEST_CASE("replica: a timeout fault (packets swallowed) is detected through the net timeout") {
  require_running();
  REQUIRE(fx().network({"--down", "--type", "timeout"}) == 0);
  auto t0 = Clock::now();
  double detect = wait_state("failed", 30s);
  auto s = replica().status();
  MESSAGE("time to detect a timeout: ", secs_since(t0), " s; error ", s.last_errno, ": ", s.last_error);
  CHECK(detect >= 0);
  CHECK(s.last_errno != 0);
  REQUIRE(fx().network({"--up"}) == 0);
  replica().restart();
  CHECK(wait_state("running", 15s) >= 0);
}

TEST_CASE("replica: resync repairs a destination row deleted by hand") {
  require_running();
  REQUIRE(wait_caught_up() >= 0);
  auto dst = fx().dest_conn();
  long long victim = dst->scalar("SELECT MIN(id) FROM testdb.users").get<long long>();
  dst->execute("DELETE FROM testdb.users WHERE id = " + std::to_string(victim));
  auto src = fx().source_conn();
  CHECK(count(*dst) == count(*src) - 1);

  auto t0 = Clock::now();
  replica().resync();
  MESSAGE("resync took ", secs_since(t0), " s: ", replica().setup()["snapshot"].dump());
  CHECK(replica().setup()["snapshot"]["kind"] == "dump");
  CHECK(replica().setup()["snapshot"]["gtid"] == src->scalar("SELECT @@gtid_binlog_pos"));
  REQUIRE(wait_state("running", 15s) >= 0);
  CHECK(count(*fx().dest_conn(), "id = " + std::to_string(victim)) == 1);
  CHECK(count(*fx().dest_conn()) == count(*src));

  // Replication resumes from the snapshot's GTID: new rows still arrive, nothing applied twice.
  insert_rows(5, "after_resync");
  CHECK(wait_caught_up() >= 0);
  CHECK(count(*fx().dest_conn(), "name LIKE 'after_resync%'") == 5);
  CHECK(replica().status().last_errno == 0);
}

TEST_CASE("replica: stop and start drive the replication threads; make_target reuses the running replica") {
  require_running();
  replica().stop();
  CHECK(replica().status().state == "stopped");
  replica().start();
  CHECK(wait_state("running", 15s) >= 0);

  targets::TargetEnv env{fx().config(), nullptr, ""};
  auto again = targets::make_target(Json("replica"), env);
  auto* r = dynamic_cast<targets::ReplicaTarget*>(again.get());
  REQUIRE(r);
  CHECK(r->pid() == replica().pid());
  CHECK(r->setup()["server"].get<std::string>().find("reused") == 0);
  CHECK(again->status().state == "running");
  CHECK(again->log_files().at(0) == replica().dir() + "/error.log");

  // A different profile is applied to the running replica (and put back afterwards).
  auto tuned = targets::make_target(
      Json{{"type", "replica"}, {"connect_retry", 2}, {"net_timeout", "6s"}, {"heartbeat", 0.5}}, env);
  auto row = fx().dest_conn()->query("SHOW SLAVE STATUS").rows.at(0);
  CHECK(row["Connect_Retry"].dump() == "2");
  CHECK(fx().dest_conn()->scalar("SELECT @@GLOBAL.slave_net_timeout").dump() == "6");
  CHECK(wait_until([&] { return tuned->status().state == "running"; }, 15s) >= 0);
  auto back = targets::make_target(Json("replica"), env);
  CHECK(fx().dest_conn()->scalar("SELECT @@GLOBAL.slave_net_timeout").dump() == "4");
  CHECK(wait_until([&] { return back->status().state == "running"; }, 15s) >= 0);
}
