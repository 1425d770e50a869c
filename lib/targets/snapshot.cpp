#include "targets/snapshot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <stdexcept>

#include "util/process.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace tc::targets {

namespace {
using Clock = std::chrono::steady_clock;

const char* const kSystemSchemas = "'mysql','information_schema','performance_schema','sys'";

std::vector<std::string> user_databases(db::Connection& c) {
  std::vector<std::string> out;
  auto r = c.query(std::string("SELECT schema_name AS s FROM information_schema.schemata WHERE schema_name NOT IN (") +
                   kSystemSchemas + ") ORDER BY schema_name");
  for (const auto& row : r.rows) out.push_back(row["s"].get<std::string>());
  return out;
}

// Client options reaching a server; the password goes through the environment, not the command line.
std::vector<std::string> client_args(const db::Dsn& d) {
  std::vector<std::string> a = {"--no-defaults", "--user=" + d.user};
  if (!d.socket.empty())
    a.push_back("--socket=" + d.socket);
  else
    a.insert(a.end(), {"--protocol=TCP", "--host=" + d.host, "--port=" + std::to_string(d.port)});
  return a;
}

ProcessOptions client_env(const db::Dsn& d) {
  ProcessOptions o;
  o.env["MYSQL_PWD"] = d.password;
  o.timeout = std::chrono::hours(2);
  return o;
}

std::string dump_gtid(const std::string& path) {
  // mariadb-dump --gtid --master-data=2 writes "-- SET GLOBAL gtid_slave_pos='0-1-12';" near the top.
  static const std::regex re(R"(gtid_slave_pos\s*=\s*'([^']*)')");
  std::ifstream in(path);
  std::string line;
  for (int i = 0; i < 200 && std::getline(in, line); ++i) {
    std::smatch m;
    if (std::regex_search(line, m, re)) return m[1].str();
  }
  throw std::runtime_error("the dump " + path + " names no GTID position (mariadb-dump --gtid --master-data=2)");
}
}  // namespace

Json Snapshot::to_json() const {
  return {{"gtid", gtid},
          {"databases", databases},
          {"bytes", bytes},
          {"dump_ms", dump_time.count()},
          {"load_ms", load_time.count()}};
}

Snapshot copy_snapshot(const db::Dsn& source, const db::Dsn& replica, const std::string& work_dir) {
  Snapshot s;
  auto src = db::Connection::open(source);
  s.databases = user_databases(*src);
  auto dst = db::Connection::open(replica);
  dst->execute("SET SESSION sql_log_bin = 0");
  for (const auto& db : user_databases(*dst))
    if (std::find(s.databases.begin(), s.databases.end(), db) == s.databases.end())
      dst->execute("DROP DATABASE " + db::quote_ident(db));
  if (s.databases.empty()) {
    s.gtid = src->scalar("SELECT @@GLOBAL.gtid_binlog_pos").get<std::string>();
    return s;
  }

  fs::create_directories(work_dir);
  std::string file = work_dir + "/snapshot.sql";
  auto t0 = Clock::now();
  std::vector<std::string> dump = {"mariadb-dump"};
  for (auto& a : client_args(source)) dump.push_back(a);
  for (const char* a : {"--single-transaction", "--gtid", "--master-data=2", "--add-drop-database", "--routines",
                        "--events", "--triggers", "--hex-blob"})
    dump.emplace_back(a);
  dump.push_back("--result-file=" + file);
  dump.emplace_back("--databases");
  dump.insert(dump.end(), s.databases.begin(), s.databases.end());
  auto r = run_process(dump, client_env(source));
  if (r.exit_code != 0)
    throw std::runtime_error(
        fmt::format("mariadb-dump of {} failed (exit {}): {}", source.str(), r.exit_code, excerpt(r.err, 5, 600)));
  s.dump_time = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  s.gtid = dump_gtid(file);
  std::error_code ec;
  s.bytes = static_cast<long long>(fs::file_size(file, ec));

  t0 = Clock::now();
  std::vector<std::string> load = {"mariadb"};
  for (auto& a : client_args(replica)) load.push_back(a);
  // The copy is not the replica's own history: keep it out of its binlog.
  load.insert(load.end(), {"--batch", "--init-command=SET SESSION sql_log_bin=0", "-e", "source " + file});
  r = run_process(load, client_env(replica));
  fs::remove(file, ec);
  if (r.exit_code != 0)
    throw std::runtime_error(
        fmt::format("loading the snapshot into the replica failed (exit {}): {}", r.exit_code, excerpt(r.err, 5, 600)));
  s.load_time = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  return s;
}

}  // namespace tc::targets
