#pragma once
// The replica target's retry and timeout settings: they decide what "time to detect" measures.
#include <string>

#include "util/json.hpp"

namespace tc::targets {

/// How quickly the replica notices a broken source and retries (docs/targets.md explains each).
struct ReplicaProfile {
  int connect_retry = 1;   // s between reconnect attempts (CHANGE MASTER ... MASTER_CONNECT_RETRY)
  int net_timeout = 4;     // s without data before the link counts as dead (slave_net_timeout)
  double heartbeat = 1.0;  // s between the source's heartbeats on an idle link (MASTER_HEARTBEAT_PERIOD)
  /// From the spec map {type: replica, connect_retry: 1, net_timeout: 4, heartbeat: 1} (numbers of seconds or
  /// durations like "500ms"); missing keys keep the defaults. Throws std::invalid_argument on a bad value or key.
  static ReplicaProfile from_spec(const Json& spec);
  Json to_json() const;
};

}  // namespace tc::targets
