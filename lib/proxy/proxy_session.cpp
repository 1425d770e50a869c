#include "proxy/proxy_session.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace tc::toolkit::detail {

namespace {
constexpr size_t kBufferSize = 256 * 1024;
// Bytes a direction may hold back under latency before it stops reading (TCP flow control does the rest).
constexpr size_t kMaxQueued = 16 * 1024 * 1024;
constexpr size_t kPipeSize = 1024 * 1024;
// splice() rounds per readiness event before yielding to other connections.
constexpr int kSpliceRounds = 16;
// A chunk this large means a stream, not a request/response exchange (see FaultProxy's io loop).
constexpr size_t kBulkChunk = 32 * 1024;
// So do this many chunks in a row in one direction with nothing coming back: a snapshot's result set arrives
// as the server's 16 KB writes, a binlog dump as its events, and neither is answered. Polling for an answer
// there only burnt a core that the server and the client needed (snapshot read at 0.58x of direct, the proxy
// thread at 100 % CPU).
constexpr int kStreamRun = 3;

void set_nodelay(GenericSocket& s) {
  boost::system::error_code ec;
  s.set_option(asio::ip::tcp::no_delay(true), ec);
}
}  // namespace

bool StreamDetector::note(int dir, size_t bytes) {
  same_dir_run_ = dir == last_dir_ ? same_dir_run_ + 1 : 1;
  last_dir_ = dir;
  return bytes >= kBulkChunk || same_dir_run_ >= kStreamRun;
}

Clock::duration ProxyShared::next_delay() {
  auto d = latency;
  if (jitter.count() > 0) {
    std::uniform_int_distribution<long long> dist(-jitter.count(), jitter.count());
    d += std::chrono::milliseconds(dist(rng));
  }
  return std::max(d, std::chrono::milliseconds(0));
}

Session::Session(asio::io_context& io, ProxyShared& shared, GenericSocket client, std::function<void()> on_close)
    : io_(io), shared_(shared), client_(std::move(client)), upstream_(io), on_close_(std::move(on_close)) {
  dir_[0].from = &client_;
  dir_[0].to = &upstream_;
  dir_[0].counter = &shared_.up;
  dir_[1].from = &upstream_;
  dir_[1].to = &client_;
  dir_[1].counter = &shared_.down;
  for (auto& d : dir_) {
    d.buf.resize(kBufferSize);
    d.timer = std::make_unique<asio::steady_timer>(io_);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0) {
      d.pipe_r = fds[0];
      d.pipe_w = fds[1];
      ::fcntl(d.pipe_w, F_SETPIPE_SZ, static_cast<int>(kPipeSize));  // best effort: pipe-max-size may cap it
      int cap = ::fcntl(d.pipe_w, F_GETPIPE_SZ);
      d.pipe_cap = cap > 0 ? static_cast<size_t>(cap) : 65536;
    }
  }
  set_nodelay(client_);
}

Session::~Session() {
  for (auto& d : dir_) {
    if (d.pipe_r >= 0) ::close(d.pipe_r);
    if (d.pipe_w >= 0) ::close(d.pipe_w);
  }
}

void Session::begin(const GenericEndpoint& upstream, bool upstream_is_tcp) {
  connect(upstream, upstream_is_tcp);
}

void Session::connect(const GenericEndpoint& upstream, bool upstream_is_tcp) {
  if (closed_) return;
  if (shared_.mode == ProxyMode::reject) return reset();
  if (shared_.mode == ProxyMode::timeout) {
    // Like a dropped SYN: the client waits, nothing reaches the server until the fault ends.
    return park([self = shared_from_this(), upstream, upstream_is_tcp] { self->connect(upstream, upstream_is_tcp); });
  }
  upstream_.async_connect(upstream, [self = shared_from_this(), upstream_is_tcp](boost::system::error_code ec) {
    if (self->closed_) return;
    if (ec) {
      // The server is not there: the client must see a failure at once, not a polite empty session.
      ++self->shared_.reset;
      return self->reset();
    }
    if (upstream_is_tcp) set_nodelay(self->upstream_);
    boost::system::error_code nb;
    self->client_.native_non_blocking(true, nb);
    self->upstream_.native_non_blocking(true, nb);
    self->connected_ = true;
    self->read(0);
    self->read(1);
  });
}

