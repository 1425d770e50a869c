// data_match against two real servers: clean tables match; a deleted row, an extra row, a changed value, a
// NULL that became '', and a duplicated key (destination without a primary key) are each found and named.
#include <doctest/doctest.h>

#include <chrono>

#include "check_fixture.hpp"
#include "plugins/table_diff.hpp"
#include "support/arg_errors.hpp"

using namespace tc;
using tc::test::run_check;
using tc::test::ServerPair;

namespace {
// A users-like table with explicit timestamps so both servers hold identical rows.
void make_users(const std::string& table, int rows, bool destination_pk = true) {
  auto& p = ServerPair::get();
  std::string cols =
      "id INT NOT NULL, name VARCHAR(100) NOT NULL, email VARCHAR(255) NOT NULL, status ENUM('active','inactive',"
      "'pending') DEFAULT 'active', note VARCHAR(20) NULL, created_at TIMESTAMP NULL, score DECIMAL(8,2)";
  p.both("DROP TABLE IF EXISTS " + table);
  p.open("source")->execute("CREATE TABLE " + table + " (" + cols + ", PRIMARY KEY (id))");
  p.open("destination")
      ->execute("CREATE TABLE " + table + " (" + cols + (destination_pk ? ", PRIMARY KEY (id)" : "") + ")");
  p.both("INSERT INTO " + table +
         " SELECT seq, CONCAT('User ', seq), CONCAT('user', seq, '@example.com'), ELT(1 + seq % 3, 'active', "
         "'inactive', 'pending'), IF(seq % 5 = 0, NULL, 'n'), FROM_UNIXTIME(1700000000 + seq), seq / 7 FROM seq_1_to_" +
         std::to_string(rows));
}
}  // namespace

TEST_CASE("data_match: identical tables match, in integer-range chunks") {
  make_users("dm_clean", 3000);
  auto o = run_check("data_match", {{"table", "dm_clean"}, {"chunk_size", 500}});
  CHECK(o.status == report::Status::Passed);
  CHECK(o.output["value"] == true);
  CHECK(o.output["source_rows"] == 3000);
  CHECK(o.output["destination_rows"] == 3000);
  CHECK(o.output["plan"] == "integer ranges");
  CHECK(o.output["chunks"].get<int>() >= 5);
  CHECK(o.output["mismatched_chunks"] == 0);
  CHECK(o.output["key"] == Json::array({"id"}));
}

TEST_CASE("data_match: a deleted row, an extra row and a changed value are each named by key") {
  make_users("dm_users", 5000);
  auto dst = ServerPair::get().open("destination");
  dst->execute("DELETE FROM dm_users WHERE id = 1234");
  dst->execute("INSERT INTO dm_users VALUES (90001, 'Intruder', 'x@example.com', 'active', NULL, NULL, 0)");
  dst->execute("UPDATE dm_users SET email = 'changed@example.com' WHERE id = 4321");
  auto o = run_check("data_match", {{"table", "dm_users"}, {"chunk_size", 1000}});
  CHECK(o.status == report::Status::Failed);
  CHECK(o.output["value"] == false);
  CHECK(o.output["missing"] == 1);
  CHECK(o.output["extra"] == 1);
  CHECK(o.output["changed"] == 1);
  CHECK(o.output["duplicated"] == 0);
  CHECK(o.output["missing_keys"] == Json::array({1234}));
  CHECK(o.output["extra_keys"] == Json::array({90001}));
  CHECK(o.output["changed_keys"] == Json::array({4321}));
  CHECK(o.output["complete"] == true);
  CHECK(o.output["source_rows"] == 5000);
  CHECK(o.output["destination_rows"] == 5000);  // the counts alone would not have seen it
  CHECK(o.message.find("1 missing (id 1234)") != std::string::npos);
  CHECK(o.message.find("1 extra (id 90001)") != std::string::npos);
  CHECK(o.message.find("1 changed (id 4321)") != std::string::npos);
}

