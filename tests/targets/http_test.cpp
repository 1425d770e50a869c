// The http target against a local HTTP server that stands in for the vendor's API (the real Fivetran and Airbyte
// services cannot run here). The stand-in answers like the vendor's documented endpoints.
#include "targets/http.hpp"

#include <doctest/doctest.h>
#include <httplib.h>
#include <stdlib.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "targets/factory.hpp"

using namespace tc;

namespace {

/// A stand-in for the Fivetran REST API on 127.0.0.1:<ephemeral port>, in a thread of its own.
class FivetranStandIn {
 public:
  FivetranStandIn() {
    server_.Get("/v1/connectors/c_1", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      seen_auth = req.get_header_value("Authorization");
      seen_accept = req.get_header_value("Accept");
      Json status = {{"setup_state", setup_state},
                     {"sync_state", sync_state},
                     {"update_state", "on_schedule"},
                     {"tasks", Json::array()}};
      if (setup_state == "broken")
        status["tasks"].push_back({{"code", "reconnect"}, {"message", "Cannot connect to MySQL: Connection refused"}});
      Json body = {{"code", "Success"}, {"data", {{"id", "c_1"}, {"paused", paused}, {"status", status}}}};
      res.set_content(body.dump(), "application/json");
    });
    server_.Post("/v1/connectors/c_1/sync", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      sync_body = Json::parse(req.body);
      setup_state = "connected";
      sync_state = "syncing";
      res.set_content(R"({"code":"Success","message":"Sync has been successfully triggered"})", "application/json");
    });
    server_.Patch("/v1/connectors/c_1", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      paused = Json::parse(req.body).value("paused", false);
      res.set_content(R"({"code":"Success"})", "application/json");
    });
    server_.Post("/v1/connectors/c_1/resync", [](const httplib::Request&, httplib::Response& res) {
      res.status = 401;
      res.set_content(R"({"code":"AuthFailed","message":"Invalid credentials"})", "application/json");
    });
    port = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] {
      server_.listen_after_bind();
    });  // bound and listening already: requests queue until the accept loop runs
  }
  ~FivetranStandIn() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }

  std::mutex mutex_;
  int port = 0;
  std::string setup_state = "connected", sync_state = "syncing", seen_auth, seen_accept;
  bool paused = false;
  Json sync_body;

 private:
  httplib::Server server_;
  std::thread thread_;
};

struct ProfilesDir {
  ProfilesDir() { ::setenv("TC_TARGETS_DIR", TC_SOURCE_DIR "/targets", 1); }
};

}  // namespace

TEST_CASE("http: the Fivetran API profile reads status, sends Fix Now (sync), pauses and resumes") {
  ProfilesDir profiles;
  FivetranStandIn vendor;
  targets::TargetEnv env{{}, nullptr, ""};
  Json spec = {{"type", "http"},        {"profile", "fivetran-api"}, {"base_url", vendor.url()},
               {"connector_id", "c_1"}, {"api_key", "key"},          {"api_secret", "s3cret"}};
  auto t = targets::make_target(spec, env);
  CHECK(t->kind() == "http");
  CHECK(t->etl_tool() == "Fivetran");

  auto s = t->status();
  CHECK(s.state == "running");
  CHECK(s.detail["sync_state"] == "syncing");
  CHECK(vendor.seen_auth == "Basic a2V5OnMzY3JldA==");  // base64("key:s3cret")
  CHECK(vendor.seen_accept == "application/json;version=2");

  vendor.setup_state = "broken";
  vendor.sync_state = "scheduled";
  s = t->status();
  CHECK(s.state == "failed");
  CHECK(s.last_error == "Cannot connect to MySQL: Connection refused");
  CHECK(s.detail["matched"]["pointer"] == "/data/status/setup_state");

  t->restart();
  CHECK(vendor.sync_body == Json{{"force", true}});
  CHECK(t->status().state == "running");

  t->stop();
  CHECK(vendor.paused);
  CHECK(t->status().state == "stopped");
  t->start();
  CHECK_FALSE(vendor.paused);

  CHECK_THROWS_WITH_AS(t->resync(), doctest::Contains("answered HTTP 401"), std::runtime_error);
}

