// Undoing what a crashed run left behind, shared by `tc-run recover` and `tc-run --recover`.
#include "faults/ledger.hpp"
#include "toolkit/toolkit.hpp"

namespace tc::toolkit {

std::vector<std::string> recover_leftovers(const Config& cfg, std::ostream& out) {
  run_command({"network", "--up"}, cfg, out);
  run_command({"restore", "--all"}, cfg, out);
  std::vector<std::string> left;
  for (const auto& e : Ledger(cfg.resolved_state_dir()).outstanding()) left.push_back(e.kind + " " + e.details.dump());
  return left;
}

}  // namespace tc::toolkit
