#pragma once
// Where a MySQL/MariaDB server is: mysql://user:pass@host:port/db?socket=/path
#include <string>

namespace tc::db {

/// A parsed connection string.
struct Dsn {
  std::string user = "root";
  std::string password;
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string database;
  std::string socket;  // unix socket path; used instead of host:port when set

  /// Parses mysql://user:pass@host:port/db[?socket=...]; throws std::invalid_argument naming what is wrong.
  static Dsn parse(const std::string& text);
  /// Round-trips to a URL; the password is shown as ****** unless `with_password`.
  std::string str(bool with_password = false) const;
};

}  // namespace tc::db
