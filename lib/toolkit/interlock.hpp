#pragma once
// The destructive-fault interlock: service stop, binlog corruption, GTID gaps and DDL run only on the sandbox
// tc-run owns or on a server the tester allowed explicitly by its server_uuid or hostname. One place decides.
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "toolkit/toolkit.hpp"

namespace tc::toolkit {

/// Who a server says it is (@@server_uuid is empty on MariaDB, which has none).
struct ServerIdentity {
  std::string server_uuid, hostname;
  int port = 0;
  /// "server_uuid U, hostname H, port P" (the parts it has).
  std::string describe() const;
};

/// Reads @@server_uuid, @@hostname and @@port over `conn`.
ServerIdentity identify_server(db::Connection& conn);

/// The allow-list: cfg.allow_destructive plus $TC_ALLOW_DESTRUCTIVE (comma-separated); trimmed, blanks dropped.
std::vector<std::string> destructive_allow_list(const Config& cfg);

/// True if an entry names this server: its server_uuid, its hostname or hostname:port (case-insensitive).
bool destructive_allowed(const ServerIdentity& id, const std::vector<std::string>& allow);

/// Refuses a destructive `what` ("stop the server", "corrupt a binlog") on a server that is neither the sandbox
/// nor allowed, by throwing CommandFailure naming the server and how to allow it. Call before touching anything
/// (ledger, files, server). `conn` is an open connection to the source; null = open one from cfg.source.
void require_destructive_allowed(const Config& cfg, const std::string& what, db::Connection* conn = nullptr);

}  // namespace tc::toolkit
