#pragma once
// Benchmark anchor: the cheapest user-space TCP relay there is, to set the fault proxy against. Blocking splice()
// through a pipe, one thread per direction, no Asio, no fault logic, no accounting: what any relay on this machine
// must at least pay for the extra hop. The proxy's distance to it is the proxy's own overhead; the relay's distance
// to a direct connection is the hop itself (the machine's, not the code's).
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "proxy/net_helpers.hpp"

namespace tc::test {

/// A loopback relay from its own port to `upstream_port`, splicing bytes both ways until each side closes.
class BareSpliceRelay {
 public:
  explicit BareSpliceRelay(int upstream_port) : upstream_port_(upstream_port) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a = loopback_addr(0);
    socklen_t len = sizeof a;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listen_fd_, 16) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      throw std::runtime_error("bare relay: cannot listen on loopback");
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  BareSpliceRelay(const BareSpliceRelay&) = delete;
  ~BareSpliceRelay() {
    ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
    acceptor_.join();
    {
      std::lock_guard lock(m_);
      for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);  // wakes the splices of connections still open
    }
    for (auto& t : threads_) t.join();
    for (int fd : fds_) ::close(fd);
    ::close(listen_fd_);
  }
  int port() const { return port_; }

 private:
  void accept_loop() {
    while (true) {
      int c = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      int u = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in a = loopback_addr(upstream_port_);
      int one = 1;
      ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      ::setsockopt(u, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      if (::connect(u, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(u);
        ::close(c);
        continue;
      }
      std::lock_guard lock(m_);
      fds_.push_back(c);
      fds_.push_back(u);
      threads_.emplace_back([c, u] { pump(u, c); });
      threads_.emplace_back([c, u] { pump(c, u); });
    }
  }

  // from -> pipe -> to until EOF or an error, then passes the FIN on.
  static void pump(int from, int to) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return;
    ::fcntl(p[1], F_SETPIPE_SZ, 1 << 20);  // as the proxy asks for (best effort)
    while (true) {
      ssize_t n = ::splice(from, nullptr, p[1], nullptr, 1 << 20, SPLICE_F_MOVE);
      if (n <= 0) break;
      while (n > 0) {
        ssize_t m = ::splice(p[0], nullptr, to, nullptr, static_cast<size_t>(n), SPLICE_F_MOVE);
        if (m <= 0) break;
        n -= m;
      }
      if (n > 0) break;
    }
    ::shutdown(to, SHUT_WR);
    ::close(p[0]);
    ::close(p[1]);
  }

  int upstream_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread acceptor_;
  std::mutex m_;
  std::vector<int> fds_;
  std::vector<std::thread> threads_;
};

}  // namespace tc::test
