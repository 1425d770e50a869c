// The restore proof: corrupt (each type), write more rows, restore; mariadb-binlog reads every event and a
// fresh replica built from scratch ends with every row, including those written after the corruption.
#include <chrono>
#include <filesystem>
#include <thread>

#include "faults/ledger.hpp"
#include "sandbox/data_template.hpp"
#include "sandbox/server.hpp"
#include "sandbox_fixture.hpp"
#include "util/file_util.hpp"
#include "util/process.hpp"

using tc::Json;
using tktest::TestSandbox;
namespace fs = std::filesystem;

namespace {
long long count(tc::db::Connection& c, const std::string& sql) {
  return c.scalar(sql).get<long long>();
}

// Reads a binlog file with the server's own tool; every event must decode.
void check_binlog_readable(const std::string& path, long long must_contain_id) {
  auto p = tc::run_process({"mariadb-binlog", "--base64-output=decode-rows", "-v", path});
  INFO(path << "\n" << p.err.substr(0, 2000));
  CHECK(p.exit_code == 0);
  CHECK(p.err.find("ERROR") == std::string::npos);
  CHECK(p.out.find("@1=" + std::to_string(must_contain_id) + "\n") != std::string::npos);
}
}  // namespace

TEST_CASE("corrupt then restore, each type: events written after the corruption are kept") {
  auto& sb = TestSandbox::get();
  sb.ok({"reset"});
  auto c = sb.connect();
  auto st = tc::toolkit::Sandbox(sb.dir).state();
  for (std::string type : {"truncate", "random-bytes", "magic-number"}) {
    CAPTURE(type);
    c->execute("FLUSH BINARY LOGS");
    sb.ok({"generate-data", "--count", "300"});
    auto cor = sb.ok({"corrupt", "--type", type, "--percentage", "30", "--count", "20"});
    std::string file = cor["file"], path = cor["path"];
    CHECK(fs::exists(cor["backup"].get<std::string>()));
    // What a test case asserts of the backup: its size is the original's, its sha256 its bytes'.
    CHECK(cor["backup_size"] == cor["size_before"]);
    CHECK(cor["backup_sha256"] == tc::sha256_file(cor["backup"].get<std::string>()));
    CHECK(cor["backup_sha256"].get<std::string>().size() == 64);
    // Recorded in the ledger, outstanding until restored.
    auto pending = tc::toolkit::Ledger(sb.dir).outstanding();
    REQUIRE(!pending.empty());
    CHECK(pending.back().kind == "binlog." + type);
    CHECK(pending.back().details["file"] == file);
    if (type == "truncate")
      CHECK(fs::file_size(path) == cor["truncate_to"].get<std::uintmax_t>());
    else
      CHECK(cor["changes"].size() == (type == "magic-number" ? 1u : 20u));
    // The file is really broken now.
    auto broken = tc::run_process({"mariadb-binlog", path});
    CHECK((broken.exit_code != 0 || broken.err.find("ERROR") != std::string::npos || type == "random-bytes"));

    sb.ok({"generate-data", "--count", "250"});  // written after the corruption, into the same file
    long long last_id = count(*c, "SELECT MAX(id) FROM users");
    CHECK(c->query("SHOW MASTER STATUS").rows[0]["File"] == file);

    auto list = sb.ok({"restore", "--list"});
    CHECK(list["outstanding"] == 1);
    bool listed = false;
    for (const auto& b : list["backups"])
      if (b["ledger_id"] == cor["ledger_id"])
        listed = b["state"] == "outstanding" && b["sha256"] == cor["backup_sha256"];
    CHECK(listed);
    auto res = sb.ok({"restore", "--file", file});
    REQUIRE(res["restored"].size() == 1);
    CHECK(res["restored"][0]["kept_after_backup"].get<long long>() > 0);
    CHECK(tc::toolkit::Ledger(sb.dir).outstanding().empty());
    c->execute("FLUSH BINARY LOGS");  // close the file so it is read as complete
    check_binlog_readable(path, last_id);
  }
  CHECK(sb.ok({"restore"})["restored"].empty());  // nothing outstanding

  // --all restores several at once (oldest bytes last), and --flush rotates.
  c->execute("FLUSH BINARY LOGS");
  sb.ok({"generate-data", "--count", "100"});
  sb.ok({"corrupt", "--type", "random-bytes", "--count", "5"});
  sb.ok({"generate-data", "--count", "100"});
  sb.ok({"corrupt", "--type", "truncate", "--percentage", "50"});
  sb.ok({"generate-data", "--count", "100"});
  long long last_id = count(*c, "SELECT MAX(id) FROM users");
  std::string cur = c->query("SHOW MASTER STATUS").rows[0]["File"];
  auto all = sb.ok({"restore", "--all", "--flush"});
  CHECK(all["restored"].size() == 2);
  CHECK(all["flushed_to"] != cur);
  check_binlog_readable(st->binlog_dir + "/" + cur, last_id);

  // A fresh replica from the same template replays the whole binlog and ends with every row.
  auto tpl = tc::toolkit::ensure_template(tc::toolkit::shared_template_dir());
  tc::toolkit::ServerOptions ro;
  ro.dir = sb.dir + "/replica";
  ro.server_id = 2;
  ro.log_slave_updates = true;
  ro.template_dir = tpl.datadir;
  tc::toolkit::Server replica(ro);
  replica.start();
  struct Stop {
    tc::toolkit::Server& s;
    ~Stop() { s.stop(); }
  } stopper{replica};
  auto rc = tc::db::Connection::open(replica.dsn("root", "rootpassword", true));
  rc->execute("SET GLOBAL gtid_slave_pos = ''");
  rc->execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + std::to_string(st->private_port) +
              ", MASTER_USER='hevo', MASTER_PASSWORD='hevopassword', MASTER_USE_GTID=slave_pos");
  rc->execute("START SLAVE");
  long long want = count(*c, "SELECT COUNT(*) FROM testdb.users");
  long long want_max = count(*c, "SELECT MAX(id) FROM testdb.users");
  Json status;
  for (int i = 0; i < 600; ++i) {
    status = rc->query("SHOW SLAVE STATUS").rows.at(0);
    if (status["Last_Error"] != "" || status["Last_IO_Error"] != "") break;
    try {
      if (count(*rc, "SELECT COUNT(*) FROM testdb.users") == want) break;
    } catch (const tc::db::Error&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  INFO(status.dump());
  CHECK(status["Last_IO_Error"] == "");
  CHECK(status["Last_SQL_Error"] == "");
  CHECK(count(*rc, "SELECT COUNT(*) FROM testdb.users") == want);
  CHECK(count(*rc, "SELECT MAX(id) FROM testdb.users") == want_max);
}

TEST_CASE("corrupt --no-backup --force cannot be restored and says so") {
  auto& sb = TestSandbox::get();
  auto c = sb.connect();
  c->execute("FLUSH BINARY LOGS");
  sb.ok({"generate-data", "--count", "20"});
  auto cor = sb.ok({"corrupt", "--type", "magic-number", "--no-backup", "--force"});
  CHECK(cor["backup"].is_null());
  auto r = sb.run({"restore"});
  CHECK(r.r.exit_code == 1);
  CHECK(r.out.find("--no-backup") != std::string::npos);
  c->execute("FLUSH BINARY LOGS");  // leave the broken file behind us
}
