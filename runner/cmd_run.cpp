#include <ostream>

#include "engine/engine.hpp"
#include "runner/commands.hpp"
#include "runner/run_reports.hpp"
#include "scenario/loader.hpp"

namespace tc::cli {

int run(const std::vector<std::string>& files, const engine::RunOptions& opts, std::ostream& out, std::ostream& err) {
  engine::install_signal_handlers();
  int code = 0;
  for (const auto& f : files) {
    scenario::Scenario sc;
    try {
      sc = engine::load_and_validate(f, opts);
    } catch (const scenario::LoadError& e) {
      for (const auto& d : e.diagnostics()) err << d.str() << "\n";
      code = 2;
      continue;
    }
    auto summary = engine::run_scenario(sc, opts, err, report_hooks(opts));
    for (const auto& r : summary.runs)
      out << r.scenario_id << (r.variant.empty() ? "" : " [" + r.variant + "]") << ": "
          << report::verdict_name(r.verdict) << "  " << r.run_dir << "/execution-log.md\n";
    code = std::max(code, summary.exit_code);
  }
  return code;
}

}  // namespace tc::cli
