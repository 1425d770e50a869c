// tc-run schema / tc-run docs: the JSON schema and the step reference, generated from the step types' declarations.
#include <ostream>

#include "runner/commands.hpp"
#include "scenario/schema.hpp"

namespace tc::cli {

int schema(std::ostream& out) {
  auto opts = engine::load_options();
  out << scenario::scenario_schema_text(opts.steps, opts.target_types);
  return 0;
}

int docs(const std::string& what, std::ostream& out, std::ostream& err) {
  if (what != "steps") {
    err << "tc-run docs: unknown reference '" << what << "' (known: steps)\n";
    return 2;
  }
  out << scenario::step_reference(engine::load_options().steps);
  return 0;
}

}  // namespace tc::cli
