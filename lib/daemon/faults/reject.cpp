// reject: the source's address refuses connections and open ones are reset (a firewall REJECT, a dead host's RST).
#include <stdexcept>

#include "daemon/fault_type.hpp"

namespace tc::toolkit {

FaultType declare_fault_reject() {
  return {.name = "reject",
          .summary = "connections are refused (ECONNREFUSED) and open ones reset: a REJECT rule, a closed port",
          .slot = "network",
          .ledger_kind = "network.reject",
          .mode = ProxyMode::reject,
          .verify = [](const FaultView& v) {
            auto p = probe(v.public_addr, std::chrono::seconds(1));
            if (p.outcome != "refused")
              throw std::runtime_error("reject did not take effect: a probe saw " + p.outcome);
            return p;
          }};
}

}  // namespace tc::toolkit
