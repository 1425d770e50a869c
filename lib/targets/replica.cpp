#include "targets/replica.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "sandbox/data_template.hpp"
#include "sandbox/seed.hpp"
#include "sandbox/server.hpp"
#include "targets/file_lock.hpp"
#include "targets/registry.hpp"
#include "targets/replica_status.hpp"
#include "targets/snapshot.hpp"
#include "targets/state_words.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace tc::targets {

namespace {
using Clock = std::chrono::steady_clock;
constexpr int kReplicaServerId = 2;

std::string col(const Json& row, const char* name) {
  return row.is_object() && row.contains(name) && !row[name].is_null() ? value_text(row[name]) : "";
}

long long millis_since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
}
}  // namespace

ReplicaTarget::ReplicaTarget(toolkit::Config cfg, ReplicaProfile profile)
    : cfg_(std::move(cfg)), profile_(profile), state_dir_(cfg_.resolved_state_dir()) {
  state_dir_ = fs::absolute(state_dir_).lexically_normal().string();
  dir_ = state_dir_ + "/replica";
  std::lock_guard lock(mutex_);
  ensure();
}

db::Connection& ReplicaTarget::admin() {
  if (!admin_) {
    db::Dsn d;
    d.user = toolkit::kAdminUser;
    d.password = toolkit::kAdminPassword;
    d.socket = socket_;
    d.port = port_;
    db::ConnectOptions o;
    o.connect_timeout = std::chrono::seconds(5);
    o.read_timeout = std::chrono::seconds(60);  // STOP SLAVE may wait for a stalled IO thread
    admin_ = db::Connection::open(d, o);
  }
  return *admin_;
}

Json ReplicaTarget::slave_row() {
  auto r = admin().query("SHOW SLAVE STATUS");
  return r.rows.empty() ? Json(nullptr) : r.rows.front();
}

int ReplicaTarget::start_server(bool fresh) {
  fs::create_directories(dir_);
  toolkit::ServerOptions o;
  o.dir = dir_;
  o.server_id = kReplicaServerId;
  o.log_bin = true;
  o.log_slave_updates = true;  // the destination's binlog holds the source's GTIDs it applied (gtid checks)
  o.extra = {"slave-net-timeout=" + std::to_string(profile_.net_timeout)};
  o.port = toolkit::Server::attach(dir_).info().port;  // keep the destination's address across restarts
  if (fresh) o.template_dir = toolkit::ensure_template(toolkit::shared_template_dir()).datadir;
  auto launch = [&](toolkit::ServerOptions opts) {
    toolkit::Server s(opts);
    s.start();
    port_ = s.port();
    pid_ = s.pid();
    socket_ = s.socket_path();
    setup_["server_start_ms"] = s.info().start_time.count();
  };
  try {
    launch(o);
  } catch (const std::exception&) {
    if (o.port == 0) throw;
    o.port = 0;  // the old port was taken meanwhile
    launch(o);
  }
  admin_.reset();
  return pid_;
}

bool ReplicaTarget::source_history_complete() {
  // The template's copy equals the sandbox's starting state, so a replica made from it may replay the source's
  // whole binlog, provided its first file starts from nothing (an empty Gtid_list: nothing purged or reset).
  auto src = db::Connection::open(toolkit::source_dsn(cfg_, true));
  auto logs = src->query("SHOW BINARY LOGS");
  if (logs.rows.empty()) return false;
  std::string first = col(logs.rows.front(), "Log_name");
  auto events = src->query("SHOW BINLOG EVENTS IN '" + src->escape(first) + "' LIMIT 5");
  for (const auto& ev : events.rows)
    if (col(ev, "Event_type") == "Gtid_list") return trim(col(ev, "Info")) == "[]";
  return false;
}

