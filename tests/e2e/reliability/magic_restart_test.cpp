// A magic-number corruption of the ACTIVE binlog never keeps the sandbox server from starting again: every path
// that restarts it restores the outstanding corruption from the ledger first.
#include "faults/binlog_fault.hpp"
#include "reliability_fixture.hpp"

using namespace reltest;
using tc::Json;

namespace {
std::string magic_of(const std::string& path) {
  return slurp(path).substr(0, 4);
}
const std::string kMagic(reinterpret_cast<const char*>(tc::toolkit::kBinlogMagic), 4);

// Corrupts the active binlog's magic number; returns {path, backup}.
std::pair<std::string, std::string> corrupt_active_magic(World& w) {
  std::string text;
  auto r = w.toolkit({"corrupt", "--type", "magic-number"}, &text);
  INFO(text);
  REQUIRE(r.exit_code == 0);
  std::string path = r.output["path"].get<std::string>();
  CHECK(magic_of(path) == std::string(4, '\0'));
  return {path, r.output["backup"].get<std::string>()};
}

void check_intact(World& w, const std::string& path, const std::string& backup, long long rows) {
  CHECK(w.outstanding().empty());
  CHECK(magic_of(path) == kMagic);
  std::string b = slurp(backup), now = slurp(path);
  REQUIRE(now.size() >= b.size());
  CHECK(now.compare(0, b.size(), b) == 0);
  auto r = tc::run_process({"mariadb-binlog", path});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(w.rows_through_proxy() == rows);
}
}  // namespace

TEST_CASE("magic-number on the active binlog, service down, network --up: the server starts, binlog intact") {
  auto& w = World::get();
  REQUIRE(w.outstanding().empty());
  tc::toolkit::ensure_daemon(w.cfg);
  REQUIRE(w.toolkit({"generate-data", "--count", "5"}).exit_code == 0);
  auto [path, backup] = corrupt_active_magic(w);
  REQUIRE(w.toolkit({"generate-data", "--count", "5"}).exit_code == 0);  // written after the corruption
  long long rows = w.rows_direct();
  std::string text;
  auto down = w.toolkit({"network", "--down", "--type", "service"}, &text);
  INFO(text);
  REQUIRE(down.exit_code == 0);
  CHECK_FALSE(tc::toolkit::Sandbox(w.state_dir()).running());
  auto up = w.toolkit({"network", "--up"}, &text);
  INFO(text);
  REQUIRE(up.exit_code == 0);
  CHECK(tc::toolkit::Sandbox(w.state_dir()).running());
  check_intact(w, path, backup, rows);
}

TEST_CASE("magic-number on the active binlog, toolkit down, toolkit up: restored before the start") {
  auto& w = World::get();
  REQUIRE(w.outstanding().empty());
  auto [path, backup] = corrupt_active_magic(w);
  long long rows = w.rows_direct();
  REQUIRE(w.toolkit({"down"}).exit_code == 0);
  CHECK(magic_of(path) == std::string(4, '\0'));  // still corrupted while it is down
  std::string text;
  auto up = w.toolkit({"up"}, &text);
  INFO(text);
  REQUIRE(up.exit_code == 0);
  tc::toolkit::ensure_daemon(w.cfg);
  check_intact(w, path, backup, rows);
}

TEST_CASE("a corruption that cannot be restored: the restart is refused with a clear message") {
  auto& w = World::get();
  REQUIRE(w.outstanding().empty());
  auto [path, backup] = corrupt_active_magic(w);
  REQUIRE(w.toolkit({"down"}).exit_code == 0);
  fs::rename(backup, backup + ".hidden");  // the backup is gone: nothing can put the magic number back
  std::string text;
  auto up = w.toolkit({"up"}, &text);
  CHECK(up.exit_code == 1);
  CHECK_MESSAGE(text.find("toolkit restore --all") != std::string::npos, text);
  CHECK_MESSAGE(text.find("refusing to start") != std::string::npos, text);
  CHECK_FALSE(tc::toolkit::Sandbox(w.state_dir()).running());
  fs::rename(backup + ".hidden", backup);
  auto restore = w.toolkit({"restore", "--all"}, &text);
  INFO(text);
  CHECK(restore.exit_code == 0);
  REQUIRE(w.toolkit({"up"}).exit_code == 0);
  tc::toolkit::ensure_daemon(w.cfg);
  CHECK(magic_of(path) == kMagic);
}
