// tc-run schema / tc-run docs: the JSON schema and the step reference, generated from the step types' declarations.
#include <ostream>

#include "runner/commands.hpp"
#include "scenario/schema.hpp"
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
    return 0;
  }
  err << "tc-run docs: unknown reference '" << what << "' (known: steps, toolkit)\n";
  return 2;
}

}  // namespace tc::cli
