// The io loop polls for an answer only in request/response traffic: how the proxy tells it from a stream.
#include <doctest/doctest.h>

#include "proxy/proxy_session.hpp"

using tc::toolkit::detail::StreamDetector;

namespace {
constexpr int kUp = 0, kDown = 1;
}

TEST_CASE("alternating small chunks are request/response: the io loop may poll for the answer") {
  StreamDetector s;
  for (int i = 0; i < 100; ++i) CHECK_FALSE(s.note(i % 2 ? kDown : kUp, 60));
}

TEST_CASE("small chunks in one direction with no answer become a stream after three") {
  StreamDetector s;
  CHECK_FALSE(s.note(kUp, 40));       // SELECT * FROM big_table
  CHECK_FALSE(s.note(kDown, 16384));  // the result set, in the server's 16 KB writes
  CHECK_FALSE(s.note(kDown, 16384));
  CHECK(s.note(kDown, 16384));
  CHECK(s.note(kDown, 900));
  CHECK_FALSE(s.note(kUp, 40));  // the next query: back to request/response
  CHECK_FALSE(s.note(kDown, 120));
}

TEST_CASE("one large chunk is a stream at once, and the next small exchange is not") {
  StreamDetector s;
  CHECK(s.note(kDown, 256 * 1024));
  CHECK_FALSE(s.note(kUp, 10));
}

TEST_CASE("each connection is judged on its own traffic") {
  StreamDetector replica, client;  // a binlog dump and a tester's queries through the same proxy
  for (int i = 0; i < 5; ++i) replica.note(kDown, 8000);
  CHECK_FALSE(client.note(kUp, 30));
  CHECK(replica.note(kDown, 8000));
  CHECK_FALSE(client.note(kDown, 200));
}
