#include "daemon/fault_probe.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tc::toolkit {

namespace {
using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

int remaining(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}
}  // namespace

ProbeResult probe(const Upstream& where, std::chrono::milliseconds wait) {
  auto t0 = Clock::now();
  auto deadline = t0 + wait;
  Fd s;
  sockaddr_storage addr{};
  socklen_t len = 0;
  if (!where.socket.empty()) {
    auto* un = reinterpret_cast<sockaddr_un*>(&addr);
    un->sun_family = AF_UNIX;
    if (where.socket.size() >= sizeof un->sun_path) return {"refused", 0, "socket path too long"};
    std::strcpy(un->sun_path, where.socket.c_str());
    len = sizeof(sockaddr_un);
    s.fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  } else {
    auto* in = reinterpret_cast<sockaddr_in*>(&addr);
    in->sin_family = AF_INET;
    in->sin_port = htons(static_cast<uint16_t>(where.port));
    if (::inet_pton(AF_INET, where.host == "localhost" ? "127.0.0.1" : where.host.c_str(), &in->sin_addr) != 1)
      return {"refused", 0, "not an IPv4 address: " + where.host};
    len = sizeof(sockaddr_in);
    s.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  }
  if (s.fd < 0) return {"refused", 0, std::strerror(errno)};
  if (::connect(s.fd, reinterpret_cast<sockaddr*>(&addr), len) != 0) {
    if (errno != EINPROGRESS) return {"refused", ms_since(t0), std::strerror(errno)};
    pollfd p{s.fd, POLLOUT, 0};
    if (::poll(&p, 1, remaining(deadline)) == 0) return {"hang", ms_since(t0), "connect did not complete"};
    int err = 0;
    socklen_t el = sizeof err;
    ::getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &err, &el);
    if (err != 0) return {"refused", ms_since(t0), std::strerror(err)};
  }
  pollfd p{s.fd, POLLIN, 0};
  if (::poll(&p, 1, remaining(deadline)) == 0) return {"hang", ms_since(t0), "connected, no data"};
  char byte;
  ssize_t n = ::recv(s.fd, &byte, 1, 0);
  if (n == 1) return {"data", ms_since(t0), ""};
  if (n == 0) return {"closed", ms_since(t0), "EOF"};
  return {errno == ECONNRESET ? "reset" : "refused", ms_since(t0), std::strerror(errno)};
}

}  // namespace tc::toolkit
