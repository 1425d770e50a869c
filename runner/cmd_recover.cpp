#include <ostream>
#include <sstream>

#include "runner/commands.hpp"
#include "toolkit/ledger.hpp"
#include "toolkit/toolkit.hpp"

namespace tc::cli {

int recover(const engine::RunOptions& opts, std::ostream& out, std::ostream& err) {
  toolkit::Config cfg;
  cfg.state_dir = opts.state_dir;
  toolkit::Ledger ledger(cfg.resolved_state_dir());
  auto left = ledger.outstanding();
  if (left.empty()) {
    out << "nothing to recover: the fault ledger (" << ledger.path() << ") has no outstanding fault\n";
    return 0;
  }
  for (const auto& e : left)
    out << "outstanding: " << e.kind << " applied " << e.applied_at << " by pid " << e.owner_pid << "\n";
  auto up = toolkit::run_command({"network", "--up"}, cfg, out);
  auto rs = toolkit::run_command({"restore", "--all"}, cfg, out);
  left = ledger.outstanding();
  if (!left.empty()) {
    for (const auto& e : left) err << "still outstanding: " << e.kind << " " << e.details.dump() << "\n";
    return 2;
  }
  out << "recovered: no fault left behind\n";
  return 0;
}

}  // namespace tc::cli