void ReplicaTarget::configure_master(bool force) {
  auto& c = admin();
  db::Dsn master = toolkit::source_dsn(cfg_, false);
  Json row = slave_row();
  int net = static_cast<int>(std::stol(value_text(c.scalar("SELECT @@GLOBAL.slave_net_timeout"))));
  double hb = -1;
  auto hb_rows = c.query("SHOW GLOBAL STATUS LIKE 'Slave_heartbeat_period'").rows;
  if (!hb_rows.empty()) hb = std::stod(col(hb_rows.front(), "Value"));
  bool same = row.is_object() && col(row, "Master_Host") == master.host &&
              col(row, "Master_Port") == std::to_string(master.port) && col(row, "Master_User") == master.user &&
              col(row, "Using_Gtid") == "Slave_Pos" &&
              col(row, "Connect_Retry") == std::to_string(profile_.connect_retry) &&
              std::fabs(hb - profile_.heartbeat) < 0.0005 && net == profile_.net_timeout;
  if (same && !force) return;
  bool was_running = row.is_object() && (col(row, "Slave_IO_Running") != "No" || col(row, "Slave_SQL_Running") != "No");
  c.execute("STOP SLAVE");
  c.execute(fmt::format("SET GLOBAL slave_net_timeout = {}", profile_.net_timeout));
  c.execute(
      fmt::format("CHANGE MASTER TO MASTER_HOST='{}', MASTER_PORT={}, MASTER_USER='{}', MASTER_PASSWORD='{}', "
                  "MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY={}, MASTER_HEARTBEAT_PERIOD={:.3f}",
                  c.escape(master.host), master.port, c.escape(master.user), c.escape(master.password),
                  profile_.connect_retry, profile_.heartbeat));
  setup_["configured"] =
      fmt::format("replicating from {}:{} as {} (through the fault proxy)", master.host, master.port, master.user);
  if (was_running && !force) c.execute("START SLAVE");
}

void ReplicaTarget::resync_locked() {
  auto& c = admin();
  auto t0 = Clock::now();
  Json times = Json::object();
  auto lap = [&, t = Clock::now()](const char* name) mutable {
    times[name] = millis_since(t);
    t = Clock::now();
  };
  c.execute("STOP SLAVE");
  c.execute("RESET SLAVE");  // its relay logs predate the snapshot
  lap("stop_ms");
  db::Dsn me;
  me.user = toolkit::kAdminUser;
  me.password = toolkit::kAdminPassword;
  me.socket = socket_;
  me.port = port_;
  Snapshot snap = copy_snapshot(toolkit::source_dsn(cfg_, true), me, dir_ + "/snapshot");
  lap("snapshot_ms");
  // The destination's own binlog restarts at the snapshot, so its applied GTIDs stay contiguous from there.
  c.execute("RESET MASTER");
  if (!snap.gtid.empty()) c.execute("SET GLOBAL gtid_binlog_state = '" + c.escape(snap.gtid) + "'");
  c.execute("SET GLOBAL gtid_slave_pos = '" + c.escape(snap.gtid) + "'");
  configure_master(true);
  c.execute("START SLAVE");
  lap("restart_ms");
  Json j = snap.to_json();
  j["kind"] = "dump";
  j["steps"] = times;
  j["total_ms"] = millis_since(t0);
  setup_["snapshot"] = j;
}

void ReplicaTarget::ensure() {
  fs::create_directories(state_dir_);
  FileLock lock(state_dir_ + "/replica.lock");
  auto t0 = Clock::now();
  if (cfg_.sandbox()) setup_["source"] = toolkit::ensure_source(cfg_);
  toolkit::Server existing = toolkit::Server::attach(dir_);
  bool fresh = !fs::exists(dir_ + "/data");
  if (existing.running()) {
    port_ = existing.port();
    pid_ = existing.pid();
    socket_ = existing.socket_path();
    setup_["server"] = fmt::format("reused the running replica (pid {}, port {})", pid_, port_);
  } else {
    start_server(fresh);
    setup_["server"] =
        fmt::format("{} the replica server (pid {}, port {})", fresh ? "created" : "restarted", pid_, port_);
  }
  Json row = slave_row();
  if (fresh || row.is_null()) {
    if (fresh && cfg_.sandbox() && source_history_complete()) {
      // Same seeded template as the sandbox, empty binlog: replay the source's binlog from its very start.
      admin().execute("SET GLOBAL gtid_slave_pos = ''");
      configure_master(true);
      admin().execute("START SLAVE");
      setup_["snapshot"] = {{"kind", "template"}, {"gtid", ""}};
    } else {
      resync_locked();
    }
  } else {
    configure_master(false);
    auto st = status_from_slave_row(slave_row(), "");
    if (st.state == "stopped") {
      admin().execute("START SLAVE");
      setup_["replication"] = "started the stopped replication threads";
    } else if (st.state == "failed") {
      // Left broken by an earlier run: one restart of the threads; a position the source no longer has (1236)
      // or a failed apply needs a fresh snapshot. Network errors are left for the scenario to see.
      admin().execute("STOP SLAVE");
      admin().execute("START SLAVE");
      auto deadline = Clock::now() + std::chrono::seconds(3);
      do {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        st = status_from_slave_row(slave_row(), "");
      } while (st.state != "running" && Clock::now() < deadline);
      if (st.state == "failed" && (st.last_errno == 1236 || st.detail.value("error_thread", "") == "sql")) {
        setup_["replication"] = fmt::format("was failed (error {}: {}); re-snapshotted", st.last_errno, st.last_error);
        resync_locked();
      } else {
        setup_["replication"] = "was " + st.state + "; restarted the replication threads";
      }
    }
  }
  setup_["profile"] = profile_.to_json();
  setup_["ready_ms"] = millis_since(t0);
}

