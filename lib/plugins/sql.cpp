// sql: runs one statement on a named connection; captures a scalar (value), the first row and all rows.
#include <algorithm>
#include <memory>
#include <stop_token>

#include "db/connection.hpp"
#include "plugins/step_type.hpp"
#include "scenario/vars.hpp"

namespace tc::plugins {
namespace {

class Sql : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    using K = scenario::ArgKind;
    using O = scenario::OutputType;
    static const scenario::StepDecl d{
        .name = "sql",
        .summary = "Runs one statement on a connection (source by default)",
        .string_form = {.allowed = true, .doc = "the statement, on source"},
        .map_form = true,
        .fields = {{.name = "query", .kind = K::NonEmptyText, .required = true, .doc = "the statement"},
                   {.name = "connection",
                    .kind = K::Connection,
                    .doc = "source, destination or a `connections:` name",
                    .default_text = "source"}},
        .outputs = {{"value", O::Any, "the first column of the first row"},
                    {"row", O::Map, "the first row by column name (row.n)"},
                    {"rows", O::List, "every row (rows.0.n)"},
                    {"count", O::Number, "number of rows returned"},
                    {"affected", O::Number, "rows changed by an INSERT/UPDATE/DELETE"},
                    {"error_code", O::Number, "the server's error number, when the statement failed"},
                    {"error", O::Text, "the server's error text, when the statement failed"}},
    };
    return d;
  }
  std::string describe(const Json& args) const override {
    if (args.is_string()) return "sql on source: " + args.get<std::string>();
    return "sql on " + args.value("connection", std::string("source")) + ": " +
           scenario::to_text(args.value("query", Json("")));
  }
  Outcome run(StepContext& ctx) const override {
    std::string query = ctx.args.is_string() ? ctx.args.get<std::string>() : scenario::to_text(ctx.args["query"]);
    std::string conn_name = ctx.args.is_object() ? ctx.args.value("connection", std::string("source")) : "source";
    db::Dsn dsn = ctx.services.connection(conn_name);
    // A step that asserts on the error (expect: {error_code: 2003}) treats the error as its output.
    bool expects_error = std::any_of(ctx.step.expect.begin(), ctx.step.expect.end(),
                                     [](const auto& a) { return a.path == "error_code" || a.path == "error"; });
    auto failed = [&](const db::Error& e) {
      Outcome o;
      o.status = expects_error ? report::Status::Passed : report::Status::Error;
      o.output = {{"value", nullptr}, {"error_code", e.code()}, {"error", e.what()}};
      o.message = e.what();
      return o;
    };
    std::unique_ptr<db::Connection> conn;
    try {
      conn = db::Connection::open(dsn);
    } catch (const db::Error& e) {
      return failed(e);
    }
    // A timeout or Ctrl-C cancels the statement on the server, not just our wait for it.
    std::stop_callback cancel(ctx.stop, [&] {
      try {
        conn->kill_query();
      } catch (...) {
      }
    });
    Outcome o;
    try {
      auto r = conn->query(query);
      o.output["value"] = r.scalar();
      o.output["row"] = r.rows.empty() ? Json(nullptr) : r.rows.front();
      o.output["rows"] = r.rows;
      o.output["count"] = r.rows.size();
      o.output["affected"] = r.affected;
      o.message = r.columns.empty() ? std::to_string(r.affected) + " row(s) affected"
                                    : std::to_string(r.rows.size()) + " row(s)";
      o.log = query + "\n" + Json(r.rows).dump(2);
    } catch (const db::Error& e) {
      if (ctx.stop.stop_requested()) throw StepError("query cancelled: " + std::string(e.what()));
      return failed(e);
    }
    return o;
  }
};

}  // namespace
std::unique_ptr<StepType> make_sql() {
  return std::make_unique<Sql>();
}
}  // namespace tc::plugins
