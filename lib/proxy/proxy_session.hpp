#pragma once
// Internal to the fault proxy: one relayed client connection, and the settings all connections read.
// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility> (breaks with GCC 12).
// clang-format off
#include <utility>  // first: Boost.Asio 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <vector>

#include "proxy/proxy.hpp"

namespace tc::toolkit::detail {

namespace asio = boost::asio;
using GenericSocket = asio::generic::stream_protocol::socket;
using GenericEndpoint = asio::generic::stream_protocol::endpoint;
using Clock = std::chrono::steady_clock;

/// Settings every session reads and the counters they update. Plain fields are touched on the io thread only.
struct ProxyShared {
  ProxyMode mode = ProxyMode::pass;
  std::chrono::milliseconds latency{0}, jitter{0};
  std::mt19937 rng{std::random_device{}()};
  std::atomic<uint64_t> open{0}, total{0}, held{0}, reset{0}, up{0}, down{0};
  /// The connection that relayed last is streaming (see StreamDetector): the io loop sleeps in epoll instead of
  /// polling for the answer of a request/response exchange.
  bool bulk = false;
  /// latency +- jitter, never negative.
  Clock::duration next_delay();
};

/// Tells one connection's streams from its request/response exchanges: a large chunk, or several chunks in a row in
/// one direction with nothing coming back, is a stream; a chunk in the other direction starts an exchange again.
class StreamDetector {
 public:
  /// Records a chunk relayed in direction `dir` (0 up, 1 down); true while streaming.
  bool note(int dir, size_t bytes);

 private:
  int last_dir_ = -1;
  int same_dir_run_ = 0;
};

/// One client connection and its upstream connection, relayed in both directions.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(asio::io_context& io, ProxyShared& shared, GenericSocket client, std::function<void()> on_close);
  ~Session();
  /// Connects upstream and starts relaying (or parks first when the proxy is in timeout mode).
  void begin(const GenericEndpoint& upstream, bool upstream_is_tcp);
  /// The proxy's mode or latency changed: parked work re-checks the mode.
  void release();
  /// Aborts both connections with RST (SO_LINGER 0), not a polite FIN.
  void reset();
  /// Closes both connections (FIN).
  void close();

 private:
  // One direction: bytes read from `from` are written to `to`.
  struct Chunk {
    Clock::time_point due;
    std::vector<char> data;
  };
  struct Direction {
    GenericSocket* from = nullptr;
    GenericSocket* to = nullptr;
    std::atomic<uint64_t>* counter = nullptr;
    std::vector<char> buf;    // reused in pass mode: no allocation per chunk
    size_t pending = 0;       // bytes in buf not yet forwarded
    std::deque<Chunk> queue;  // delayed chunks (latency), in order
    size_t queued_bytes = 0;
    Clock::time_point last_due{};
    std::unique_ptr<asio::steady_timer> timer;
    int pipe_r = -1, pipe_w = -1;  // pass mode moves bytes socket -> pipe -> socket with splice(): no copy
    size_t in_pipe = 0;
    size_t pipe_cap = 0;  // the pipe's real capacity (F_SETPIPE_SZ may be capped)
    bool writing = false, read_blocked = false, eof = false, shut = false;
  };

  void connect(const GenericEndpoint& upstream, bool upstream_is_tcp);
  void read(int d);
  void on_readable(int d);
  void on_eof(int d);
  void drain(int d);
  void pump(int d);
  bool drain_now(int d);
  bool splice_ok(int d) const;
  void forward(int d);
  void write_next(int d);
  void finish_direction(int d);
  void park(std::function<void()> fn);

  asio::io_context& io_;
  ProxyShared& shared_;
  GenericSocket client_, upstream_;
  std::function<void()> on_close_;
  Direction dir_[2];  // 0: client -> server, 1: server -> client
  std::vector<std::function<void()>> parked_;
  StreamDetector stream_;
  bool closed_ = false, connected_ = false;
};

}  // namespace tc::toolkit::detail
