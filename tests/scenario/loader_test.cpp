// The loader fills the model faithfully and reports every problem, located, without ever crashing.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "test_options.hpp"

namespace fs = std::filesystem;
using namespace tc::scenario;
using tc::Json;
using tc::Millis;

namespace {
const fs::path kValid = fs::path(TC_SOURCE_DIR) / "tests" / "corpus" / "valid";

Scenario load_valid(const std::string& name) {
  return load_file((kValid / name).string(), testing::options());
}

std::vector<Diagnostic> errors_of(const std::string& text, const LoadOptions& opts = testing::options()) {
  try {
    load_string(text, "t.yaml", opts);
  } catch (const LoadError& e) {
    return e.diagnostics();
  }
  return {};
}
}  // namespace

TEST_CASE("metadata and scalar types follow YAML 1.2 core; quoted stays text") {
  auto sc = load_valid("metadata_full.yaml");
  CHECK(sc.id == "TC-META-1");
  CHECK(sc.created == "2026-02-10");  // an unquoted date stays a string
  CHECK(sc.severity == "Critical");
  CHECK(sc.etl_tools == std::vector<std::string>{"Hevo", "Fivetran"});
  CHECK(sc.id_where.line == 3);
  CHECK(sc.id_where.column == 5);
  auto y = load_valid("yaml_features.yaml");
  CHECK(y.vars["count"] == "50");
  CHECK(y.vars["ratio"] == 0.5);
  CHECK(y.vars["enabled"] == true);
  CHECK(y.vars["nothing"].is_null());
  CHECK(y.vars["big"] == 12345678901LL);
  CHECK(y.vars["hex"] == 31);
  CHECK(y.steps[1].type == "toolkit");  // alias of the first step
  CHECK(y.steps[3].args == "echo folded into one line");
}

TEST_CASE("steps carry their action, options and argument marks") {
  auto sc = load_valid("toolkit_sql.yaml");
  const Step& count = sc.steps[1];
  CHECK(count.type == "sql");
  CHECK(count.args == "SELECT COUNT(*) AS n FROM users");
  REQUIRE(count.captures.size() == 1);
  CHECK(count.captures[0].var == "rows_before");
  CHECK(count.captures[0].path == "value");
  REQUIRE(count.expect.size() == 1);
  CHECK(count.expect[0].path == "row.n");
  CHECK(count.expect[0].op == "at_least");
  CHECK(count.expect[0].operand == 5);
  const Step& dest = sc.steps[2];
  CHECK(dest.args["connection"] == "destination");
  CHECK(dest.args_where.line == 16);  // a block map starts at its first key
  CHECK(dest.mark_of("/connection").line == 17);
  CHECK(dest.mark_of("/connection").column == 19);
  CHECK(dest.mark_of("/no/such/key").line == 16);  // falls back to the argument
  CHECK(dest.captures.size() == 2);
}

