// binlog_advanced: the server's binlog position (file:pos) or GTID set is now past a captured one.
#include "db/connection.hpp"
#include "plugins/binlog_point.hpp"
#include "plugins/check_args.hpp"
#include "plugins/step_type.hpp"
#include "sandbox/flavour.hpp"

namespace tc::plugins {
namespace {

using namespace checks;

class BinlogAdvanced : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    using K = scenario::ArgKind;
    using O = scenario::OutputType;
    static const scenario::StepDecl d{
        .name = "binlog_advanced",
        .summary = "The binlog has moved past a captured position (file:pos or a GTID set)",
        .is_check = true,
        .string_form = {.allowed = true, .doc = "the captured position itself"},
        .map_form = true,
        .fields = {{.name = "since",
                    .kind = K::NonEmptyText,
                    .required = true,
                    .doc = "a captured position: file.000001:1234 or a GTID set"},
                   {.name = "connection", .kind = K::Connection, .doc = "whose binlog", .default_text = "source"}},
        .outputs = {{"value", O::Bool, "true when the binlog advanced"},
                    {"before", O::Text, "the position compared against"},
                    {"after", O::Text, "the position now"},
                    {"why", O::Text, "the comparison in words"}},
    };
    return d;
  }
  std::string describe(const Json& args) const override {
    std::string since = args.is_string() ? args.get<std::string>() : arg_string(args, "since", "?");
    return "binlog_advanced on " + arg_string(args, "connection", "source") + " since '" + since + "'";
  }
  Outcome run(StepContext& ctx) const override {
    std::string since = ctx.args.is_string() ? ctx.args.get<std::string>() : arg_string(ctx.args, "since");
    std::string conn_name = arg_string(ctx.args, "connection", "source");
    BinlogPoint before = BinlogPoint::parse(since);
    auto conn = open_named(ctx.services, conn_name);
    Outcome o;
    try {
      auto flavour = toolkit::Flavour::from_version(conn->scalar("SELECT VERSION()").get<std::string>());
      BinlogPoint after;
      Advance adv;
      if (before.is_file_pos) {
        auto r = conn->query(flavour.binlog_status_sql());
        if (r.rows.empty()) throw StepError("binary logging is off on '" + conn_name + "': no position to compare");
        after.is_file_pos = true;
        after.file = r.rows[0]["File"].get<std::string>();
        after.pos = std::stoull(scenario_text(r.rows[0]["Position"]));
        adv = file_pos_advanced(before, after);
      } else {
        toolkit::GtidSet b;
        try {
          b = toolkit::GtidSet::parse(flavour.kind, before.gtid);
        } catch (const std::invalid_argument& e) {
          throw StepError("'since' is neither a binlog coordinate (file.000001:1234) nor a " + flavour.name() +
                          " GTID set: " + e.what());
        }
        Json now = conn->scalar(flavour.gtid_position_sql());
        after.gtid = now.is_string() ? now.get<std::string>() : "";
        adv = gtid_advanced(b, toolkit::GtidSet::parse(flavour.kind, after.gtid));
      }
      o.output = {{"value", adv.advanced}, {"before", before.str()}, {"after", after.str()}, {"why", adv.why}};
      o.message = adv.why;
      if (!adv.advanced) o.status = report::Status::Failed;
    } catch (const db::Error& e) {
      throw StepError("reading the binlog position on '" + conn_name + "' failed: " + e.what());
    } catch (const std::invalid_argument& e) {
      throw StepError(e.what());
    }
    return o;
  }

 private:
  static std::string scenario_text(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }
};

}  // namespace
std::unique_ptr<StepType> make_binlog_advanced() {
  return std::make_unique<BinlogAdvanced>();
}
}  // namespace tc::plugins
