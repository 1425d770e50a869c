// data_match: every row of a table is equal on source and destination (chunked checksums, then row diffs).
#include "plugins/check_args.hpp"
#include "plugins/diff_args.hpp"
#include "plugins/step_type.hpp"
#include "plugins/table_diff.hpp"

namespace tc::plugins {
namespace {

using namespace checks;

class DataMatch : public StepType {
 public:
  std::string name() const override { return "data_match"; }
  bool is_check() const override { return true; }
  std::vector<Issue> validate(const Json& args) const override {
    auto issues = expect_map(args, {"table"}, diff_arg_keys());
    validate_diff_args(args, issues);
    return issues;
  }
  std::string describe(const Json& args) const override { return describe_diff(name(), args); }
  Outcome run(StepContext& ctx) const override {
    DiffOptions opts = diff_options(ctx.args);
    auto src = open_named(ctx.services, arg_string(ctx.args, "source", "source"));
    auto dst = open_named(ctx.services, arg_string(ctx.args, "destination", "destination"));
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
