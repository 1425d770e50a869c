// generate-data's two methods: LOAD DATA LOCAL streamed from memory (default) and prepared INSERTs, the fallback
// when LOCAL INFILE is refused, and that both leave ordinary row events in the binlog.
#include <algorithm>
#include <set>
#include <thread>

#include "datagen/data_gen.hpp"
#include "sandbox_fixture.hpp"
#include "util/process.hpp"

using tktest::TestSandbox;

namespace {
long long count(tc::db::Connection& c, const std::string& sql) {
  return c.scalar(sql).get<long long>();
}
}  // namespace

TEST_CASE("generate-data --method load and insert store the same kind of rows, as row events") {
  auto& sb = TestSandbox::get();
  auto c = sb.connect();
  c->execute("DROP TABLE IF EXISTS gen_methods");
  c->execute("FLUSH BINARY LOGS");  // a fresh file holding only this test's events
  auto file = c->query("SHOW MASTER STATUS").rows[0]["File"].get<std::string>();
  // A batch smaller than the count: several statements, the last one partial.
  auto load = sb.ok({"generate-data", "--count", "2500", "--batch", "1000", "--table", "gen_methods"});
  CHECK(load["method"] == "load");
  CHECK(load["rows"] == 2500);
  auto ins = sb.ok({"generate-data", "--count", "300", "--method", "insert", "--table", "gen_methods"});
  CHECK(ins["method"] == "insert");
  CHECK(count(*c, "SELECT COUNT(*) FROM gen_methods") == 2800);
  CHECK(count(*c, "SELECT COUNT(DISTINCT email) FROM gen_methods") == 2800);
  CHECK(count(*c,
              "SELECT COUNT(*) FROM gen_methods WHERE name NOT LIKE '% %' OR email NOT LIKE '%@%.%' OR "
              "status NOT IN ('active','inactive','pending') OR created_at IS NULL") == 0);
  // A CDC reader sees Write_rows events, not a LOAD DATA statement to replay.
  auto st = tc::toolkit::Sandbox(sb.dir).state();
  tc::ProcessOptions po;
  po.max_capture = 64 << 20;
  auto p = tc::run_process({"mariadb-binlog", "--base64-output=decode-rows", "-v", st->binlog_dir + "/" + file}, po);
  CHECK(p.exit_code == 0);
  CHECK(p.out.find("Begin_load_query") == std::string::npos);
  size_t rows = 0;
  for (size_t at = p.out.find("### INSERT INTO `testdb`.`gen_methods`"); at != std::string::npos;
       at = p.out.find("### INSERT INTO `testdb`.`gen_methods`", at + 1))
    ++rows;
  CHECK(rows == 2800);
  c->execute("DROP TABLE gen_methods");
}

TEST_CASE("generate-data falls back to INSERTs when the server refuses LOCAL INFILE") {
  auto& sb = TestSandbox::get();
  auto c = sb.connect();
  c->execute("SET GLOBAL local_infile = 0");
  struct Restore {
    tc::db::Connection& c;
    ~Restore() { c.execute("SET GLOBAL local_infile = 1"); }
  } restore{*c};
  long long n0 = count(*c, "SELECT COUNT(*) FROM users");
  auto r = sb.ok({"generate-data", "--count", "1500"});
  CHECK(r["method"] == "insert");
  CHECK(r["rows"] == 1500);
  CHECK(count(*c, "SELECT COUNT(*) FROM users") == n0 + 1500);
}

