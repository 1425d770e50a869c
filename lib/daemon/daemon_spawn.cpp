#include "daemon/daemon_spawn.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace tc::toolkit {

int spawn_detached(const std::vector<std::string>& argv, const std::string& log_path) {
  if (argv.empty()) throw std::invalid_argument("empty command");
  // Everything the child needs is prepared before fork: after fork only async-signal-safe calls.
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int log = ::open(log_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (log < 0) throw std::runtime_error("cannot open " + log_path + ": " + std::strerror(errno));
  int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int pipefd[2];  // grandchild pid, then exec errno (if exec fails); CLOEXEC closes it on success
  if (::pipe2(pipefd, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_t child = ::fork();
  if (child < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  if (child == 0) {
    ::close(pipefd[0]);
    ::setsid();
    pid_t grand = ::fork();
    if (grand != 0) _exit(grand < 0 ? 1 : 0);
    pid_t me = ::getpid();
    (void)!::write(pipefd[1], &me, sizeof me);
    ::dup2(devnull, 0);
    ::dup2(log, 1);
    ::dup2(log, 2);
    // Nothing else the daemon holds may live on in the server: an inherited proxy listener would keep accepting
    // (and hanging) connections after a reject fault closed it, and keep its port bound (found by a test that
    // rejects after a service restart).
    ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execvp(args[0], args.data());
    int err = errno;
    (void)!::write(pipefd[1], &err, sizeof err);
    _exit(127);
  }
  ::close(pipefd[1]);
  ::close(log);
  ::close(devnull);
  int status = 0;
  ::waitpid(child, &status, 0);
  pid_t grand = -1;
  int err = 0;
  ssize_t n = ::read(pipefd[0], &grand, sizeof grand);
  ssize_t m = n == sizeof grand ? ::read(pipefd[0], &err, sizeof err) : 0;
  ::close(pipefd[0]);
  if (n != sizeof grand) throw std::runtime_error("cannot start " + argv[0]);
  if (m == sizeof err) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(err));
  return grand;
}

bool pid_alive(int pid) {
  if (pid <= 0) return false;
  if (::kill(pid, 0) != 0 && errno == ESRCH) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (std::getline(stat, line)) {
    auto close = line.rfind(')');
    if (close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z') return false;
  }
  return true;
}

}  // namespace tc::toolkit
