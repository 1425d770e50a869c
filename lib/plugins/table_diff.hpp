#pragma once
// The data_match engine: compares one table on two servers by chunked checksums, then bisects mismatching
// chunks down to rows and names the missing, extra, changed and duplicated keys.
#include <stop_token>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "plugins/step_type.hpp"
#include "util/json.hpp"

namespace tc::plugins::checks {

/// A comparison that can never be made as asked (no key, unknown key column): retrying will not help.
class DiffConfigError : public StepError {
 public:
  using StepError::StepError;
};

/// What to compare.
struct DiffOptions {
  std::string table;              // "t" or "db.t"
  std::vector<std::string> key;   // empty = the source's primary key (else the destination's)
  std::string where;              // SQL condition applied on both sides ("" = all rows)
  long long chunk_size = 10000;   // rows per checksummed chunk
  long long max_report = 10;      // keys listed per kind of difference
  long long leaf_rows = 500;      // ranges this small (on both sides) are compared row by row
  long long max_differences = 0;  // stop searching after this many differences (0 = max(1000, 100 * max_report))
};

/// The outcome of one comparison.
struct DiffReport {
  bool match = false;
  std::string table;                         // as resolved on the source: db.t
  std::vector<std::string> key;              // the key columns used
  std::vector<std::string> columns;          // the columns compared
  std::vector<std::string> missing_columns;  // source columns the destination lacks (a difference by itself)
  long long source_rows = 0, destination_rows = 0;
  // Differences found: rows of the source missing on the destination, destination rows unknown to the source,
  // keys whose row content differs, keys held more often on the destination than on the source.
  long long missing = 0, extra = 0, changed = 0, duplicated = 0;
  std::vector<Json> missing_keys, extra_keys, changed_keys, duplicated_keys;         // the first max_report of each
  std::vector<std::string> missing_text, extra_text, changed_text, duplicated_text;  // same keys, for messages
  bool complete = true;  // false when the search stopped at max_differences: counts are lower bounds
  std::string plan;      // "integer ranges" or "key walk"
  long long chunks = 0, mismatched_chunks = 0, queries = 0;
  long long elapsed_ms = 0;

  Json to_json() const;
  /// One line for the log: what matched, or each kind of difference with its first keys.
  std::string summary() const;
};

/// Compares `opts.table` on two open connections (each queried from its own thread). Throws StepError when
/// the comparison cannot be made (no such table, no key, a query fails, `stop` requested).
DiffReport diff_table(db::Connection& source, db::Connection& destination, const DiffOptions& opts,
                      std::stop_token stop = {});

}  // namespace tc::plugins::checks
