#include "util/duration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace tc {

std::optional<Millis> duration_value(const Json& v) {
  if (v.is_number()) {
    double ms = v.get<double>() * 1000.0;
    if (std::isfinite(ms) && ms >= 0 && ms <= 1e12) return Millis(static_cast<long long>(std::llround(ms)));
    return std::nullopt;
  }
  if (v.is_string()) return parse_duration(v.get<std::string>());
  return std::nullopt;
}

std::optional<Millis> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double total_ms = 0;
  size_t i = 0;
  bool any = false;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (i == start) return std::nullopt;
    std::string num(text.substr(start, i - start));
    if (std::count(num.begin(), num.end(), '.') > 1 || num.front() == '.' || num.back() == '.') return std::nullopt;
    double v = std::strtod(num.c_str(), nullptr);
    size_t ustart = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(ustart, i - ustart);
    double scale;
    if (unit == "ms")
      scale = 1;
    else if (unit == "s" || (unit.empty() && !any && i == text.size()))
      scale = 1000;
    else if (unit == "m" || unit == "min")
      scale = 60'000;
    else if (unit == "h")
      scale = 3'600'000;
    else
      return std::nullopt;
    total_ms += v * scale;
    any = true;
  }
  if (!std::isfinite(total_ms) || total_ms > 1e12) return std::nullopt;
  return Millis(static_cast<long long>(std::llround(total_ms)));
}

std::string format_seconds(Millis d) {
  return fmt::format("{:.3f}", static_cast<double>(d.count()) / 1000.0);
}

std::string format_duration(Millis d) {
  long long ms = d.count();
  if (ms < 1000) return fmt::format("{} ms", ms);
  if (ms < 60'000) return fmt::format("{:.3f} s", ms / 1000.0);
  return fmt::format("{} min {:.1f} s", ms / 60'000, (ms % 60'000) / 1000.0);
}

}  // namespace tc
