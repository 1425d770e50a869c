// no_duplicates: no key value appears more than once in a table (by default on the destination).
#include <fmt/format.h>

#include <map>

#include "plugins/check_args.hpp"
#include "plugins/key_range.hpp"
#include "plugins/step_type.hpp"
#include "plugins/table_meta.hpp"
#include "plugins/tester_check.hpp"
#include "scenario/vars.hpp"

namespace tc::plugins {
namespace {

using namespace checks;

constexpr size_t kListed = 10;    // keys named in the message
constexpr int kCompared = 10000;  // duplicated keys compared with the source one by one

class NoDuplicates : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    using K = scenario::ArgKind;
    using O = scenario::OutputType;
    static const scenario::StepDecl d = [] {
      scenario::StepDecl d{
          .name = "no_duplicates",
          .summary = "No key is held more often on the destination than on the source (at-least-once replays)",
          .is_check = true,
          .map_form = true,
          .fields = {{.name = "table", .kind = K::NonEmptyText, .required = true, .doc = "the table"},
                     {.name = "key",
                      .kind = K::KeyColumns,
                      .doc = "the key columns",
                      .default_text = "the source's primary key"},
                     {.name = "connection",
                      .kind = K::Connection,
                      .doc = "where to look for duplicates",
                      .default_text = "destination"}},
          .outputs = {{"value", O::Bool, "true when the pipeline duplicated nothing"},
                      {"duplicates", O::Number, "keys the pipeline duplicated"},
                      {"surplus_rows", O::Number, "rows beyond one per key that the pipeline added"},
                      {"duplicate_keys", O::List, "the first duplicated keys with their counts"},
                      {"source_duplicates", O::Number, "keys the source itself holds more than once"},
                      {"source_duplicate_keys", O::List, "the first of those"},
                      {"key", O::List, "the key columns used"},
                      {"key_from", O::Text, "where the key came from"},
                      {"connection", O::Text, "the connection checked"}},
      };
      for (auto& o : tester_outputs()) d.outputs.push_back(o);
      return d;
    }();
    return d;
  }
  std::string describe(const Json& args) const override {
    std::string key = args.is_object() && args.contains("key") ? " by " + args["key"].dump() : "";
    return "no_duplicates in " + arg_string(args, "table", "?") + key + " on " +
           arg_string(args, "connection", "destination");
  }
  // A destination tc-run cannot read: the tester runs the duplicate query there (the key is the source's).
  static Outcome ask_tester(StepContext& ctx, const TableName& table) {
    std::vector<std::string> key = arg_key_list(ctx.args, "key");
    if (key.empty()) {
      auto src = open_named(ctx.services, "source");
      key = read_table(*src, table, "source").primary_key;
    }
    std::string cols = key.empty() ? std::string("<key columns>") : join(key, ", ");
    return ask_tester_instead(
        ctx,
        fmt::format("Duplicates: in {}'s destination, run SELECT {}, COUNT(*) FROM {} GROUP BY {} HAVING COUNT(*) > 1. "
                    "Answer PASS when it returns no rows, or FAIL with what it returned.",
                    tool_name(ctx), cols, table.text(), cols),
        {{"key", key}});
  }

