// make_target: names, maps, profiles and the errors a scenario author sees; the replica profile's settings.
#include "targets/factory.hpp"

#include <doctest/doctest.h>
#include <stdlib.h>

#include "targets/profile.hpp"
#include "targets/replica_profile.hpp"
#include "targets/replica_status.hpp"
#include "util/prompter_answers.hpp"

using namespace tc;

TEST_CASE("factory: unknown names get a did-you-mean; malformed specs are named") {
  ::setenv("TC_TARGETS_DIR", TC_SOURCE_DIR "/targets", 1);
  targets::TargetEnv env{{}, nullptr, ""};
  CHECK_THROWS_WITH_AS(targets::make_target(Json("replcia"), env), doctest::Contains("did you mean 'replica'"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(targets::make_target(Json("fivetrn"), env), doctest::Contains("did you mean 'fivetran'"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(targets::make_target(Json{{"name", "hevo"}}, env), doctest::Contains("needs `type`"),
                       std::invalid_argument);
  CHECK_THROWS_AS(targets::make_target(Json(42), env), std::invalid_argument);
  CHECK_THROWS_WITH_AS(targets::make_target(Json{{"type", "replica"}, {"net_timout", 3}}, env),
                       doctest::Contains("did you mean `net_timeout`"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(targets::make_target(Json{{"type", "http"}, {"profile", "hevo"}}, env),
                       doctest::Contains("not 'http'"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(targets::make_target(Json("fivetran-api"), env), doctest::Contains("{api_key}"),
                       std::invalid_argument);
  AnswersPrompter p({});
  targets::TargetEnv with_prompter{{}, &p, ""};
  CHECK(targets::make_target(Json("hevo"), with_prompter)->etl_tool() == "Hevo");
  CHECK(targets::make_target(Json{{"type", "manual"}, {"profile", "airbyte"}}, with_prompter)->etl_tool() == "Airbyte");
}

TEST_CASE("profiles: lookup order, {placeholders}, a clear error when none is found") {
  ::setenv("TC_TARGETS_DIR", "/nonexistent-tc-dir", 1);
  auto c = targets::profile_candidates("hevo");
  REQUIRE(c.size() > 1);
  CHECK(c[0] == "/nonexistent-tc-dir/hevo.json");
  CHECK(targets::profile_candidates("/x/y.json") == std::vector<std::string>{"/x/y.json"});
  CHECK_THROWS_WITH_AS(targets::load_profile("no-such-tool"), doctest::Contains("no target profile 'no-such-tool'"),
                       std::invalid_argument);
  ::setenv("TC_TARGETS_DIR", TC_SOURCE_DIR "/targets", 1);
  CHECK(targets::load_profile("hevo")["etl_tool"] == "Hevo");

  Json values = {{"id", "c_1"}, {"n", 3}};
  CHECK(targets::expand("/v1/{id}/x?n={n}&raw={not an id}", values, "t") == "/v1/c_1/x?n=3&raw={not an id}");
  CHECK_THROWS_WITH_AS(targets::expand("{secret}", values, "auth"), doctest::Contains("give `secret`"),
                       std::invalid_argument);
}

TEST_CASE("replica profile: defaults, overrides as numbers or durations, refused values") {
  auto d = targets::ReplicaProfile::from_spec(Json("replica"));
  CHECK(d.connect_retry == 1);
  CHECK(d.net_timeout == 4);
  CHECK(d.heartbeat == 1.0);
  auto p = targets::ReplicaProfile::from_spec(
      Json{{"type", "replica"}, {"connect_retry", "2s"}, {"net_timeout", 10}, {"heartbeat", "250ms"}});
  CHECK(p.connect_retry == 2);
  CHECK(p.net_timeout == 10);
  CHECK(p.heartbeat == doctest::Approx(0.25));
  CHECK_THROWS_AS(targets::ReplicaProfile::from_spec(Json{{"connect_retry", 0}}), std::invalid_argument);
  CHECK_THROWS_AS(targets::ReplicaProfile::from_spec(Json{{"net_timeout", 1.5}}), std::invalid_argument);
  CHECK_THROWS_WITH_AS(targets::ReplicaProfile::from_spec(Json{{"net_timeout", 2}, {"heartbeat", 3}}),
                       doctest::Contains("shorter than"), std::invalid_argument);
  CHECK_THROWS_AS(targets::ReplicaProfile::from_spec(Json{{"heartbeat", "soon"}}), std::invalid_argument);
}

TEST_CASE("replica status mapping: SQL errors, partial stops, no replication configured") {
  Json row = {{"Slave_IO_Running", "Yes"},
              {"Slave_SQL_Running", "No"},
              {"Last_IO_Errno", 0},
              {"Last_IO_Error", ""},
              {"Last_SQL_Errno", 1032},
              {"Last_SQL_Error", "Could not execute Delete_rows_v1 event"},
              {"Seconds_Behind_Master", nullptr}};
  auto s = targets::status_from_slave_row(row, "0-1-9");
  CHECK(s.state == "failed");
  CHECK(s.last_errno == 1032);
  CHECK(s.last_error == "Could not execute Delete_rows_v1 event");
  CHECK(s.detail["error_thread"] == "sql");
  CHECK_FALSE(s.lag_seconds.has_value());
  row["Last_SQL_Errno"] = 0;
  CHECK(targets::status_from_slave_row(row, "").state == "stopped");
  row["Slave_SQL_Running"] = "Yes";
  row["Slave_IO_Running"] = "Connecting";
  CHECK(targets::status_from_slave_row(row, "").state == "connecting");
  CHECK(targets::status_from_slave_row(Json(nullptr), "").state == "stopped");
}
