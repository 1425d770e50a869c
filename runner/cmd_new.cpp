#include <filesystem>
#include <fstream>
#include <ostream>
#include <regex>
#include <sstream>

#include "runner/commands.hpp"
#include "util/file_util.hpp"

namespace tc::cli {

int new_scenario(const std::string& id, const std::string& title, const std::string& dir, std::ostream& out,
                 std::ostream& err) {
  namespace fs = std::filesystem;
  if (!std::regex_match(id, std::regex("[A-Za-z][A-Za-z0-9_-]*"))) {
    err << "tc-run new: the id must be letters, digits, - and _ (e.g. TC-042), got '" << id << "'\n";
    return 2;
  }
  fs::path tmpl = fs::path(dir) / "TEMPLATE.yaml";
  // Outside a checkout (an installed tc-run): the template that was installed with it.
  if (!fs::exists(tmpl)) tmpl = fs::path(installed_share_dir()) / "TEMPLATE.yaml";
  std::ifstream in(tmpl);
  if (!in) {
    err << "tc-run new: cannot read " << (fs::path(dir) / "TEMPLATE.yaml").string() << " nor " << tmpl.string() << "\n";
    return 2;
  }
  fs::path dst = fs::path(dir) / (id + ".yaml");
  if (fs::exists(dst)) {
    err << "tc-run new: " << dst.string() << " already exists\n";
    return 2;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  std::string quoted_title = "\"";
  for (char c : title) quoted_title += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  quoted_title += "\"";
  text = std::regex_replace(text, std::regex("(^|\\n)id: .*"), "$1id: " + id, std::regex_constants::format_first_only);
  text = std::regex_replace(text, std::regex("(^|\\n)title: .*"), "$1title: " + quoted_title,
                            std::regex_constants::format_first_only);
  std::ofstream(dst) << text;
  out << "wrote " << dst.string() << " (validate it with: tc-run validate " << dst.string() << ")\n";
  return 0;
}

}  // namespace tc::cli
