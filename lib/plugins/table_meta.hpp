#pragma once
// What the data checks need to know about a table on one server: its qualified name, columns and key.
#include <string>
#include <vector>

#include "db/connection.hpp"

namespace tc::plugins::checks {

/// A table as a check names it: "users" (in the connection's database) or "db.users".
struct TableName {
  std::string schema;  // "" = the connection's current database
  std::string table;
  /// Parses "t" or "db.t" (backticks allowed); throws StepError on anything else.
  static TableName parse(const std::string& text);
  /// `db`.`t` (or `t` alone when no schema is known).
  std::string sql() const;
  std::string text() const { return schema.empty() ? table : schema + "." + table; }
};

/// One column as information_schema describes it.
struct ColumnInfo {
  std::string name;
  std::string data_type;  // lower case: int, varchar, timestamp, ...
  bool nullable = false;
  bool is_integer() const;
  bool is_binary() const;  // binary, varbinary, blobs: shown and compared as hex
};

/// The table's columns in ordinal order, with the schema resolved (DATABASE() of `conn` when unqualified).
/// Throws StepError when there is no database to resolve against or the table does not exist there.
struct TableInfo {
  TableName name;  // schema always set
  std::vector<ColumnInfo> columns;
  std::vector<std::string> primary_key;                     // empty when the table has none
  const ColumnInfo* column(const std::string& name) const;  // case-insensitive; nullptr when absent
};
TableInfo read_table(db::Connection& conn, const TableName& name, const std::string& side);

/// Session settings every check connection uses, so both servers render values the same way.
void prepare_session(db::Connection& conn);

/// A JSON value as an SQL literal: numbers as written, strings quoted and escaped, null as NULL.
std::string sql_literal(db::Connection& conn, const Json& v);

}  // namespace tc::plugins::checks
