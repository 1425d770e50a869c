#include "engine/interrupt.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "engine/engine.hpp"

namespace tc::engine {

Interrupt& Interrupt::instance() {
  static Interrupt i;
  return i;
}

void Interrupt::request(int sig) {
  if (in_cleanup_) {
    const char msg[] = "\ntc-run: cleanup in progress; refusing to stop until every cleanup step has run\n";
    (void)!::write(2, msg, sizeof msg - 1);
    return;
  }
  if (source_.stop_requested()) return;
  signal_ = sig;
  const char msg[] = "\ntc-run: interrupted; stopping the current step and running cleanup\n";
  (void)!::write(2, msg, sizeof msg - 1);
  source_.request_stop();
}

namespace {
int g_pipe[2] = {-1, -1};
extern "C" void on_signal(int sig) {
  unsigned char b = static_cast<unsigned char>(sig);
  (void)!::write(g_pipe[1], &b, 1);
}
}  // namespace

void install_signal_handlers() {
  // The handler only writes to a pipe; a thread does the work. (Blocking the signals instead would be
  // inherited by every child we start, and mariadbd would then ignore SIGTERM.)
  if (g_pipe[0] >= 0) return;
  if (::pipe2(g_pipe, O_CLOEXEC) != 0) return;
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::thread([] {
    unsigned char b;
    while (::read(g_pipe[0], &b, 1) == 1) Interrupt::instance().request(b);
  }).detach();
}

}  // namespace tc::engine
