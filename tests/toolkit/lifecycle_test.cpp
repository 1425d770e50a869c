// down / up (warm start) / reset (cold start from the template), with the start-up times measured.
#include <unistd.h>

#include <chrono>
#include <thread>

#include "sandbox/server.hpp"
#include "sandbox_fixture.hpp"
#include "util/file_util.hpp"
#include "util/process.hpp"

using tktest::TestSandbox;

TEST_CASE("down, up and reset; start-up times") {
  auto& sb = TestSandbox::get();
  auto st0 = tc::toolkit::Sandbox(sb.dir).state();
  REQUIRE(st0);
  int pid0 = st0->pid;
  sb.ok({"generate-data", "--count", "3"});
  auto c = sb.connect();
  long long rows = c->scalar("SELECT COUNT(*) FROM users").get<long long>();
  c.reset();

  auto d = sb.ok({"down"});
  CHECK(d["stopped"] == true);
  CHECK_FALSE(tc::toolkit::process_alive(pid0));
  CHECK(sb.run({"status"}).r.exit_code == 1);
  CHECK(sb.run({"status"}).r.output["running"] == false);
  CHECK(sb.ok({"down"})["stopped"] == false);

  auto t0 = std::chrono::steady_clock::now();
  auto up = sb.ok({"up"});
  auto warm_wall = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  CHECK(up["fresh"] == false);
  CHECK(up["public_port"] == st0->public_port);                                        // stable across down/up
  CHECK(sb.connect()->scalar("SELECT COUNT(*) FROM users").get<long long>() == rows);  // data kept

  t0 = std::chrono::steady_clock::now();
  auto reset = sb.ok({"reset"});
  auto cold_wall = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  CHECK(reset["fresh"] == true);
  CHECK(reset["public_port"] == st0->public_port);
  auto c2 = sb.connect();
  CHECK(c2->scalar("SELECT COUNT(*) FROM users").get<long long>() == 5);
  CHECK(c2->scalar("SELECT @@gtid_binlog_pos") == "");
  MESSAGE("warm start (up after down): server " << up["start_ms"] << " ms, command " << warm_wall << " ms");
  MESSAGE("cold start (reset: fresh copy of the seeded template + start): server "
          << reset["start_ms"] << " ms, command " << cold_wall << " ms (includes stopping the old one)");
  CHECK(reset["start_ms"].get<int>() < 3000);
}

TEST_CASE("one seeded template for all state dirs: two first `up`s at once build it once, a third only copies") {
  namespace fs = std::filesystem;
  std::string root = (fs::temp_directory_path() / ("tc-shared-tpl-" + std::to_string(::getpid()))).string();
  fs::remove_all(root);
  fs::create_directories(root);
  tc::ProcessOptions po;
  po.timeout = std::chrono::minutes(3);
  po.env = {{"TC_TEMPLATE_DIR", root + "/templates"}};
  std::string tk = std::string(TC_BINARY_DIR) + "/runner/toolkit";
  auto up = [&](const std::string& state) {
    return tc::run_process({tk, "--state-dir", root + "/" + state, "--json", "up"}, po);
  };
  tc::ProcessResult a, b;
  std::thread ta([&] { a = up("a"); }), tb([&] { b = up("b"); });
  ta.join();
  tb.join();
  auto t0 = std::chrono::steady_clock::now();
  auto c = up("c");
  double third_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::vector<long long> built;
  for (const char* s : {"a", "b", "c"}) {
    auto st = tc::toolkit::Sandbox(root + "/" + s).state();
    if (st)
      built.push_back(
          tc::Json::parse(tc::read_file_from(root + "/" + s + "/sandbox.json")).value("template_build_ms", -1LL));
  }
  for (const char* s : {"a", "b", "c"})
    tc::run_process({tk, "--state-dir", root + "/" + s, "down"}, po);  // the sandboxes and daemons, by their pids
  INFO(a.err, b.err, c.err);
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  REQUIRE(c.exit_code == 0);
  REQUIRE(built.size() == 3);
  CHECK(((built[0] > 0) != (built[1] > 0)));  // exactly one of the two built it; the other waited and copied
  CHECK(built[2] == 0);                       // a new state dir later: a copy, no bootstrap
  int templates = 0;
  for (const auto& e : fs::directory_iterator(root + "/templates/template"))
    if (e.is_directory()) ++templates;
  CHECK(templates == 1);
  for (const char* s : {"a", "b", "c"}) CHECK_FALSE(fs::exists(root + "/" + s + "/template"));
  MESSAGE("first up in a new state dir with the template made: " << third_ms << " ms");
  fs::remove_all(root);
}
