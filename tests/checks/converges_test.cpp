// converges against two real servers: a real catch-up written by a background thread is measured; a
// destination that never catches up fails at the timeout with the last difference.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "check_fixture.hpp"

using namespace tc;
using tc::test::run_check;
using tc::test::ServerPair;

TEST_CASE("converges: measures the time until the destination catches up") {
  auto& p = ServerPair::get();
  p.both("DROP TABLE IF EXISTS cv_users");
  p.both("CREATE TABLE cv_users (id INT PRIMARY KEY, name VARCHAR(50))");
  p.open("source")->execute("INSERT INTO cv_users SELECT seq, CONCAT('n', seq) FROM seq_1_to_2000");
  p.open("destination")->execute("INSERT INTO cv_users SELECT seq, CONCAT('n', seq) FROM seq_1_to_1500");

  // The "pipeline": after ~1 s it delivers the missing 500 rows.
  auto t0 = std::chrono::steady_clock::now();
  std::thread pipeline([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    ServerPair::get()
        .open("destination")
        ->execute("INSERT INTO cv_users SELECT seq, CONCAT('n', seq) FROM seq_1501_to_2000");
  });
  auto o = run_check("converges", {{"table", "cv_users"}, {"timeout", "20s"}, {"every", "200ms"}});
  auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  pipeline.join();
  CHECK(o.status == report::Status::Passed);
  CHECK(o.output["value"] == true);
  long long elapsed = o.output["elapsed_ms"].get<long long>();
  CHECK(elapsed >= 1000);
  CHECK(elapsed < 20000);
  CHECK(elapsed <= wall);
  CHECK(o.output["polls"].get<int>() >= 2);  // it saw the difference before it saw the match
  CHECK(o.message.find("converged after") != std::string::npos);
  MESSAGE("converged after " << elapsed << " ms in " << o.output["polls"] << " polls");
}

TEST_CASE("converges: fails at the timeout with the last difference") {
  auto& p = ServerPair::get();
  p.both("DROP TABLE IF EXISTS cv_stuck");
  p.both("CREATE TABLE cv_stuck (id INT PRIMARY KEY, v INT)");
  p.open("source")->execute("INSERT INTO cv_stuck VALUES (1, 1), (2, 2), (3, 3)");
  p.open("destination")->execute("INSERT INTO cv_stuck VALUES (1, 1), (3, 30)");
  auto t0 = std::chrono::steady_clock::now();
  auto o = run_check("converges", {{"table", "cv_stuck"}, {"timeout", "1200ms"}, {"every", "300ms"}});
  auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  CHECK(o.status == report::Status::Failed);
  CHECK(o.output["timed_out"] == true);
  CHECK(o.output["missing_keys"] == Json::array({2}));
  CHECK(o.output["changed_keys"] == Json::array({3}));
  CHECK(o.message.find("did not converge within") != std::string::npos);
  CHECK(o.message.find("1 missing (id 2)") != std::string::npos);
  CHECK(wall >= 1200);
  CHECK(wall < 5000);
}

TEST_CASE("converges: a stop request ends the polling as an error") {
  auto& p = ServerPair::get();
  p.both("DROP TABLE IF EXISTS cv_stop");
  p.both("CREATE TABLE cv_stop (id INT PRIMARY KEY)");
  p.open("source")->execute("INSERT INTO cv_stop VALUES (1)");
  std::stop_source stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    stop.request_stop();
  });
  auto t0 = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH_AS(run_check("converges", {{"table", "cv_stop"}, {"timeout", "30s"}}, stop.get_token()),
                       doctest::Contains("interrupted"), plugins::StepError);
  stopper.join();
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
}
