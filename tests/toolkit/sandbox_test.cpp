// The sandbox life cycle, start-up times, status/monitor and the CLI's error handling, against a real server.
#include <chrono>
#include <thread>

#include "sandbox/server.hpp"
#include "sandbox_fixture.hpp"
#include "util/file_util.hpp"

using tktest::TestSandbox;
namespace fs = std::filesystem;

TEST_CASE("up: seeded sandbox with the reference's users, tables and settings") {
  auto& sb = TestSandbox::get();
  auto st = tc::read_json_file(sb.dir + "/sandbox.json");
  REQUIRE(st.is_object());
  CHECK(st["running"] == true);
  CHECK(st["private_port"].get<int>() > 0);
  CHECK(st["public_port"].get<int>() > 0);
  CHECK(st["private_port"] != st["public_port"]);
  CHECK(tc::toolkit::process_alive(st["pid"].get<int>()));
  CHECK(fs::exists(st["error_log"].get<std::string>()));

  // ETL user over TCP on the private port; admin over TCP too.
  tc::db::Dsn hevo = tc::db::Dsn::parse(
      "mysql://hevo:hevopassword@127.0.0.1:" + std::to_string(st["private_port"].get<int>()) + "/testdb");
  auto c = tc::db::Connection::open(hevo);
  CHECK(c->scalar("SELECT COUNT(*) FROM users WHERE id <= 5").get<long long>() == 5);
  CHECK(c->scalar("SELECT value FROM _toolkit_meta WHERE key_name = 'version'") == "1.0.0");
  auto grants = c->query("SHOW GRANTS");
  std::string all;
  for (auto& row : grants.rows) all += row.front().get<std::string>() + "\n";
  CHECK(all.find("REPLICATION SLAVE") != std::string::npos);
  CHECK(all.find("BINLOG MONITOR") != std::string::npos);
  auto root = tc::db::Connection::open(
      tc::db::Dsn::parse("mysql://root:rootpassword@127.0.0.1:" + std::to_string(st["private_port"].get<int>())));
  auto v = root->query(
                   "SELECT @@server_id AS id, @@log_bin AS lb, @@binlog_format AS f, @@binlog_row_image AS ri, "
                   "@@max_binlog_size AS m")
               .rows[0];
  CHECK(v["id"] == 1);
  CHECK(v["lb"] == 1);
  CHECK(v["f"] == "ROW");
  CHECK(v["ri"] == "FULL");
  CHECK(v["m"] == 104857600);
  CHECK_THROWS_AS(tc::db::Connection::open(tc::db::Dsn::parse("mysql://hevo:wrong@127.0.0.1:" +
                                                              std::to_string(st["private_port"].get<int>()))),
                  tc::db::Error);
  // The public port works as soon as `up` returns: the fault proxy (the toolkit daemon) was started with it.
  tc::db::Dsn pub = hevo;
  pub.port = st["public_port"].get<int>();
  CHECK(tc::db::Connection::open(pub)->scalar("SELECT COUNT(*) FROM users WHERE id <= 5").get<long long>() == 5);
  auto status = sb.ok({"network", "--status"});
  INFO(status.dump());
  CHECK(status["daemon"] == true);
  CHECK(status["proxy"]["listening"] == true);
  // up again: already running, same ports.
  auto again = sb.ok({"up"});
  CHECK(again["already_running"] == true);
  CHECK(again["public_port"] == st["public_port"]);
  auto clash = sb.run({"up", "--port", std::to_string(st["public_port"].get<int>() == 1 ? 2 : 1)});
  CHECK(clash.r.exit_code == 1);
}

