#pragma once
// `tc-run import`: a markdown test case in the team's template to a YAML scenario.
// Nothing is dropped silently: every non-empty line ends up in the YAML (step, check, metadata,
// description or comment) or in the sidecar holding past runs, and the report says which.
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

namespace tc::scenario {

/// What an import produced and how each part of the document was carried over.
struct ImportReport {
  std::vector<std::string> mapped;    // turned into metadata, steps, checks or kept as intended comments
  std::vector<std::string> unmapped;  // carried as manual steps or comments because nothing better fit
  std::string yaml;                   // the scenario text
  std::string sidecar_markdown;       // the "## Test Execution Log" section verbatim ("" when no past runs)
  std::string id;                     // the test case ID (names the output files)
};

/// A document the importer cannot turn into a scenario (no metadata table, no ID, no steps...).
class ImportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Converts one markdown document; `source_name` names it in the YAML header and messages. Throws ImportError.
ImportReport import_markdown(const std::string& markdown, const std::string& source_name);

/// Reads `md_path`, writes the YAML to `out_path` ("" -> scenarios/<ID>.yaml) and, when the document has
/// past runs, <ID>.runs.md beside it; prints what was mapped and what was not. Returns 0, or 2 on error.
int import_markdown_file(const std::string& md_path, const std::string& out_path, std::ostream& out, std::ostream& err);

}  // namespace tc::scenario
