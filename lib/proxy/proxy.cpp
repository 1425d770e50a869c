#include "proxy/proxy.hpp"

#include <fmt/format.h>
#include <sched.h>

#include <future>
#include <map>
#include <optional>
#include <stdexcept>
#include <thread>

#include "proxy/proxy_session.hpp"

namespace tc::toolkit {

using namespace detail;
using tcp = asio::ip::tcp;

std::string Upstream::str() const {
  return socket.empty() ? fmt::format("{}:{}", host, port) : "unix:" + socket;
}

std::string to_string(ProxyMode m) {
  switch (m) {
    case ProxyMode::pass: return "pass";
    case ProxyMode::reject: return "reject";
    case ProxyMode::timeout: return "timeout";
  }
  return "?";
}

Json ProxyStats::to_json() const {
  return Json{{"mode", to_string(mode)},
              {"listening", listening},
              {"port", port},
              {"latency_ms", latency.count()},
              {"jitter_ms", jitter.count()},
              {"connections_open", connections_open},
              {"connections_total", connections_total},
              {"connections_held", connections_held},
              {"connections_reset", connections_reset},
              {"bytes_up", bytes_up},
              {"bytes_down", bytes_down}};
}

struct FaultProxy::Impl {
  Upstream upstream;
  std::string host;
  int port;
  ProxyShared shared;
  std::map<uint64_t, std::weak_ptr<Session>> sessions;
  uint64_t next_id = 0;
  asio::io_context io{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  tcp::acceptor acceptor{io};
  std::thread thread;
  bool running = false;
  GenericEndpoint upstream_ep;
  bool upstream_tcp = true;

  Impl(Upstream u, int p, std::string h) : upstream(std::move(u)), host(std::move(h)), port(p) {}

  // Runs fn on the io thread and waits for it (exceptions travel back to the caller).
  template <class F>
  auto on_io(F fn) -> decltype(fn()) {
    if (!running || thread.get_id() == std::this_thread::get_id()) return fn();
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto fut = task.get_future();
    asio::post(io, [&task] { task(); });
    return fut.get();
  }

  // The io loop. After request/response-sized work it keeps polling for a short while before sleeping in epoll:
  // the answer usually comes back within that window, so the relay adds no thread wake-up to a round trip. Idle
  // costs nothing (the spin ends after kSpin without events); sched_yield() lets client and server threads run.
  // Streams do not spin (StreamDetector): nothing answers them, and on a small machine the proxy's CPU is
  // better left to the two ends.
  void run() {
    constexpr auto kSpin = std::chrono::microseconds(200);
    while (!io.stopped()) {
      if (io.run_one() == 0) break;
      auto until = std::chrono::steady_clock::now() + kSpin;
      while (!io.stopped() && !shared.bulk) {
        if (io.poll() > 0) {
          until = std::chrono::steady_clock::now() + kSpin;
          continue;
        }
        if (std::chrono::steady_clock::now() >= until) break;
        sched_yield();
      }
    }
  }

  void resolve_upstream() {
    if (!upstream.socket.empty()) {
      upstream_ep = GenericEndpoint(asio::local::stream_protocol::endpoint(upstream.socket));
      upstream_tcp = false;
      return;
    }
    if (upstream.port <= 0 || upstream.port > 65535)
      throw std::runtime_error(fmt::format("invalid upstream port {}", upstream.port));
    tcp::resolver resolver(io);
    boost::system::error_code ec;
    auto results = resolver.resolve(upstream.host, std::to_string(upstream.port), ec);
    if (ec || results.empty())
      throw std::runtime_error("cannot resolve upstream " + upstream.str() + ": " + ec.message());
    upstream_ep = GenericEndpoint(results.begin()->endpoint());
    upstream_tcp = true;
  }

  void listen() {
    if (acceptor.is_open()) return;
    boost::system::error_code ec;
    tcp::endpoint ep(asio::ip::make_address(host, ec), static_cast<unsigned short>(port));
    if (ec) throw std::runtime_error("invalid listen address " + host);
    acceptor.open(ep.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(ep, ec);
    if (ec) {
      acceptor.close();
      throw std::runtime_error(fmt::format("cannot listen on {}:{}: {}", host, port, ec.message()));
    }
    acceptor.listen(asio::socket_base::max_listen_connections);
    port = acceptor.local_endpoint().port();  // the chosen one when 0 was asked; reopen on the same port
    accept();
  }

  void unlisten() {
    boost::system::error_code ec;
    acceptor.close(ec);  // connects now get ECONNREFUSED; the kernel resets any not yet accepted
  }

  void accept() {
    auto sock = std::make_shared<GenericSocket>(io);
    acceptor.async_accept(*sock, [this, sock](boost::system::error_code ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) admit(std::move(*sock));
      accept();
    });
  }

  void admit(GenericSocket sock) {
    ++shared.total;
    if (shared.mode == ProxyMode::reject) {  // raced with the switch: refuse the way reject does
      boost::system::error_code ec;
      sock.set_option(asio::socket_base::linger(true, 0), ec);
      sock.close(ec);
      ++shared.reset;
      return;
    }
    uint64_t id = next_id++;
    ++shared.open;
    auto s = std::make_shared<Session>(io, shared, std::move(sock), [this, id] {
      sessions.erase(id);
      --shared.open;
    });
    sessions[id] = s;
    s->begin(upstream_ep, upstream_tcp);
  }

  template <class F>
  void each_session(F fn) {
    std::vector<std::shared_ptr<Session>> live;
    for (auto& [id, w] : sessions)
      if (auto s = w.lock()) live.push_back(s);
    for (auto& s : live) fn(*s);
  }
};

FaultProxy::FaultProxy(Upstream upstream, int listen_port, std::string listen_host)
    : impl_(std::make_unique<Impl>(std::move(upstream), listen_port, std::move(listen_host))) {}

FaultProxy::~FaultProxy() {
  stop();
}

void FaultProxy::start() {
  auto& m = *impl_;
  if (m.running) return;
  m.resolve_upstream();
  m.listen();
  m.work.emplace(m.io.get_executor());
  m.thread = std::thread([&m] { m.run(); });
  m.running = true;
}

void FaultProxy::stop() {
  auto& m = *impl_;
  if (!m.running) return;
  m.on_io([&m] {
    m.unlisten();
    m.each_session([](Session& s) { s.close(); });
  });
  m.work.reset();
  m.io.stop();
  m.thread.join();
  m.running = false;
}

int FaultProxy::port() const {
  return impl_->port;
}

void FaultProxy::set_mode(ProxyMode mode) {
  auto& m = *impl_;
  m.on_io([&m, mode] {
    auto old = m.shared.mode;
    m.shared.mode = mode;
    if (mode == ProxyMode::reject) {
      m.unlisten();
      m.each_session([&m](Session& s) {
        ++m.shared.reset;
        s.reset();
      });
      return;
    }
    if (old == ProxyMode::reject && m.running) m.listen();
    m.each_session([](Session& s) { s.release(); });
  });
}

void FaultProxy::set_latency(std::chrono::milliseconds latency, std::chrono::milliseconds jitter) {
  if (latency.count() < 0 || jitter.count() < 0) throw std::invalid_argument("latency and jitter must be >= 0");
  auto& m = *impl_;
  m.on_io([&m, latency, jitter] {
    m.shared.latency = latency;
    m.shared.jitter = jitter;
  });
}

void FaultProxy::set_upstream(Upstream upstream) {
  auto& m = *impl_;
  m.on_io([&m, upstream = std::move(upstream)] {
    auto old = m.upstream;
    m.upstream = upstream;
    try {
      m.resolve_upstream();
    } catch (...) {
      m.upstream = old;
      m.resolve_upstream();
      throw;
    }
  });
}

ProxyStats FaultProxy::stats() const {
  auto& m = *impl_;
  return m.on_io([&m] {
    ProxyStats s;
    s.mode = m.shared.mode;
    s.listening = m.acceptor.is_open();
    s.port = m.port;
    s.latency = m.shared.latency;
    s.jitter = m.shared.jitter;
    s.connections_open = m.shared.open;
    s.connections_total = m.shared.total;
    s.connections_held = m.shared.held;
    s.connections_reset = m.shared.reset;
    s.bytes_up = m.shared.up;
    s.bytes_down = m.shared.down;
    return s;
  });
}

}  // namespace tc::toolkit
