// binlog_advanced against a real server (GTID and file:pos captures), and the comparison rules on their own.
#include <doctest/doctest.h>

#include "check_fixture.hpp"
#include "plugins/binlog_point.hpp"
#include "support/arg_errors.hpp"

using namespace tc;
using tc::plugins::checks::BinlogPoint;
using tc::test::run_check;
using tc::test::ServerPair;

namespace {
std::string file_pos(db::Connection& c) {
  auto r = c.query("SHOW MASTER STATUS").rows.at(0);
  return r["File"].get<std::string>() + ":" + scenario::to_text(r["Position"]);
}
}  // namespace

TEST_CASE("binlog_advanced: false with no change, true after inserts, for GTID and file:pos captures") {
  auto& p = ServerPair::get();
  auto src = p.open("source");
  src->execute("CREATE TABLE IF NOT EXISTS ba_t (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
  std::string gtid = src->scalar("SELECT @@GLOBAL.gtid_binlog_pos").get<std::string>();
  std::string pos = file_pos(*src);

  auto still = run_check("binlog_advanced", {{"since", gtid}});
  CHECK(still.status == report::Status::Failed);
  CHECK(still.output["value"] == false);
  CHECK(still.output["before"] == gtid);
  CHECK(still.output["after"] == gtid);
  auto still_pos = run_check("binlog_advanced", {{"since", pos}, {"connection", "source"}});
  CHECK(still_pos.output["value"] == false);

  src->execute("INSERT INTO ba_t (v) VALUES (1), (2)");
  src->execute("INSERT INTO ba_t (v) VALUES (3)");
  auto moved = run_check("binlog_advanced", {{"since", gtid}});
  CHECK(moved.status == report::Status::Passed);
  CHECK(moved.output["value"] == true);
  CHECK(moved.output["after"] != gtid);
  CHECK(moved.message.find("2 transaction(s)") != std::string::npos);
  auto moved_pos = run_check("binlog_advanced", Json(pos));  // the shorthand form
  CHECK(moved_pos.output["value"] == true);
  CHECK(moved_pos.output["before"] == pos);
}

TEST_CASE("binlog_advanced: a malformed capture is an error") {
  CHECK_THROWS_WITH_AS(run_check("binlog_advanced", {{"since", "not a position"}}),
                       doctest::Contains("neither a binlog coordinate"), plugins::StepError);
  auto e = testing::arg_errors("binlog_advanced", "{}");
  REQUIRE(e.size() == 1);
  CHECK(e[0].find("missing the required key 'since'") != std::string::npos);
}

TEST_CASE("binlog positions: parsing and comparison rules") {
  auto fp = BinlogPoint::parse("mysql-bin.000003:1234");
  CHECK(fp.is_file_pos);
  CHECK(fp.file == "mysql-bin.000003");
  CHECK(fp.pos == 1234);
  CHECK(!BinlogPoint::parse("0-1-42").is_file_pos);
  CHECK(!BinlogPoint::parse("3E11FA47-71CA-11E1-9E33-C80AA9429562:42").is_file_pos);

  using plugins::checks::file_pos_advanced;
  CHECK(file_pos_advanced(fp, BinlogPoint::parse("mysql-bin.000003:1300")).advanced);
  CHECK(file_pos_advanced(fp, BinlogPoint::parse("mysql-bin.000004:4")).advanced);
  CHECK_FALSE(file_pos_advanced(fp, BinlogPoint::parse("mysql-bin.000003:1234")).advanced);
  CHECK_FALSE(file_pos_advanced(fp, BinlogPoint::parse("mysql-bin.000002:9999")).advanced);
  CHECK_THROWS_AS(file_pos_advanced(fp, BinlogPoint::parse("other-bin.000009:4")), std::invalid_argument);

  using plugins::checks::gtid_advanced;
  using toolkit::FlavourKind;
  using toolkit::GtidSet;
  auto m = [](const char* s) { return GtidSet::parse(FlavourKind::MariaDB, s); };
  CHECK(gtid_advanced(m(""), m("0-1-1")).advanced);
  CHECK(gtid_advanced(m("0-1-42"), m("0-1-43")).advanced);
  CHECK(gtid_advanced(m("0-1-42"), m("0-1-42,1-5-1")).advanced);
  CHECK_FALSE(gtid_advanced(m("0-1-42"), m("0-1-42")).advanced);
  CHECK_FALSE(gtid_advanced(m("0-1-42,1-1-9"), m("0-1-50,1-1-3")).advanced);  // domain 1 went back

  const char* u = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  auto y = [](const std::string& s) { return GtidSet::parse(FlavourKind::MySQL, s); };
  CHECK(gtid_advanced(y(std::string(u) + ":1-42"), y(std::string(u) + ":1-43")).advanced);
  CHECK_FALSE(gtid_advanced(y(std::string(u) + ":1-42"), y(std::string(u) + ":1-42")).advanced);
  CHECK_FALSE(gtid_advanced(y(std::string(u) + ":1-42"), y(std::string(u) + ":1-10:12-50")).advanced);  // 11 vanished
}
