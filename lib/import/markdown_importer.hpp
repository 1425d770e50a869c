#pragma once
// Maps each section of a parsed markdown test case onto the scenario output, tracking every line.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "import/import_markdown.hpp"
#include "import/markdown_doc.hpp"
#include "import/markdown_import_model.hpp"

namespace tc::scenario::md {

/// The template's sections, recognised by their headings.
enum class SectionKind {
  Preamble,
  Metadata,
  Description,
  Preconditions,
  Steps,
  Commands,
  Expected,
  Checklist,
  Cleanup,
  Log,
  Other
};
SectionKind classify(const std::string& heading);

/// One import: walks the document once per section and fills the output and the report.
class Importer {
 public:
  Importer(const Document& doc, std::string source);
  /// Runs every section handler; throws ImportError when the document cannot become a scenario.
  ImportReport run();

 private:
  void metadata();
  void description(const Section& s);
  void preconditions(const Section& s);
  void steps(const Section& s);
  void checklist(const Section& s);
  void cleanup(const Section& s);
  void commands(const Section& s);
  void expected(const Section& s);
  void log(const Section& s);
  void other(const Section& s, const std::string& why);
  void leftovers();
  void capture_binlog_position();
  /// `wanted` (detect_ms, recover_ms) when a wait of the scenario captures it, else "".
  std::string captured_time(const std::string& wanted) const;

  // Shared pieces.
  void item_to_phase(const ListItem& item, Phase& phase, const std::string& sec, bool conditions);
  bool alternatives(const ListItem& item, const std::string& sec);
  void code_to_phase(const Blocks::Code& code, Phase& phase, const std::string& sec);
  Entry toolkit_entry(const std::string& cmd, const std::string& name, bool background);
  std::string unique_id(const std::string& base);
  void use(int line);
  void use(const ListItem& item);
  void mapped(const std::string& sec, int line, const std::string& text, const std::string& what);
  void unmapped(const std::string& sec, int line, const std::string& text, const std::string& what);
  std::string line_text(int line) const;

  const Document& doc_;
  std::string source_;
  std::vector<bool> used_;
  Output out_;
  ImportReport rep_;
  std::vector<std::pair<int, std::string>> mapped_, unmapped_;  // by source line, sorted into the report
  std::set<std::string> commands_used_;                         // toolkit commands some step already runs
  std::set<std::string> ids_;
  bool has_checklist_ = false;
};

}  // namespace tc::scenario::md
