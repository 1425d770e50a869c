#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <ostream>

#include "runner/commands.hpp"
#include "scenario/loader.hpp"

namespace tc::cli {

int list(const std::string& dir, std::ostream& out, std::ostream& err) {
  if (!std::filesystem::is_directory(dir)) {
    err << "tc-run: " << dir << " is not a folder\n";
    return 2;
  }
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".yaml" || e.path().extension() == ".yml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  out << fmt::format("{:<10} {:<44} {:<14} {:<9} {}\n", "ID", "TITLE", "CATEGORY", "SEVERITY", "VARIANTS");
  int bad = 0;
  for (const auto& f : files) {
    if (std::filesystem::path(f).filename() == "TEMPLATE.yaml") continue;
    try {
      auto sc = engine::load_scenario(f);
      std::string names;
      for (const auto& v : sc.variants()) names += (names.empty() ? "" : ",") + (v.name.empty() ? "-" : v.name);
      out << fmt::format("{:<10} {:<44} {:<14} {:<9} {}\n", sc.id, sc.title.substr(0, 44), sc.category, sc.severity,
                         names);
    } catch (const scenario::LoadError& e) {
      err << f << ": invalid (" << e.diagnostics().size() << " error(s); run tc-run validate " << f << ")\n";
      ++bad;
    }
  }
  return bad ? 2 : 0;
}

}  // namespace tc::cli
