#include "targets/replica_profile.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "targets/state_words.hpp"
#include "util/duration.hpp"
#include "util/text.hpp"

namespace tc::targets {

namespace {
const std::vector<std::string> kKeys = {"type", "connect_retry", "net_timeout", "heartbeat"};

double seconds(const Json& v, const std::string& key) {
  if (auto d = duration_value(v)) return static_cast<double>(d->count()) / 1000.0;
  throw std::invalid_argument("replica target: `" + key +
                              "` must be a number of seconds or a duration like 500ms (got " + v.dump() + ")");
}
}  // namespace

ReplicaProfile ReplicaProfile::from_spec(const Json& spec) {
  ReplicaProfile p;
  if (!spec.is_object()) return p;
  for (const auto& [k, v] : spec.items()) {
    if (std::find(kKeys.begin(), kKeys.end(), k) == kKeys.end()) {
      std::string hint = closest(k, kKeys);
      throw std::invalid_argument("replica target: unknown key `" + k +
                                  "` (known: connect_retry, net_timeout, heartbeat)" +
                                  (hint.empty() ? "" : "; did you mean `" + hint + "`?"));
    }
  }
  // The server takes whole seconds for these two.
  if (spec.contains("connect_retry")) {
    double s = seconds(spec["connect_retry"], "connect_retry");
    if (s < 1 || s > 86400 || s != std::floor(s))
      throw std::invalid_argument("replica target: `connect_retry` must be a whole number of seconds from 1 to 86400");
    p.connect_retry = static_cast<int>(s);
  }
  if (spec.contains("net_timeout")) {
    double s = seconds(spec["net_timeout"], "net_timeout");
    if (s < 1 || s > 31536000 || s != std::floor(s))
      throw std::invalid_argument("replica target: `net_timeout` must be a whole number of seconds, at least 1");
    p.net_timeout = static_cast<int>(s);
  }
  if (spec.contains("heartbeat")) {
    double s = seconds(spec["heartbeat"], "heartbeat");
    if (s < 0.001 || s > 4294967)
      throw std::invalid_argument("replica target: `heartbeat` must be between 0.001 and 4294967 seconds");
    p.heartbeat = std::round(s * 1000) / 1000;
  }
  // A heartbeat at or past the net timeout would make an idle but healthy link look dead.
  if (p.heartbeat >= p.net_timeout)
    throw std::invalid_argument("replica target: `heartbeat` (" + value_text(p.heartbeat) +
                                " s) must be shorter than `net_timeout` (" + std::to_string(p.net_timeout) + " s)");
  return p;
}

Json ReplicaProfile::to_json() const {
  return {{"connect_retry", connect_retry}, {"net_timeout", net_timeout}, {"heartbeat", heartbeat}};
}

}  // namespace tc::targets
