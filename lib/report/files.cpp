// Writing a run's report files into its run folder.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "report/text_escape.hpp"
#include "report/writers.hpp"

namespace tc::report {

namespace {

namespace fs = std::filesystem;

// Written beside and renamed into place, so a reader never sees half a report.
template <typename Write>
void write_file_with(const fs::path& path, Write write) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw std::runtime_error("cannot write " + tmp.string() + ": " + std::strerror(errno));
    write(f);
    f.flush();
    if (!f) throw std::runtime_error("cannot write " + tmp.string() + ": " + std::strerror(errno));
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw std::runtime_error("cannot write " + path.string() + ": " + ec.message());
}

void write_file(const fs::path& path, const std::string& content) {
  write_file_with(path, [&](std::ostream& f) { f << content; });
}

std::string document(const RunResult& run) {
  std::string title = run.scenario_id;
  if (!run.title.empty()) title += (title.empty() ? "" : ": ") + run.title;
  std::string head = title.empty() ? "" : "# " + md_line(title) + "\n\n";
  return head + "## Test Execution Log\n\n" + render_markdown(run, 1);
}

}  // namespace

void write_run_files(const RunResult& run) {
  if (run.run_dir.empty()) throw std::invalid_argument("the run has no run folder to write its reports into");
  fs::path dir(run.run_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create run folder " + dir.string() + ": " + ec.message());
  write_file(dir / "execution-log.md", document(run));
  write_file_with(dir / "result.json", [&](std::ostream& f) {
    write_json(run, f);  // streamed: a long run's whole JSON tree would dominate tc-run's memory
    f << "\n";
  });
  write_file(dir / "junit.xml", render_junit({run}));
  write_file(dir / "timeline.svg", render_timeline_svg(run));
}

}  // namespace tc::report
