#include <ostream>

#include "runner/commands.hpp"
#include "scenario/loader.hpp"

namespace tc::cli {

int plan(const std::string& file, const engine::RunOptions& opts, std::ostream& out, std::ostream& err) {
  try {
    auto sc = engine::load_and_validate(file, opts);
    out << engine::render_plan(sc, opts);
    return 0;
  } catch (const scenario::LoadError& e) {
    for (const auto& d : e.diagnostics()) err << d.str() << "\n";
    return 2;
  }
}

}  // namespace tc::cli