PipelineStatus ReplicaTarget::status() {
  std::lock_guard lock(mutex_);
  for (int attempt = 0;; ++attempt) {
    try {
      Json row = slave_row();
      std::string pos = value_text(admin().scalar("SELECT @@GLOBAL.gtid_slave_pos"));
      auto s = status_from_slave_row(row, pos);
      s.detail["profile"] = profile_.to_json();
      s.detail["replica"] = {{"pid", pid_}, {"port", port_}};
      return s;
    } catch (const db::Error& e) {
      admin_.reset();  // a dropped admin session: reopen once before calling the replica unreachable
      if (attempt == 0) continue;
      PipelineStatus s;
      s.state = "failed";
      s.last_errno = e.code();
      s.last_error = std::string("the replica server does not answer: ") + e.what();
      s.detail = {{"replica", {{"pid", pid_}, {"port", port_}, {"running", toolkit::process_alive(pid_)}}}};
      return s;
    }
  }
}

void ReplicaTarget::start() {
  std::lock_guard lock(mutex_);
  if (!toolkit::process_alive(pid_)) {
    admin_.reset();
    ensure();
    return;
  }
  admin().execute("START SLAVE");
}

void ReplicaTarget::stop() {
  std::lock_guard lock(mutex_);
  admin().execute("STOP SLAVE");
}

void ReplicaTarget::restart() {
  std::lock_guard lock(mutex_);
  auto& c = admin();
  c.execute("STOP SLAVE");
  c.execute("START SLAVE");
}

void ReplicaTarget::resync() {
  std::lock_guard lock(mutex_);
  FileLock file_lock(state_dir_ + "/replica.lock");
  resync_locked();
}

std::string ReplicaTarget::destination_dsn() const {
  return fmt::format("mysql://{}:{}@127.0.0.1:{}/{}", toolkit::kAdminUser, toolkit::kAdminPassword, port_,
                     toolkit::kDatabase);
}

std::vector<std::string> ReplicaTarget::log_files() const {
  return {dir_ + "/error.log"};
}

bool stop_replica_server(const std::string& state_dir) {
  return toolkit::Server::attach(state_dir + "/replica").stop();
}

TargetDecl declare_replica() {
  using O = scenario::OutputType;
  TargetDecl d{"replica",
               "a local MariaDB replica reading the binlog through the fault proxy (GTID), writing to its own server",
               {"connect_retry", "net_timeout", "heartbeat"},
               [](const Json& spec, const TargetEnv& env) -> std::unique_ptr<Target> {
                 return std::make_unique<ReplicaTarget>(env.toolkit, ReplicaProfile::from_spec(spec));
               },
               [](const std::string& state_dir, std::chrono::seconds grace) {
                 auto r = toolkit::Server::attach(state_dir + "/replica");
                 return r.running() && r.stop(grace);
               }};
  d.detail = {{"gtid_slave_pos", O::Text, "@@gtid_slave_pos: the GTIDs the replica has applied"},
              {"error_thread", O::Text, "io or sql: which thread's error is last_error"},
              {"note", O::Text, "why there is no status row (replication not configured)"},
              {"profile", O::Map, "the replica settings in force (connect_retry, net_timeout, heartbeat)"},
              {"replica", O::Map, "the replica server: pid, port (running when it does not answer)"}};
  for (const auto& c : slave_detail_columns()) d.detail.push_back({c, O::Any, "SHOW SLAVE STATUS's " + c});
  return d;
}

}  // namespace tc::targets
