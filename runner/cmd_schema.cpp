// tc-run schema / tc-run docs: the JSON schema and the step reference, generated from the step types' declarations.
#include <ostream>

#include "daemon/fault_type.hpp"
#include "faults/binlog_corruption.hpp"
#include "runner/commands.hpp"
#include "scenario/schema.hpp"
#include "targets/registry.hpp"
#include "toolkit/replicate.hpp"
#include "toolkit/toolkit.hpp"

namespace tc::cli {

int schema(std::ostream& out) {
  auto opts = engine::load_options();
  out << scenario::scenario_schema_text(opts.steps, opts.target_types);
  return 0;
}

int docs(const std::string& what, std::ostream& out, std::ostream& err) {
  if (what == "steps") {
    out << scenario::step_reference(engine::load_options().steps);
    return 0;
  }
  if (what == "toolkit") {
    // The JSON keys of the toolkit commands that declare them: what `toolkit --json` prints and a `toolkit:`
    // step's capture/observe/expect may name.
    for (const auto& [command, outputs] : toolkit::declared_command_outputs())
      out << "#### toolkit " << command << "\n" << scenario::outputs_table(outputs) << "\n";
    out << "#### network faults\nWhat `network --down/--flap --type NAME` and `network --slow` apply, each declared in "
           "lib/daemon/faults/NAME.cpp.\n\n| fault | applied by | slot | ledger kind | the proxy | meaning |\n"
           "|---|---|---|---|---|---|\n";
    for (const auto& f : toolkit::fault_types()) {
      std::string proxy = f.stops_server                          ? "server stopped, its address refuses"
                          : f.delays                              ? "delays every chunk"
                          : f.mode == toolkit::ProxyMode::reject  ? "refuses, resets open connections"
                          : f.mode == toolkit::ProxyMode::timeout ? "accepts, never answers"
                                                                  : "relays";
      out << "| `" << f.name << "` | "
          << (f.verb == toolkit::FaultVerb::slow ? "`--slow`" : "`--down`, `--flap` `--type " + f.name + "`") << " | "
          << f.slot << " | `" << f.ledger_kind << "` | " << proxy << " | " << f.summary << " |\n";
    }
    out << "\n#### binlog corruptions\nWhat `corrupt --type NAME` does to a binlog file (backed up first, recorded as "
           "`binlog.NAME` in the ledger, undone by `restore`), each declared in lib/faults/corruptions/.\n\n"
           "| corruption | meaning |\n|---|---|\n";
    for (const auto& c : toolkit::binlog_corruptions()) out << "| `" << c.name << "` | " << c.summary << " |\n";
    out << "\n#### replication stresses\nWhat `replicate --scenario NAME` runs on the source, each declared in "
           "lib/toolkit/replicate/.\n\n| scenario | meaning |\n|---|---|\n";
    for (const auto& r : toolkit::replication_stresses())
      out << "| `" << r.name << "` | " << r.summary << (r.destructive ? " (needs the destructive interlock)" : "")
          << " |\n";
    out << "\n";
    return 0;
  }
  if (what == "targets") {
    // What each adapter fills into `pipeline: status`'s detail: what validate checks `detail.x` against.
    for (const auto& t : targets::target_registry()) {
      out << "#### " << t.name << "\n" << t.summary << ".\n\n";
      if (!t.settings.empty()) {
        out << "Settings (the map form's keys besides `type`):";
        for (const auto& s : t.settings) out << " `" << s << "`";
        out << ".\n\n";
      }
      out << "`detail` keys:\n\n" << scenario::outputs_table(t.detail);
      if (t.open_detail)
        out << "\nPlus the keys of the status request's own `detail:` pointers (checked when the step runs).\n";
      out << "\n";
    }
    return 0;
  }
  err << "tc-run docs: unknown reference '" << what << "' (known: steps, toolkit, targets)\n";
  return 2;
}

}  // namespace tc::cli
