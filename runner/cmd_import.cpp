#include <ostream>

#include "runner/commands.hpp"
#include "scenario/import_markdown.hpp"

namespace tc::cli {

int import(const std::string& file, const std::string& output, std::ostream& out, std::ostream& err) {
  return scenario::import_markdown_file(file, output, out, err);
}

}  // namespace tc::cli
