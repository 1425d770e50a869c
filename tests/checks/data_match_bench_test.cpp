// Benchmark (skipped by default; run with: test_checks -tc="*benchmark*" --no-skip): data_match over 1M users
// rows against the servers' own CHECKSUM TABLE, both measured in the same run on the same two servers.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <future>

#include "check_fixture.hpp"

using namespace tc;
using tc::test::run_check;
using tc::test::ServerPair;

namespace {
long long ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

TEST_CASE("data_match benchmark: 1M users rows vs CHECKSUM TABLE" * doctest::skip()) {
  const long long rows = std::getenv("TC_BENCH_SMOKE") ? 20000 : 1000000;  // bench/run.py --smoke: tiny size
  auto& p = ServerPair::get();
  p.both("DROP TABLE IF EXISTS bench_users");
  p.both(
      "CREATE TABLE bench_users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(255) "
      "NOT NULL, status ENUM('active','inactive','pending') DEFAULT 'active', created_at TIMESTAMP NULL, updated_at "
      "TIMESTAMP NULL) ENGINE=InnoDB");
  auto load = [&](const std::string& side) {
    p.open(side)->execute(
        "INSERT INTO bench_users SELECT seq, CONCAT('User ', seq), CONCAT('user', seq, '@example.com'), ELT(1 + seq % "
        "3, 'active', 'inactive', 'pending'), FROM_UNIXTIME(1700000000 + seq), FROM_UNIXTIME(1700000000 + seq) FROM "
        "seq_1_to_" +
        std::to_string(rows));
  };
  auto f = std::async(std::launch::async, load, "destination");
  load("source");
  f.get();
  auto checksum = [&](const std::string& side) { p.open(side)->query("CHECKSUM TABLE bench_users"); };
  checksum("source");  // warm both buffer pools
  checksum("destination");

  auto t0 = std::chrono::steady_clock::now();
  checksum("source");
  checksum("destination");
  long long sequential = ms_since(t0);
  t0 = std::chrono::steady_clock::now();
  auto g = std::async(std::launch::async, checksum, "destination");
  checksum("source");
  g.get();
  long long parallel = ms_since(t0);

  t0 = std::chrono::steady_clock::now();
  auto o = run_check("data_match", {{"table", "bench_users"}});
  long long ours = ms_since(t0);
  CHECK(o.status == report::Status::Passed);
  CHECK(o.output["source_rows"] == rows);
  MESSAGE("CHECKSUM TABLE on both servers: "
          << sequential << " ms one after the other, " << parallel << " ms at the same time; data_match: " << ours
          << " ms (" << o.output["chunks"] << " chunks); ratio to parallel " << double(ours) / double(parallel)
          << ", to sequential " << double(ours) / double(sequential));
  CHECK(double(ours) <= 1.5 * double(sequential));
  p.both("DROP TABLE bench_users");
}
