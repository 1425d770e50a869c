#include <ostream>

#include "import/import_markdown.hpp"
#include "runner/commands.hpp"

namespace tc::cli {

int import(const std::string& file, const std::string& output, std::ostream& out, std::ostream& err) {
  return scenario::import_markdown_file(file, output, out, err);
}

}  // namespace tc::cli
