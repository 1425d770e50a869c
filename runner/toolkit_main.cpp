// `toolkit`: the testers' fault CLI. All the work is in lib/toolkit (shared with the `toolkit:` step).
#include <atomic>
#include <csignal>
#include <iostream>
#include <stop_token>

#include "toolkit/toolkit.hpp"

namespace {
std::stop_source g_stop;
extern "C" void on_signal(int) {
  g_stop.request_stop();
}
}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::vector<std::string> args(argv + 1, argv + argc);
  tc::toolkit::Config cfg;
  auto r = tc::toolkit::run_command(args, cfg, std::cout, g_stop.get_token());
  std::cout.flush();
  return r.exit_code;
}
