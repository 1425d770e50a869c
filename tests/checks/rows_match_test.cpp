// rows_match against two real servers: equal and unequal counts, a filter, and a missing table.
#include <doctest/doctest.h>

#include "check_fixture.hpp"
#include "support/arg_errors.hpp"

using namespace tc;
using tc::test::run_check;
using tc::test::ServerPair;

TEST_CASE("rows_match: equal counts hold, a row deleted on the destination fails naming both counts") {
  auto& p = ServerPair::get();
  p.both("DROP TABLE IF EXISTS rm_users");
  p.both("CREATE TABLE rm_users (id INT PRIMARY KEY, status VARCHAR(10))");
  p.both("INSERT INTO rm_users SELECT seq, IF(seq % 2, 'odd', 'even') FROM seq_1_to_50");

  auto same = run_check("rows_match", {{"table", "rm_users"}});
  CHECK(same.status == report::Status::Passed);
  CHECK(same.output["value"] == true);
  CHECK(same.output["source_rows"] == 50);
  CHECK(same.output["destination_rows"] == 50);
  CHECK(same.output["difference"] == 0);

  p.open("destination")->execute("DELETE FROM rm_users WHERE id IN (7, 8)");
  auto diff = run_check("rows_match", {{"table", "rm_users"}});
  CHECK(diff.status == report::Status::Failed);
  CHECK(diff.output["value"] == false);
  CHECK(diff.output["source_rows"] == 50);
  CHECK(diff.output["destination_rows"] == 48);
  CHECK(diff.output["difference"] == -2);
  CHECK(diff.message.find("50") != std::string::npos);
  CHECK(diff.message.find("48") != std::string::npos);

  // Filtered to rows the delete did not touch: the counts match again.
  auto filtered = run_check("rows_match", {{"table", std::string(test::kDb) + ".rm_users"}, {"where", "id > 10"}});
  CHECK(filtered.status == report::Status::Passed);
  CHECK(filtered.output["source_rows"] == 40);
}

TEST_CASE("rows_match: a missing table is an execution error naming the side, not a failure") {
  CHECK_THROWS_WITH_AS(run_check("rows_match", {{"table", "no_such_table"}}),
                       doctest::Contains("does not exist on source"), plugins::StepError);
  auto& p = ServerPair::get();
  p.open("source")->execute("CREATE TABLE IF NOT EXISTS rm_only_source (id INT PRIMARY KEY)");
  p.open("destination")->execute("DROP TABLE IF EXISTS rm_only_source");
  CHECK_THROWS_WITH_AS(run_check("rows_match", {{"table", "rm_only_source"}}),
                       doctest::Contains("does not exist on destination"), plugins::StepError);
}

TEST_CASE("rows_match: its declaration rejects unknown keys with a suggestion and a missing table") {
  auto issues = testing::arg_errors("rows_match", "{table: users, wher: id > 1}");
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].find("did you mean 'where'") != std::string::npos);
  CHECK(!testing::arg_errors("rows_match", "{where: x}").empty());
  CHECK(!testing::arg_errors("rows_match", "users").empty());
  CHECK(testing::arg_errors("rows_match", "{table: users, where: id > 1}").empty());
}
