#pragma once
// The fault proxy: a TCP relay in front of the source whose traffic can be refused, stalled or delayed on demand.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "util/json.hpp"

namespace tc::toolkit {

/// Where the proxy forwards to: host:port, or a unix socket path when `socket` is set.
struct Upstream {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string socket;
  std::string str() const;
};

/// What the proxy does with connections: forward them, refuse/reset them, or swallow them (hang).
enum class ProxyMode { pass, reject, timeout };
std::string to_string(ProxyMode m);

/// Counters and settings at one moment.
struct ProxyStats {
  ProxyMode mode = ProxyMode::pass;
  bool listening = false;
  int port = 0;
  std::chrono::milliseconds latency{0}, jitter{0};
  uint64_t connections_open = 0;   // client connections currently held by the proxy
  uint64_t connections_total = 0;  // accepted since start
  uint64_t connections_held = 0;   // open connections currently stalled by a timeout fault
  uint64_t connections_reset = 0;  // reset by a reject fault (or a failed upstream connect)
  uint64_t bytes_up = 0;           // client -> server
  uint64_t bytes_down = 0;         // server -> client
  Json to_json() const;
};

/// A TCP relay on 127.0.0.1 running on its own io thread. Thread-safe: every setter returns once applied.
class FaultProxy {
 public:
  /// listen_port 0 picks a free port (see port()).
  FaultProxy(Upstream upstream, int listen_port, std::string listen_host = "127.0.0.1");
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  /// Binds and starts relaying; throws std::runtime_error if the port cannot be bound.
  void start();
  /// Closes every connection and the listener; idempotent.
  void stop();
  int port() const;
  /// pass: relay. reject: stop listening (connect -> ECONNREFUSED) and reset open connections with RST.
  /// timeout: accept but never answer; open connections stall with their data held, not lost.
  /// Throws std::runtime_error if the listener cannot be reopened when leaving reject.
  void set_mode(ProxyMode mode);
  /// Delays every chunk in both directions by latency +- jitter (order preserved); 0 turns it off.
  void set_latency(std::chrono::milliseconds latency, std::chrono::milliseconds jitter = {});
  /// Upstream for new connections; open ones keep theirs.
  void set_upstream(Upstream upstream);
  ProxyStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tc::toolkit
