#pragma once
// Probe connections that check a fault took effect: a refusal, a hang or a delay, as a client would see it.
#include <chrono>
#include <string>

#include "proxy/proxy.hpp"
#include "util/json.hpp"

namespace tc::toolkit {

/// What one probe connection saw.
struct ProbeResult {
  /// refused (connect failed), reset (RST after connect), closed (FIN), hang (connected, nothing within the wait),
  /// data (the server spoke first, e.g. the MySQL greeting).
  std::string outcome;
  double ms = 0;  // time until the outcome was known (for data: the first byte)
  std::string detail;
  Json to_json() const { return Json{{"outcome", outcome}, {"ms", ms}, {"detail", detail}}; }
};

/// Connects to `where` and waits up to `wait` for the first byte (servers like MySQL speak first).
ProbeResult probe(const Upstream& where, std::chrono::milliseconds wait);

}  // namespace tc::toolkit
