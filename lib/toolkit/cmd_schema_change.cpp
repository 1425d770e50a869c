// `schema-change`: DDL events while the pipeline runs. Only touches what it creates (tc_col_N columns on
// users, tc_table_N tables), except alter-column with nothing added yet, which widens users.name.
#include <fmt/format.h>

#include <algorithm>

#include "toolkit/command.hpp"
#include "toolkit/interlock.hpp"
#include "toolkit/session.hpp"

namespace tc::toolkit {

namespace {
// Numbers N of existing <prefix>N names, ascending.
std::vector<int> numbered(Session& s, const std::string& sql, const std::string& prefix) {
  std::vector<int> out;
  for (const auto& row : s.conn->query(sql).rows) {
    std::string name = row.front().get<std::string>();
    if (name.rfind(prefix, 0) != 0) continue;
    std::string digits = name.substr(prefix.size());
    if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos && digits.size() < 9)
      out.push_back(std::stoi(digits));
  }
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

void add_schema_change_command(CLI::App& app, CommandEnv& env) {
  auto* cmd = app.add_subcommand("schema-change", "DDL events: add/drop/alter a column, create/drop a table");
  auto type = std::make_shared<std::string>();
  auto count = std::make_shared<int>(1);
  cmd->add_option("--type", *type, "add-column | drop-column | alter-column | create-table | drop-table")
      ->required()
      ->check(CLI::IsMember({"add-column", "drop-column", "alter-column", "create-table", "drop-table"}));
  cmd->add_option("--count", *count, "how many changes (1)")->check(CLI::Range(1, 1000));
  cmd->callback([&env, type, count] {
    Session s = Session::open(env.cfg);
    require_destructive_allowed(env.cfg, "change the schema (schema-change --type " + *type + ")", s.conn.get());
    const std::string cols_sql =
        "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'users'";
    const std::string tables_sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()";
    auto cols = numbered(s, cols_sql, "tc_col_");
    auto tables = numbered(s, tables_sql, "tc_table_");
    std::vector<std::string> stmts;
    const std::string& t = *type;
    int n = *count;
    if (t == "add-column") {
      int next = cols.empty() ? 1 : cols.back() + 1;
      for (int i = 0; i < n; ++i)
        stmts.push_back(fmt::format("ALTER TABLE users ADD COLUMN tc_col_{} VARCHAR(64) NULL", next + i));
    } else if (t == "drop-column") {
      if (static_cast<int>(cols.size()) < n)
        throw CommandFailure(
            fmt::format("only {} column(s) added by schema-change exist on users; add-column first", cols.size()));
      for (int i = 0; i < n; ++i)
        stmts.push_back(fmt::format("ALTER TABLE users DROP COLUMN tc_col_{}", cols[cols.size() - 1 - i]));
    } else if (t == "alter-column") {
      if (cols.empty()) {
        for (int i = 0; i < n; ++i) {
          long long len =
              s.conn
                  ->scalar(
                      "SELECT character_maximum_length FROM information_schema.columns WHERE table_schema = DATABASE() "
                      "AND table_name = 'users' AND column_name = 'name'")
                  .get<long long>();
          stmts.push_back(fmt::format("ALTER TABLE users MODIFY COLUMN name VARCHAR({}) NOT NULL", len + 10 * (i + 1)));
        }
      } else {
        for (int i = 0; i < n; ++i) {
          int c = cols[static_cast<size_t>(i) % cols.size()];
          stmts.push_back(
              fmt::format("ALTER TABLE users MODIFY COLUMN tc_col_{} VARCHAR({}) NULL", c, 64 + 16 * (i + 1)));
        }
      }
    } else if (t == "create-table") {
      int next = tables.empty() ? 1 : tables.back() + 1;
      for (int i = 0; i < n; ++i)
        stmts.push_back(
            fmt::format("CREATE TABLE tc_table_{} (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, "
                        "created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP) ENGINE=InnoDB",
                        next + i));
    } else {
      if (static_cast<int>(tables.size()) < n)
        throw CommandFailure(
            fmt::format("only {} table(s) made by schema-change exist; create-table first", tables.size()));
      for (int i = 0; i < n; ++i) stmts.push_back(fmt::format("DROP TABLE tc_table_{}", tables[tables.size() - 1 - i]));
    }
    std::string before = s.gtid();
    auto pos0 = s.binlog_position();
    Json done = Json::array();
    for (const auto& st : stmts) {
      s.conn->execute(st);
      done.push_back(st);
      say(env, st);
    }
    auto pos1 = s.binlog_position();
    env.result.output = {{"type", t},
                         {"statements", done},
                         {"count", done.size()},
                         {"gtid_before", before},
                         {"gtid_after", s.gtid()},
                         {"binlog_before", fmt::format("{}:{}", pos0.first, pos0.second)},
                         {"binlog_after", fmt::format("{}:{}", pos1.first, pos1.second)}};
    say(env, fmt::format("{} DDL statement(s); binlog {}:{} -> {}:{}", done.size(), pos0.first, pos0.second, pos1.first,
                         pos1.second));
  });
}

}  // namespace tc::toolkit
