// no_duplicates against a real server: a duplicated business key is found and named; the key defaults.
#include <doctest/doctest.h>

#include "check_fixture.hpp"

using namespace tc;
using tc::test::run_check;
using tc::test::ServerPair;

TEST_CASE("no_duplicates: finds a duplicated business key (email) and names it with its count") {
  auto& p = ServerPair::get();
  p.both("DROP TABLE IF EXISTS nd_users");
  p.both("CREATE TABLE nd_users (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(100), name VARCHAR(50))");
  p.both("INSERT INTO nd_users (email, name) SELECT CONCAT('u', seq, '@example.com'), 'x' FROM seq_1_to_100");

  auto clean = run_check("no_duplicates", {{"table", "nd_users"}, {"key", "email"}});
  CHECK(clean.status == report::Status::Passed);
  CHECK(clean.output["value"] == true);
  CHECK(clean.output["duplicates"] == 0);

  auto dst = p.open("destination");
  dst->execute(
      "INSERT INTO nd_users (email, name) VALUES ('u42@example.com', 'again'), ('u42@example.com', 'x3'), "
      "('u7@example.com', 'again'), (NULL, 'a'), (NULL, 'b')");
  auto dup = run_check("no_duplicates", {{"table", "nd_users"}, {"key", "email"}});
  CHECK(dup.status == report::Status::Failed);
  CHECK(dup.output["value"] == false);
  CHECK(dup.output["duplicates"] == 2);    // two email values; the NULL emails are not duplicates
  CHECK(dup.output["surplus_rows"] == 3);  // u42 three times, u7 twice
  REQUIRE(dup.output["duplicate_keys"].size() == 2);
  CHECK(dup.output["duplicate_keys"][0]["key"] == "u42@example.com");
  CHECK(dup.output["duplicate_keys"][0]["count"] == 3);
  CHECK(dup.output["duplicate_keys"][1]["key"] == "u7@example.com");
  CHECK(dup.message.find("u42@example.com") != std::string::npos);

  // The source (connection: source) still has none.
  auto src =
      run_check("no_duplicates", {{"table", "nd_users"}, {"key", Json::array({"email"})}, {"connection", "source"}});
  CHECK(src.status == report::Status::Passed);
}

TEST_CASE("no_duplicates: the key defaults to the primary key, or the source's when the destination has none") {
  auto& p = ServerPair::get();
  p.open("source")->execute("DROP TABLE IF EXISTS nd_events");
  p.open("source")->execute("CREATE TABLE nd_events (a INT, b INT, v INT, PRIMARY KEY (a, b))");
  p.open("destination")->execute("DROP TABLE IF EXISTS nd_events");
  p.open("destination")->execute("CREATE TABLE nd_events (a INT, b INT, v INT)");  // an ETL copy without a PK
  p.both("INSERT INTO nd_events SELECT seq DIV 10, seq MOD 10, seq FROM seq_1_to_30");

  auto pk = run_check("no_duplicates", {{"table", "nd_events"}, {"connection", "source"}});
  CHECK(pk.status == report::Status::Passed);
  CHECK(pk.output["key_from"] == "primary key");

  p.open("destination")->execute("INSERT INTO nd_events VALUES (2, 5, 999)");
  auto dup = run_check("no_duplicates", {{"table", "nd_events"}});
  CHECK(dup.status == report::Status::Failed);
  CHECK(dup.output["key_from"] == "source primary key");
  CHECK(dup.output["key"] == Json::array({"a", "b"}));
  REQUIRE(dup.output["duplicate_keys"].size() == 1);
  CHECK(dup.output["duplicate_keys"][0]["key"] == Json::array({2, 5}));
  CHECK(dup.message.find("(2, 5)") != std::string::npos);
}

TEST_CASE("no_duplicates: an unknown key column and a table without any key are clear errors") {
  auto& p = ServerPair::get();
  p.both("DROP TABLE IF EXISTS nd_bare");
  p.both("CREATE TABLE nd_bare (x INT)");
  CHECK_THROWS_WITH_AS(run_check("no_duplicates", {{"table", "nd_bare"}}), doctest::Contains("name the key columns"),
                       plugins::StepError);
  CHECK_THROWS_WITH_AS(run_check("no_duplicates", {{"table", "nd_bare"}, {"key", "y"}}),
                       doctest::Contains("key column 'y' is not a column"), plugins::StepError);
}

TEST_CASE("no_duplicates: duplicates the source already holds are not blamed on the pipeline") {
  auto& p = ServerPair::get();
  p.both("DROP TABLE IF EXISTS nd_src_dups");
  p.both("CREATE TABLE nd_src_dups (id INT PRIMARY KEY, email VARCHAR(100))");
  // The source itself repeats two e-mails (as `replicate --scenario gtid-gap` does); the copy has them too.
  p.both("INSERT INTO nd_src_dups VALUES (1, 'a@x'), (2, 'a@x'), (3, 'b@x'), (4, 'b@x'), (5, 'c@x')");
  auto same = run_check("no_duplicates", {{"table", "nd_src_dups"}, {"key", "email"}});
  CHECK(same.status == report::Status::Passed);
  CHECK(same.output["duplicates"] == 0);
  CHECK(same.output["source_duplicates"] == 2);
  CHECK(same.message.find("on the source too") != std::string::npos);

  // The pipeline writes b@x once more and c@x twice: only what exceeds the source's count is its doing.
  p.open("destination")->execute("INSERT INTO nd_src_dups VALUES (6, 'b@x'), (7, 'c@x')");
  auto more = run_check("no_duplicates", {{"table", "nd_src_dups"}, {"key", "email"}});
  CHECK(more.status == report::Status::Failed);
  CHECK(more.output["duplicates"] == 2);         // b@x (3 against the source's 2) and c@x (2 against 1)
  CHECK(more.output["surplus_rows"] == 2);       // one surplus row each
  CHECK(more.output["source_duplicates"] == 1);  // a@x: as often as on the source
  CHECK(more.message.find("b@x") != std::string::npos);
}
