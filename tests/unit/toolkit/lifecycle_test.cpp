// down / up (warm start) / reset (cold start from the template), with the start-up times measured.
#include <chrono>

#include "sandbox/server.hpp"
#include "sandbox_fixture.hpp"

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
