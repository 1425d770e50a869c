// Rendering of a table comparison: the check's output JSON and its one-line message.
#include <fmt/format.h>

#include "plugins/check_args.hpp"
#include "plugins/table_diff.hpp"

namespace tc::plugins::checks {

namespace {
std::string listing(long long count, const char* what, const std::vector<std::string>& keys, const std::string& key) {
  std::string s = fmt::format("{} {}", count, what);
  if (keys.empty()) return s;
  s += " (" + key + " " + join(keys, ", ");
  if (count > static_cast<long long>(keys.size())) s += ", ...";
  return s + ")";
}
}  // namespace

Json DiffReport::to_json() const {
  return {{"value", match},
          {"table", table},
          {"source_rows", source_rows},
          {"destination_rows", destination_rows},
          {"difference", destination_rows - source_rows},
          {"missing", missing},
          {"extra", extra},
          {"changed", changed},
          {"duplicated", duplicated},
          {"missing_keys", missing_keys},
          {"extra_keys", extra_keys},
          {"changed_keys", changed_keys},
          {"duplicated_keys", duplicated_keys},
          {"missing_columns", missing_columns},
          {"complete", complete},
          {"key", key},
          {"columns", columns.size()},
          {"plan", plan},
          {"chunks", chunks},
          {"mismatched_chunks", mismatched_chunks},
          {"queries", queries},
          {"elapsed_ms", elapsed_ms}};
}

std::string DiffReport::summary() const {
  if (match)
    return fmt::format("{}: all {} rows match ({} columns, {} chunks)", table, source_rows, columns.size(), chunks);
  std::string k = join(key, ",");
  std::vector<std::string> parts;
  if (!missing_columns.empty()) parts.push_back("destination lacks column(s) " + join(missing_columns, ", "));
  if (missing) parts.push_back(listing(missing, "missing", missing_text, k));
  if (extra) parts.push_back(listing(extra, "extra", extra_text, k));
  if (changed) parts.push_back(listing(changed, "changed", changed_text, k));
  if (duplicated) parts.push_back(listing(duplicated, "duplicated", duplicated_text, k));
  if (parts.empty()) parts.push_back("checksums differ");
  return fmt::format("{}: {}{}; source {} rows, destination {} rows", table, complete ? "" : "at least ",
                     join(parts, ", "), source_rows, destination_rows);
}

}  // namespace tc::plugins::checks
