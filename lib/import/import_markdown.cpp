#include "import/import_markdown.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "import/markdown_doc.hpp"
#include "import/markdown_importer.hpp"
#include "import/markdown_yaml_writer.hpp"

namespace tc::scenario {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxBytes = 4 * 1024 * 1024;  // a test case, not a data dump

bool read_file(const std::string& path, std::string& text, std::ostream& err) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    err << "tc-run import: " << path << " is a directory, not a markdown file\n";
    return false;
  }
  auto size = fs::file_size(path, ec);
  if (!ec && size > kMaxBytes) {
    err << fmt::format("tc-run import: {} is {} bytes; a markdown test case is expected (at most {} bytes)\n", path,
                       size, kMaxBytes);
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err << "tc-run import: cannot read " << path << ": " << std::strerror(errno) << "\n";
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  text = ss.str();
  return true;
}

bool write_file(const fs::path& path, const std::string& text, std::ostream& err) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (f) f << text;
  if (!f) {
    err << "tc-run import: cannot write " << path.string() << ": " << std::strerror(errno) << "\n";
    return false;
  }
  return true;
}

}  // namespace

ImportReport import_markdown(const std::string& markdown, const std::string& source_name) {
  bool converted = false;
  std::string text = md::to_utf8(markdown, &converted);
  if (text.find('\0') != std::string::npos)
    throw ImportError(fmt::format("{}: contains NUL bytes; expected a markdown text file", source_name));
  md::Document doc = md::parse_document(text);
  md::Importer importer(doc, source_name);
  ImportReport rep = importer.run();
  if (converted) rep.unmapped.insert(rep.unmapped.begin(), "Document: bytes that are not UTF-8 were read as Latin-1");
  return rep;
}

int import_markdown_file(const std::string& md_path, const std::string& out_path, std::ostream& out,
                         std::ostream& err) {
  std::string text;
  if (!read_file(md_path, text, err)) return 2;
  ImportReport rep;
  try {
    rep = import_markdown(text, fs::path(md_path).filename().string());
  } catch (const ImportError& e) {
    err << "tc-run import: " << e.what() << "\n";
    return 2;
  }
  const fs::path yaml_path = out_path.empty() ? fs::path("scenarios") / (rep.id + ".yaml") : fs::path(out_path);
  const fs::path side_path = yaml_path.parent_path() / (rep.id + ".runs.md");
  // Never overwrite: a scenario may have been edited by hand since an earlier import.
  for (const auto& p : {yaml_path, side_path}) {
    std::error_code ec;
    if ((p == yaml_path || !rep.sidecar_markdown.empty()) && fs::exists(p, ec)) {
      err << fmt::format("tc-run import: {} already exists; remove it or choose another output with -o\n", p.string());
      return 2;
    }
  }
  if (!write_file(yaml_path, rep.yaml, err)) return 2;
  if (!rep.sidecar_markdown.empty() && !write_file(side_path, rep.sidecar_markdown, err)) return 2;

  out << fmt::format("Imported {} -> {}\n", md_path, yaml_path.string());
  if (!rep.sidecar_markdown.empty()) out << fmt::format("Past runs kept in {}\n", side_path.string());
  out << fmt::format("\nMapped ({}):\n", rep.mapped.size());
  for (const auto& m : rep.mapped) out << "  + " << m << "\n";
  out << fmt::format("\nNot mapped, carried as manual steps or comments ({}):\n", rep.unmapped.size());
  for (const auto& m : rep.unmapped) out << "  - " << m << "\n";
  out << fmt::format("\nNext: tc-run validate {}\n", yaml_path.string());
  return 0;
}

}  // namespace tc::scenario
