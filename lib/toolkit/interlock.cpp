#include "toolkit/interlock.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "toolkit/session.hpp"
#include "util/text.hpp"

namespace tc::toolkit {

namespace {
void add_list(std::vector<std::string>& out, const std::string& text) {
  for (const auto& item : split_on(text, ','))
    if (auto t = trim(item); !t.empty()) out.push_back(t);
}
}  // namespace

std::string ServerIdentity::describe() const {
  std::vector<std::string> parts;
  if (!server_uuid.empty()) parts.push_back("server_uuid " + server_uuid);
  if (!hostname.empty()) parts.push_back("hostname " + hostname);
  if (port) parts.push_back("port " + std::to_string(port));
  return fmt::format("{}", fmt::join(parts, ", "));
}

ServerIdentity identify_server(db::Connection& conn) {
  ServerIdentity id;
  // SHOW VARIABLES rather than SELECT @@server_uuid: MariaDB has no server_uuid and would fail the query.
  for (const auto& row :
       conn.query("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('server_uuid','hostname','port')").rows) {
    std::string name = row["Variable_name"].get<std::string>();
    std::string value = row["Value"].is_string() ? row["Value"].get<std::string>() : row["Value"].dump();
    if (name == "server_uuid") id.server_uuid = value;
    if (name == "hostname") id.hostname = value;
    if (name == "port") id.port = std::atoi(value.c_str());
  }
  return id;
}

std::vector<std::string> destructive_allow_list(const Config& cfg) {
  std::vector<std::string> out;
  for (const auto& a : cfg.allow_destructive) add_list(out, a);
  if (const char* e = std::getenv("TC_ALLOW_DESTRUCTIVE"); e && *e) add_list(out, e);
  return out;
}

bool destructive_allowed(const ServerIdentity& id, const std::vector<std::string>& allow) {
  for (const auto& raw : allow) {
    std::string a = lower(raw);
    if (!id.server_uuid.empty() && a == lower(id.server_uuid)) return true;
    if (!id.hostname.empty() && (a == lower(id.hostname) || a == lower(id.hostname) + ":" + std::to_string(id.port)))
      return true;
  }
  return false;
}

void require_destructive_allowed(const Config& cfg, const std::string& what, db::Connection* conn) {
  if (cfg.sandbox()) return;  // the sandbox is ours
  db::Dsn dsn;
  try {
    dsn = db::Dsn::parse(cfg.source);
  } catch (const std::exception& e) {
    throw CommandFailure(std::string("--source: ") + e.what());
  }
  std::unique_ptr<db::Connection> own;
  ServerIdentity id;
  try {
    if (!conn) {
      own = db::Connection::open(dsn);
      conn = own.get();
    }
    id = identify_server(*conn);
  } catch (const std::exception& e) {
    throw CommandFailure(fmt::format(
        "refusing to {} on {}: it is not the sandbox and its server_uuid/hostname cannot be read to check the "
        "allow-list ({}). Nothing was changed.",
        what, dsn.str(), e.what()));
  }
  auto allow = destructive_allow_list(cfg);
  if (destructive_allowed(id, allow)) return;
  // hostname:port, not the bare hostname: every server on that host shares it.
  std::string key = !id.server_uuid.empty() ? id.server_uuid
                    : id.port               ? id.hostname + ":" + std::to_string(id.port)
                                            : id.hostname;
  throw CommandFailure(fmt::format(
      "refusing to {} on {} ({}): destructive faults run only on the sandbox tc-run owns or on a server allowed "
      "by its server_uuid or hostname{}. Nothing was changed. To allow this server, add `allow_destructive: "
      "[\"{}\"]` to the scenario, or set TC_ALLOW_DESTRUCTIVE={}, or pass `--allow-destructive {}` to toolkit.",
      what, dsn.str(), id.describe(),
      allow.empty() ? std::string() : fmt::format(" (allowed now: {})", fmt::join(allow, ", ")), key, key, key));
}

}  // namespace tc::toolkit