TEST_CASE("status and monitor report the binlog and the users count") {
  auto& sb = TestSandbox::get();
  auto s = sb.ok({"status"});
  CHECK(s["running"] == true);
  CHECK(s["binlog_format"] == "ROW");
  CHECK(s["flavour"] == "mariadb");
  CHECK(s["binlog_file"].get<std::string>().rfind("mysql-bin.", 0) == 0);
  CHECK(s["binlog_files_count"].get<int>() >= 1);
  CHECK(s["users_rows"].get<long long>() >= 5);
  auto before = s["users_rows"].get<long long>();
  sb.ok({"generate-data", "--count", "7"});
  auto m = sb.ok({"monitor", "--json"});
  CHECK(m["users_rows"].get<long long>() == before + 7);
  CHECK(m["files"].size() >= 1);
  auto w = sb.run({"monitor", "--watch", "--interval", "0.1", "--iterations", "3"});
  CHECK(w.r.exit_code == 0);
  CHECK(w.r.output["refreshes"] == 3);
  auto txt = sb.run({"status"});
  CHECK(txt.out.find("binlog:        ON format ROW") != std::string::npos);
  // --json prints one JSON document that parses.
  auto js = sb.run({"--json", "status"});
  CHECK(tc::Json::parse(js.out)["binlog_format"] == "ROW");
  // monitor --watch stops on the stop token.
  std::stop_source stop;
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop.request_stop();
  });
  auto t0 = std::chrono::steady_clock::now();
  auto ww = sb.run({"monitor", "--watch", "--interval", "10"}, stop.get_token());
  t.join();
  CHECK(ww.r.exit_code == 0);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
}

TEST_CASE("bad input: usage errors exit 2, failures exit 1, never a throw") {
  auto& sb = TestSandbox::get();
  CHECK(sb.run({}).r.exit_code == 2);
  CHECK(sb.run({"no-such-command"}).r.exit_code == 2);
  CHECK(sb.run({"corrupt"}).r.exit_code == 2);  // --type is required
  CHECK(sb.run({"corrupt", "--type", "melt"}).r.exit_code == 2);
  CHECK(sb.run({"generate-data", "--count", "abc"}).r.exit_code == 2);
  CHECK(sb.run({"generate-data", "--count", "0"}).r.exit_code == 2);
  CHECK(sb.run({"generate-data", "--table", "x;drop"}).r.exit_code == 1);
  CHECK(sb.run({"transaction", "--type", "many-rows", "--data-type", "xml"}).r.exit_code == 2);
  CHECK(sb.run({"replicate"}).r.exit_code == 2);
  auto noback = sb.run({"corrupt", "--type", "truncate", "--no-backup"});
  CHECK(noback.r.exit_code == 1);
  CHECK(noback.out.find("--force") != std::string::npos);
  auto help = sb.run({"--help"});
  CHECK(help.r.exit_code == 0);
  CHECK(help.out.find("generate-data") != std::string::npos);
  // A DSN source that is not ours: corrupt refuses; a bad DSN is a clear error.
  auto port = std::to_string(tc::read_json_file(sb.dir + "/sandbox.json")["private_port"].get<int>());
  auto refuse = sb.run(
      {"--source", "mysql://root:rootpassword@127.0.0.1:" + port + "/testdb", "corrupt", "--type", "magic-number"});
  CHECK(refuse.r.exit_code == 1);
  CHECK(refuse.out.find("refusing to corrupt") != std::string::npos);
  CHECK(sb.run({"--source", "postgres://x", "status"}).r.exit_code == 1);
  // But a DSN source works for the read and write commands.
  auto viadsn = sb.run({"--source", "mysql://hevo:hevopassword@127.0.0.1:" + port + "/testdb", "status"});
  CHECK(viadsn.r.exit_code == 0);
  CHECK(viadsn.r.output["source"].get<std::string>().find("mysql://hevo:******@") == 0);
  // A state dir with no sandbox: a clear message.
  tc::toolkit::Config empty;
  empty.state_dir = sb.dir + "/nothing-here";
  std::ostringstream out;
  auto r = tc::toolkit::run_command({"generate-data"}, empty, out);
  CHECK(r.exit_code == 1);
  CHECK(out.str().find("toolkit up") != std::string::npos);
}
