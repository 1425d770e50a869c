#pragma once
// The network and service faults the daemon holds, one declaration each (lib/daemon/faults/<name>.cpp), listed in
// fault_types.cpp: the daemon, the `toolkit network` CLI and its docs read them instead of naming faults.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "daemon/fault_probe.hpp"
#include "proxy/proxy.hpp"

namespace tc::toolkit {

/// What a fault's probe may look at: where clients connect, the server behind, the fault's own settings.
struct FaultView {
  Upstream public_addr;  // the proxy: what clients (the pipeline) connect to
  Upstream upstream;     // the sandbox server itself
  std::chrono::milliseconds latency{0}, jitter{0};
  bool blocked = false;  // another fault refuses or stalls connections now, so a delay cannot be seen
};

/// Which request applies a fault: `network --down/--flap --type NAME`, or `network --slow`.
enum class FaultVerb { down, slow };

/// One fault, in the manner of toxiproxy's toxics: its name, its slot, what the proxy and the server do while it
/// is on, and how a probe tells that it took effect.
struct FaultType {
  std::string name{};         // what --type says (reject, timeout, service); latency for --slow
  std::string summary{};      // one line for `toolkit network --help` and docs/toolkit-commands.md
  std::string slot{};         // one active fault per slot: network, service, latency
  std::string ledger_kind{};  // the ledger entry that records it (network.reject, service.stop, ...)
  FaultVerb verb = FaultVerb::down;
  ProxyMode mode = ProxyMode::pass;  // what the relay does with connections while it is on
  bool delays = false;               // the relay adds its latency +- jitter while it is on
  bool stops_server = false;         // the sandbox server is stopped while it is on (needs service commands)
  /// Throws std::runtime_error naming what a probe saw when the fault is not what a client now sees.
  std::function<ProbeResult(const FaultView&)> verify = nullptr;
};

/// Every fault, in documentation order.
const std::vector<FaultType>& fault_types();
/// nullptr when no fault has that name.
const FaultType* find_fault(const std::string& name);
/// The names a verb accepts (`--type` choices of --down/--flap), in order.
std::vector<std::string> fault_names(FaultVerb verb);

}  // namespace tc::toolkit
