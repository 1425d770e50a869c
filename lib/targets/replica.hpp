#pragma once
// The replica target: a second private MariaDB replicating from the source through the fault proxy (GTID).
#include <memory>
#include <mutex>
#include <string>

#include "daemon/source.hpp"
#include "db/connection.hpp"
#include "sandbox/config.hpp"
#include "targets/replica_profile.hpp"
#include "targets/target.hpp"

namespace tc::targets {

/// A MariaDB replica in <state_dir>/replica (server_id 2) reading the source's binlog through the fault proxy's
/// public port with MASTER_USE_GTID=slave_pos, so every network and service fault hits it. Its destination is
/// mysql://root:rootpassword@127.0.0.1:<port>/testdb.
class ReplicaTarget : public Target {
 public:
  /// Makes sure the source is up, then the replica server, then replication (reusing a running replica; a new
  /// one starts from the seeded template when the source's binlog holds its whole history, else from a dump).
  /// Throws std::runtime_error naming what could not be done.
  ReplicaTarget(toolkit::Config cfg, ReplicaProfile profile);

  std::string kind() const override { return "replica"; }
  std::string etl_tool() const override { return "MariaDB replica (GTID, through the fault proxy)"; }
  PipelineStatus status() override;
  void start() override;    // the server if it is down, then START SLAVE
  void stop() override;     // STOP SLAVE (the server keeps serving the destination)
  void restart() override;  // "Fix Now": STOP SLAVE; START SLAVE
  void resync() override;   // re-snapshot from the source, resume from the snapshot's GTID
  std::string destination_dsn() const override;
  std::vector<std::string> log_files() const override;

  /// What creating the target did (reused, started, snapshot kind and times), for the log.
  const Json& setup() const { return setup_; }
  Json setup_info() const override { return setup_; }
  const ReplicaProfile& profile() const { return profile_; }
  int port() const { return port_; }
  int pid() const { return pid_; }
  /// <state_dir>/replica
  std::string dir() const { return dir_; }

 private:
  void ensure();                 // lock held
  int start_server(bool fresh);  // returns pid
  db::Connection& admin();       // root over the replica's socket, reopened when broken
  void configure_master(bool restart_if_changed);
  void resync_locked();
  Json slave_row();
  bool source_history_complete();  // the sandbox's binlog still starts from the template

  toolkit::Config cfg_;
  ReplicaProfile profile_;
  std::string state_dir_, dir_;
  int port_ = 0, pid_ = 0;
  std::string socket_;
  std::unique_ptr<db::Connection> admin_;
  Json setup_ = Json::object();
  std::recursive_mutex mutex_;
};

/// Stops the replica server of a state dir by its pid (clean shutdown); false if it was not running.
bool stop_replica_server(const std::string& state_dir);

}  // namespace tc::targets
