// Matrix expansion into named variants.
#include <doctest/doctest.h>

#include "test_options.hpp"

using namespace tc::scenario;

TEST_CASE("no matrix gives one unnamed variant") {
  auto sc = load_string("id: T\ntitle: t\nsteps: [{toolkit: status}]\n", "x.yaml", testing::options());
  auto v = sc.variants();
  REQUIRE(v.size() == 1);
  CHECK(v[0].name.empty());
  CHECK(v[0].values.empty());
}

TEST_CASE("every combination is a variant named after its values") {
  auto sc = load_string(R"(id: T
title: t
matrix:
  failure:
    - {name: reject, inject: network --down --type reject}
    - {name: truncate, inject: corrupt --type truncate}
  speed: [fast, slow, 3]
steps:
  - toolkit: ${failure.inject}
)",
                        "x.yaml", testing::options());
  auto v = sc.variants();
  REQUIRE(v.size() == 6);
  std::vector<std::string> names;
  for (const auto& x : v) names.push_back(x.name);
  CHECK(names == std::vector<std::string>{"reject-fast", "reject-slow", "reject-3", "truncate-fast", "truncate-slow",
                                          "truncate-3"});
  CHECK(v[3].values.at("failure")["inject"] == "corrupt --type truncate");
  CHECK(v[5].values.at("speed") == 3);
}
