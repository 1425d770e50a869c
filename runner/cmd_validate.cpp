#include <filesystem>
#include <ostream>

#include "runner/commands.hpp"
#include "scenario/loader.hpp"

namespace tc::cli {

int validate(const std::vector<std::string>& paths, const engine::RunOptions& opts, std::ostream& out,
             std::ostream& err) {
  int code = 0;
  // Folders as `run` takes them: every scenario beneath, TEMPLATE.yaml and other YAML left out.
  std::vector<std::string> files = discover(paths, err, code);
  int bad = code ? 1 : 0;
  std::vector<scenario::Scenario> loaded;
  for (const auto& f : files) {
    if (!std::filesystem::is_regular_file(f)) {
      err << f << ": error: no such file\n";
      ++bad;
      continue;
    }
    try {
      loaded.push_back(engine::load_and_validate(f, opts));
      out << f << ": ok (" << loaded.back().id << ", " << loaded.back().variants().size() << " variant(s))\n";
    } catch (const scenario::LoadError& e) {
      for (const auto& d : e.diagnostics()) err << d.str() << "\n";
      ++bad;
    }
  }
  for (const auto& d : scenario::check_unique_ids(loaded)) {
    err << d.str() << "\n";
    ++bad;
  }
  out << files.size() - std::min<size_t>(files.size(), bad) << " valid, " << bad << " invalid\n";
  return bad ? 2 : 0;
}

}  // namespace tc::cli
