// Where tc-run finds the source: the sandbox of the state dir, or a server given by DSN.
#include "daemon/source.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "daemon/daemon_client.hpp"
#include "sandbox/sandbox.hpp"

namespace tc::toolkit {

db::Dsn source_dsn(const Config& cfg, bool direct) {
  if (!cfg.sandbox()) {
    db::Dsn d = db::Dsn::parse(cfg.source);
    if (!direct) {
      if (const char* p = std::getenv("TC_PROXY_PORT"); p && *p) d.port = std::stoi(p), d.host = "127.0.0.1";
    }
    return d;
  }
  Sandbox sb(cfg.resolved_state_dir());
  auto st = sb.state();
  if (!st || !st->running)
    throw std::runtime_error("the sandbox in " + cfg.resolved_state_dir() +
                             " is not running (start it with `toolkit up`)");
  if (direct) {
    db::Dsn d = sb.admin_dsn();
    if (d.database.empty()) d.database = "testdb";
    return d;
  }
  db::Dsn d;
  d.user = "hevo";
  d.password = "hevopassword";
  d.host = "127.0.0.1";
  d.port = st->public_port;
  d.database = "testdb";
  return d;
}

std::string ensure_source(const Config& cfg) {
  if (!cfg.sandbox()) return "source " + db::Dsn::parse(cfg.source).str();
  Sandbox sb(cfg.resolved_state_dir());
  auto up = sb.up();
  ensure_daemon(cfg);
  if (up.already_running)
    return fmt::format("sandbox already up (server 127.0.0.1:{}, pipelines connect through the fault proxy on :{})",
                       up.state.private_port, up.state.public_port);
  return fmt::format("sandbox started in {} ms{} (server 127.0.0.1:{}, fault proxy :{})", up.state.start_ms,
                     up.fresh ? " from the seeded template" : "", up.state.private_port, up.state.public_port);
}

}  // namespace tc::toolkit
