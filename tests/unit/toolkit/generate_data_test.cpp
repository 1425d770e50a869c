// generate-data's two methods: LOAD DATA LOCAL streamed from memory (default) and prepared INSERTs, the fallback
// when LOCAL INFILE is refused, and that both leave ordinary row events in the binlog.
#include "sandbox_fixture.hpp"
#include "toolkit/data_gen.hpp"
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
