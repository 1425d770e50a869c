#include "plugins/check_args.hpp"

#include <stdexcept>

#include "scenario/vars.hpp"
#include "util/text.hpp"

namespace tc::plugins::checks {

bool is_reference(const Json& v) {
  return v.is_string() && v.get<std::string>().find("${") != std::string::npos;
}

std::string arg_string(const Json& args, const std::string& key, const std::string& fallback) {
  if (!args.is_object() || !args.contains(key) || args[key].is_null()) return fallback;
  return scenario::to_text(args[key]);
}

std::vector<std::string> arg_key_list(const Json& args, const std::string& key) {
  std::vector<std::string> out;
  if (!args.is_object() || !args.contains(key) || args[key].is_null()) return out;
  const Json& v = args[key];
  auto add = [&](const std::string& text) {
    size_t p = 0;
    while (p <= text.size()) {
      size_t q = text.find(',', p);
      std::string part = trim(text.substr(p, q == std::string::npos ? std::string::npos : q - p));
      if (!part.empty()) out.push_back(part);
      if (q == std::string::npos) break;
      p = q + 1;
    }
  };
  if (v.is_array()) {
    for (const auto& e : v) add(scenario::to_text(e));
  } else {
    add(scenario::to_text(v));
  }
  if (out.empty()) throw StepError("'" + key + "' names no column");
  return out;
}

long long arg_positive_int(const Json& args, const std::string& key, long long fallback) {
  if (!args.is_object() || !args.contains(key) || args[key].is_null()) return fallback;
  const Json& v = args[key];
  long long n = 0;
  if (v.is_number_integer()) {
    n = v.get<long long>();
  } else if (v.is_string()) {
    std::string s = trim(v.get<std::string>());
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 18)
      throw StepError("'" + key + "' must be a positive integer, got '" + s + "'");
    n = std::stoll(s);
  } else {
    throw StepError("'" + key + "' must be a positive integer, got " + v.dump());
  }
  if (n <= 0) throw StepError("'" + key + "' must be a positive integer, got " + std::to_string(n));
  return n;
}

Millis arg_duration(const Json& args, const std::string& key, Millis fallback, bool zero_ok) {
  if (!args.is_object() || !args.contains(key) || args[key].is_null()) return fallback;
  auto d = duration_value(args[key]);
  if (!d || (d->count() == 0 && !zero_ok))
    throw StepError("'" + key + "' must be a " + (zero_ok ? "" : "positive ") +
                    "duration such as 500ms, 30s, 2m; got '" + scenario::to_text(args[key]) + "'");
  return *d;
}

std::vector<std::string> arg_string_list(const Json& args, const std::string& key) {
  std::vector<std::string> out;
  if (!args.is_object() || !args.contains(key) || args[key].is_null()) return out;
  const Json& v = args[key];
  if (v.is_array()) {
    for (const auto& e : v) out.push_back(scenario::to_text(e));
  } else {
    out.push_back(scenario::to_text(v));
  }
  return out;
}

std::unique_ptr<db::Connection> open_named(Services& services, const std::string& name) {
  db::Dsn dsn = services.connection(name);
  try {
    return db::Connection::open(dsn);
  } catch (const db::Error& e) {
    throw StepError("cannot connect to '" + name + "': " + e.what());
  }
}

}  // namespace tc::plugins::checks
