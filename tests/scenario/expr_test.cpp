// ${= EXPR}: typed arithmetic, comparisons, logic and lists; names checked by the loader at line:column.
#include "scenario/expr.hpp"

#include <doctest/doctest.h>

#include "scenario/loader.hpp"
#include "scenario/vars.hpp"
#include "test_options.hpp"

using namespace tc;
using namespace tc::scenario;

namespace {
Vars vars() {
  Vars v;
  v.set("n0", 5);
  v.set("gen", 20);
  v.set("seven", "7");  // captured text holding a number (exec's stdout)
  v.set("mode", "fast");
  v.set("row", Json{{"n", 3}, {"name", "a-b"}, {"my-field", 1}});
  v.set("list", Json::array({10, 20}));
  return v;
}
}  // namespace

TEST_CASE("expressions are typed: numbers stay numbers, / gives a decimal") {
  Vars v = vars();
  CHECK(v.interpolate(Json("${= n0 + gen}")) == Json(25));
  CHECK(v.interpolate(Json("${= n0 + gen}")).is_number_integer());
  CHECK(v.interpolate(Json("${= gen / 8}")) == Json(2.5));
  CHECK(v.interpolate(Json("${= seven * 2}")) == Json(14));
  CHECK(v.interpolate(Json("${= -n0 + 1}")) == Json(-4));
  CHECK(v.interpolate(Json("${= (n0 + 1) * 2}")) == Json(12));
  CHECK(v.interpolate(Json("${= n0 + gen * 2}")) == Json(45));
  CHECK(v.interpolate(Json("${= row.n + list.1}")) == Json(23));
  CHECK(v.interpolate(Json("${= 'a' + \"b\"}")) == Json("ab"));
  // Inside text the value is its text: 2.5, and a whole decimal without ".0".
  CHECK(v.interpolate(std::string("rows: ${= n0 + gen}, ratio ${= gen / 8}, ${= gen / 4}")) ==
        "rows: 25, ratio 2.5, 5");
}

TEST_CASE("comparisons, logic and in [...]") {
  Vars v = vars();
  CHECK(v.interpolate(Json("${= gen > 10 and n0 >= 0}")) == Json(true));
  CHECK(v.interpolate(Json("${= gen < 10 or not (n0 == 5)}")) == Json(false));
  CHECK(v.interpolate(Json("${= mode in ['fast', 'slow']}")) == Json(true));
  CHECK(v.interpolate(Json("${= mode in ['slow', 'timeout']}")) == Json(false));
  CHECK(v.interpolate(Json("${= seven == 7}")) == Json(true));  // a numeric string equals its number
  CHECK(v.interpolate(Json("${= n0 != 5}")) == Json(false));
  CHECK(v.interpolate(Json("${= row.name == 'a-b'}")) == Json(true));
}

TEST_CASE("lexing: quoted strings may hold }, a - between spaces is minus, inside a name part of it") {
  Vars v = vars();
  CHECK(v.interpolate(std::string("${= 'x}y' + 'z'}!")) == "x}yz!");
  CHECK(v.interpolate(Json("${= row.my-field + 1}")) == Json(2));
  CHECK(v.interpolate(Json("${= gen - n0}")) == Json(15));
  CHECK(v.interpolate(Json("${= 7-3}")) == Json(4));
  CHECK(v.interpolate(std::string("$${= n0} stays")) == "${= n0} stays");
  auto refs = references("a ${= n0 + row.n * gen} b ${mode}");
  REQUIRE(refs.size() == 4);
  CHECK(refs[0].path == "n0");
  CHECK(refs[0].offset == 6);
  CHECK(refs[1].path == "row.n");
  CHECK(refs[1].root == "row");
  CHECK(refs[3].path == "mode");
}

TEST_CASE("errors say what: syntax at its offset, undefined names, type errors") {
  Vars v = vars();
  CHECK_THROWS_AS(references("${= n0 + }"), ReferenceError);
  try {
    references("xx ${= n0 +* 1}");
    FAIL("no error");
  } catch (const ReferenceError& e) {
    CHECK(e.offset() == 11);
    CHECK(std::string(e.what()).find("expected a value") != std::string::npos);
  }
  CHECK_THROWS_AS(references("${= 'open}"), ReferenceError);
  CHECK_THROWS_AS(references("${= }"), ReferenceError);
  CHECK_THROWS_AS(v.interpolate(Json("${= nope + 1}")), UndefinedVariable);
  CHECK_THROWS_WITH_AS(v.interpolate(Json("${= mode * 2}")), doctest::Contains("'fast' is not a number"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(v.interpolate(Json("${= n0 / 0}")), doctest::Contains("division by zero"),
                       std::invalid_argument);
  CHECK_THROWS_AS(v.interpolate(Json("${= list < 3}")), std::invalid_argument);
}

TEST_CASE("the loader checks an expression's names and syntax at line:column; when: takes one") {
  auto load = [](const std::string& steps) {
    return load_string("id: T\ntitle: t\nvars: {gen: 20}\nsteps:\n" + steps, "x.yaml", testing::options());
  };
  CHECK_NOTHROW(load("  - assert: {value: \"${= gen * 2}\", equals: 40}\n    when: ${= gen > 10 and gen < 30}\n"));
  try {
    load("  - assert: {value: \"${= gne * 2}\", equals: 40}\n");
    FAIL("no error");
  } catch (const LoadError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].message.find("undefined variable ${gne} (did you mean ${gen}?)") == 0);
    CHECK(e.diagnostics()[0].where.line == 5);
    CHECK(e.diagnostics()[0].where.column == 26);  // the name itself, inside the quoted expression
  }
  CHECK_THROWS_AS(load("  - assert: {value: \"${= gen + }\", equals: 1}\n"), LoadError);
}

TEST_CASE("hostile expressions are located errors, never a crash: huge numbers, deep nesting") {
  CHECK_THROWS_WITH_AS(references("${= 99999999999999999999999 + 1}"), doctest::Contains("too large"), ReferenceError);
  CHECK_THROWS_WITH_AS(references("${= " + std::string(300, '(') + "1" + std::string(300, ')') + "}"),
                       doctest::Contains("nests more than 100"), ReferenceError);
  CHECK_THROWS_AS(references("${= " + std::string(300, '-') + "1}"), ReferenceError);
  Vars v;
  v.set("big", "100000000000000000000000000000");  // a numeric text beyond any whole number
  CHECK(v.interpolate(Json("${= -big}")).is_number_float());
}
