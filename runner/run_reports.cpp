#include "runner/run_reports.hpp"

#include <fstream>
#include <iterator>

#include "daemon/source.hpp"
#include "report/writers.hpp"
#include "runner/crash_note.hpp"

namespace tc::cli {

engine::RunHooks report_hooks(const engine::RunOptions& opts) {
  engine::RunHooks h;
  std::string state_dir = toolkit::Config{opts.state_dir, "", false, {}}.resolved_state_dir();
  h.started = [state_dir](const report::RunResult& r) {
    // From here on a crash still leaves a verdict and the way to undo its faults.
    CrashNote::install();
    CrashNote::arm(r, state_dir);
  };
  h.step = [](const std::string& label) { CrashNote::step(label); };
  std::string append_to = opts.append_to;
  h.finished = [append_to](const report::RunResult& r) {
    report::write_run_files(r);
    CrashNote::disarm();
    if (!append_to.empty()) {
      std::ifstream in(append_to);
      std::string doc((std::istreambuf_iterator<char>(in)), {});
      std::ofstream(append_to) << report::append_run(doc, r);
    }
  };
  return h;
}

}  // namespace tc::cli
