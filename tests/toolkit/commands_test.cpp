// generate-data, schema-change, transaction and replicate against the real sandbox.
#include <chrono>
#include <thread>

#include "sandbox/flavour.hpp"
#include "sandbox_fixture.hpp"
#include "util/process.hpp"

using tc::Json;
using tktest::TestSandbox;

namespace {
long long count(tc::db::Connection& c, const std::string& sql) {
  return c.scalar(sql).get<long long>();
}
std::uint64_t seq(tc::db::Connection& c) {
  auto g = c.scalar("SELECT @@gtid_binlog_pos").get<std::string>();
  return tc::toolkit::GtidSet::parse(tc::toolkit::FlavourKind::MariaDB, g).last_seq("0");
}
}  // namespace

TEST_CASE("generate-data inserts random users, into other tables too, and stops on request") {
  auto& sb = TestSandbox::get();
  auto c = sb.connect();
  long long n0 = count(*c, "SELECT COUNT(*) FROM users");
  auto r = sb.ok({"generate-data", "--count", "2345"});
  CHECK(r["rows"] == 2345);
  CHECK(count(*c, "SELECT COUNT(*) FROM users") == n0 + 2345);
  CHECK(count(*c, "SELECT COUNT(DISTINCT email) FROM users") == count(*c, "SELECT COUNT(*) FROM users"));
  CHECK(count(*c, "SELECT COUNT(*) FROM users WHERE status NOT IN ('active','inactive','pending')") == 0);
  // default count is 100
  CHECK(sb.ok({"generate-data"})["rows"] == 100);
  auto other = sb.ok({"generate-data", "--count", "10", "--table", "users_copy"});
  CHECK(other["created_table"] == true);
  CHECK(count(*c, "SELECT COUNT(*) FROM users_copy") == 10);

  // --interval: runs until stopped, then prints the total.
  std::stop_source stop;
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    stop.request_stop();
  });
  auto loop = sb.run({"generate-data", "--count", "50", "--interval", "0.2"}, stop.get_token());
  t.join();
  CHECK(loop.r.exit_code == 0);
  long long total = loop.r.output["rows"].get<long long>();
  CHECK(total >= 100);
  CHECK(total % 50 == 0);
  CHECK(loop.r.output["batches"].get<int>() >= 2);
  CHECK(loop.out.find("total") != std::string::npos);
}

TEST_CASE("generate-data throughput for 1M rows (prepared batches, one connection)") {
  auto& sb = TestSandbox::get();
  auto r = sb.ok({"generate-data", "--count", "1000000"});
  CHECK(r["rows"] == 1000000);
  double rate = r["rows_per_s"].get<double>();
  MESSAGE("generate-data --count 1000000: " << r["seconds"].get<double>() << " s, " << rate << " rows/s");
  // The reference toolkit's method for comparison: one multi-row INSERT through the mysql client.
  auto st = tc::toolkit::Sandbox(sb.dir).state();
  std::string sql = "INSERT INTO testdb.users (name, email, status) VALUES ";
  for (int i = 0; i < 100000; ++i)
    sql += (i ? "," : "") + std::string("('Ref User','ref") + std::to_string(i) + "@example.com','active')";
  tc::ProcessOptions po;
  po.stdin_text = sql;
  auto t0 = std::chrono::steady_clock::now();
  auto p = tc::run_process({"mariadb", "--no-defaults", "-uroot", "-prootpassword", "-S", st->socket}, po);
  double ref = 100000 / std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(p.exit_code == 0);
  MESSAGE("reference method (one multi-row INSERT of 100k rows via the mariadb client): " << ref << " rows/s; ratio "
                                                                                          << rate / ref);
  CHECK(rate > 50000);  // loose floor: a shared 2-core machine; the measured rate is reported above
}

TEST_CASE("schema-change: every type, with counts, only on what it made") {
  auto& sb = TestSandbox::get();
  auto c = sb.connect();
  auto cols = [&] {
    return count(*c,
                 "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema='testdb' AND table_name='users'");
  };
  long long c0 = cols();
  auto s0 = seq(*c);
  auto add = sb.ok({"schema-change", "--type", "add-column", "--count", "3"});
  CHECK(add["count"] == 3);
  CHECK(cols() == c0 + 3);
  CHECK(seq(*c) == s0 + 3);  // each DDL is its own GTID
  auto alt = sb.ok({"schema-change", "--type", "alter-column"});
  CHECK(alt["statements"][0].get<std::string>().find("MODIFY COLUMN tc_col_") != std::string::npos);
  sb.ok({"schema-change", "--type", "drop-column", "--count", "3"});
  CHECK(cols() == c0);
  CHECK(sb.run({"schema-change", "--type", "drop-column"}).r.exit_code == 1);  // nothing of ours left to drop
  long long len0 = count(*c,
                         "SELECT character_maximum_length FROM information_schema.columns WHERE table_schema='testdb' "
                         "AND table_name='users' AND column_name='name'");
  sb.ok({"schema-change", "--type", "alter-column"});
  CHECK(count(*c,
              "SELECT character_maximum_length FROM information_schema.columns WHERE table_schema='testdb' AND "
              "table_name='users' AND column_name='name'") == len0 + 10);
  auto tables = [&] {
    return count(*c,
                 "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='testdb' AND table_name LIKE "
                 "'tc\\_table\\_%'");
  };
  long long t0 = tables();
  sb.ok({"schema-change", "--type", "create-table", "--count", "2"});
  CHECK(tables() == t0 + 2);
  sb.ok({"schema-change", "--type", "drop-table", "--count", "2"});
  CHECK(tables() == t0);
  CHECK(count(*c, "SELECT COUNT(*) FROM users") > 0);  // users itself untouched
}

