#pragma once
// Key ranges for chunked table comparison: SQL conditions for `after < key <= upto` over one or more columns.
#include <optional>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "plugins/table_meta.hpp"
#include "util/json.hpp"

namespace tc::plugins::checks {

/// The values of the key columns of one row, as selected by KeySql (binary columns as hex text).
using KeyValue = std::vector<Json>;

/// A range of keys, `after < key <= upto`; an absent bound is unbounded on that side.
struct KeyRange {
  std::optional<KeyValue> after, upto;
};

/// The SQL that selects, orders, bounds and displays key values of one key (one or more columns).
class KeySql {
 public:
  explicit KeySql(std::vector<ColumnInfo> columns);
  size_t size() const { return columns_.size(); }
  const std::vector<ColumnInfo>& columns() const { return columns_; }
  /// `id` AS k0, HEX(`blob_key`) AS k1 ...
  std::string select_list() const;
  /// `a`, `b`
  std::string order_by() const;
  /// A boolean SQL condition for the range ("1" when unbounded on both sides).
  std::string condition(db::Connection& conn, const KeyRange& r) const;
  /// The key of a row selected with select_list().
  KeyValue from_row(const Json& row) const;
  /// For reports: the bare value for a one-column key, an array otherwise; binary values as "0x..".
  Json display(const KeyValue& k) const;
  /// For messages: "5", "(1, 'x')".
  std::string text(const KeyValue& k) const;

 private:
  std::string literal(db::Connection& conn, size_t i, const Json& v) const;
  std::string bound(db::Connection& conn, const KeyValue& v, bool lower) const;
  std::vector<ColumnInfo> columns_;
};

}  // namespace tc::plugins::checks
