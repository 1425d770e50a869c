// rows_match: the row count of a table (optionally filtered) is the same on source and destination.
#include <fmt/format.h>

#include <future>

#include "plugins/check_args.hpp"
#include "plugins/step_type.hpp"
#include "plugins/table_meta.hpp"
#include "plugins/tester_check.hpp"

namespace tc::plugins {
namespace {

using namespace checks;

class RowsMatch : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    using K = scenario::ArgKind;
    using O = scenario::OutputType;
    static const scenario::StepDecl d = [] {
      scenario::StepDecl d{
          .name = "rows_match",
          .summary = "Row counts of a table on source and destination, read at the same moment, are equal",
          .is_check = true,
          .map_form = true,
          .fields = {{.name = "table", .kind = K::NonEmptyText, .required = true, .doc = "the table"},
                     {.name = "where", .kind = K::Text, .doc = "an SQL condition limiting the rows counted"},
                     {.name = "source", .kind = K::Connection, .doc = "the source side", .default_text = "source"},
                     {.name = "destination",
                      .kind = K::Connection,
                      .doc = "the destination side",
                      .default_text = "destination"}},
          .outputs = {{"value", O::Bool, "true when the counts are equal"},
                      {"source_rows", O::Number, "rows on the source"},
                      {"destination_rows", O::Number, "rows on the destination"},
                      {"difference", O::Number, "destination rows minus source rows"}},
      };
      for (auto& o : tester_outputs()) d.outputs.push_back(o);
      return d;
    }();
    return d;
  }
  std::string describe(const Json& args) const override {
    std::string where = arg_string(args, "where");
    return "rows_match " + arg_string(args, "table", "?") + (where.empty() ? "" : " where " + where);
  }
  Outcome run(StepContext& ctx) const override {
    TableName table = TableName::parse(arg_string(ctx.args, "table"));
    std::string where = arg_string(ctx.args, "where");
    std::string src_name = arg_string(ctx.args, "source", "source");
    std::string dst_name = arg_string(ctx.args, "destination", "destination");
    std::unique_ptr<db::Connection> dst;
    try {
      dst = open_named(ctx.services, dst_name);
    } catch (const MissingConnection&) {
      long long n = source_row_count(ctx, table.text(), where, src_name);
      std::string tool = tool_name(ctx);
      return ask_tester_instead(
          ctx,
          fmt::format("Row counts: the source table {}{} has {} rows now (counted by tc-run). Does {}'s destination "
                      "show {} rows too? Answer PASS, or FAIL with the count you see.",
                      table.text(), where.empty() ? "" : " (where " + where + ")", n, tool, n),
          {{"source_rows", n}});
    }
    auto src = open_named(ctx.services, src_name);
    std::stop_callback cancel(ctx.stop, [&] {
      for (auto* c : {src.get(), dst.get()}) {
        try {
          c->kill_query();
        } catch (...) {
        }
      }
    });
    std::string sql = "SELECT COUNT(*) FROM " + table.sql() + (where.empty() ? "" : " WHERE " + where);
    auto count = [&](db::Connection& c, const std::string& side) {
      try {
        read_table(c, table, side);  // a clear error for a missing table or database
        return c.scalar(sql).get<long long>();
      } catch (const db::Error& e) {
        if (ctx.stop.stop_requested()) throw StepError("row count cancelled");
        throw StepError("row count on " + side + " failed: " + e.what());
      }
    };
    // Both counts at the same moment, so a pipeline that is still writing is compared fairly.
    auto dst_count = std::async(std::launch::async, [&] { return count(*dst, dst_name); });
    long long s = 0;
    std::exception_ptr err;
    try {
      s = count(*src, src_name);
    } catch (...) {
      err = std::current_exception();
    }
    long long d = 0;
    try {
      d = dst_count.get();
    } catch (...) {
      if (!err) err = std::current_exception();
    }
    if (err) std::rethrow_exception(err);
    Outcome o;
    o.output = {{"value", s == d}, {"source_rows", s}, {"destination_rows", d}, {"difference", d - s}};
    std::string what = table.text() + (where.empty() ? "" : " where " + where);
    if (s == d) {
      o.message = fmt::format("{}: {} rows on {} and {} rows on {}", what, s, src_name, d, dst_name);
    } else {
      o.status = report::Status::Failed;
      o.message = fmt::format("{}: {} rows on {} but {} rows on {} ({:+})", what, s, src_name, d, dst_name, d - s);
    }
    return o;
  }
};

}  // namespace
std::unique_ptr<StepType> make_rows_match() {
  return std::make_unique<RowsMatch>();
}
}  // namespace tc::plugins
