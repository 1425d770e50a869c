// The guides' YAML examples are real: every complete scenario in docs/authoring.md loads without error,
// and every step snippet in docs/scenario-format.md parses as steps.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "scenario/loader.hpp"
#include "test_options.hpp"

namespace {
std::vector<std::string> yaml_blocks(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  std::string line, cur;
  bool inside = false;
  while (std::getline(in, line)) {
    if (!inside && line.rfind("```yaml", 0) == 0)
      inside = true, cur.clear();
    else if (inside && line.rfind("```", 0) == 0)
      inside = false, out.push_back(cur);
    else if (inside)
      cur += line + "\n";
  }
  return out;
}
}  // namespace

TEST_CASE("docs/authoring.md: every complete example scenario loads") {
  auto blocks = yaml_blocks(std::string(TC_SOURCE_DIR) + "/docs/authoring.md");
  int scenarios = 0;
  for (const auto& b : blocks) {
    if (b.rfind("id:", 0) != 0) continue;
    ++scenarios;
    CAPTURE(b);
    CHECK_NOTHROW(tc::scenario::load_string(b, "authoring.md", tc::scenario::testing::options()));
  }
  CHECK(scenarios >= 4);
}

TEST_CASE("docs/scenario-format.md: step snippets parse as steps") {
  auto blocks = yaml_blocks(std::string(TC_SOURCE_DIR) + "/docs/scenario-format.md");
  int snippets = 0;
  for (const auto& b : blocks) {
    if (b.rfind("- ", 0) != 0) continue;
    ++snippets;
    std::string doc = "id: DOC\ntitle: snippet\nsteps:\n";
    std::istringstream in(b);
    for (std::string l; std::getline(in, l);) doc += "  " + l + "\n";
    CAPTURE(doc);
    try {
      tc::scenario::load_string(doc, "scenario-format.md", tc::scenario::testing::options());
    } catch (const tc::scenario::LoadError& e) {
      // Snippets may use variables or step ids defined elsewhere in a full scenario; anything else is a real error.
      for (const auto& d : e.diagnostics())
        CHECK_MESSAGE((d.message.find("undefined variable") != std::string::npos ||
                       d.message.find("no step has id") != std::string::npos),
                      d.str());
    }
  }
  CHECK(snippets >= 5);
}
