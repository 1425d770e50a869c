#include "util/process.hpp"

#include <unistd.h>

#include <boost/process.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace bp = boost::process;
namespace fs = std::filesystem;

namespace tc {

namespace {
std::string slurp(const fs::path& p, size_t max) {
  std::ifstream in(p, std::ios::binary);
  std::string s(max, '\0');
  in.read(s.data(), static_cast<std::streamsize>(max));
  s.resize(static_cast<size_t>(in.gcount()));
  return s;
}

// Captures go to private temp files rather than pipes: no reader thread, no deadlock on large output.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "tc-proc-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot create temp dir");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};
// Short commands are common (echo, test): poll fast at first, then every 20 ms.
long child_poll_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::steady_clock::now() - start < std::chrono::milliseconds(50) ? 1 : 20;
}
}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& opts) {
  if (argv.empty()) throw std::invalid_argument("empty command");
  TempDir tmp;
  auto out_path = tmp.path / "out", err_path = tmp.path / "err", in_path = tmp.path / "in";
  { std::ofstream(in_path, std::ios::binary) << opts.stdin_text; }
  fs::path exe =
      argv[0].find('/') != std::string::npos ? fs::path(argv[0]) : fs::path(bp::search_path(argv[0]).string());
  if (exe.empty() || !fs::exists(exe)) throw std::runtime_error("command not found: " + argv[0]);
  std::vector<std::string> args(argv.begin() + 1, argv.end());
  bp::environment env = boost::this_process::environment();
  for (const auto& [k, v] : opts.env) env[k] = v;
  bp::group group;
  auto start = std::chrono::steady_clock::now();
  ProcessResult r;
  std::error_code ec;
  bp::child child(exe.string(), bp::args(args), bp::std_out > out_path.string(), bp::std_err > err_path.string(),
                  bp::std_in < in_path.string(), env,
                  bp::start_dir(opts.cwd.empty() ? fs::current_path().string() : opts.cwd), group, ec);
  if (ec) throw std::runtime_error("cannot start " + argv[0] + ": " + ec.message());
  while (true) {
    // Poll with waitpid(WNOHANG) via running(): Boost 1.74's wait_for installs a process-wide SIGCHLD handler
    // that recurses forever when two threads wait at once (a background step and the current step).
    if (!child.running(ec)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(child_poll_ms(start)));
    auto elapsed = std::chrono::steady_clock::now() - start;
    if (opts.timeout && elapsed >= *opts.timeout) r.timed_out = true;
    if (opts.stop.stop_requested()) r.cancelled = true;
    if (r.timed_out || r.cancelled) {
      group.terminate(ec);  // SIGKILL to the whole group: children of the shell die too
      child.wait(ec);
      break;
    }
  }
  r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  r.exit_code = (r.timed_out || r.cancelled) ? -1 : child.exit_code();
  r.out = slurp(out_path, opts.max_capture);
  r.err = slurp(err_path, opts.max_capture);
  return r;
}

ProcessResult run_shell(const std::string& command, const ProcessOptions& opts) {
  return run_process({"/bin/sh", "-c", command}, opts);
}

}  // namespace tc
