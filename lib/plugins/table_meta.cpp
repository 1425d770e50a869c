#include "plugins/table_meta.hpp"

#include <algorithm>
#include <cctype>

#include "plugins/step_type.hpp"
#include "util/text.hpp"

namespace tc::plugins::checks {

namespace {
std::string unquote(const std::string& part, const std::string& whole) {
  std::string p = trim(part);
  if (p.size() >= 2 && p.front() == '`' && p.back() == '`') p = p.substr(1, p.size() - 2);
  if (p.empty()) throw StepError("bad table name '" + whole + "': expected table or database.table");
  return p;
}
}  // namespace

TableName TableName::parse(const std::string& text) {
  std::string t = trim(text);
  if (t.empty()) throw StepError("the table name is empty");
  // A dot inside backticks belongs to the name.
  size_t dot = std::string::npos;
  bool in_quote = false;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '`') in_quote = !in_quote;
    if (t[i] == '.' && !in_quote) {
      if (dot != std::string::npos) throw StepError("bad table name '" + text + "': expected table or database.table");
      dot = i;
    }
  }
  TableName n;
  if (dot == std::string::npos) {
    n.table = unquote(t, text);
  } else {
    n.schema = unquote(t.substr(0, dot), text);
    n.table = unquote(t.substr(dot + 1), text);
  }
  return n;
}

std::string TableName::sql() const {
  return schema.empty() ? db::quote_ident(table) : db::quote_ident(schema) + "." + db::quote_ident(table);
}

bool ColumnInfo::is_integer() const {
  static const char* kInts[] = {"tinyint", "smallint", "mediumint", "int", "integer", "bigint"};
  return std::find(std::begin(kInts), std::end(kInts), data_type) != std::end(kInts);
}

bool ColumnInfo::is_binary() const {
  static const char* kBin[] = {"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"};
  return std::find(std::begin(kBin), std::end(kBin), data_type) != std::end(kBin);
}

const ColumnInfo* TableInfo::column(const std::string& n) const {
  for (const auto& c : columns)
    if (lower(c.name) == lower(n)) return &c;
  return nullptr;
}

TableInfo read_table(db::Connection& conn, const TableName& name, const std::string& side) {
  TableInfo info;
  info.name = name;
  if (info.name.schema.empty()) {
    Json db = conn.scalar("SELECT DATABASE()");
    if (!db.is_string())
      throw StepError("no database for table '" + name.table + "' on " + side +
                      ": put the database in the connection's DSN or write database.table");
    info.name.schema = db.get<std::string>();
  }
  std::string schema = "'" + conn.escape(info.name.schema) + "'", table = "'" + conn.escape(info.name.table) + "'";
  auto cols = conn.query(
      "SELECT COLUMN_NAME AS name, LOWER(DATA_TYPE) AS type, IS_NULLABLE AS nullable FROM information_schema.COLUMNS "
      "WHERE TABLE_SCHEMA = " +
      schema + " AND TABLE_NAME = " + table + " ORDER BY ORDINAL_POSITION");
  if (cols.rows.empty()) throw StepError("table " + info.name.text() + " does not exist on " + side);
  for (const auto& r : cols.rows)
    info.columns.push_back({r["name"].get<std::string>(), r["type"].get<std::string>(), r["nullable"] == "YES"});
  auto pk =
      conn.query("SELECT COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = " + schema +
                 " AND TABLE_NAME = " + table + " AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION");
  for (const auto& r : pk.rows) info.primary_key.push_back(r["name"].get<std::string>());
  return info;
}

void prepare_session(db::Connection& conn) {
  // Literals are escaped with backslashes; timestamps are hashed as UNIX_TIMESTAMP, so the zone does not matter.
  conn.execute("SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')");
}

std::string sql_literal(db::Connection& conn, const Json& v) {
  if (v.is_null()) return "NULL";
  if (v.is_number()) return v.dump();
  if (v.is_boolean()) return v.get<bool>() ? "1" : "0";
  if (v.is_string()) return "'" + conn.escape(v.get<std::string>()) + "'";
  return "'" + conn.escape(v.dump()) + "'";
}

}  // namespace tc::plugins::checks
