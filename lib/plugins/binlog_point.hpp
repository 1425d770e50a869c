#pragma once
// A binlog position captured by a scenario ("mysql-bin.000003:1234" or a GTID set) and whether another is past it.
#include <cstdint>
#include <string>

#include "sandbox/flavour.hpp"

namespace tc::plugins::checks {

/// A "file:pos" coordinate or a GTID set in the server's own text.
struct BinlogPoint {
  bool is_file_pos = false;
  std::string file;
  std::uint64_t pos = 0;
  std::string gtid;  // the text, when !is_file_pos ("" = the empty set)
  /// "name.000012:345" is a coordinate; anything else is taken as GTID text (checked when compared).
  static BinlogPoint parse(const std::string& text);
  std::string str() const;
};

/// The answer and, in words, why.
struct Advance {
  bool advanced = false;
  std::string why;
};

/// Coordinates: a later file of the same base name, or the same file at a larger offset.
/// Throws std::invalid_argument when the base names differ (different servers or log names).
Advance file_pos_advanced(const BinlogPoint& before, const BinlogPoint& after);
/// GTID sets: `after` holds everything `before` holds and more (per domain / per source).
Advance gtid_advanced(const toolkit::GtidSet& before, const toolkit::GtidSet& after);

}  // namespace tc::plugins::checks