TEST_CASE("wait parses its condition as a step and sets the schedule") {
  auto sc = load_valid("wait_sleep_stop.yaml");
  const Step& detect = sc.steps[2];
  REQUIRE(detect.type == "wait");
  REQUIRE(detect.until.size() == 1);
  CHECK(detect.until[0].type == "pipeline");
  CHECK(detect.until[0].expect[0].operand == "failed");
  CHECK(detect.timeout == Millis(300'000));
  CHECK(detect.every == Millis(250));
  CHECK(detect.observes[0].name == "time_to_detect");
  CHECK(detect.observes[0].path == "elapsed");
  const Step& defaults = sc.steps[3];
  CHECK(defaults.timeout == Millis(300'000));
  CHECK(defaults.every == Millis(1000));
  CHECK(defaults.until[0].type == "rows_match");
  CHECK(sc.steps[4].timeout == Millis(90'000));
  CHECK(sc.steps[4].every == Millis(1500));
  CHECK(sc.steps[0].background);
  CHECK(sc.steps[0].id == "load");
}

TEST_CASE("wait timeout from a variable takes the default value") {
  auto sc = load_string(R"(id: T
title: t
vars: {limit: 90s}
steps:
  - wait: {until: {pipeline: status, expect: failed}, timeout: "${limit}"}
)",
                        "t.yaml", testing::options());
  CHECK(sc.steps[0].timeout == Millis(90'000));
  CHECK(sc.steps[0].args["timeout"] == "${limit}");  // left for the engine to re-read after --var
}

TEST_CASE("common options in both forms") {
  auto sc = load_valid("step_options.yaml");
  const Step& a = sc.steps[0];
  CHECK(a.timeout == Millis(30'000));
  CHECK(a.retry.count == 3);
  CHECK(a.retry.delay == Millis(500));
  CHECK(a.continue_on_failure);
  CHECK(a.when == "${mode} != slow");
  CHECK(a.has_expect);
  CHECK(a.expect.size() == 3);
  CHECK(a.expect[2].op == "matches");
  const Step& b = sc.steps[1];
  CHECK(b.retry.count == 2);
  CHECK(b.timeout == Millis(10'000));
  CHECK(b.expect[0].path == "value");
  CHECK(b.expect[0].operand == "5");
  CHECK(sc.steps[4].when == "true");
  CHECK(!sc.steps[4].has_expect);
}

TEST_CASE("default: a path the step may not give takes a literal value, stated; a malformed one is refused") {
  auto sc = load_string(R"(id: T
title: t
steps:
  - sql: SELECT 1 AS n
    capture: {n: {path: row.n, default: 0}, plain: row.n}
    observe: {lag: {path: row.lag, default: "n/a"}}
    expect: {row.flag: {equals: true, default: false}}
)",
                        "t.yaml", testing::options());
  const Step& s = sc.steps[0];
  REQUIRE(s.captures.size() == 2);
  CHECK(s.captures[0].var == "n");
  CHECK(s.captures[0].path == "row.n");
  REQUIRE(s.captures[0].fallback);
  CHECK(*s.captures[0].fallback == 0);
  CHECK(!s.captures[1].fallback);  // no default: a missing path stays the step's ERROR
  REQUIRE(s.observes.size() == 1);
  CHECK(s.observes[0].path == "row.lag");
  CHECK(*s.observes[0].fallback == "n/a");
  REQUIRE(s.expect.size() == 1);
  CHECK(s.expect[0].op == "equals");
  CHECK(s.expect[0].operand == true);
  CHECK(*s.expect[0].fallback == false);

  auto d = errors_of(R"(id: T
title: t
steps:
  - sql: SELECT 1 AS n
    capture: {a: {path: row.n}, b: {path: row.n, default: [1]}, c: {path: row.n, default: "${x}"}}
    expect: {row.n: {default: 1}, row.m: {equals: 1, less_than: 2, default: 0}}
)");
  REQUIRE(d.size() == 6);
  CHECK(d[0].message == "capture 'a' is missing the required key 'default'");
  CHECK(d[1].message == "capture 'b': a default is a single value (text, number, true/false or null), got a list of 1");
  CHECK(d[2].message == "capture 'c': a default is a literal value, not ${...}");
  CHECK(d[3].message.find("undefined variable ${x}") == 0);
  CHECK(d[4].message == "expect 'row.n': expected exactly one operator beside default, got 0");
  CHECK(d[5].message == "expect 'row.m': expected exactly one operator beside default, got 2");
}

TEST_CASE("all errors in a file are reported, sorted by place") {
  auto d = errors_of(R"(id: TC-ERR
title: Many mistakes
severity: Urgent
stpes: []
steps:
  - toolkit: status
    timout: 5s
  - sqll: SELECT 1
  - sleep: forever
  - toolkit: echo ${nope}
)");
  REQUIRE(d.size() == 6);
  CHECK(d[0].where.line == 3);  // severity
  CHECK(d[0].where.column == 11);
  CHECK(d[1].message.find("did you mean 'steps'") != std::string::npos);
  CHECK(d[2].message.find("did you mean 'timeout'") != std::string::npos);
  CHECK(d[3].message.find("unknown step type 'sqll' (did you mean 'sql'?)") != std::string::npos);
  CHECK(d[4].message.find("bad duration 'forever'") != std::string::npos);
  CHECK(d[5].where.line == 10);
  CHECK(d[5].where.column == 19);  // the ${ itself
  for (size_t i = 1; i < d.size(); ++i) CHECK(d[i - 1].where.line <= d[i].where.line);
  try {
    load_string("id: x\ntitle: y\nsteps: 5\n", "f.yaml", testing::options());
    FAIL("should not load");
  } catch (const LoadError& e) {
    CHECK(std::string(e.what()).rfind("f.yaml:3:8: error: 'steps': expected a list of steps", 0) == 0);
  }
}

TEST_CASE("step types come from the options; plugin types take any argument") {
  LoadOptions o;
  o.steps = {StepDecl{.name = "toolkit", .string_form = {.allowed = true}}, StepDecl{.name = "kafka_lag"}};
  auto d = errors_of("id: T\ntitle: t\nsteps:\n  - kafa_lag: {topic: x}\n  - sql: SELECT 1\n", o);
  REQUIRE(d.size() == 2);
  CHECK(d[0].message == "unknown step type 'kafa_lag' (did you mean 'kafka_lag'?)");
  CHECK(d[1].message.find("unknown step type 'sql'") == 0);
  CHECK(errors_of("id: T\ntitle: t\nsteps:\n  - kafka_lag: {anything: [1, 2]}\n", o).empty());
}

TEST_CASE("scenario ids must be unique across files") {
  auto a = load_valid("minimal.yaml");
  auto b = load_valid("minimal.yaml");
  b.file = "other.yaml";
  b.id_where.file = "other.yaml";
  auto c = load_valid("checks.yaml");
  auto d = check_unique_ids({a, c, b});
  REQUIRE(d.size() == 1);
  CHECK(d[0].where.file == "other.yaml");
  CHECK(d[0].message.find("duplicate scenario id 'TC-MIN'") == 0);
  CHECK(d[0].message.find("minimal.yaml:2:5") != std::string::npos);
  CHECK(check_unique_ids({a, c}).empty());
}

TEST_CASE("unreadable files give a clear error") {
  CHECK_THROWS_WITH_AS(load_file("/nonexistent/x.yaml", testing::options()), doctest::Contains("cannot read the file"),
                       LoadError);
  CHECK_THROWS_WITH_AS(load_file(TC_SOURCE_DIR, testing::options()), doctest::Contains("directory"), LoadError);
}

TEST_CASE("truncated and corrupted files never crash the loader") {
  std::mt19937 rng(42);
  size_t attempts = 0;
  for (const auto& e : fs::directory_iterator(kValid)) {
    std::ifstream in(e.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (size_t cut = 0; cut < text.size(); cut += 5) {
      std::string part = text.substr(0, cut);
      std::string flipped = text;
      flipped[rng() % flipped.size()] = static_cast<char>(rng() % 256);
      flipped[rng() % flipped.size()] = "{}[]:-'\"\t&*!|>%@`#,\n"[rng() % 21];
      for (const std::string* t : {&part, &flipped}) {
        ++attempts;
        try {
          load_string(*t, "fuzz.yaml", testing::options());
        } catch (const LoadError& err) {
          for (const auto& d : err.diagnostics()) CHECK(!d.message.empty());
        }  // anything else escapes and fails the test
      }
    }
  }
  CHECK(attempts > 500);
}
