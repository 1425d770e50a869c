#include <doctest/doctest.h>

#include <sstream>

#include "report/writers.hpp"
#include "sample_run.hpp"

using namespace tc;
using namespace tc::report;
using namespace tc::report::testing;

TEST_CASE("json: the whole model, with ISO times and millisecond durations") {
  Json j = to_json(sample_run());
  CHECK(j["scenario"]["id"] == "TC-001");
  CHECK(j["scenario"]["etl_tools"] == Json::array({"Hevo"}));
  CHECK(j["variant"] == "reject");
  CHECK(j["variant_values"]["failure"]["name"] == "reject");
  CHECK(j["started"] == "2026-02-10T23:59:58.500Z");
  CHECK(j["duration_ms"] == 12345);
  CHECK(j["verdict"] == "FAIL");
  REQUIRE(j["steps"].size() == 9);
  CHECK(j["steps"][1]["background"] == true);
  CHECK(j["steps"][3]["attempts"].size() == 2);
  CHECK(j["steps"][3]["attempts"][0]["status"] == "failed");
  CHECK(j["steps"][7]["status"] == "pending");
  CHECK(j["observations"][0]["value"] == "4.312 s");
  CHECK(j["timeline"][1]["kind"] == "fault.applied");
  CHECK(j["artifacts"][1]["path"] == "logs/source error.log");
}

TEST_CASE("json: read back it renders the same reports") {
  auto run = sample_run();
  auto back = run_from_json(Json::parse(to_json(run).dump()));
  CHECK(to_json(back) == to_json(run));
  CHECK(render_markdown(back, 3) == render_markdown(run, 3));
  CHECK(render_junit({back}) == render_junit({run}));
}

TEST_CASE("json: reading something else fails with a clear message") {
  CHECK_THROWS_WITH_AS(run_from_json(Json::object()), doctest::Contains("not a tc-run result"), std::invalid_argument);
  Json j = to_json(sample_run());
  j["verdict"] = "MAYBE";
  CHECK_THROWS_WITH_AS(run_from_json(j), doctest::Contains("unknown verdict \"MAYBE\""), std::invalid_argument);
  j = to_json(sample_run());
  j["started"] = "yesterday";
  CHECK_THROWS_WITH_AS(run_from_json(j), doctest::Contains("malformed time"), std::invalid_argument);
}

TEST_CASE("json: the streamed result.json is exactly the tree's dump (with and without steps and timeline)") {
  auto run = sample_run();
  auto streamed = [](const RunResult& r) {
    std::ostringstream out;
    write_json(r, out);
    return out.str();
  };
  CHECK(streamed(run) == to_json(run).dump(2, ' ', false, Json::error_handler_t::replace));
  run.steps[0].output = {{"text", "line one\nline two"}, {"nested", {{"list", {1, 2, {{"k", "v"}}}}}}};
  run.steps[1].message = "caf\xc3\xa9 and invalid \xff byte";
  CHECK(streamed(run) == to_json(run).dump(2, ' ', false, Json::error_handler_t::replace));
  run.steps.clear();
  run.timeline.clear();
  CHECK(streamed(run) == to_json(run).dump(2, ' ', false, Json::error_handler_t::replace));
}
