// Benchmark: the proxy's added round-trip latency and bulk throughput, against a direct connection, the barest
// splice relay (the floor for any relay here) and socat.
// Prints the numbers; asserts only sanity (the targets are checked with WARN: a loaded 2-core box is noisy).
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <boost/process.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <vector>

#include "proxy/proxy.hpp"
#include "proxy/bare_relay.hpp"
#include "proxy/net_helpers.hpp"

using namespace tc::toolkit;
using namespace tc::test;

namespace {
int free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

// Median microseconds of a 1-byte ping-pong through `port`.
double rtt_us(int port, int rounds) {
  Client c;
  REQUIRE(c.connect(port) == 0);
  std::vector<double> samples;
  std::string got;
  for (int i = 0; i < rounds; ++i) {
    auto t0 = Clock::now();
    REQUIRE(c.send("p"));
    REQUIRE(c.recv_exact(got, 1, 2000) == 0);
    samples.push_back(ms_since(t0) * 1000.0);
  }
  std::nth_element(samples.begin(), samples.begin() + rounds / 2, samples.end());
  return samples[static_cast<size_t>(rounds / 2)];
}

// MB/s draining `bytes` from a source server through `port`, once.
double throughput_mbs(int port, long long bytes) {
  Client c;
  REQUIRE(c.connect(port) == 0);
  auto t0 = Clock::now();
  long long got = c.drain();
  double s = ms_since(t0) / 1000.0;
  REQUIRE(got == bytes);
  return static_cast<double>(bytes) / s / 1e6;
}

// socat as a plain relay, stopped by its pid.
struct Socat {
  int port = free_port();
  boost::process::child child;
  explicit Socat(int upstream)
      : child(boost::process::search_path("socat"), fmt_args(port, upstream),
              boost::process::std_out > boost::process::null, boost::process::std_err > boost::process::null) {
    for (int i = 0; i < 200; ++i) {
      Client probe;
      if (probe.connect(port) == 0) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL("socat did not start listening");
  }
  static std::vector<std::string> fmt_args(int port, int upstream) {
    return {"TCP-LISTEN:" + std::to_string(port) + ",bind=127.0.0.1,reuseaddr,fork,nodelay",
            "TCP:127.0.0.1:" + std::to_string(upstream) + ",nodelay"};
  }
  ~Socat() {
    ::kill(child.id(), SIGTERM);
    child.wait();
  }
};
}  // namespace

TEST_CASE("benchmark: added round-trip latency and bulk throughput vs direct, a bare splice relay and socat") {
  bool have_socat = !boost::process::search_path("socat").empty();
  const bool smoke = std::getenv("TC_BENCH_SMOKE") != nullptr;  // bench/run.py --smoke: tiny sizes
  const int rounds = smoke ? 2000 : 20000;
  const long long bulk = smoke ? 64LL << 20 : 1LL << 30;

  TestServer echo{TestServer::echo};
  FaultProxy pecho{Upstream{"127.0.0.1", echo.port(), ""}, 0};
  pecho.start();
  double direct_rtt = rtt_us(echo.port(), rounds);
  double proxy_rtt = rtt_us(pecho.port(), rounds);
  double bare_rtt = 0;
  {
    BareSpliceRelay bare(echo.port());
    bare_rtt = rtt_us(bare.port(), rounds);
  }
  double socat_rtt = 0;
  if (have_socat) {
    Socat s(echo.port());
    socat_rtt = rtt_us(s.port, rounds);
  }

  // Bulk: every path once per round, three rounds, best of each: a drifting load hits all of them alike.
  TestServer source{TestServer::source, static_cast<size_t>(bulk)};
  FaultProxy psrc{Upstream{"127.0.0.1", source.port(), ""}, 0};
  psrc.start();
  BareSpliceRelay bare_src(source.port());
  std::unique_ptr<Socat> socat_src;
  if (have_socat) socat_src = std::make_unique<Socat>(source.port());
  double direct_tp = 0, proxy_tp = 0, bare_tp = 0, socat_tp = 0;
  for (int round = 0; round < 3; ++round) {
    direct_tp = std::max(direct_tp, throughput_mbs(source.port(), bulk));
    proxy_tp = std::max(proxy_tp, throughput_mbs(psrc.port(), bulk));
    bare_tp = std::max(bare_tp, throughput_mbs(bare_src.port(), bulk));
    if (socat_src) socat_tp = std::max(socat_tp, throughput_mbs(socat_src->port, bulk));
  }

  std::cout << "\n== fault proxy benchmark (median of " << rounds << " 1-byte round trips; best of 3 x 1 GiB) ==\n"
            << "round trip  direct " << direct_rtt << " us, proxy " << proxy_rtt << " us (+" << proxy_rtt - direct_rtt
            << " us), bare relay " << bare_rtt << " us (+" << bare_rtt - direct_rtt << " us), socat " << socat_rtt
            << " us (+" << socat_rtt - direct_rtt << " us)\n"
            << "throughput  direct " << direct_tp << " MB/s, proxy " << proxy_tp << " MB/s ("
            << 100.0 * proxy_tp / direct_tp << " %), bare relay " << bare_tp << " MB/s (" << 100.0 * bare_tp / direct_tp
            << " %), socat " << socat_tp << " MB/s (" << 100.0 * socat_tp / direct_tp << " %)\n";
  CHECK(proxy_rtt > 0);
  CHECK(proxy_tp > 0);
  CHECK(bare_tp > 0);
  WARN_LE(proxy_rtt - direct_rtt, 25.0);
  WARN_GE(proxy_tp, 0.95 * direct_tp);
}