void Session::park(std::function<void()> fn) {
  if (parked_.empty()) ++shared_.held;
  parked_.push_back(std::move(fn));
}

void Session::release() {
  if (parked_.empty() || closed_) return;
  auto fns = std::move(parked_);
  parked_.clear();
  --shared_.held;
  for (auto& fn : fns) fn();
}

void Session::read(int d) {
  dir_[d].from->async_wait(asio::socket_base::wait_read, [self = shared_from_this(), d](boost::system::error_code ec) {
    if (self->closed_) return;
    if (ec) return self->close();
    self->on_readable(d);
  });
}

bool Session::splice_ok(int d) const {
  const auto& x = dir_[d];
  return x.pipe_r >= 0 && shared_.mode == ProxyMode::pass && shared_.latency.count() == 0 && x.queue.empty() &&
         !x.writing;
}

void Session::on_readable(int d) {
  auto& x = dir_[d];
  if (splice_ok(d)) return pump(d);
  boost::system::error_code ec;
  size_t n = x.from->read_some(asio::buffer(x.buf), ec);  // non-blocking: the socket said it is readable
  if (ec == asio::error::would_block || ec == asio::error::try_again) return read(d);
  if (ec == asio::error::eof) return on_eof(d);
  if (ec) return close();
  *x.counter += n;
  x.pending = n;
  forward(d);
}

void Session::on_eof(int d) {
  auto& x = dir_[d];
  x.eof = true;
  if (!x.writing) finish_direction(d);
}

// Pass mode: socket -> pipe -> socket with splice() until the socket is empty (or a round's budget is spent,
// so one busy connection cannot starve the others), then waits for it to become readable again.
void Session::pump(int d) {
  auto& x = dir_[d];
  for (int round = 0; round < kSpliceRounds; ++round) {
    if (!splice_ok(d)) return on_readable(d);  // a fault arrived meanwhile: the Asio path handles it
    ssize_t n =
        ::splice(x.from->native_handle(), nullptr, x.pipe_w, nullptr, kPipeSize, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n == 0) return on_eof(d);
    if (n < 0) {
      if (errno == EAGAIN) return read(d);
      return close();
    }
    *x.counter += static_cast<uint64_t>(n);
    x.in_pipe = static_cast<size_t>(n);
    shared_.bulk = stream_.note(d, static_cast<size_t>(n));
    if (!drain_now(d)) return;  // the writer is full or the connection ended: drain() takes over
    // Less than a full pipe and nothing left queued: wait for more rather than splicing tiny chunks in a loop.
    // (Checked, not assumed: splice can stop early, and epoll, edge-triggered here, would not report the rest.)
    int left = 0;
    if (static_cast<size_t>(n) < x.pipe_cap && ::ioctl(x.from->native_handle(), FIONREAD, &left) == 0 && left == 0)
      return read(d);
  }
  // Budget spent with data possibly left: come back through the scheduler (edge-triggered epoll would not tell).
  asio::post(io_, [self = shared_from_this(), d] {
    if (!self->closed_) self->on_readable(d);
  });
}