TEST_CASE("http: an inline spec with one pointer and map; unmapped values, dead servers and bad specs") {
  httplib::Server srv;
  std::atomic<int> hits{0};
  std::string state = "GREEN";
  srv.Get("/pipelines/7", [&](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.set_content(Json{{"pipeline", {{"health", state}, {"error", nullptr}}}}.dump(), "application/json");
  });
  srv.Post("/pipelines/7/retry", [&](const httplib::Request& req, httplib::Response& res) {
    state = req.get_header_value("X-Token") == "t0k" ? "GREEN" : "RED";
    res.set_content("{}", "application/json");
  });
  int port = srv.bind_to_any_port("127.0.0.1");
  std::thread th(
      [&] { srv.listen_after_bind(); });  // bound and listening already: requests queue until the accept loop runs
  std::string base = "http://127.0.0.1:" + std::to_string(port);

  Json spec = {{"type", "http"},
               {"base_url", base},
               {"headers", {{"X-Token", "t0k"}}},
               {"status",
                {{"path", "/pipelines/{id}"},
                 {"pointer", "/pipeline/health"},
                 {"map", {{"GREEN", "running"}, {"RED", "failed"}}}}},
               {"restart", "POST /pipelines/{id}/retry"},
               {"id", 7}};
  targets::TargetEnv env{{}, nullptr, ""};
  auto t = targets::make_target(spec, env);
  CHECK(t->status().state == "running");
  state = "AMBER";
  auto s = t->status();
  CHECK(s.state == "unknown");
  CHECK(s.detail["unmapped"]["/pipeline/health"] == "AMBER");
  t->restart();
  CHECK(t->status().state == "running");
  CHECK(hits.load() == 3);
  CHECK_THROWS_WITH_AS(t->resync(), doctest::Contains("no `resync` request"), std::runtime_error);

  Json bad = spec;
  bad["status"]["map"]["GREEN"] = "ok";
  CHECK_THROWS_AS(targets::make_target(bad, env), std::invalid_argument);
  bad = spec;
  bad["restart"] = "FETCH /x";
  CHECK_THROWS_WITH_AS(targets::make_target(bad, env), doctest::Contains("not one of GET"), std::invalid_argument);
  bad = spec;
  bad.erase("id");
  CHECK_THROWS_WITH_AS(targets::make_target(bad, env), doctest::Contains("{id}"), std::invalid_argument);
  bad = spec;
  bad.erase("status");
  CHECK_THROWS_AS(targets::make_target(bad, env), std::invalid_argument);

  srv.stop();
  th.join();
  // The server is gone: status is an error naming the request, not a state.
  std::string expected = "GET " + base + "/pipelines/7 failed";
  CHECK_THROWS_WITH_AS(t->status(), doctest::Contains(expected.c_str()), std::runtime_error);
}

TEST_CASE("http: the Airbyte API profile combines the connection and its latest job") {
  ProfilesDir profiles;
  httplib::Server srv;  // stand-in for Airbyte's configuration API
  std::string conn_status = "active", job_status = "failed";
  Json last_sync;
  srv.Post("/api/v1/connections/get", [&](const httplib::Request& req, httplib::Response& res) {
    CHECK(Json::parse(req.body)["connectionId"] == "conn-9");
    res.set_content(Json{{"connectionId", "conn-9"}, {"status", conn_status}}.dump(), "application/json");
  });
  srv.Post("/api/v1/jobs/list", [&](const httplib::Request&, httplib::Response& res) {
    Json failure = {{"failures", {{{"externalMessage", "Connection to source failed"}}}}};
    Json job = {{"job", {{"id", 41}, {"status", job_status}}}, {"attempts", {{{"failureSummary", failure}}}}};
    res.set_content(Json{{"jobs", {job}}}.dump(), "application/json");
  });
  srv.Post("/api/v1/connections/sync", [&](const httplib::Request& req, httplib::Response& res) {
    last_sync = Json::parse(req.body);
    job_status = "running";
    res.set_content("{}", "application/json");
  });
  int port = srv.bind_to_any_port("127.0.0.1");
  std::thread th(
      [&] { srv.listen_after_bind(); });  // bound and listening already: requests queue until the accept loop runs
  targets::TargetEnv env{{}, nullptr, ""};
  auto t = targets::make_target(Json{{"type", "airbyte-api"},
                                     {"base_url", "http://127.0.0.1:" + std::to_string(port) + "/api"},
                                     {"connection_id", "conn-9"}},
                                env);
  auto s = t->status();
  CHECK(s.state == "failed");
  CHECK(s.last_error == "Connection to source failed");
  t->restart();
  CHECK(last_sync == Json{{"connectionId", "conn-9"}});
  CHECK(t->status().state == "running");
  conn_status = "inactive";
  CHECK(t->status().state == "stopped");
  srv.stop();
  th.join();
}
