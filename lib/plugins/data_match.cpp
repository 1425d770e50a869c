// data_match: every row of a table is equal on source and destination (chunked checksums, then row diffs).
#include "plugins/check_args.hpp"
#include "plugins/diff_args.hpp"
#include "plugins/step_type.hpp"
#include "plugins/table_diff.hpp"
#include "plugins/tester_check.hpp"

namespace tc::plugins {
namespace {

using namespace checks;

class DataMatch : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    static const scenario::StepDecl d{
        .name = "data_match",
        .summary = "Every row of a table is equal on source and destination (chunked checksums, then the keys)",
        .is_check = true,
        .map_form = true,
        .fields = diff_arg_fields(),
        .outputs = diff_outputs(),
    };
    return d;
  }
  std::string describe(const Json& args) const override { return describe_diff(name(), args); }
  Outcome run(StepContext& ctx) const override {
    DiffOptions opts = diff_options(ctx.args);
    std::string src_name = arg_string(ctx.args, "source", "source");
    std::unique_ptr<db::Connection> dst;
    try {
      dst = open_named(ctx.services, arg_string(ctx.args, "destination", "destination"));
    } catch (const MissingConnection&) {
      long long n = source_row_count(ctx, opts.table, opts.where, src_name);
      std::string tool = tool_name(ctx);
      return ask_tester_instead(ctx,
                                "Every row equal: the source table " + opts.table + " has " + std::to_string(n) +
                                    " rows now. Compare the newest and a few older rows in " + tool +
                                    "'s destination with the source. Answer PASS when they are equal, or FAIL "
                                    "with what differs.",
                                {{"source_rows", n}});
    }
    auto src = open_named(ctx.services, src_name);
    DiffReport r = diff_table(*src, *dst, opts, ctx.stop);
    Outcome o;
    o.output = r.to_json();
    o.message = r.summary();
    o.log = o.message + "\n" + o.output.dump(2, ' ', false, Json::error_handler_t::replace);
    if (!r.match) o.status = report::Status::Failed;
    return o;
  }
};

}  // namespace
std::unique_ptr<StepType> make_data_match() {
  return std::make_unique<DataMatch>();
}
}  // namespace tc::plugins
