// gtid_contiguous against a real MariaDB binlog with a real gap made through gtid_seq_no; the hole rules alone.
#include <doctest/doctest.h>

#include "check_fixture.hpp"
#include "plugins/gtid_holes.hpp"

using namespace tc;
using namespace tc::plugins::checks;
using tc::test::run_check;
using tc::test::ServerPair;

TEST_CASE("gtid_contiguous: a contiguous binlog passes; a gap made with gtid_seq_no is found and can be allowed") {
  auto& p = ServerPair::get();
  auto dst = p.open("destination");
  dst->execute("CREATE TABLE IF NOT EXISTS gc_t (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
  dst->execute("INSERT INTO gc_t (v) VALUES (1)");
  dst->execute("INSERT INTO gc_t (v) VALUES (2)");

  auto clean = run_check("gtid_contiguous", Json::object());
  CHECK(clean.status == report::Status::Passed);
  CHECK(clean.output["value"] == true);
  CHECK(clean.output["holes"].empty());
  CHECK(clean.output["method"] == "binlog events");
  CHECK(clean.output["gtids"].get<long long>() >= 2);

  // Leave 4 numbers unused: the next transaction is logged as last + 5.
  auto last = std::stoull(dst->scalar("SELECT @@GLOBAL.gtid_binlog_pos").get<std::string>().substr(4));
  dst->execute("SET SESSION gtid_seq_no = " + std::to_string(last + 5));
  dst->execute("INSERT INTO gc_t (v) VALUES (3)");
  dst->execute("INSERT INTO gc_t (v) VALUES (4)");  // continues after the jump, no further hole
  std::string hole = "0:" + std::to_string(last + 1) + "-" + std::to_string(last + 4);

  auto gap = run_check("gtid_contiguous", {{"connection", "destination"}});
  CHECK(gap.status == report::Status::Failed);
  CHECK(gap.output["value"] == false);
  CHECK(gap.output["holes"] == Json::array({hole}));
  CHECK(gap.message.find(hole) != std::string::npos);

  auto allowed = run_check("gtid_contiguous", {{"allow_gaps", Json::array({hole})}});
  CHECK(allowed.status == report::Status::Passed);
  CHECK(allowed.output["allowed_holes"] == Json::array({hole}));

  // Allowing only part of it leaves the rest named.
  auto partly = run_check("gtid_contiguous", {{"allow_gaps", Json::array({"0-2-" + std::to_string(last + 1)})}});
  CHECK(partly.status == report::Status::Failed);
  CHECK(partly.output["holes"] == Json::array({"0:" + std::to_string(last + 2) + "-" + std::to_string(last + 4)}));

  CHECK_THROWS_WITH_AS(run_check("gtid_contiguous", {{"allow_gaps", Json::array({"zero:1-2"})}}),
                       doctest::Contains("allow_gaps"), plugins::StepError);
}

TEST_CASE("gtid holes: seen numbers, floors, allowed runs, MySQL intervals") {
  auto holes = holes_in({{"0", {1, 2, 3, 7, 8, 12}}, {"1", {5, 6}}}, {{"1", 2}});
  REQUIRE(holes.size() == 3);
  CHECK(holes[0] == SeqRun{"0", 4, 6});
  CHECK(holes[1] == SeqRun{"0", 9, 11});
  CHECK(holes[2] == SeqRun{"1", 3, 4});  // the floor says 2 was the last before the oldest file
  CHECK(holes[0].str() == "0:4-6");
  CHECK(SeqRun{"0", 5, 5}.str() == "0:5");

  auto v = judge_holes(holes, parse_allowed(toolkit::FlavourKind::MariaDB, {"0:4-6", "0-1-10", "1:1-3"}));
  CHECK(v.allowed.size() == 3);
  REQUIRE(v.unexplained.size() == 3);
  CHECK(v.unexplained[0] == SeqRun{"0", 9, 9});
  CHECK(v.unexplained[1] == SeqRun{"0", 11, 11});
  CHECK(v.unexplained[2] == SeqRun{"1", 4, 4});  // 1:1-3 covers only the first number of the hole 1:3-4
  CHECK(v.allowed[2] == SeqRun{"1", 3, 3});
  CHECK(judge_holes(holes, parse_allowed(toolkit::FlavourKind::MariaDB, {"0:1-100, 1:3-4"})).unexplained.empty());

  const std::string u = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  auto set = toolkit::GtidSet::parse(toolkit::FlavourKind::MySQL, u + ":1-10:15-20:22");
  auto my = mysql_holes(set);
  REQUIRE(my.size() == 2);
  CHECK(my[0] == SeqRun{u, 11, 14});
  CHECK(my[1] == SeqRun{u, 21, 21});
  auto mv = judge_holes(my, parse_allowed(toolkit::FlavourKind::MySQL, {u + ":11-14"}));
  REQUIRE(mv.unexplained.size() == 1);
  CHECK(mv.unexplained[0].str() == u + ":21");

  CHECK_THROWS_AS(parse_allowed(toolkit::FlavourKind::MariaDB, {"0:9-3"}), std::invalid_argument);
  CHECK_THROWS_AS(parse_allowed(toolkit::FlavourKind::MariaDB, {"0-1"}), std::invalid_argument);
  CHECK_THROWS_AS(parse_allowed(toolkit::FlavourKind::MySQL, {"nouuid:1-2"}), std::invalid_argument);
}

TEST_CASE("gtid_contiguous: a hole before the first GTID of a domain the oldest binlog's Gtid_list does not name") {
  // The oldest file's Gtid_list names every domain logged before it; a domain it does not name starts from 1,
  // so a first GTID of 9-x-5 means 9:1-4 never arrived (this used to pass: counting started at the first seen).
  auto& p = ServerPair::get();
  auto dst = p.open("destination");
  dst->execute("CREATE TABLE IF NOT EXISTS gc_fresh (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
  dst->execute("SET SESSION gtid_domain_id = 9");
  dst->execute("SET SESSION gtid_seq_no = 5");
  dst->execute("INSERT INTO gc_fresh (v) VALUES (1)");
  dst->execute("INSERT INTO gc_fresh (v) VALUES (2)");
  dst->execute("SET SESSION gtid_domain_id = 0");
  auto r = run_check("gtid_contiguous", Json::object());
  CHECK(r.status == report::Status::Failed);
  bool named = false;
  for (const auto& h : r.output["holes"]) named = named || h == "9:1-4";
  CHECK(named);
  CHECK(r.output["domains"]["9"]["floor"] == 0);
}