TEST_CASE("data_match: NULL turned into '' and a shifted TIMESTAMP are differences") {
  make_users("dm_nulls", 200);
  auto dst = ServerPair::get().open("destination");
  dst->execute("UPDATE dm_nulls SET note = '' WHERE id = 10");  // note was NULL (10 % 5 == 0)
  dst->execute("UPDATE dm_nulls SET created_at = created_at + INTERVAL 1 SECOND WHERE id = 11");
  auto o = run_check("data_match", {{"table", "dm_nulls"}});
  CHECK(o.status == report::Status::Failed);
  CHECK(o.output["changed"] == 2);
  CHECK(o.output["changed_keys"] == Json::array({10, 11}));
  CHECK(o.output["missing"] == 0);
  CHECK(o.output["extra"] == 0);
}

TEST_CASE("data_match: a duplicated key on a destination without a primary key") {
  make_users("dm_dups", 2000, /*destination_pk=*/false);
  auto& p = ServerPair::get();
  auto dst = p.open("destination");
  // The same row delivered twice (an at-least-once pipeline replaying a batch).
  dst->execute("INSERT INTO dm_dups SELECT * FROM dm_dups WHERE id = 777");
  auto o = run_check("data_match", {{"table", "dm_dups"}, {"chunk_size", 300}});
  CHECK(o.status == report::Status::Failed);
  CHECK(o.output["duplicated"] == 1);
  CHECK(o.output["duplicated_keys"] == Json::array({777}));
  CHECK(o.output["changed"] == 0);
  CHECK(o.output["missing"] == 0);
  CHECK(o.output["extra"] == 0);
  CHECK(o.output["destination_rows"] == 2001);
  CHECK(o.message.find("1 duplicated (id 777)") != std::string::npos);

  // A duplicate pair of one row plus a missing pair keeps the count equal; the checksums still see it.
  dst->execute("DELETE FROM dm_dups WHERE id = 5");
  auto o2 = run_check("data_match", {{"table", "dm_dups"}});
  CHECK(o2.output["destination_rows"] == 2000);
  CHECK(o2.status == report::Status::Failed);
  CHECK(o2.output["missing_keys"] == Json::array({5}));
  CHECK(o2.output["duplicated_keys"] == Json::array({777}));
}

TEST_CASE("data_match: string and composite keys use a key walk; rows missing and changed are named") {
  auto& p = ServerPair::get();
  p.both("DROP TABLE IF EXISTS dm_orders");
  p.both("CREATE TABLE dm_orders (region VARCHAR(10), order_no INT, amount INT, PRIMARY KEY (region, order_no))");
  p.both("INSERT INTO dm_orders SELECT ELT(1 + seq % 4, 'eu', 'us', 'apac', 'latam'), seq, seq * 3 FROM seq_1_to_4000");
  auto clean = run_check("data_match", {{"table", "dm_orders"}, {"chunk_size", 250}});
  CHECK(clean.status == report::Status::Passed);
  CHECK(clean.output["plan"] == "key walk");
  CHECK(clean.output["chunks"].get<int>() >= 16);

  auto dst = p.open("destination");
  dst->execute("DELETE FROM dm_orders WHERE region = 'us' AND order_no = 1001");
  dst->execute("UPDATE dm_orders SET amount = -1 WHERE region = 'apac' AND order_no = 2002");
  auto o = run_check("data_match", {{"table", "dm_orders"}, {"chunk_size", 250}});
  CHECK(o.status == report::Status::Failed);
  CHECK(o.output["missing_keys"] == Json::parse(R"([["us", 1001]])"));
  CHECK(o.output["changed_keys"] == Json::parse(R"([["apac", 2002]])"));
  CHECK(o.message.find("('us', 1001)") != std::string::npos);

  // A filter that excludes both differences matches.
  auto filtered = run_check("data_match", {{"table", "dm_orders"}, {"where", "region IN ('eu', 'latam')"}});
  CHECK(filtered.status == report::Status::Passed);
  CHECK(filtered.output["source_rows"] == 2000);
}

