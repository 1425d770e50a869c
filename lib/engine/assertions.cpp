#include "engine/assertions.hpp"

#include <cmath>
#include <regex>

#include "util/text.hpp"

namespace tc::engine {

namespace {
// Numbers compare as numbers even when one side is text ("42" vs 42): outputs of SQL and commands are often text.
std::optional<double> as_number(const Json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
  if (v.is_string()) {
    std::string s = trim(v.get<std::string>());
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end && *end == '\0' && std::isfinite(d)) return d;
  }
  return std::nullopt;
}

bool equal(const Json& a, const Json& b) {
  auto na = as_number(a), nb = as_number(b);
  if (na && nb) return *na == *nb;
  if (a.is_string() || b.is_string()) return scenario::to_text(a) == scenario::to_text(b);
  return a == b;
}

std::string show(const Json& v) {
  return v.is_string() ? "'" + v.get<std::string>() + "'" : v.dump();
}
}  // namespace

const std::vector<std::string>& assertion_ops() {
  static const std::vector<std::string> ops = {"equals",       "not_equals", "less_than", "greater_than",
                                               "at_most",      "at_least",   "between",   "contains",
                                               "not_contains", "matches",    "in"};
  return ops;
}

namespace {
// Walks a dotted path; nullptr when a part is missing.
const Json* find_path(const Json& output, const std::string& path) {
  if (path.empty() || path == "value")
    return output.is_object() && output.contains("value") ? &output["value"] : &output;
  if (path == "elapsed" && output.is_object() && !output.contains("elapsed") && output.contains("elapsed_ms"))
    return &output["elapsed_ms"];  // the universal path every step has (the engine records elapsed_ms)
  const Json* cur = &output;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t dot = path.find('.', pos);
    std::string key = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    if (cur->is_object() && cur->contains(key)) {
      cur = &(*cur)[key];
    } else if (cur->is_array() && all_digits(key) && key.size() < 10 && std::stoul(key) < cur->size()) {
      cur = &(*cur)[std::stoul(key)];
    } else {
      return nullptr;
    }
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  return cur;
}
}  // namespace

Json output_at(const Json& output, const std::string& path) {
  const Json* v = find_path(output, path);
  return v ? *v : Json(nullptr);
}

bool has_output(const Json& output, const std::string& path) {
  return find_path(output, path) != nullptr;
}

std::string missing_output(const Json& output, const std::string& path) {
  // Name the deepest part that exists, and what it holds, so the fix is obvious.
  std::string parent = path.rfind('.') == std::string::npos ? "" : path.substr(0, path.rfind('.'));
  const Json* at = parent.empty() ? &output : find_path(output, parent);
  while (!at && !parent.empty()) {
    parent = parent.rfind('.') == std::string::npos ? "" : parent.substr(0, parent.rfind('.'));
    at = parent.empty() ? &output : find_path(output, parent);
  }
  std::vector<std::string> keys;
  if (at && at->is_object())
    for (const auto& [k, v] : at->items()) keys.push_back(parent.empty() ? k : parent + "." + k);
  std::string hint = closest(path, keys);
  if (hint.empty()) {
    // "position" -> "binlog_position": a key that ends with or starts with the asked name.
    std::string last = path.substr(path.rfind('.') == std::string::npos ? 0 : path.rfind('.') + 1);
    for (const auto& k : keys)
      if (hint.empty() && last.size() >= 3 && k.find(last) != std::string::npos) hint = k;
  }
  std::string gave =
      (hint.empty() ? "" : ": did you mean '" + hint + "'?") + (keys.empty() ? "" : " (it gave: " + join(keys) + ")");
  if (at && at->is_array())
    gave = " (" + (parent.empty() ? std::string("it") : parent) + " is a list of " + std::to_string(at->size()) + ")";
  return "the step has no output '" + path + "'" + gave;
}

namespace {
bool compare(const scenario::Assertion& a, const Json& actual, const scenario::Vars& vars, std::string& why) {
  Json want = vars.interpolate(a.operand);
  std::string label = a.path.empty() ? "value" : a.path;
  auto fail = [&](const std::string& expectation) {
    why = label + ": expected " + expectation + ", got " + show(actual);
    return false;
  };
  const std::string& op = a.op;
  if (op == "equals") return equal(actual, want) || fail(show(want));
  if (op == "not_equals") return !equal(actual, want) || fail("anything but " + show(want));
  if (op == "in") {
    for (const auto& w : want)
      if (equal(actual, w)) return true;
    return fail("one of " + want.dump());
  }
  if (op == "contains" || op == "not_contains") {
    bool found = false;
    if (actual.is_array()) {
      for (const auto& x : actual) found = found || equal(x, want);
    } else {
      found = scenario::to_text(actual).find(scenario::to_text(want)) != std::string::npos;
    }
    if (op == "contains") return found || fail("something containing " + show(want));
    return !found || fail("nothing containing " + show(want));
  }
  if (op == "matches") {
    try {
      std::regex re(scenario::to_text(want), std::regex::ECMAScript);
      return std::regex_search(scenario::to_text(actual), re) || fail("a match for /" + scenario::to_text(want) + "/");
    } catch (const std::regex_error& e) {
      why = label + ": invalid regular expression /" + scenario::to_text(want) + "/: " + e.what();
      return false;
    }
  }
  auto n = as_number(actual);
  if (op == "between") {
    auto lo = want.is_array() && want.size() == 2 ? as_number(want[0]) : std::nullopt;
    auto hi = want.is_array() && want.size() == 2 ? as_number(want[1]) : std::nullopt;
    if (!lo || !hi) {
      why = label + ": 'between' needs [low, high] numbers, got " + want.dump();
      return false;
    }
    return (n && *n >= *lo && *n <= *hi) || fail("between " + want[0].dump() + " and " + want[1].dump());
  }
  auto w = as_number(want);
  if (!w) {
    why = label + ": '" + op + "' needs a number, got " + show(want);
    return false;
  }
  if (op == "less_than") return (n && *n < *w) || fail("less than " + want.dump());
  if (op == "greater_than") return (n && *n > *w) || fail("greater than " + want.dump());
  if (op == "at_most") return (n && *n <= *w) || fail("at most " + want.dump());
  if (op == "at_least") return (n && *n >= *w) || fail("at least " + want.dump());
  why = "unknown assertion '" + op + "'";
  return false;
}
}  // namespace

bool holds(const scenario::Assertion& a, const Json& output, const scenario::Vars& vars, std::string& why) {
  Json actual;
  std::string took_default;
  if (has_output(output, a.path)) {
    actual = output_at(output, a.path);
  } else if (a.fallback) {
    // Said so in the result either way: a verdict must not silently rest on a value the step never gave.
    actual = *a.fallback;
    took_default = " (the default: " + missing_output(output, a.path) + ")";
  } else {
    why = missing_output(output, a.path);  // never compare against a value that does not exist
    return false;
  }
  bool ok = compare(a, actual, vars, why);
  if (!ok) why += took_default;
  if (ok && !took_default.empty())
    why = "expect " + (a.path.empty() ? std::string("value") : a.path) + ": took " + show(actual) + took_default;
  return ok;
}

}  // namespace tc::engine
