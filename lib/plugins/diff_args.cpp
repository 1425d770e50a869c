#include "plugins/diff_args.hpp"

#include "plugins/check_args.hpp"
#include "plugins/tester_check.hpp"

namespace tc::plugins::checks {

std::vector<scenario::ArgField> diff_arg_fields() {
  using K = scenario::ArgKind;
  return {{.name = "table", .kind = K::NonEmptyText, .required = true, .doc = "the table (db.table or table)"},
          {.name = "key", .kind = K::KeyColumns, .doc = "the key columns", .default_text = "the primary key"},
          {.name = "where", .kind = K::Text, .doc = "an SQL condition limiting the rows compared"},
          {.name = "chunk_size", .kind = K::Int, .doc = "rows per checksum chunk", .min = 1, .default_text = "10000"},
          {.name = "max_report", .kind = K::Int, .doc = "differing keys listed per kind", .default_text = "10"},
          {.name = "source", .kind = K::Connection, .doc = "the source side", .default_text = "source"},
          {.name = "destination", .kind = K::Connection, .doc = "the destination side", .default_text = "destination"}};
}

std::vector<scenario::OutputDecl> diff_outputs() {
  using O = scenario::OutputType;
  std::vector<scenario::OutputDecl> out = {{"value", O::Bool, "true when both sides hold the same rows"},
                                           {"table", O::Text, "the table compared"},
                                           {"source_rows", O::Number, "rows on the source"},
                                           {"destination_rows", O::Number, "rows on the destination"},
                                           {"difference", O::Number, "destination rows minus source rows"},
                                           {"missing", O::Number, "keys on the source only"},
                                           {"extra", O::Number, "keys on the destination only"},
                                           {"changed", O::Number, "keys whose row differs"},
                                           {"duplicated", O::Number, "keys held more than once on the destination"},
                                           {"missing_keys", O::List, "the first missing keys"},
                                           {"extra_keys", O::List, "the first extra keys"},
                                           {"changed_keys", O::List, "the first changed keys"},
                                           {"duplicated_keys", O::List, "the first duplicated keys"},
                                           {"missing_columns", O::List, "source columns the destination lacks"},
                                           {"complete", O::Bool, "whether every chunk was compared"},
                                           {"key", O::List, "the key columns used"},
                                           {"columns", O::Number, "columns compared"},
                                           {"plan", O::Text, "how the comparison was made"},
                                           {"chunks", O::Number, "chunks compared"},
                                           {"mismatched_chunks", O::Number, "chunks whose checksums differed"},
                                           {"queries", O::Number, "queries run"},
                                           {"elapsed_ms", O::Millis, "how long the comparison took"}};
  for (auto& o : tester_outputs()) out.push_back(o);
  return out;
}

DiffOptions diff_options(const Json& args) {
  DiffOptions o;
  o.table = arg_string(args, "table");
  o.key = arg_key_list(args, "key");
  o.where = arg_string(args, "where");
  o.chunk_size = arg_positive_int(args, "chunk_size", 10000);
  if (args.is_object() && args.contains("max_report") && args["max_report"] == Json(0)) {
    o.max_report = 0;
  } else {
    o.max_report = arg_positive_int(args, "max_report", 10);
  }
  return o;
}

std::string describe_diff(const std::string& type, const Json& args) {
  std::string s = type + " " + arg_string(args, "table", "?");
  if (args.is_object() && args.contains("key")) s += " by " + arg_string(args, "key");
  std::string where = arg_string(args, "where");
  if (!where.empty()) s += " where " + where;
  return s;
}

}  // namespace tc::plugins::checks