// Writes the pipe out without waiting. True when it is empty; otherwise drain() has been scheduled.
bool Session::drain_now(int d) {
  auto& x = dir_[d];
  if (shared_.mode == ProxyMode::timeout) {
    park([self = shared_from_this(), d] { self->drain(d); });
    return false;
  }
  while (x.in_pipe > 0) {
    ssize_t m =
        ::splice(x.pipe_r, nullptr, x.to->native_handle(), nullptr, x.in_pipe, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (m > 0) {
      x.in_pipe -= static_cast<size_t>(m);
      continue;
    }
    if (m < 0 && errno == EAGAIN) {
      x.to->async_wait(asio::socket_base::wait_write, [self = shared_from_this(), d](boost::system::error_code ec) {
        if (self->closed_) return;
        if (ec) return self->close();
        self->drain(d);
      });
      return false;
    }
    close();
    return false;
  }
  return true;
}

// Writes what splice() put in the pipe; parks in timeout mode (the bytes wait in the pipe, not lost).
void Session::drain(int d) {
  if (closed_) return;
  if (drain_now(d)) pump(d);
}

// Moves the bytes just read on: held in timeout mode, queued under latency, written straight through otherwise.
void Session::forward(int d) {
  if (closed_) return;
  auto& x = dir_[d];
  if (shared_.mode == ProxyMode::timeout) return park([self = shared_from_this(), d] { self->forward(d); });
  if (shared_.latency.count() > 0 || !x.queue.empty() || x.writing) {
    auto due = std::max(Clock::now() + shared_.next_delay(), x.last_due);  // never reorder
    x.last_due = due;
    x.queue.push_back({due, std::vector<char>(x.buf.begin(), x.buf.begin() + static_cast<long>(x.pending))});
    x.queued_bytes += x.pending;
    x.pending = 0;
    if (!x.writing) write_next(d);
    if (x.queued_bytes < kMaxQueued)
      read(d);
    else
      x.read_blocked = true;
    return;
  }
  asio::async_write(*x.to, asio::buffer(x.buf.data(), x.pending),
                    [self = shared_from_this(), d](boost::system::error_code ec, size_t) {
                      if (self->closed_) return;
                      if (ec) return self->close();
                      self->dir_[d].pending = 0;
                      self->read(d);
                    });
}

void Session::write_next(int d) {
  if (closed_) return;
  auto& x = dir_[d];
  if (x.queue.empty()) {
    x.writing = false;
    if (x.eof) finish_direction(d);
    return;
  }
  x.writing = true;
  if (shared_.mode == ProxyMode::timeout) return park([self = shared_from_this(), d] { self->write_next(d); });
  x.timer->expires_at(x.queue.front().due);
  x.timer->async_wait([self = shared_from_this(), d](boost::system::error_code) {
    if (self->closed_) return;
    auto& x = self->dir_[d];
    if (self->shared_.mode == ProxyMode::timeout) return self->write_next(d);
    asio::async_write(*x.to, asio::buffer(x.queue.front().data), [self, d](boost::system::error_code ec, size_t n) {
      if (self->closed_) return;
      if (ec) return self->close();
      auto& x = self->dir_[d];
      x.queued_bytes -= n;
      x.queue.pop_front();
      if (x.read_blocked && x.queued_bytes < kMaxQueued) {
        x.read_blocked = false;
        self->read(d);
      }
      self->write_next(d);
    });
  });
}

// The sender finished and everything it sent is forwarded: pass the FIN on; close when both sides are done.
void Session::finish_direction(int d) {
  auto& x = dir_[d];
  if (x.shut) return;
  x.shut = true;
  boost::system::error_code ec;
  x.to->shutdown(asio::socket_base::shutdown_send, ec);
  if (dir_[0].shut && dir_[1].shut) close();
}

void Session::reset() {
  if (closed_) return;
  boost::system::error_code ec;
  client_.set_option(asio::socket_base::linger(true, 0), ec);
  if (upstream_.is_open()) upstream_.set_option(asio::socket_base::linger(true, 0), ec);
  close();
}

void Session::close() {
  if (closed_) return;
  closed_ = true;
  if (!parked_.empty()) --shared_.held;
  parked_.clear();  // drops the closures that keep this session alive
  boost::system::error_code ec;
  for (auto& d : dir_) d.timer->cancel();
  client_.close(ec);
  upstream_.close(ec);
  if (on_close_) on_close_();
}

}  // namespace tc::toolkit::detail
