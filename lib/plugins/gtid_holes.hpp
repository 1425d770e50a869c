#pragma once
// Holes in applied GTID sequences, per MariaDB domain or MySQL source, and the gaps a scenario allows.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sandbox/flavour.hpp"

namespace tc::plugins::checks {

/// A run of sequence numbers of one domain (MariaDB, key "0") or one source (MySQL, key = uuid[:tag]).
struct SeqRun {
  std::string key;
  std::uint64_t first = 0, last = 0;
  bool operator==(const SeqRun&) const = default;
  /// "0:43-45" (MariaDB domain 0) or "uuid:43-45"; a single number as "0:43".
  std::string str() const;
};

/// The domains (MariaDB) or sources (MySQL) a GTID set names.
std::vector<std::string> gtid_keys(const toolkit::GtidSet& g);

/// Numbers missing from each key's seen sequence numbers, from floors[key] + 1 (when a floor is known: the
/// last number logged before the first event looked at) or from the first seen number.
std::vector<SeqRun> holes_in(const std::map<std::string, std::vector<std::uint64_t>>& seen,
                             const std::map<std::string, std::uint64_t>& floors);

/// MySQL: numbers missing from gtid_executed, counting from 1 for each source.
std::vector<SeqRun> mysql_holes(const toolkit::GtidSet& executed);

/// Parses allow_gaps entries. MariaDB: "D:N", "D:A-B" or a GTID "D-S-N" (the server id is ignored: a hole
/// has none). MySQL: "uuid:N", "uuid:A-B[:C-D...]". Throws std::invalid_argument naming the bad entry.
std::vector<SeqRun> parse_allowed(toolkit::FlavourKind kind, const std::vector<std::string>& entries);

/// Splits holes into the parts no allowed run covers (`unexplained`) and the parts that are allowed.
struct HoleVerdict {
  std::vector<SeqRun> unexplained, allowed;
};
HoleVerdict judge_holes(const std::vector<SeqRun>& holes, const std::vector<SeqRun>& allowed);

}  // namespace tc::plugins::checks