TEST_CASE("generate-data splits a batch across sessions in whole statements, emails distinct") {
  auto& sb = TestSandbox::get();
  auto c = sb.connect();
  c->execute("DROP TABLE IF EXISTS gen_parallel");
  // The sandbox allows concurrent bulk inserts; an external MariaDB left at its default (1) gets one session.
  CHECK(count(*c, "SELECT @@innodb_autoinc_lock_mode") == 2);
  std::string before = c->scalar("SELECT @@gtid_binlog_pos").get<std::string>();
  // 5 statements over 3 sessions: 2 + 2 + 1.
  auto r =
      sb.ok({"generate-data", "--count", "4500", "--batch", "1000", "--connections", "3", "--table", "gen_parallel"});
  CHECK(r["rows"] == 4500);
  CHECK(r["connections"] == 3);
  CHECK(count(*c, "SELECT COUNT(*) FROM gen_parallel") == 4500);
  CHECK(count(*c, "SELECT COUNT(DISTINCT email) FROM gen_parallel") == 4500);
  CHECK(count(*c, "SELECT COUNT(DISTINCT id) FROM gen_parallel") == 4500);
  // Each statement is its own transaction: 5 GTIDs, whichever session wrote them.
  auto seq = [](const std::string& pos) { return std::stoll(pos.substr(pos.rfind('-') + 1)); };
  std::string after = c->scalar("SELECT @@gtid_binlog_pos").get<std::string>();
  CHECK(seq(after) - seq(before) == 5 + 1);  // + the CREATE TABLE

  // Not told: one session per core (at most 4) when there is more than one statement, one otherwise.
  auto def = sb.ok({"generate-data", "--count", "3000", "--batch", "1000", "--table", "gen_parallel"});
  CHECK(def["connections"] == std::clamp<int>(static_cast<int>(std::thread::hardware_concurrency()), 1, 3));
  auto one = sb.ok({"generate-data", "--count", "800", "--batch", "1000", "--table", "gen_parallel"});
  CHECK(one["connections"] == 1);
  // One statement's worth (default batch) of 30,000 rows: split evenly, one statement per session.
  before = c->scalar("SELECT @@gtid_binlog_pos").get<std::string>();
  auto split = sb.ok({"generate-data", "--count", "30000", "--table", "gen_parallel"});
  int sessions = split["connections"].get<int>();
  CHECK(sessions == std::clamp<int>(static_cast<int>(std::thread::hardware_concurrency()), 1, 3));
  after = c->scalar("SELECT @@gtid_binlog_pos").get<std::string>();
  CHECK(seq(after) - seq(before) == sessions);
  CHECK(count(*c, "SELECT COUNT(*) FROM gen_parallel") == 38300);
  CHECK(count(*c, "SELECT COUNT(DISTINCT email) FROM gen_parallel") == 38300);
  // 15,000 rows would give a second session fewer than 10,000: one session.
  CHECK(sb.ok({"generate-data", "--count", "15000", "--table", "gen_parallel"})["connections"] == 1);
  c->execute("DROP TABLE gen_parallel");
}

TEST_CASE("generate-data: a failing session stops the others and the error counts every stored row") {
  auto& sb = TestSandbox::get();
  auto c = sb.connect();
  c->execute("DROP TABLE IF EXISTS gen_fail");
  c->execute("DROP SEQUENCE IF EXISTS gen_fail_seq");
  sb.ok({"generate-data", "--count", "1", "--table", "gen_fail"});  // creates it like users
  c->execute("DELETE FROM gen_fail");
  // Fails every row after the 2000th, counted by a sequence (no row locks, so the sessions do not deadlock on
  // the counter): the session that hits it reports, the other stops after its statement.
  c->execute("CREATE SEQUENCE gen_fail_seq");
  c->execute(
      "CREATE TRIGGER gen_fail_stop BEFORE INSERT ON gen_fail FOR EACH ROW BEGIN "
      "IF NEXTVAL(gen_fail_seq) > 2000 THEN "
      "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'planned failure'; END IF; END");
  auto r = sb.run({"generate-data", "--count", "20000", "--batch", "500", "--connections", "2", "--table", "gen_fail"});
  INFO(r.out);
  CHECK(r.r.exit_code != 0);
  CHECK(r.r.text.find("planned failure") != std::string::npos);
  // Failed statements roll back whole: what is stored is whole 500-row statements, every row before the 2001st
  // that was not in a failed statement, and exactly the total the error names.
  long long stored = count(*c, "SELECT COUNT(*) FROM gen_fail");
  CHECK(stored % 500 == 0);
  CHECK(stored >= 1000);
  CHECK(stored <= 2000);
  CHECK(r.r.text.find("(" + std::to_string(stored) + " rows stored by 2 sessions in all)") != std::string::npos);
  c->execute("DROP TABLE gen_fail");
  c->execute("DROP SEQUENCE gen_fail_seq");
}

TEST_CASE("UserFaker: counters first, first+step, ... keep parallel fakers' emails apart") {
  tc::toolkit::UserFaker a(7, 1, 2), b(7, 2, 2);  // same random draws on purpose: only the counter differs
  std::set<std::string> emails;
  for (int i = 0; i < 200; ++i) {
    emails.insert(a.next().email);
    emails.insert(b.next().email);
  }
  CHECK(emails.size() == 400);
}

TEST_CASE("generate-data rejects a bad --method and an INSERT batch over 20000") {
  auto& sb = TestSandbox::get();
  CHECK(sb.run({"generate-data", "--method", "copy"}).r.exit_code != 0);
  CHECK(sb.run({"generate-data", "--method", "insert", "--batch", "50000"}).r.exit_code != 0);
}

TEST_CASE("UserFaker::append_tsv writes the same users as next()") {
  tc::toolkit::UserFaker a(42), b(42);
  for (int i = 0; i < 50; ++i) {
    auto u = a.next();
    std::string line;
    b.append_tsv(line);
    CHECK(line == u.name + "\t" + u.email + "\t" + u.status + "\n");
  }
}
