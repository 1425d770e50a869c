// ${...} references, interpolation and masking.
#include "scenario/vars.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

using namespace tc::scenario;
using tc::Json;

TEST_CASE("references are found with their roots, fallbacks and offsets") {
  auto refs = references("a ${x} b ${failure.inject} $${lit} ${env:HOME} ${env:NOPE:-dflt}");
  REQUIRE(refs.size() == 4);
  CHECK(refs[0].path == "x");
  CHECK(refs[0].offset == 2);
  CHECK(refs[1].root == "failure");
  CHECK(refs[1].path == "failure.inject");
  CHECK(refs[2].root == "env:HOME");
  CHECK(refs[3].path == "env:NOPE");
  CHECK(refs[3].has_fallback);
  CHECK(refs[3].fallback == "dflt");
  CHECK_THROWS_AS(references("${open"), std::invalid_argument);
  CHECK_THROWS_AS(references("${}"), std::invalid_argument);
  CHECK_THROWS_AS(references("${a b}"), std::invalid_argument);
  CHECK_THROWS_AS(references("${a${b}}"), std::invalid_argument);
  CHECK(references("no refs, $ alone, $$ too").empty());
}

TEST_CASE("interpolation substitutes vars, fields, list items and env") {
  Vars v;
  v.set("interval", 5);
  v.set("failure", Json{{"name", "reject"}, {"inject", "network --down --type reject"}});
  v.set("ports", Json::array({3306, 3307}));
  ::setenv("TC_VARS_TEST", "from-env", 1);
  ::unsetenv("TC_VARS_UNSET");
  CHECK(v.interpolate(std::string_view("every ${interval}s")) == "every 5s");
  CHECK(v.interpolate(std::string_view("${failure.inject}")) == "network --down --type reject");
  CHECK(v.interpolate(std::string_view("${ports.1}")) == "3307");
  CHECK(v.interpolate(std::string_view("${env:TC_VARS_TEST}")) == "from-env");
  CHECK(v.interpolate(std::string_view("${env:TC_VARS_UNSET:-fallback}")) == "fallback");
  CHECK_THROWS_AS(v.interpolate(std::string_view("${env:TC_VARS_UNSET}")), UndefinedVariable);
  CHECK_THROWS_AS(v.interpolate(std::string_view("${nope}")), UndefinedVariable);
  CHECK_THROWS_AS(v.interpolate(std::string_view("${failure.nope}")), UndefinedVariable);
  CHECK_THROWS_AS(v.interpolate(std::string_view("${ports.99999999999999999999}")), UndefinedVariable);
}

TEST_CASE("$${ is a literal ${, and substituted values are not unescaped") {
  Vars v;
  v.set("price", "a$${b");
  CHECK(v.interpolate(std::string_view("$${HOME} costs ${price}")) == "${HOME} costs a$${b");
  CHECK(v.interpolate(std::string_view("$$ and $${x}")) == "$$ and ${x}");
}

TEST_CASE("JSON interpolation keeps the type of a lone reference") {
  Vars v;
  v.set("n", 500);
  v.set("name", "users");
  Json args = {{"table", "${name}"}, {"chunk_size", "${n}"}, {"where", "id < ${n}"}, {"list", {"${n}", 1}}};
  Json out = v.interpolate(args);
  CHECK(out["table"] == "users");
  CHECK(out["chunk_size"] == 500);
  CHECK(out["where"] == "id < 500");
  CHECK(out["list"][0] == 500);
}

TEST_CASE("masking hides secret values and env values, longest first") {
  Vars v;
  v.set("password", "hevopassword", true);
  v.set("short", "hevo");
  v.mark_secret("short");
  v.set("tiny", "ab", true);  // too short to mask safely
  ::setenv("TC_VARS_SECRET", "s3cr3t-token", 1);
  v.interpolate(std::string_view("${env:TC_VARS_SECRET}"));
  std::string masked = v.mask(std::string_view("user hevo / hevopassword / s3cr3t-token / ab"));
  CHECK(masked == "user ****** / ****** / ****** / ab");
  Json j = v.mask(Json{{"dsn", "mysql://hevo:hevopassword@h/db"}, {"n", 1}});
  CHECK(j["dsn"] == "mysql://******:******@h/db");
  CHECK(j["n"] == 1);
  auto secrets = v.secret_values();
  CHECK(std::find(secrets.begin(), secrets.end(), "hevopassword") != secrets.end());
}