TEST_CASE("data_match: a destination that is empty or lacks a column") {
  auto& p = ServerPair::get();
  make_users("dm_empty", 1500);
  p.open("destination")->execute("DELETE FROM dm_empty");
  auto o = run_check("data_match", {{"table", "dm_empty"}, {"max_report", 3}});
  CHECK(o.status == report::Status::Failed);
  CHECK(o.output["missing"] == 1500);
  CHECK(o.output["missing_keys"] == Json::array({1, 2, 3}));
  CHECK(o.message.find("1500 missing (id 1, 2, 3, ...)") != std::string::npos);

  make_users("dm_cols", 100);
  p.open("destination")->execute("ALTER TABLE dm_cols DROP COLUMN score, ADD COLUMN _etl_loaded_at DATETIME");
  auto c = run_check("data_match", {{"table", "dm_cols"}});
  CHECK(c.status == report::Status::Failed);
  CHECK(c.output["missing_columns"] == Json::array({"score"}));
  CHECK(c.output["changed"] == 0);  // the other columns still agree; the ETL's own column is ignored
  CHECK(c.message.find("lacks column(s) score") != std::string::npos);
}

TEST_CASE("data_match: bad arguments are errors, not failures") {
  make_users("dm_args", 10);
  CHECK_THROWS_WITH_AS(run_check("data_match", {{"table", "dm_args"}, {"key", "nope"}}),
                       doctest::Contains("key column 'nope'"), plugins::StepError);
  CHECK_THROWS_WITH_AS(run_check("data_match", {{"table", "dm_args"}, {"where", "no_col = 1"}}),
                       doctest::Contains("Unknown column"), plugins::StepError);
  CHECK(!testing::arg_errors("data_match", "{table: t, chunk_size: -5}").empty());
  CHECK(!testing::arg_errors("data_match", "{table: t, key: {a: 1}}").empty());
  CHECK(testing::arg_errors("data_match", "{table: t, chunk_size: \"${n}\"}").size() == 1);  // n: undefined var
  CHECK(testing::arg_errors("data_match", "{table: t, chunk_size: 500, key: [id]}").empty());
}

TEST_CASE("data_match: a clean 100k-row table matches; one changed row in it is found by bisection") {
  make_users("dm_big", 100000);
  auto t0 = std::chrono::steady_clock::now();
  auto o = run_check("data_match", {{"table", "dm_big"}});
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  CHECK(o.status == report::Status::Passed);
  CHECK(o.output["source_rows"] == 100000);
  CHECK(o.output["destination_rows"] == 100000);
  MESSAGE("100k rows compared in " << ms << " ms, " << o.output["chunks"] << " chunks, " << o.output["queries"]
                                   << " queries");

  ServerPair::get().open("destination")->execute("UPDATE dm_big SET name = 'Renamed' WHERE id = 65432");
  auto d = run_check("data_match", {{"table", "dm_big"}});
  CHECK(d.status == report::Status::Failed);
  CHECK(d.output["changed_keys"] == Json::array({65432}));
  CHECK(d.output["mismatched_chunks"] == 1);
  // Bisection touches a few ranges, not every row: far fewer queries than rows in the chunk.
  CHECK(d.output["queries"].get<int>() < o.output["queries"].get<int>() + 40);
}

TEST_CASE("data_match: a stop request cancels the comparison on the servers") {
  make_users("dm_cancel", 100000);
  std::stop_source stop;
  stop.request_stop();
  CHECK_THROWS_WITH_AS(run_check("data_match", {{"table", "dm_cancel"}}, stop.get_token()),
                       doctest::Contains("cancelled"), plugins::StepError);
}
