// converges: polls data_match until source and destination hold the same rows; records the time it took.
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "plugins/check_args.hpp"
#include "plugins/diff_args.hpp"
#include "plugins/step_type.hpp"
#include "plugins/table_diff.hpp"
#include "plugins/table_meta.hpp"
#include "plugins/tester_check.hpp"

namespace tc::plugins {
namespace {

using namespace checks;
using Clock = std::chrono::steady_clock;

class Converges : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    using K = scenario::ArgKind;
    using O = scenario::OutputType;
    static const scenario::StepDecl d = [] {
      scenario::StepDecl d{
          .name = "converges",
          .summary = "rows_match and data_match, polled until the destination has caught up or the timeout passes",
          .is_check = true,
          .map_form = true,
          .fields = diff_arg_fields(),
          .outputs = diff_outputs(),
      };
      d.fields.push_back({.name = "timeout", .kind = K::Duration, .doc = "how long to wait", .default_text = "2m"});
      d.fields.push_back({.name = "every", .kind = K::Duration, .doc = "poll interval", .default_text = "500ms"});
      d.outputs.push_back({"compare_ms", O::Millis, "how long the last comparison took"});
      d.outputs.push_back({"polls", O::Number, "comparisons made"});
      d.outputs.push_back({"timed_out", O::Bool, "whether the timeout passed first"});
      d.outputs.push_back({"last_error", O::Text, "why the last poll failed, when it did"});
      return d;
    }();
    return d;
  }
  std::string describe(const Json& args) const override {
    return describe_diff(name(), args) + " within " + arg_string(args, "timeout", "2m");
  }
  // A destination tc-run cannot read: the tester watches it catch up and says when (or that it did not).
  static Outcome ask_tester(StepContext& ctx, const DiffOptions& opts, const std::string& src_name) {
    long long n = source_row_count(ctx, opts.table, opts.where, src_name);
    std::string tool = tool_name(ctx);
    return ask_tester_instead(ctx,
                              "Wait until " + tool + "'s destination has caught up: the source table " + opts.table +
                                  " has " + std::to_string(n) +
                                  " rows now (counted by tc-run). Answer PASS when "
                                  "the destination shows them all, or FAIL with the count you see if it does not.",
                              {{"source_rows", n}});
  }

  Outcome run(StepContext& ctx) const override {
    DiffOptions opts = diff_options(ctx.args);
    TableName::parse(opts.table);  // a malformed name fails now, not after the timeout
    Millis timeout = arg_duration(ctx.args, "timeout", Millis(120'000));
    Millis every = arg_duration(ctx.args, "every", Millis(500));
    std::string src_name = arg_string(ctx.args, "source", "source");
    std::string dst_name = arg_string(ctx.args, "destination", "destination");
    auto start = Clock::now();
    auto deadline = start + timeout;
    auto ms = [](Clock::duration d) { return std::chrono::duration_cast<Millis>(d).count(); };
    std::unique_ptr<db::Connection> src, dst;
    std::optional<DiffReport> last;
    std::string last_error;
    int polls = 0;
    std::mutex m;
    std::condition_variable_any cv;
    while (true) {
      ++polls;
      // Servers may be down or restarting while the pipeline catches up: a failed poll is retried.
      try {
        if (!src) src = open_named(ctx.services, src_name);
        if (!dst) dst = open_named(ctx.services, dst_name);
        last = diff_table(*src, *dst, opts, ctx.stop);
        last_error.clear();
      } catch (const DiffConfigError&) {
        throw;
      } catch (const MissingConnection&) {
        return ask_tester(ctx, opts, src_name);
      } catch (const StepError& e) {
        if (ctx.stop.stop_requested())
          throw StepError("converges interrupted after " + format_duration(Millis(ms(Clock::now() - start))));
        last_error = e.what();
        src.reset();
        dst.reset();
      }
      auto now = Clock::now();
      if (last && last_error.empty() && last->match) {
        Outcome o;
        o.output = last->to_json();
        o.output["elapsed_ms"] = ms(now - start);
        o.output["compare_ms"] = last->elapsed_ms;
        o.output["polls"] = polls;
        o.message = "converged after " + format_duration(Millis(ms(now - start))) + " (" + std::to_string(polls) +
                    " polls): " + last->summary();
        return o;
      }
      if (now >= deadline) {
        if (!last)
          throw StepError("could not compare " + opts.table + " within " + format_duration(timeout) + ": " +
                          last_error);
        Outcome o;
        o.status = report::Status::Failed;
        o.output = last->to_json();
        o.output["elapsed_ms"] = ms(now - start);
        o.output["polls"] = polls;
        o.output["timed_out"] = true;
        if (!last_error.empty()) o.output["last_error"] = last_error;
        o.message = "did not converge within " + format_duration(timeout) + " (" + std::to_string(polls) +
                    " polls); last difference: " + last->summary() +
                    (last_error.empty() ? "" : "; last poll failed: " + last_error);
        return o;
      }
      std::unique_lock lock(m);
      cv.wait_until(lock, ctx.stop, std::min(deadline, now + every), [] { return false; });
      if (ctx.stop.stop_requested())
        throw StepError("converges interrupted after " + format_duration(Millis(ms(Clock::now() - start))));
    }
  }
};

}  // namespace
std::unique_ptr<StepType> make_converges() {
  return std::make_unique<Converges>();
}
}  // namespace tc::plugins
