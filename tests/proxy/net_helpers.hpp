#pragma once
// Test helpers: tiny loopback servers (echo, bulk source) and a blocking client with precise errno reporting.
// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility> (breaks with GCC 12).
// clang-format off
#include <utility>  // first: Boost.Asio 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio.hpp>
// clang-format on
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <utility>

namespace tc::test {

using Clock = std::chrono::steady_clock;
inline double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

/// 127.0.0.1:port as a socket address.
inline sockaddr_in loopback_addr(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

/// A loopback TCP server on its own thread: `echo` sends back what it reads; `source` sends `source_bytes`
/// as fast as it can after accepting, then closes.
class TestServer {
 public:
  enum Kind { echo, source };
  explicit TestServer(Kind kind, size_t source_bytes = 0) : kind_(kind), source_bytes_(source_bytes) {
    using boost::asio::ip::tcp;
    acceptor_.open(tcp::v4());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { loop(); });
  }
  ~TestServer() {
    stop_ = true;
    boost::system::error_code ec;
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    acceptor_.close(ec);
    thread_.join();
  }
  int port() const { return port_; }

 private:
  void loop() {
    while (!stop_) {
      boost::system::error_code ec;
      boost::asio::ip::tcp::socket s(io_);
      acceptor_.accept(s, ec);
      if (ec) return;
      s.set_option(boost::asio::ip::tcp::no_delay(true), ec);
      // One thread per connection: a test opens only a few.
      std::thread([s = std::make_shared<boost::asio::ip::tcp::socket>(std::move(s)), this] { serve(*s); }).detach();
    }
  }
  void serve(boost::asio::ip::tcp::socket& s) {
    boost::system::error_code ec;
    std::vector<char> buf(256 * 1024);
    if (kind_ == source) {
      size_t left = source_bytes_;
      while (left > 0 && !ec)
        left -= boost::asio::write(s, boost::asio::buffer(buf.data(), std::min(left, buf.size())), ec);
      s.shutdown(boost::asio::socket_base::shutdown_send, ec);
      while (!ec) s.read_some(boost::asio::buffer(buf), ec);
      return;
    }
    while (true) {
      size_t n = s.read_some(boost::asio::buffer(buf), ec);
      if (ec) return;
      boost::asio::write(s, boost::asio::buffer(buf.data(), n), ec);
      if (ec) return;
    }
  }
  Kind kind_;
  size_t source_bytes_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_{io_};
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

/// A blocking loopback client; every call reports errno instead of throwing.
class Client {
 public:
  Client() = default;
  Client(const Client&) = delete;
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  /// 0 on success, else the errno of connect().
  int connect(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in a = loopback_addr(port);
    return ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 ? 0 : errno;
  }
  bool send(const std::string& s) {
    return ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size());
  }
  /// Reads exactly n bytes within timeout_ms. Returns 0 on success, ETIMEDOUT, ECONNRESET, or -1 on EOF.
  int recv_exact(std::string& out, size_t n, int timeout_ms) {
    out.clear();
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    char buf[65536];
    while (out.size() < n) {
      int left =
          static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
      if (left <= 0) return ETIMEDOUT;
      pollfd p{fd_, POLLIN, 0};
      int r = ::poll(&p, 1, left);
      if (r == 0) return ETIMEDOUT;
      ssize_t got = ::recv(fd_, buf, std::min(sizeof buf, n - out.size()), 0);
      if (got < 0) return errno;
      if (got == 0) return -1;
      out.append(buf, static_cast<size_t>(got));
    }
    return 0;
  }
  /// Reads until EOF; returns the byte count (negative errno on error).
  long long drain() {
    std::vector<char> buf(256 * 1024);
    long long total = 0;
    while (true) {
      ssize_t got = ::recv(fd_, buf.data(), buf.size(), 0);
      if (got < 0) return -errno;
      if (got == 0) return total;
      total += got;
    }
  }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

}  // namespace tc::test
