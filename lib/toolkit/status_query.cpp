#include "toolkit/status_query.hpp"

#include "sandbox/seed.hpp"

namespace tc::toolkit {

namespace {
Json global_status(Session& s, const std::string& name) {
  auto r = s.conn->query("SHOW GLOBAL STATUS LIKE '" + name + "'");
  if (r.rows.empty()) return nullptr;
  const Json& v = r.rows.front()["Value"];
  if (v.is_string()) {
    try {
      return std::stoll(v.get<std::string>());
    } catch (...) {
      return v;
    }
  }
  return v;
}
}  // namespace

Json users_rows(Session& s) {
  std::string db = s.source.dsn.database.empty() ? kDatabase : s.source.dsn.database;
  try {
    return s.conn->scalar("SELECT COUNT(*) FROM " + db::quote_ident(db) + ".users");
  } catch (const db::Error&) {
    return nullptr;
  }
}

Json server_status(Session& s) {
  auto vars = s.conn
                  ->query(
                      "SELECT @@GLOBAL.server_id AS server_id, @@GLOBAL.log_bin AS log_bin, @@GLOBAL.binlog_format AS "
                      "binlog_format, @@GLOBAL.binlog_row_image AS binlog_row_image, @@GLOBAL.max_binlog_size AS "
                      "max_binlog_size, VERSION() AS version")
                  .rows.front();
  Json j;
  j["running"] = true;
  j["source"] = s.source.sandbox ? "sandbox" : s.source.dsn.str();
  j["version"] = vars["version"];
  j["flavour"] = s.flavour.is_mariadb() ? "mariadb" : "mysql";
  j["uptime_s"] = global_status(s, "Uptime");
  j["threads_connected"] = global_status(s, "Threads_connected");
  j["threads_running"] = global_status(s, "Threads_running");
  j["server_id"] = vars["server_id"];
  j["log_bin"] = vars["log_bin"] == Json(1) || vars["log_bin"] == Json("1") || vars["log_bin"] == Json("ON");
  j["binlog_format"] = vars["binlog_format"];
  j["binlog_row_image"] = vars["binlog_row_image"];
  j["max_binlog_size"] = vars["max_binlog_size"];
  j["gtid_mode"] = s.conn->scalar(s.flavour.gtid_mode_sql());
  if (j["log_bin"].get<bool>()) {
    Json b = s.binlog_snapshot();
    for (auto& [k, v] : b.items()) j["binlog_" + k] = v;
  }
  j["users_rows"] = users_rows(s);
  return j;
}

Json monitor_snapshot(Session& s) {
  Json j = s.binlog_snapshot();
  j["users_rows"] = users_rows(s);
  return j;
}

}  // namespace tc::toolkit
