#include "plugins/binlog_point.hpp"

#include <regex>
#include <set>
#include <stdexcept>

#include "plugins/gtid_holes.hpp"
#include "util/text.hpp"

namespace tc::plugins::checks {

namespace {
// "mysql-bin.000012" -> ("mysql-bin", 12)
std::pair<std::string, std::uint64_t> split_file(const std::string& f) {
  auto dot = f.rfind('.');
  return {f.substr(0, dot), std::stoull(f.substr(dot + 1))};
}

std::uint64_t count(const toolkit::GtidSet::Intervals& iv) {
  std::uint64_t n = 0;
  for (const auto& [a, b] : iv) n += b - a + 1;
  return n;
}

bool covers(const toolkit::GtidSet::Intervals& big, std::uint64_t a, std::uint64_t b) {
  for (const auto& [x, y] : big)
    if (x <= a && b <= y) return true;
  return false;
}
}  // namespace

BinlogPoint BinlogPoint::parse(const std::string& text) {
  static const std::regex file_pos(R"(^\s*([^:\s]+\.[0-9]+):([0-9]{1,19})\s*$)");
  BinlogPoint p;
  std::smatch m;
  if (std::regex_match(text, m, file_pos)) {
    p.is_file_pos = true;
    p.file = m[1];
    p.pos = std::stoull(m[2]);
  } else {
    p.gtid = trim(text);
  }
  return p;
}

std::string BinlogPoint::str() const {
  return is_file_pos ? file + ":" + std::to_string(pos) : gtid;
}

Advance file_pos_advanced(const BinlogPoint& before, const BinlogPoint& after) {
  auto [bn, bi] = split_file(before.file);
  auto [an, ai] = split_file(after.file);
  if (bn != an)
    throw std::invalid_argument("binlog names differ ('" + before.file + "' then '" + after.file +
                                "'): not the same server, or its log was renamed");
  if (ai > bi) return {true, "now in a later binlog file (" + after.str() + " after " + before.str() + ")"};
  if (ai < bi) return {false, "binlog went back to an earlier file (" + after.str() + " before " + before.str() + ")"};
  if (after.pos > before.pos)
    return {true, "position moved " + std::to_string(after.pos - before.pos) + " bytes (" + before.str() + " -> " +
                      after.str() + ")"};
  if (after.pos == before.pos) return {false, "position unchanged at " + after.str()};
  return {false, "position went back (" + before.str() + " -> " + after.str() + ")"};
}

Advance gtid_advanced(const toolkit::GtidSet& before, const toolkit::GtidSet& after) {
  if (before.kind() != after.kind()) throw std::invalid_argument("GTID sets of different server kinds");
  std::set<std::string> keys;
  for (const auto& k : gtid_keys(before)) keys.insert(k);
  for (const auto& k : gtid_keys(after)) keys.insert(k);
  std::uint64_t gained = 0;
  for (const auto& k : keys) {
    if (before.kind() == toolkit::FlavourKind::MariaDB) {
      std::uint64_t b = before.last_seq(k), a = after.last_seq(k);
      if (a < b)
        return {false, "domain " + k + " went back from seq " + std::to_string(b) + " to " + std::to_string(a) + " (" +
                           before.str() + " -> " + after.str() + ")"};
      gained += a - b;
    } else {
      auto bi = before.intervals(k), ai = after.intervals(k);
      for (const auto& [x, y] : bi)
        if (!covers(ai, x, y))
          return {false, "transactions " + k + ":" + std::to_string(x) + "-" + std::to_string(y) +
                             " are no longer in the set (" + after.str() + ")"};
      gained += count(ai) - count(bi);
    }
  }
  if (gained == 0) return {false, "GTID position unchanged at '" + after.str() + "'"};
  return {true, std::to_string(gained) + " transaction(s) past '" + before.str() + "' (now '" + after.str() + "')"};
}

}  // namespace tc::plugins::checks
