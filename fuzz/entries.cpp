#include "entries.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "scenario/answers.hpp"
#include "scenario/diagnostic.hpp"
#include "scenario/loader.hpp"
#include "scenario/vars.hpp"
#include "util/json.hpp"

namespace tc::fuzz {

namespace {

// A broken invariant is a crash on purpose, so libFuzzer keeps the input and the regression test fails loudly.
[[noreturn]] void violated(const std::string& what) {
  std::fprintf(stderr, "fuzz invariant violated: %s\n", what.c_str());
  std::abort();
}

// Masking must leave no trace of a secret the masker promises to hide (3+ characters; '*' is the mask itself).
void check_masked(const scenario::Vars& vars, const std::string& masked) {
  for (const auto& secret : vars.secret_values()) {
    if (secret.size() < 3 || secret.find('*') != std::string::npos) continue;
    if (masked.find(secret) != std::string::npos) violated("secret '" + secret + "' survives mask(): " + masked);
  }
}

// The fuzz build compiles lib/scenario only, not the plugins: these declarations stand in for the registry's, one
// per argument shape the loader handles (string, string or map, nested step with its own schedule, null = {},
// step id), so every branch of the argument checks is reached.
scenario::LoadOptions fuzz_options() {
  using K = scenario::ArgKind;
  using O = scenario::OutputType;
  scenario::LoadOptions o;
  o.steps = {
      {.name = "toolkit", .string_form = {.allowed = true}, .open_outputs = true},
      {.name = "sql",
       .string_form = {.allowed = true},
       .map_form = true,
       .fields = {{.name = "query", .kind = K::NonEmptyText, .required = true},
                  {.name = "connection", .kind = K::Connection},
                  {.name = "limit", .kind = K::Int, .min = 1, .max = 100}},
       .outputs = {{"value", O::Any, ""}, {"row", O::Map, ""}, {"count", O::Number, ""}, {"ok", O::Bool, ""}}},
      {.name = "wait",
       .map_form = true,
       .fields = {{.name = "until", .kind = K::Step, .required = true},
                  {.name = "timeout", .kind = K::Duration, .default_text = "5m"},
                  {.name = "every", .kind = K::Duration},
                  {.name = "on_timeout", .kind = K::Choice, .choices = {"fail", "record"}}},
       .outputs = {{"value", O::Any, ""}, {"last", O::Map, ""}, {"reached", O::Bool, ""}},
       .self_timed = true},
      {.name = "gtid_contiguous",
       .is_check = true,
       .map_form = true,
       .null_is_empty_map = true,
       .fields = {{.name = "allow_gaps", .kind = K::TextList},
                  {.name = "env", .kind = K::ScalarMap},
                  {.name = "key", .kind = K::KeyColumns},
                  {.name = "each", .kind = K::Bool}}},
      {.name = "stop", .string_form = {.allowed = true, .kind = K::StepId}, .open_outputs = true},
  };
  return o;
}

}  // namespace

std::string outcome_name(Outcome o) {
  switch (o) {
    case Outcome::accepted: return "accepted";
    case Outcome::load_error: return "load_error";
    case Outcome::undefined_variable: return "undefined_variable";
    case Outcome::invalid_argument: return "invalid_argument";
  }
  return "?";
}

Outcome loader(std::string_view bytes) {
  try {
    static const scenario::LoadOptions opts = fuzz_options();
    scenario::load_string(bytes, "fuzz.yaml", opts);
    return Outcome::accepted;
  } catch (const scenario::LoadError& e) {
    if (e.diagnostics().empty()) violated("LoadError without a diagnostic");
    return Outcome::load_error;
  }
}

Outcome interpolation(std::string_view bytes) {
  size_t split = bytes.find('\0');
  std::string_view defs = bytes.substr(0, split);
  std::string_view text = split == std::string_view::npos ? std::string_view() : bytes.substr(split + 1);
  scenario::Vars vars;
  while (!defs.empty()) {
    size_t nl = defs.find('\n');
    std::string_view line = defs.substr(0, nl);
    defs = nl == std::string_view::npos ? std::string_view() : defs.substr(nl + 1);
    bool secret = !line.empty() && line[0] == '!';
    if (secret) line.remove_prefix(1);
    size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    std::string value(line.substr(eq + 1));
    Json parsed = Json::parse(value, nullptr, /*allow_exceptions=*/false);
    vars.set(std::string(line.substr(0, eq)), parsed.is_discarded() ? Json(value) : parsed, secret);
  }
  // Masking holds on the raw text too (a scenario prints text that was never interpolated).
  check_masked(vars, vars.mask(text));
  try {
    scenario::references(text);
    std::string out = vars.interpolate(text);
    check_masked(vars, vars.mask(out));
    Json as_json = vars.interpolate(Json(std::string(text)));
    vars.mask(as_json);
    return Outcome::accepted;
  } catch (const scenario::UndefinedVariable&) {
    return Outcome::undefined_variable;
  } catch (const std::invalid_argument&) {
    return Outcome::invalid_argument;
  }
}

Outcome answers(std::string_view bytes) {
  try {
    scenario::load_answers_string(bytes, "answers.yaml");
    return Outcome::accepted;
  } catch (const scenario::LoadError& e) {
    if (e.diagnostics().empty()) violated("LoadError without a diagnostic");
    return Outcome::load_error;
  }
}

}  // namespace tc::fuzz
