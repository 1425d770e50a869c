// `tc-run import` on files: where it writes, the sidecar, the printed report, refusals and errors.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "import/import_markdown.hpp"
#include "import_helpers.hpp"
#include "scenario/loader.hpp"

using namespace tc::scenario;
using namespace import_test;
namespace fs = std::filesystem;

namespace {

// A private directory, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "tc-import-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

const std::string kSeed = "TC-001-pipeline-restart-fix-now.md";

}  // namespace

TEST_CASE("import writes the scenario and the sidecar beside it, and prints what it mapped") {
  TempDir dir;
  const fs::path out_yaml = dir.path / "nested" / "TC-001.yaml";
  std::ostringstream out, err;
  REQUIRE(import_markdown_file(corpus(kSeed), out_yaml.string(), out, err) == 0);
  CHECK(err.str().empty());
  REQUIRE(fs::exists(out_yaml));
  const fs::path side = dir.path / "nested" / "TC-001.runs.md";
  REQUIRE(fs::exists(side));
  auto rep = import_markdown(read(corpus(kSeed)), kSeed);
  CHECK(read(out_yaml.string()) == rep.yaml);
  CHECK(read(side.string()) == rep.sidecar_markdown);
  Scenario sc = load_file(out_yaml.string(), load_options());
  CHECK(sc.id == "TC-001");

  const std::string text = out.str();
  CHECK(text.find("-> " + out_yaml.string()) != std::string::npos);
  CHECK(text.find("Past runs kept in " + side.string()) != std::string::npos);
  CHECK(text.find("Mapped (" + std::to_string(rep.mapped.size()) + "):") != std::string::npos);
  CHECK(text.find("Not mapped, carried as manual steps or comments (0):") != std::string::npos);
  CHECK(text.find("Wait for pipeline to attempt recovery") != std::string::npos);  // listed as mapped

  SUBCASE("a second import refuses to overwrite") {
    std::ostringstream out2, err2;
    CHECK(import_markdown_file(corpus(kSeed), out_yaml.string(), out2, err2) == 2);
    CHECK(err2.str().find("already exists") != std::string::npos);
    CHECK(read(out_yaml.string()) == rep.yaml);
  }
}

TEST_CASE("without -o the scenario goes to scenarios/<ID>.yaml under the current directory") {
  TempDir dir;
  const fs::path before = fs::current_path();
  fs::current_path(dir.path);
  std::ostringstream out, err;
  int rc = import_markdown_file(corpus("TC-102-unusual-layout.md"), "", out, err);
  fs::current_path(before);
  CHECK(rc == 0);
  CHECK(fs::exists(dir.path / "scenarios" / "TC-102.yaml"));
  CHECK_FALSE(fs::exists(dir.path / "scenarios" / "TC-102.runs.md"));  // no past runs, no sidecar
}

TEST_CASE("unreadable or unusable documents exit 2 with a message and write nothing") {
  TempDir dir;
  std::ostringstream out, err;
  CHECK(import_markdown_file((dir.path / "missing.md").string(), (dir.path / "x.yaml").string(), out, err) == 2);
  CHECK(err.str().find("cannot read") != std::string::npos);

  std::ostringstream err2;
  CHECK(import_markdown_file(dir.path.string(), (dir.path / "x.yaml").string(), out, err2) == 2);
  CHECK(err2.str().find("is a directory") != std::string::npos);

  std::ostringstream err3;
  CHECK(import_markdown_file(corpus("TC-103-no-metadata.md"), (dir.path / "x.yaml").string(), out, err3) == 2);
  CHECK(err3.str().find("no metadata table found") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.path / "x.yaml"));
}
