// The io loop polls for an answer only in request/response traffic: how the proxy tells it from a stream.
#include <doctest/doctest.h>

#include "toolkit/proxy_session.hpp"

using tc::toolkit::detail::ProxyShared;

namespace {
constexpr int kUp = 0, kDown = 1;
}

TEST_CASE("alternating small chunks are request/response: the io loop may poll for the answer") {
  ProxyShared s;
  for (int i = 0; i < 100; ++i) {
    s.note_chunk(i % 2 ? kDown : kUp, 60);
    CHECK_FALSE(s.bulk);
  }
}

TEST_CASE("small chunks in one direction with no answer become a stream after three") {
  ProxyShared s;
  s.note_chunk(kUp, 40);  // SELECT * FROM big_table
  CHECK_FALSE(s.bulk);
  s.note_chunk(kDown, 16384);  // the result set, in the server's 16 KB writes
  CHECK_FALSE(s.bulk);
  s.note_chunk(kDown, 16384);
  CHECK_FALSE(s.bulk);
  s.note_chunk(kDown, 16384);
  CHECK(s.bulk);
  s.note_chunk(kDown, 900);
  CHECK(s.bulk);
  s.note_chunk(kUp, 40);  // the next query: back to request/response
  CHECK_FALSE(s.bulk);
  s.note_chunk(kDown, 120);
  CHECK_FALSE(s.bulk);
}

TEST_CASE("one large chunk is a stream at once, and the next small exchange is not") {
  ProxyShared s;
  s.note_chunk(kDown, 256 * 1024);
  CHECK(s.bulk);
  s.note_chunk(kUp, 10);
  CHECK_FALSE(s.bulk);
}
