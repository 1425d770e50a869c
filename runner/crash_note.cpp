#include "runner/crash_note.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <vector>

#include "report/writers.hpp"

namespace tc::cli {

namespace {

constexpr const char* kMark = "@@TCRUNCRASHNOTE@@";  // no markdown-special character

// Fixed buffers: the handler reads them without allocating. A file text is written as prefix + what + suffix.
struct Text {
  char prefix[16384];
  char suffix[16384];
  size_t prefix_len = 0, suffix_len = 0;
};
struct State {
  std::atomic<bool> armed{false};
  char md_path[4096];
  char json_path[4096];
  Text md, json;
  char step_md[512];
  char step_json[1024];
  std::atomic<size_t> step_md_len{0}, step_json_len{0};
};
State g;

bool split(const std::string& text, Text& out) {
  auto at = text.find(kMark);
  if (at == std::string::npos) return false;
  std::string pre = text.substr(0, at), post = text.substr(at + std::strlen(kMark));
  for (auto p = post.find(kMark); p != std::string::npos; p = post.find(kMark))
    post.replace(p, std::strlen(kMark), "tc-run died of a fatal signal");
  if (pre.size() >= sizeof(out.prefix) || post.size() >= sizeof(out.suffix)) return false;
  std::memcpy(out.prefix, pre.data(), pre.size());
  std::memcpy(out.suffix, post.data(), post.size());
  out.prefix_len = pre.size();
  out.suffix_len = post.size();
  return true;
}

void put(int fd, const char* s, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, s, n);
    if (w <= 0) return;
    s += w;
    n -= static_cast<size_t>(w);
  }
}
void put(int fd, const char* s) {
  put(fd, s, std::strlen(s));
}

const char* signal_name(int sig) {
  switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGABRT: return "SIGABRT";
  }
  return "a fatal signal";
}

void write_note(const char* path, const Text& t, int sig, const char* step, size_t step_len) {
  int fd = ::open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  char num[16];
  int n = sig, i = 15;
  num[i] = '\0';
  do num[--i] = static_cast<char>('0' + n % 10), n /= 10;
  while (n > 0 && i > 0);
  put(fd, t.prefix, t.prefix_len);
  put(fd, "tc-run died of signal ");
  put(fd, num + i);
  put(fd, " (");
  put(fd, signal_name(sig));
  put(fd, ")");
  if (step_len > 0) {
    put(fd, " during the step '");
    put(fd, step, step_len);
    put(fd, "'");
  }
  put(fd, t.suffix, t.suffix_len);
  ::close(fd);
}

struct sigaction g_previous[32];  // the handlers before ours (ASan's, in a sanitized build)

extern "C" void on_fatal(int sig, siginfo_t* info, void*) {
  if (g.armed.exchange(false)) {
    write_note(g.md_path, g.md, sig, g.step_md, g.step_md_len.load());
    write_note(g.json_path, g.json, sig, g.step_json, g.step_json_len.load());
  }
  // Then whatever handled it before us handles it: the default action (death by this signal), or a sanitizer's
  // report. A real fault is simply retried on return and reaches that handler with its own address; a signal
  // another process sent (kill) is sent again.
  ::sigaction(sig, &g_previous[sig], nullptr);
  if (info == nullptr || info->si_code <= 0) ::raise(sig);
}

void copy_path(char* dst, size_t cap, const std::string& src) {
  size_t n = std::min(src.size(), cap - 1);
  std::memcpy(dst, src.data(), n);
  dst[n] = '\0';
}

}  // namespace

void CrashNote::install() {
  static bool done = false;
  if (done) return;
  done = true;
  // An alternate stack, so that a stack overflow still reaches the handler (unless one is set: a sanitizer's).
  static std::vector<char> alt(64 * 1024);
  stack_t old{};
  if (::sigaltstack(nullptr, &old) == 0 && (old.ss_flags & SS_DISABLE)) {
    stack_t ss{};
    ss.ss_sp = alt.data();
    ss.ss_size = alt.size();
    ::sigaltstack(&ss, nullptr);
  }
  struct sigaction sa {};
  sa.sa_sigaction = on_fatal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) ::sigaction(sig, &sa, &g_previous[sig]);
}

void CrashNote::arm(const report::RunResult& run, const std::string& state_dir) {
  report::RunResult r = run;
  r.verdict = report::Verdict::Error;
  r.verdict_reason = kMark;
  r.finished = r.started;
  r.notes.insert(r.notes.begin(),
                 "This is the short log written when tc-run died; the full log of the run is lost. Faults it applied "
                 "are in the fault ledger: `tc-run recover --state-dir " +
                     state_dir + "` undoes them (the next run refuses to start until then).");
  g.armed = false;
  if (!split(report::render_markdown(r), g.md) || !split(report::to_json(r).dump(2) + "\n", g.json)) return;
  namespace fs = std::filesystem;
  copy_path(g.md_path, sizeof(g.md_path), (fs::path(run.run_dir) / "execution-log.md").string());
  copy_path(g.json_path, sizeof(g.json_path), (fs::path(run.run_dir) / "result.json").string());
  g.step_md_len = 0;
  g.step_json_len = 0;
  g.armed = true;
}

void CrashNote::step(const std::string& label) {
  std::string md = label.substr(0, sizeof(g.step_md) - 1);
  std::string js = Json(md).dump();  // escaped for the JSON note, quotes dropped below
  js = js.substr(1, std::min(js.size() - 2, sizeof(g.step_json) - 1));
  g.step_md_len = 0;
  g.step_json_len = 0;
  std::memcpy(g.step_md, md.data(), md.size());
  std::memcpy(g.step_json, js.data(), js.size());
  g.step_md_len = md.size();
  g.step_json_len = js.size();
}

void CrashNote::disarm() {
  g.armed = false;
}

}  // namespace tc::cli
