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
    scenario::load_string(bytes, "fuzz.yaml", scenario::LoadOptions{});
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
