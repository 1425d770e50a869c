// timeout: connections are accepted and never answered; open ones stall with their data held (a DROP rule).
#include <stdexcept>

#include "daemon/fault_type.hpp"

namespace tc::toolkit {

FaultType declare_fault_timeout() {
  return {.name = "timeout",
          .summary = "connections hang: accepted, never answered, open ones stall (a DROP rule, a partition)",
          .slot = "network",
          .ledger_kind = "network.timeout",
          .mode = ProxyMode::timeout,
          .verify = [](const FaultView& v) {
            auto p = probe(v.public_addr, std::chrono::milliseconds(300));
            if (p.outcome != "hang") throw std::runtime_error("timeout did not take effect: a probe saw " + p.outcome);
            return p;
          }};
}

}  // namespace tc::toolkit
