// latency: every chunk is delayed both ways by latency +- jitter, order kept (a slow WAN link).
#include <fmt/format.h>

#include <stdexcept>

#include "daemon/fault_type.hpp"

namespace tc::toolkit {

FaultType declare_fault_latency() {
  return {.name = "latency",
          .summary = "every chunk both ways is delayed by --latency +- --jitter ms, order kept (a slow link)",
          .slot = "latency",
          .ledger_kind = "network.latency",
          .verb = FaultVerb::slow,
          .delays = true,
          .verify = [](const FaultView& v) -> ProbeResult {
            // The server's greeting must arrive late, but arrive (unless another fault blocks every connection).
            if (v.blocked) return {"skipped", 0, "another fault blocks connections"};
            auto p = probe(v.public_addr, v.latency + v.jitter + std::chrono::seconds(5));
            double min = static_cast<double>((v.latency - v.jitter).count()) - 1.0;
            if (p.outcome != "data" || p.ms < min)
              throw std::runtime_error(
                  fmt::format("latency did not take effect: a probe saw {} after {:.1f} ms (expected >= {:.0f} ms)",
                              p.outcome, p.ms, min));
            return p;
          }};
}

}  // namespace tc::toolkit
