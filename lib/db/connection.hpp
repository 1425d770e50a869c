#pragma once
// A client connection through mysql-connector-c++ (classic protocol), results as JSON.
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "db/dsn.hpp"
#include "util/json.hpp"

namespace sql {
class Connection;
}

namespace tc::db {

/// A server error with its MySQL error number (2003 = can't connect, 2013 = lost connection...).
class Error : public std::runtime_error {
 public:
  Error(int code, std::string sqlstate, const std::string& what)
      : std::runtime_error(what), code_(code), sqlstate_(std::move(sqlstate)) {}
  int code() const { return code_; }
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  int code_;
  std::string sqlstate_;
};

/// Options for opening a connection.
struct ConnectOptions {
  std::chrono::seconds connect_timeout{5};
  std::chrono::seconds read_timeout{0};  // 0 = driver default (wait forever)
  std::chrono::seconds write_timeout{0};
};

/// A result set: column names and rows of JSON values (NULL -> null, numbers stay numbers).
struct Result {
  std::vector<std::string> columns;
  std::vector<Json> rows;  // each an object column -> value
  long long affected = 0;  // for statements without a result set
  Json scalar() const;     // first column of first row (null when empty)
};

/// One open session. Not thread-safe; `kill_query` may be called from another thread.
class Connection {
 public:
  static std::unique_ptr<Connection> open(const Dsn& dsn, const ConnectOptions& opts = {});
  ~Connection();
  Result query(const std::string& sql);
  long long execute(const std::string& sql);
  Json scalar(const std::string& sql) { return query(sql).scalar(); }
  /// The server's id for this session (for KILL QUERY from another connection).
  unsigned long long thread_id() const { return thread_id_; }
  /// Cancels the running statement of this connection from a second connection to the same server.
  void kill_query();
  sql::Connection& raw() { return *conn_; }
  const Dsn& dsn() const { return dsn_; }
  std::string escape(const std::string& s) const;

 private:
  Connection(Dsn dsn, std::unique_ptr<sql::Connection> c);
  Dsn dsn_;
  std::unique_ptr<sql::Connection> conn_;
  unsigned long long thread_id_ = 0;
};

/// Quotes an identifier with backticks.
std::string quote_ident(const std::string& name);

}  // namespace tc::db