TEST_CASE("transaction: many-rows is one GTID; large-data, long-running, mixed") {
  auto& sb = TestSandbox::get();
  auto c = sb.connect();
  long long n0 = count(*c, "SELECT COUNT(*) FROM users");
  auto s0 = seq(*c);
  auto mr = sb.ok({"transaction", "--type", "many-rows", "--rows", "5000"});
  CHECK(mr["rows"] == 5000);
  CHECK(mr["transactions"] == 1);
  CHECK(seq(*c) == s0 + 1);
  CHECK(count(*c, "SELECT COUNT(*) FROM users") == n0 + 5000);
  CHECK(sb.ok({"transaction", "--type", "many-rows"})["rows"] == 1000);  // default --rows

  for (const char* dt : {"text", "blob"}) {
    auto ld = sb.ok({"transaction", "--type", "large-data", "--size", "1500", "--data-type", dt});
    CHECK(ld["bytes"] == 1500 * 1024);
    CHECK(ld["rows"] == 2);  // 1 MiB + the rest, in one transaction
    CHECK(ld["transactions"].get<int>() >= 1);
  }
  CHECK(count(*c,
              "SELECT CAST(SUM(COALESCE(LENGTH(payload_text),0) + COALESCE(LENGTH(payload_blob),0)) AS SIGNED) FROM "
              "tc_large_data") >= 2 * 1500 * 1024);

  // long-running: uncommitted while held (another session cannot see the row), committed after.
  Json lr;
  std::thread t([&] { lr = sb.ok({"transaction", "--type", "long-running", "--duration", "1.5"}); });
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  CHECK(count(*c, "SELECT COUNT(*) FROM users WHERE email = 'long.running@example.com'") == 0);
  auto trx = count(*c, "SELECT COUNT(*) FROM information_schema.innodb_trx");
  CHECK(trx >= 1);
  t.join();
  CHECK(lr["held_s"].get<double>() >= 1.4);
  CHECK(count(*c, "SELECT COUNT(*) FROM users WHERE email = 'long.running@example.com'") >= 1);

  auto s1 = seq(*c);
  auto mx = sb.ok({"transaction", "--type", "mixed", "--rows", "400"});
  CHECK(mx["inserted"] == 400);
  CHECK(mx["updated"].get<int>() > 0);
  CHECK(mx["deleted"].get<int>() > 0);
  CHECK(seq(*c) == s1 + 1);
}

TEST_CASE("replicate: gtid-gap makes a real gap in @@gtid_binlog_pos; lag and disconnect write") {
  auto& sb = TestSandbox::get();
  auto c = sb.connect();
  c->execute("FLUSH BINARY LOGS");  // a small file for mariadb-binlog to print below
  auto before = seq(*c);
  auto g = sb.ok({"replicate", "--scenario", "gtid-gap", "--gap", "50"});
  auto after = seq(*c);
  CHECK(after == before + 51);
  CHECK(g["gap"] == 50);
  CHECK(g["skipped_from"] == before + 1);
  // The next transaction continues after the jump (the gap stays a gap).
  sb.ok({"generate-data", "--count", "1"});
  CHECK(seq(*c) == after + 1);
  // The binlog itself has GTID before+0 followed by before+51.
  auto st = tc::toolkit::Sandbox(sb.dir).state();
  auto file = c->query("SHOW MASTER STATUS").rows[0]["File"].get<std::string>();
  auto p = tc::run_process({"mariadb-binlog", st->binlog_dir + "/" + file});
  CHECK(p.exit_code == 0);
  CHECK(p.out.find("GTID 0-1-" + std::to_string(before + 51)) != std::string::npos);
  CHECK(p.out.find("GTID 0-1-" + std::to_string(before + 1) + " ") == std::string::npos);
  CHECK(p.out.find("GTID 0-1-" + std::to_string(before + 52) + " ") != std::string::npos);

  auto logs0 = c->query("SHOW BINARY LOGS").rows.size();
  auto d = sb.ok({"replicate", "--scenario", "disconnect", "--duration", "0", "--burst", "200"});
  CHECK(d["rows"] == 200);
  CHECK(c->query("SHOW BINARY LOGS").rows.size() == logs0 + 2);
  auto lag = sb.ok({"replicate", "--scenario", "lag", "--duration", "0.6"});
  CHECK(lag["updates"].get<int>() >= 3);
}
