#pragma once
// A private MariaDB for end-to-end tests that need a server other than the sandbox (a DSN source).
#include <filesystem>
#include <memory>
#include <string>

#include "db/dsn.hpp"
#include "sandbox/data_template.hpp"
#include "sandbox/server.hpp"

namespace tc::test {

/// Starts a server in `dir` from the tree's cached seeded template (ephemeral loopback port). The caller stops it
/// (`stop()`, by pid) before removing `dir`.
inline std::unique_ptr<toolkit::Server> start_private_server(const std::filesystem::path& dir) {
  auto tmpl = toolkit::ensure_template(std::string(TC_BINARY_DIR) + "/test-cache");
  toolkit::ServerOptions o;
  o.dir = dir.string();
  o.template_dir = tmpl.datadir;
  auto server = std::make_unique<toolkit::Server>(o);
  server->start();
  return server;
}

/// root on the server's testdb.
inline db::Dsn root_dsn(toolkit::Server& server) {
  auto d = server.dsn("root", "rootpassword");
  d.database = "testdb";
  return d;
}

}  // namespace tc::test
