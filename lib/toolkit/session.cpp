#include "toolkit/session.hpp"

#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <ostream>

#include "sandbox/sandbox.hpp"
#include "sandbox/seed.hpp"

namespace tc::toolkit {

Source resolve_source(const Config& cfg, const std::string& binlog_dir) {
  Source s;
  s.state_dir = cfg.resolved_state_dir();
  if (cfg.sandbox()) {
    Sandbox sb(s.state_dir);
    s.dsn = sb.admin_dsn();
    s.binlog_dir = sb.state()->binlog_dir;
    return s;
  }
  s.sandbox = false;
  try {
    s.dsn = db::Dsn::parse(cfg.source);
  } catch (const std::invalid_argument& e) {
    throw CommandFailure(std::string("--source: ") + e.what());
  }
  std::string dir = binlog_dir;
  if (dir.empty())
    if (const char* e = std::getenv("TC_BINLOG_DIR"); e && *e) dir = e;
  if (!dir.empty() && !std::filesystem::is_directory(dir))
    throw CommandFailure("binlog directory " + dir + " does not exist");
  s.binlog_dir = dir;
  return s;
}

Session Session::open(const Config& cfg, const std::string& binlog_dir) {
  Session s;
  s.source = resolve_source(cfg, binlog_dir);
  s.conn = db::Connection::open(s.source.dsn);
  s.flavour = Flavour::from_version(s.conn->scalar("SELECT VERSION()").get<std::string>());
  if (s.source.dsn.database.empty()) {
    try {
      s.conn->execute(std::string("USE ") + kDatabase);  // the reference's database, when the DSN names none
    } catch (const db::Error&) {
    }
  }
  return s;
}

std::pair<std::string, long long> Session::binlog_position() {
  auto r = conn->query(flavour.binlog_status_sql());
  if (r.rows.empty())
    throw CommandFailure("binary logging is off on this server (" + flavour.binlog_status_sql() + " is empty)");
  const Json& row = r.rows.front();
  long long pos =
      row["Position"].is_number() ? row["Position"].get<long long>() : std::stoll(row["Position"].get<std::string>());
  return {row["File"].get<std::string>(), pos};
}

std::string Session::gtid() {
  Json g = conn->scalar(flavour.gtid_position_sql());
  return g.is_string() ? g.get<std::string>() : "";
}

Json Session::binlog_snapshot() {
  auto [file, pos] = binlog_position();
  Json files = Json::array();
  long long total = 0;
  for (const auto& row : conn->query("SHOW BINARY LOGS").rows) {
    long long size = row["File_size"].is_number() ? row["File_size"].get<long long>()
                                                  : std::stoll(row["File_size"].get<std::string>());
    files.push_back({{"name", row["Log_name"]}, {"size", size}});
    total += size;
  }
  return {{"file", file},       {"position", pos}, {"gtid", gtid()}, {"files", files}, {"files_count", files.size()},
          {"total_size", total}};
}

void say(CommandEnv& env, const std::string& line) {
  env.result.text += line + "\n";
  if (!env.cfg.json) env.out << line << "\n" << std::flush;
}

bool sleep_or_stop(std::stop_token stop, std::chrono::milliseconds d) {
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lock(m);
  cv.wait_for(lock, stop, d, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace tc::toolkit
