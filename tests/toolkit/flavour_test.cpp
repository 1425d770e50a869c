// Both flavours' SQL text and GTID formats (no MySQL server here: the strings and parsing are what differ).
#include "sandbox/flavour.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace tc::toolkit;

TEST_CASE("flavour from VERSION()") {
  auto m = Flavour::from_version("10.11.19-MariaDB-0+deb12u1-log");
  CHECK(m.is_mariadb());
  CHECK(m.major == 10);
  CHECK(m.minor == 11);
  CHECK(m.patch == 19);
  CHECK(Flavour::from_version("5.5.5-10.6.12-MariaDB").is_mariadb());
  CHECK(Flavour::from_version("5.5.5-10.6.12-MariaDB").major == 10);
  auto y = Flavour::from_version("8.4.3");
  CHECK_FALSE(y.is_mariadb());
  CHECK(y.at_least(8, 4));
  CHECK_THROWS_AS(Flavour::from_version("garbage"), std::invalid_argument);
}

TEST_CASE("binlog status and GTID SQL per flavour") {
  auto maria = Flavour::from_version("10.11.6-MariaDB");
  auto my80 = Flavour::from_version("8.0.36");
  auto my84 = Flavour::from_version("8.4.0");
  auto my8017 = Flavour::from_version("8.0.17");
  CHECK(maria.binlog_status_sql() == "SHOW MASTER STATUS");
  CHECK(my80.binlog_status_sql() == "SHOW MASTER STATUS");
  CHECK(my84.binlog_status_sql() == "SHOW BINARY LOG STATUS");
  CHECK(maria.gtid_position_sql().find("gtid_binlog_pos") != std::string::npos);
  CHECK(my84.gtid_position_sql().find("gtid_executed") != std::string::npos);
  CHECK(my80.replica_status_sql() == "SHOW REPLICA STATUS");
  CHECK(my8017.replica_status_sql() == "SHOW SLAVE STATUS");
  CHECK(maria.gtid_identity_sql().find("gtid_domain_id") != std::string::npos);
  CHECK(my80.gtid_identity_sql().find("server_uuid") != std::string::npos);
  CHECK(my80.gtid_mode_sql().find("gtid_mode") != std::string::npos);
}

TEST_CASE("GTID gap statements") {
  auto maria = Flavour::from_version("10.11.6-MariaDB");
  auto s = maria.gtid_gap_statements("0", 12, 100, "INSERT X");
  REQUIRE(s.size() == 2);
  CHECK(s[0] == "SET SESSION gtid_seq_no = 113");
  CHECK(s[1] == "INSERT X");
  auto my = Flavour::from_version("8.0.36");
  auto t = my.gtid_gap_statements("3e11fa47-71ca-11e1-9e33-c80aa9429562", 7, 3, "INSERT X");
  REQUIRE(t.size() == 5);
  CHECK(t[0] == "SET SESSION GTID_NEXT = '3e11fa47-71ca-11e1-9e33-c80aa9429562:11'");
  CHECK(t[1] == "BEGIN");
  CHECK(t[2] == "INSERT X");
  CHECK(t[3] == "COMMIT");
  CHECK(t[4] == "SET SESSION GTID_NEXT = 'AUTOMATIC'");
}

TEST_CASE("MariaDB GTID positions parse") {
  auto g = GtidSet::parse(FlavourKind::MariaDB, "0-1-105,2-7-9");
  CHECK(g.maria(0).seq == 105);
  CHECK(g.maria(0).server == 1);
  CHECK(g.maria(2).seq == 9);
  CHECK(g.maria(5).seq == 0);
  CHECK(g.last_seq("0") == 105);
  CHECK(g.str() == "0-1-105,2-7-9");
  CHECK(GtidSet::parse(FlavourKind::MariaDB, "").empty());
  CHECK_THROWS_AS(GtidSet::parse(FlavourKind::MariaDB, "0-1"), std::invalid_argument);
  CHECK_THROWS_AS(GtidSet::parse(FlavourKind::MariaDB, "0-1-x"), std::invalid_argument);
  CHECK_THROWS_AS(GtidSet::parse(FlavourKind::MariaDB, "0-1-2,0-1-3"), std::invalid_argument);
}

TEST_CASE("MySQL GTID sets parse, with holes") {
  const std::string u = "3E11FA47-71CA-11E1-9E33-C80AA9429562";
  auto g = GtidSet::parse(FlavourKind::MySQL, u + ":1-5:11-18,\n 4f11fa47-71ca-11e1-9e33-c80aa9429562:1-27");
  CHECK(g.intervals(u).size() == 2);
  CHECK(g.last_seq(u) == 18);
  CHECK(g.last_seq("4f11fa47-71ca-11e1-9e33-c80aa9429562") == 27);
  CHECK(g.holes() == 5);  // 6..10
  CHECK(GtidSet::parse(FlavourKind::MySQL, u + ":1-5").holes() == 0);
  auto tagged = GtidSet::parse(FlavourKind::MySQL, u + ":etl:1-3:7");
  CHECK(tagged.last_seq(u + ":etl") == 7);
  CHECK(tagged.holes() == 3);
  CHECK_THROWS_AS(GtidSet::parse(FlavourKind::MySQL, "nouuid:1-5"), std::invalid_argument);
  CHECK_THROWS_AS(GtidSet::parse(FlavourKind::MySQL, u + ":5-1"), std::invalid_argument);
  CHECK_THROWS_AS(GtidSet::parse(FlavourKind::MySQL, u), std::invalid_argument);
}