  Outcome run(StepContext& ctx) const override {
    TableName table = TableName::parse(arg_string(ctx.args, "table"));
    std::string conn_name = arg_string(ctx.args, "connection", "destination");
    std::unique_ptr<db::Connection> conn;
    try {
      conn = open_named(ctx.services, conn_name);
    } catch (const MissingConnection&) {
      return ask_tester(ctx, table);
    }
    std::stop_callback cancel(ctx.stop, [&] {
      try {
        conn->kill_query();
      } catch (...) {
      }
    });
    TableInfo info = read_table(*conn, table, conn_name);
    std::vector<std::string> key = arg_key_list(ctx.args, "key");
    std::string key_from = "given";
    if (key.empty()) {
      key = info.primary_key;
      key_from = "primary key";
    }
    if (key.empty() && conn_name != "source") {
      // A destination written by an ETL tool often has no primary key: use the source's.
      try {
        auto src = db::Connection::open(ctx.services.connection("source"));
        key = read_table(*src, table, "source").primary_key;
        key_from = "source primary key";
      } catch (const std::exception&) {
      }
    }
    if (key.empty())
      throw StepError("table " + info.name.text() + " has no primary key on " + conn_name +
                      " (nor on the source): name the key columns with 'key'");
    std::vector<ColumnInfo> cols;
    for (const auto& k : key) {
      const ColumnInfo* c = info.column(k);
      if (!c) throw StepError("key column '" + k + "' is not a column of " + info.name.text() + " on " + conn_name);
      cols.push_back(*c);
    }
    KeySql keys(cols);
    // Rows with a NULL in the key are not duplicates of each other (as a UNIQUE index treats them).
    std::vector<std::string> not_null;
    for (const auto& c : cols) not_null.push_back(db::quote_ident(c.name) + " IS NOT NULL");
    std::string groups = "SELECT " + keys.select_list() + ", COUNT(*) AS n FROM " + info.name.sql() + " WHERE " +
                         join(not_null, " AND ") + " GROUP BY " + keys.order_by() + " HAVING COUNT(*) > 1";
    Json totals, listed;
    try {
      totals = conn->query("SELECT COUNT(*) AS keys_, COALESCE(SUM(n), 0) AS rows_ FROM (" + groups + ") d").rows.at(0);
      listed =
          conn->query(groups + " ORDER BY n DESC, " + keys.order_by() + " LIMIT " + std::to_string(kCompared)).rows;
    } catch (const db::Error& e) {
      if (ctx.stop.stop_requested()) throw StepError("duplicate search cancelled");
      throw StepError("duplicate search on " + conn_name + " failed: " + e.what());
    }
    long long dup_keys = std::stoll(scenario::to_text(totals["keys_"]));
    long long dup_rows = std::stoll(scenario::to_text(totals["rows_"]));
    // Duplicates the source itself holds are not the pipeline's doing: a key counts against the pipeline only when
    // the destination has it more often than the source (compared key by key for the first kCompared keys).
    std::map<std::string, long long> on_source;
    bool compared = false;
    if (conn_name != "source" && dup_keys > 0) {
      try {
        auto src = open_named(ctx.services, "source");
        TableInfo sinfo = read_table(*src, table, "source");
        std::string sgroups = "SELECT " + keys.select_list() + ", COUNT(*) AS n FROM " + sinfo.name.sql() + " WHERE " +
                              join(not_null, " AND ") + " GROUP BY " + keys.order_by() + " HAVING COUNT(*) > 1 LIMIT " +
                              std::to_string(kCompared);
        for (const auto& row : src->query(sgroups).rows)
          on_source[keys.text(keys.from_row(row))] = std::stoll(scenario::to_text(row["n"]));
        compared = dup_keys <= kCompared;
      } catch (const std::exception&) {
        // No source to compare with (a DSN-less run): every duplicate counts.
      }
    }
    Json list = Json::array(), source_list = Json::array();
    std::vector<std::string> texts, source_texts;
    long long pipeline_keys = 0, pipeline_surplus = 0;
    for (const auto& row : listed) {
      KeyValue k = keys.from_row(row);
      long long n = std::stoll(scenario::to_text(row["n"]));
      auto it = on_source.find(keys.text(k));
      long long src_n = it == on_source.end() ? 1 : it->second;
      std::string text = keys.text(k) + " x" + std::to_string(n);
      if (n > src_n) {
        ++pipeline_keys;
        pipeline_surplus += n - src_n;
        list.push_back({{"key", keys.display(k)}, {"count", n}, {"source_count", src_n}});
        if (texts.size() < kListed)
          texts.push_back(text + (src_n > 1 ? " (source x" + std::to_string(src_n) + ")" : ""));
      } else {
        source_list.push_back({{"key", keys.display(k)}, {"count", n}, {"source_count", src_n}});
        if (source_texts.size() < kListed) source_texts.push_back(text);
      }
    }
    if (!compared) {
      // Too many to compare one by one (or no source): the totals stand, minus what was seen on the source.
      pipeline_keys = dup_keys - static_cast<long long>(source_list.size());
      pipeline_surplus = dup_rows - dup_keys;
      for (const auto& e : source_list) pipeline_surplus -= e["count"].get<long long>() - 1;
    }
    Outcome o;
    o.output = {{"value", pipeline_keys == 0},
                {"duplicates", pipeline_keys},
                {"surplus_rows", pipeline_surplus},
                {"duplicate_keys", list},
                {"source_duplicates", static_cast<long long>(source_list.size())},
                {"source_duplicate_keys", source_list},
                {"key", key},
                {"key_from", key_from},
                {"connection", conn_name}};
    std::string by = join(key, ",");
    std::string on_src =
        source_list.empty()
            ? ""
            : fmt::format("; {} duplicated value(s) are on the source too, not counted: {}{}", source_list.size(),
                          join(source_texts, ", "), source_list.size() > kListed ? ", ..." : "");
    if (pipeline_keys == 0) {
      o.message = fmt::format("{} on {}: no duplicate {} ({}){}", info.name.text(), conn_name, by, key_from, on_src);
    } else {
      o.status = report::Status::Failed;
      o.message = fmt::format("{} on {}: {} duplicated {} value(s), {} surplus row(s): {}{}{}", info.name.text(),
                              conn_name, pipeline_keys, by, pipeline_surplus, join(texts, ", "),
                              pipeline_keys > static_cast<long long>(kListed) ? ", ..." : "", on_src);
    }
    return o;
  }
};

}  // namespace
std::unique_ptr<StepType> make_no_duplicates() {
  return std::make_unique<NoDuplicates>();
}
}  // namespace tc::plugins
