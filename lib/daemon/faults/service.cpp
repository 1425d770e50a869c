// service: the source server itself is stopped (and started again on undo); its address refuses meanwhile.
#include <stdexcept>

#include "daemon/fault_type.hpp"

namespace tc::toolkit {

FaultType declare_fault_service() {
  return {.name = "service",
          .summary = "the source server is stopped, then started again (a crash, a maintenance restart)",
          .slot = "service",
          .ledger_kind = "service.stop",
          .mode = ProxyMode::reject,  // the server's address refuses connections while it is stopped
          .stops_server = true,
          .verify = [](const FaultView& v) {
            auto p = probe(v.upstream, std::chrono::seconds(1));
            if (p.outcome == "data")
              throw std::runtime_error("service stop did not take effect: the server still answers");
            auto q = probe(v.public_addr, std::chrono::seconds(1));
            if (q.outcome != "refused" && q.outcome != "hang")
              throw std::runtime_error("service stop did not take effect: a probe through the proxy saw " + q.outcome);
            return p;
          }};
}

}  // namespace tc::toolkit
