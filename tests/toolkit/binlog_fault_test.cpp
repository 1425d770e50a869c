// Corruption and the correct restore as file operations, including the hole a live server leaves.
#include "faults/binlog_fault.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "faults/binlog_corruption.hpp"
#include "util/file_util.hpp"

namespace fs = std::filesystem;
using namespace tc::toolkit;
using tc::Json;
using tc::read_file_from;
using tc::write_at;

namespace {
std::string fake_binlog(size_t size) {
  // Magic, then a format description event header claiming 100 bytes, then filler.
  std::string s(size, '\0');
  s[0] = static_cast<char>(0xfe);
  s[1] = 'b';
  s[2] = 'i';
  s[3] = 'n';
  s[4 + 9] = 100;
  for (size_t i = 4 + 19; i < size; ++i) s[i] = static_cast<char>('a' + i % 26);
  return s;
}

struct TempDir {
  fs::path p;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "tc-bf-XXXXXX").string();
    REQUIRE(mkdtemp(t.data()));
    p = t;
  }
  ~TempDir() { fs::remove_all(p); }
};

void write(const fs::path& p, const std::string& s) {
  std::ofstream(p, std::ios::binary) << s;
}
}  // namespace

TEST_CASE("binlog file names are checked") {
  TempDir d;
  write(d.p / "mysql-bin.000001", fake_binlog(200));
  write(d.p / "mysql-bin.index", "x");
  CHECK(binlog_file_path(d.p.string(), "mysql-bin.000001") == (d.p / "mysql-bin.000001").string());
  CHECK_THROWS(binlog_file_path(d.p.string(), "../etc/passwd"));
  CHECK_THROWS(binlog_file_path(d.p.string(), "mysql-bin.index"));
  CHECK_THROWS(binlog_file_path(d.p.string(), "mysql-bin.000009"));
}

TEST_CASE("truncate, server writes past the hole, restore keeps the new bytes") {
  TempDir d;
  auto f = d.p / "mysql-bin.000001";
  std::string orig = fake_binlog(1000);
  write(f, orig);
  std::mt19937_64 rng(1);
  Json plan = plan_corruption(f.string(), "truncate", 40, 0, rng);
  CHECK(plan["truncate_to"] == 400);
  backup_binlog(f.string(), (d.p / "b.bak").string(), 1000);
  apply_corruption(plan);
  CHECK(fs::file_size(f) == 400);
  // A live server writes at its own offset (1000): the region 400..999 becomes a hole of zeros.
  write_at(f.string(), 1000, "NEWEVENTS");
  CHECK(read_file_from(f.string(), 500).substr(0, 4) == std::string(4, '\0'));
  Json r = restore_binlog(f.string(), (d.p / "b.bak").string());
  CHECK(r["bytes_restored"] == 1000);
  CHECK(r["kept_after_backup"] == 9);
  CHECK(read_file_from(f.string()) == orig + "NEWEVENTS");
}

TEST_CASE("random-bytes and magic-number change exactly what the plan lists") {
  TempDir d;
  auto f = d.p / "mysql-bin.000002";
  std::string orig = fake_binlog(2000);
  write(f, orig);
  std::mt19937_64 rng(42);
  Json plan = plan_corruption(f.string(), "random-bytes", 0, 25, rng);
  REQUIRE(plan["changes"].size() == 25);
  backup_binlog(f.string(), (d.p / "r.bak").string(), 2000);
  apply_corruption(plan);
  std::string now = read_file_from(f.string());
  size_t differing = 0;
  for (size_t i = 0; i < orig.size(); ++i) differing += orig[i] != now[i];
  CHECK(differing == 25);
  for (const auto& c : plan["changes"]) CHECK(c["offset"].get<size_t>() >= 104);  // past magic + FDE
  restore_binlog(f.string(), (d.p / "r.bak").string());
  CHECK(read_file_from(f.string()) == orig);

  Json magic = plan_corruption(f.string(), "magic-number", 0, 0, rng);
  apply_corruption(magic);
  CHECK(read_file_from(f.string()).substr(0, 4) == std::string(4, '\0'));
  CHECK(magic["changes"][0]["before"] == "fe62696e");
  CHECK_THROWS(plan_corruption(f.string(), "random-bytes", 0, 5000, rng));
  CHECK_THROWS(plan_corruption(f.string(), "bogus", 0, 1, rng));
}

TEST_CASE("every declared corruption changes the file, and the backup restores it byte for byte") {
  REQUIRE(binlog_corruptions().size() >= 3);
  for (const auto& c : binlog_corruptions()) {
    CAPTURE(c.name);
    TempDir d;
    auto f = d.p / "mysql-bin.000003";
    std::string orig = fake_binlog(3000);
    write(f, orig);
    std::mt19937_64 rng(7);
    Json plan = plan_corruption(f.string(), c.name, 50, 10, rng);
    CHECK(plan["type"] == c.name);
    CHECK(!c.summary.empty());
    backup_binlog(f.string(), (d.p / "c.bak").string(), orig.size());
    apply_corruption(plan);
    CHECK(read_file_from(f.string()) != orig);
    restore_binlog(f.string(), (d.p / "c.bak").string());
    CHECK(read_file_from(f.string()) == orig);
  }
  std::vector<std::string> names = corruption_names();
  CHECK(names.size() == binlog_corruptions().size());
  try {
    std::mt19937_64 rng(1);
    TempDir d;
    write(d.p / "x", fake_binlog(300));
    plan_corruption((d.p / "x").string(), "bogus", 0, 1, rng);
    FAIL("bogus accepted");
  } catch (const std::runtime_error& e) {
    for (const auto& n : names) CHECK(std::string(e.what()).find(n) != std::string::npos);  // the choices, named
  }
}
