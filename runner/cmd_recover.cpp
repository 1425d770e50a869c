#include <ostream>
#include <sstream>

#include "faults/ledger.hpp"
#include "runner/commands.hpp"
#include "toolkit/toolkit.hpp"
#include "util/run_lock.hpp"

namespace tc::cli {

int recover(const engine::RunOptions& opts, std::ostream& out, std::ostream& err) {
  toolkit::Config cfg;
  cfg.state_dir = opts.state_dir;
  // A live run's faults are not leftovers: never undo them under its feet.
  RunLock lock(cfg.resolved_state_dir(), std::chrono::milliseconds(0));
  if (!lock.held()) {
    err << "tc-run recover: refused: a run is in progress on " << cfg.resolved_state_dir() << " — "
        << lock.holder()->describe() << "; its faults are not leftovers. Wait for it to end.\n";
    return 2;
  }
  toolkit::Ledger ledger(cfg.resolved_state_dir());
  auto left = ledger.outstanding();
  if (left.empty()) {
    out << "nothing to recover: the fault ledger (" << ledger.path() << ") has no outstanding fault\n";
    return 0;
  }
  for (const auto& e : left)
    out << "outstanding: " << e.kind << " applied " << e.applied_at << " by pid " << e.owner_pid << "\n";
  auto still = toolkit::recover_leftovers(cfg, out);
  if (!still.empty()) {
    for (const auto& e : still) err << "still outstanding: " << e << "\n";
    return 2;
  }
  out << "recovered: no fault left behind\n";
  return 0;
}

}  // namespace tc::cli
