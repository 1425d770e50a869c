#include "sandbox/seed.hpp"

#include <fmt/format.h>

namespace tc::toolkit {

std::string users_table_ddl(const std::string& table) {
  return fmt::format(
      "CREATE TABLE IF NOT EXISTS `{}` ("
      "id INT AUTO_INCREMENT PRIMARY KEY, "
      "name VARCHAR(100) NOT NULL, "
      "email VARCHAR(255) NOT NULL, "
      "status ENUM('active','inactive','pending') DEFAULT 'active', "
      "created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, "
      "updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP"
      ") ENGINE=InnoDB",
      table);
}

std::vector<std::string> seed_statements() {
  std::vector<std::string> s;
  // Admin: root/rootpassword from anywhere (socket, 127.0.0.1, any host), as the reference container allows.
  for (const char* host : {"localhost", "127.0.0.1", "%"}) {
    s.push_back(fmt::format("CREATE USER IF NOT EXISTS 'root'@'{}' IDENTIFIED BY '{}'", host, kAdminPassword));
    s.push_back(fmt::format("ALTER USER 'root'@'{}' IDENTIFIED BY '{}'", host, kAdminPassword));
    s.push_back(fmt::format("GRANT ALL PRIVILEGES ON *.* TO 'root'@'{}' WITH GRANT OPTION", host));
  }
  s.push_back(fmt::format("CREATE DATABASE IF NOT EXISTS `{}` CHARACTER SET utf8mb4", kDatabase));
  // ETL user: ALL on testdb plus what a binlog reader needs on MariaDB (REPLICATION CLIENT is BINLOG MONITOR there).
  for (const char* host : {"localhost", "%"}) {
    s.push_back(fmt::format("CREATE USER IF NOT EXISTS '{}'@'{}' IDENTIFIED BY '{}'", kEtlUser, host, kEtlPassword));
    s.push_back(fmt::format("GRANT ALL PRIVILEGES ON `{}`.* TO '{}'@'{}'", kDatabase, kEtlUser, host));
    s.push_back(fmt::format(
        "GRANT REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR, REPLICATION MASTER ADMIN, SLAVE MONITOR, "
        "RELOAD, SELECT ON *.* TO '{}'@'{}'",
        kEtlUser, host));
  }
  s.push_back(fmt::format("USE `{}`", kDatabase));
  s.push_back(users_table_ddl());
  s.push_back(
      "INSERT INTO users (name, email, status) VALUES "
      "('John Doe', 'john.doe@example.com', 'active'), "
      "('Jane Smith', 'jane.smith@example.com', 'active'), "
      "('Bob Johnson', 'bob.johnson@example.com', 'inactive'), "
      "('Alice Brown', 'alice.brown@example.com', 'pending'), "
      "('Charlie Wilson', 'charlie.wilson@example.com', 'active')");
  s.push_back(
      "CREATE TABLE IF NOT EXISTS _toolkit_meta (key_name VARCHAR(50) PRIMARY KEY, value TEXT, "
      "updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP) ENGINE=InnoDB");
  s.push_back(fmt::format("INSERT INTO _toolkit_meta (key_name, value) VALUES ('version', '{}')", kToolkitVersion));
  s.push_back("FLUSH PRIVILEGES");
  return s;
}

}  // namespace tc::toolkit
