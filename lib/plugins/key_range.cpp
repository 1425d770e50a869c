#include "plugins/key_range.hpp"

#include "plugins/check_args.hpp"
#include "scenario/vars.hpp"

namespace tc::plugins::checks {

KeySql::KeySql(std::vector<ColumnInfo> columns) : columns_(std::move(columns)) {}

std::string KeySql::select_list() const {
  std::string s;
  for (size_t i = 0; i < columns_.size(); ++i) {
    std::string c = db::quote_ident(columns_[i].name);
    s += (i ? ", " : "") + (columns_[i].is_binary() ? "HEX(" + c + ")" : c) + " AS k" + std::to_string(i);
  }
  return s;
}

std::string KeySql::order_by() const {
  std::vector<std::string> parts;
  for (const auto& c : columns_) parts.push_back(db::quote_ident(c.name));
  return join(parts, ", ");
}

std::string KeySql::literal(db::Connection& conn, size_t i, const Json& v) const {
  // Binary keys travel as hex text; X'..' compares them byte-wise as the server orders them.
  if (columns_[i].is_binary() && v.is_string()) return "X'" + v.get<std::string>() + "'";
  return sql_literal(conn, v);
}

// Lexicographic bound over the key columns: (a, b) > (x, y) is a > x OR (a = x AND b > y). The leading
// `a >= x` lets the range optimizer use the index on the first column.
std::string KeySql::bound(db::Connection& conn, const KeyValue& v, bool lower) const {
  size_t n = columns_.size();
  std::vector<std::string> col, lit;
  for (size_t i = 0; i < n; ++i) {
    col.push_back(db::quote_ident(columns_[i].name));
    lit.push_back(literal(conn, i, v.at(i)));
  }
  if (n == 1) return col[0] + (lower ? " > " : " <= ") + lit[0];
  std::vector<std::string> alts;
  for (size_t i = 0; i < n; ++i) {
    std::string prefix;
    for (size_t j = 0; j < i; ++j) prefix += col[j] + " = " + lit[j] + " AND ";
    if (lower) {
      alts.push_back("(" + prefix + col[i] + " > " + lit[i] + ")");
    } else if (i + 1 < n) {
      alts.push_back("(" + prefix + col[i] + " < " + lit[i] + ")");
    } else {
      alts.push_back("(" + prefix + col[i] + " <= " + lit[i] + ")");
    }
  }
  return "(" + col[0] + (lower ? " >= " : " <= ") + lit[0] + " AND (" + join(alts, " OR ") + "))";
}

std::string KeySql::condition(db::Connection& conn, const KeyRange& r) const {
  std::vector<std::string> parts;
  if (r.after) parts.push_back(bound(conn, *r.after, true));
  if (r.upto) parts.push_back(bound(conn, *r.upto, false));
  return parts.empty() ? "1" : join(parts, " AND ");
}

KeyValue KeySql::from_row(const Json& row) const {
  KeyValue k;
  for (size_t i = 0; i < columns_.size(); ++i) k.push_back(row.at("k" + std::to_string(i)));
  return k;
}

Json KeySql::display(const KeyValue& k) const {
  Json out = Json::array();
  for (size_t i = 0; i < k.size(); ++i) {
    if (columns_[i].is_binary() && k[i].is_string())
      out.push_back("0x" + k[i].get<std::string>());
    else
      out.push_back(k[i]);
  }
  return out.size() == 1 ? out[0] : out;
}

std::string KeySql::text(const KeyValue& k) const {
  Json d = display(k);
  if (!d.is_array()) return scenario::to_text(d);
  std::vector<std::string> parts;
  for (const auto& v : d) parts.push_back(v.is_string() ? "'" + v.get<std::string>() + "'" : scenario::to_text(v));
  return "(" + join(parts, ", ") + ")";
}

}  // namespace tc::plugins::checks
