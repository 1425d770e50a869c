// The fault proxy against a plain TCP echo server: each mode's effect on new and open connections.
#include "proxy/proxy.hpp"

#include <doctest/doctest.h>

#include "proxy/net_helpers.hpp"

using namespace tc::toolkit;
using namespace tc::test;
using namespace std::chrono_literals;

namespace {
struct Fixture {
  TestServer echo{TestServer::echo};
  FaultProxy proxy{Upstream{"127.0.0.1", echo.port(), ""}, 0};
  Fixture() { proxy.start(); }
};

void expect_echo(Client& c, const std::string& msg, int timeout_ms = 2000) {
  REQUIRE(c.send(msg));
  std::string got;
  REQUIRE(c.recv_exact(got, msg.size(), timeout_ms) == 0);
  CHECK(got == msg);
}
}  // namespace

TEST_CASE("pass mode relays both ways and counts bytes and connections") {
  Fixture f;
  CHECK(f.proxy.port() > 0);
  Client c;
  REQUIRE(c.connect(f.proxy.port()) == 0);
  expect_echo(c, "hello");
  expect_echo(c, std::string(1 << 20, 'x'), 5000);  // bigger than one buffer
  auto s = f.proxy.stats();
  CHECK(s.connections_open == 1);
  CHECK(s.connections_total == 1);
  CHECK(s.bytes_up == 5 + (1 << 20));
  CHECK(s.bytes_down == 5 + (1 << 20));
  CHECK(s.mode == ProxyMode::pass);
}

TEST_CASE("reject refuses new connections at once and resets open ones; pass restores on the same port") {
  Fixture f;
  int port = f.proxy.port();
  Client open;
  REQUIRE(open.connect(port) == 0);
  expect_echo(open, "before");

  f.proxy.set_mode(ProxyMode::reject);
  auto t0 = Clock::now();
  Client fresh;
  CHECK(fresh.connect(port) == ECONNREFUSED);
  CHECK(ms_since(t0) < 100);
  CHECK_FALSE(f.proxy.stats().listening);

  // The open connection got an RST, not a FIN: reading reports ECONNRESET, not EOF.
  std::string got;
  CHECK(open.recv_exact(got, 1, 1000) == ECONNRESET);
  CHECK(f.proxy.stats().connections_reset >= 1);

  f.proxy.set_mode(ProxyMode::pass);
  CHECK(f.proxy.port() == port);
  Client again;
  REQUIRE(again.connect(port) == 0);
  expect_echo(again, "after");
}

TEST_CASE("timeout stalls open and new connections without losing data; pass releases them") {
  Fixture f;
  Client open;
  REQUIRE(open.connect(f.proxy.port()) == 0);
  expect_echo(open, "before");

  f.proxy.set_mode(ProxyMode::timeout);
  REQUIRE(open.send("held-1"));
  std::string got;
  CHECK(open.recv_exact(got, 6, 300) == ETIMEDOUT);  // no answer, no reset, no EOF

  Client fresh;
  REQUIRE(fresh.connect(f.proxy.port()) == 0);  // the handshake of TCP completes, nothing else does
  REQUIRE(fresh.send("held-2"));
  CHECK(fresh.recv_exact(got, 6, 300) == ETIMEDOUT);
  auto s = f.proxy.stats();
  CHECK(s.connections_held == 2);
  CHECK(s.connections_open == 2);

  f.proxy.set_mode(ProxyMode::pass);
  REQUIRE(open.recv_exact(got, 6, 2000) == 0);
  CHECK(got == "held-1");
  REQUIRE(fresh.recv_exact(got, 6, 2000) == 0);
  CHECK(got == "held-2");
  CHECK(f.proxy.stats().connections_held == 0);
}

TEST_CASE("timeout then reject resets the stalled connections") {
  Fixture f;
  Client c;
  REQUIRE(c.connect(f.proxy.port()) == 0);
  f.proxy.set_mode(ProxyMode::timeout);
  REQUIRE(c.send("x"));
  f.proxy.set_mode(ProxyMode::reject);
  std::string got;
  CHECK(c.recv_exact(got, 1, 1000) == ECONNRESET);
  CHECK(f.proxy.stats().connections_open == 0);
}

TEST_CASE("latency delays each direction and keeps order under jitter") {
  Fixture f;
  Client c;
  REQUIRE(c.connect(f.proxy.port()) == 0);
  expect_echo(c, "warm");

  f.proxy.set_latency(100ms);
  auto t0 = Clock::now();
  expect_echo(c, "ping");
  double rtt = ms_since(t0);
  CHECK(rtt >= 195);  // 100 ms up + 100 ms down
  CHECK(rtt < 260);

  f.proxy.set_latency(30ms, 25ms);
  std::string all;
  for (int i = 0; i < 50; ++i) all += "<" + std::to_string(i) + ">";
  for (int i = 0; i < 50; ++i) REQUIRE(c.send("<" + std::to_string(i) + ">"));  // separate chunks
  std::string got;
  REQUIRE(c.recv_exact(got, all.size(), 3000) == 0);
  CHECK(got == all);

  f.proxy.set_latency(0ms);
  t0 = Clock::now();
  expect_echo(c, "fast");
  CHECK(ms_since(t0) < 20);
}

TEST_CASE("a dead upstream resets the client at once") {
  int dead_port;
  {
    TestServer gone{TestServer::echo};
    dead_port = gone.port();
  }
  FaultProxy proxy{Upstream{"127.0.0.1", dead_port, ""}, 0};
  proxy.start();
  Client c;
  REQUIRE(c.connect(proxy.port()) == 0);
  auto t0 = Clock::now();
  std::string got;
  CHECK(c.recv_exact(got, 1, 1000) == ECONNRESET);
  CHECK(ms_since(t0) < 200);
}

TEST_CASE("bad settings are errors, not crashes") {
  CHECK_THROWS_AS(FaultProxy(Upstream{"127.0.0.1", 0, ""}, 0).start(), std::runtime_error);
  TestServer echo{TestServer::echo};
  FaultProxy a{Upstream{"127.0.0.1", echo.port(), ""}, 0};
  a.start();
  FaultProxy b{Upstream{"127.0.0.1", echo.port(), ""}, a.port()};
  CHECK_THROWS_AS(b.start(), std::runtime_error);
  CHECK_THROWS_AS(a.set_latency(-1ms), std::invalid_argument);
}
