// flap_recovery: follows a running `network --flap` cycle by cycle and measures when the pipeline recovered
// after each up (running and caught up with the source); the per-cycle table goes to the run's Observations.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <sstream>

#include "plugins/check_args.hpp"
#include "plugins/gtid_holes.hpp"
#include "plugins/step_type.hpp"
#include "sandbox/flavour.hpp"
#include "targets/target.hpp"
#include "util/text.hpp"

namespace tc::plugins {
namespace {

using namespace checks;
using SysClock = std::chrono::system_clock;

long long now_ms() {
  return std::chrono::duration_cast<Millis>(SysClock::now().time_since_epoch()).count();
}

// "12:34:56.789" (UTC) for a table cell.
std::string clock_text(long long epoch_ms) {
  SysClock::time_point t{Millis(epoch_ms)};
  return fmt::format("{:%H:%M:%S}.{:03d}", fmt::gmtime(SysClock::to_time_t(t)), epoch_ms % 1000);
}

// True when the replica has applied every domain of the source's MariaDB GTID position up to its sequence number
// (an unparsable position counts as not caught up).
bool gtid_covers(const std::string& replica, const std::string& source) {
  try {
    auto have = toolkit::GtidSet::parse(toolkit::FlavourKind::MariaDB, replica);
    auto want = toolkit::GtidSet::parse(toolkit::FlavourKind::MariaDB, source);
    for (const auto& domain : gtid_keys(want))
      if (have.last_seq(domain) < want.last_seq(domain)) return false;
    return true;
  } catch (const std::invalid_argument&) {
    return false;
  }
}

// One flap cycle as the daemon recorded it, plus what this step observed.
struct Cycle {
  int number = 0;
  long long down_ms = 0, up_ms = 0, recovered_ms = 0;
  std::string target_gtid;  // the source's position read after the up: recovered once the pipeline has it
  bool gave_up = false;     // the next down came first
  long long failed_ms = 0;  // when the pipeline first showed `failed` in this cycle (0: it never did)
  std::string error;        // the error text it showed then
};

class FlapRecovery : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    using K = scenario::ArgKind;
    using O = scenario::OutputType;
    static const scenario::StepDecl d{
        .name = "flap_recovery",
        .summary = "Follows a running `network --flap` and times the pipeline's recovery after each cycle",
        .map_form = true,
        .null_is_empty_map = true,
        .fields = {{.name = "timeout",
                    .kind = K::Duration,
                    .doc = "how long after the last up the pipeline may take",
                    .default_text = "2m"},
                   {.name = "every", .kind = K::Duration, .doc = "poll interval", .default_text = "250ms"},
                   {.name = "each_cycle",
                    .kind = K::Bool,
                    .doc = "also fail when a cycle went down again before the pipeline recovered",
                    .default_text = "false"}},
        .outputs = {{"value", O::Number, "cycles seen"},
                    {"flap", O::Text, "the flap's ledger id"},
                    {"cycles", O::List,
                     "per cycle: down_at_ms, failed_at_ms, error, up_at_ms, recovered_at_ms, recovery_ms"},
                    {"recovered", O::Number, "cycles after which the pipeline recovered"},
                    {"max_recovery_ms", O::Millis, "the slowest recovery"},
                    {"table", O::Map, "the per-cycle table of the report"}},
    };
    return d;
  }
  std::string describe(const Json& args) const override {
    return "follow the flap and time the pipeline's recovery after each cycle (then up to " +
           (args.is_object() ? arg_string(args, "timeout", "2m") : std::string("2m")) + ")";
  }

  Outcome run(StepContext& ctx) const override {
    Json args = ctx.args.is_object() ? ctx.args : Json::object();
    Millis timeout = arg_duration(args, "timeout", Millis(120'000));
    Millis every = arg_duration(args, "every", Millis(250));
    bool each_cycle = args.value("each_cycle", false);

    Json status = daemon_status(ctx);
    std::string ledger_id;
    for (const auto& f : status.value("faults", Json::array()))
      if (f.contains("flap")) ledger_id = f.value("ledger_id", "");
    if (ledger_id.empty())
      throw StepError(
          "no flap is running: start one first (toolkit: network --flap --type reject --interval 30 "
          "--duration 300), then follow it with flap_recovery");

    std::map<int, Cycle> cycles;
    std::unique_ptr<db::Connection> src;
    std::string last_pipeline;
    long long ended_ms = 0;
    std::mutex m;
    std::condition_variable_any cv;
    for (;;) {
      if (ctx.stop.stop_requested()) throw StepError("flap_recovery interrupted");
      status = daemon_status(ctx);
      auto [flap, ended] = find_flap(status, ledger_id);
      if (flap.is_null()) throw StepError("the flap " + ledger_id + " vanished from the toolkit daemon's status");
      for (const auto& c : flap.value("cycles", Json::array())) {
        auto& cy = cycles[c.value("cycle", 0)];
        if (cy.number == 0) {
          cy.number = c.value("cycle", 0);
          cy.down_ms = c.value("down_at_ms", 0LL);
          ctx.services.event("flap.down", fmt::format("cycle {} down", cy.number));
        }
        if (cy.up_ms == 0 && c.contains("up_at_ms")) {
          cy.up_ms = c.value("up_at_ms", 0LL);
          ctx.services.event("flap.up", fmt::format("cycle {} up", cy.number));
        }
      }
      // The current cycle's failure as the pipeline shows it: when it first said failed, and with which error.
      if (!cycles.empty()) {
        Cycle& cur = cycles.rbegin()->second;
        if (cur.failed_ms == 0 && cur.recovered_ms == 0) {
          try {
            auto ps = ctx.services.target().status();
            if (ps.state == "failed") {
              cur.failed_ms = now_ms();
              cur.error = ps.last_error;
              ctx.services.event("flap.failed", fmt::format("cycle {}: pipeline failed: {}", cur.number, cur.error));
            }
          } catch (const std::exception&) {
            // an unreadable status is not a failure shown; the recovery poll reports it
          }
        }
      }
      // A cycle that went down again before the pipeline recovered is not waited for any longer.
      for (auto& [n, cy] : cycles) {
        auto next = cycles.find(n + 1);
        if (cy.recovered_ms == 0 && !cy.gave_up && next != cycles.end()) cy.gave_up = true;
      }
      Cycle* waiting = nullptr;
      for (auto& [n, cy] : cycles)
        if (cy.up_ms != 0 && cy.recovered_ms == 0 && !cy.gave_up) waiting = &cy;
      if (waiting) {
        long long seen = now_ms();
        std::string state;
        if (pipeline_caught_up(ctx, src, *waiting, state)) {
          waiting->recovered_ms = seen;
          ctx.services.event("flap.recovered",
                             fmt::format("cycle {}: pipeline recovered {} after the up", waiting->number,
                                         format_duration(Millis(seen - waiting->up_ms))));
        }
        last_pipeline = state;
      }
      if (ended && ended_ms == 0) ended_ms = now_ms();
      bool all_done = true;
      for (auto& [n, cy] : cycles) all_done = all_done && (cy.recovered_ms != 0 || cy.gave_up);
      if (ended && all_done) break;
      if (ended && now_ms() - ended_ms > timeout.count()) break;
      std::unique_lock lock(m);
      cv.wait_for(lock, ctx.stop, every, [] { return false; });
    }
    return outcome(cycles, ledger_id, timeout, each_cycle, last_pipeline);
  }

 private:
  static Json daemon_status(StepContext& ctx) {
    std::ostringstream out;
    auto r = toolkit::run_command({"network", "--status", "--json"}, ctx.services.toolkit_config(), out, ctx.stop);
    if (r.exit_code != 0 || !r.output.is_object())
      throw StepError("cannot read the toolkit daemon's status: " + excerpt(trim(out.str()), 3, 300));
    return r.output;
  }

  // The flap (active or ended) with this ledger id: {its record with "cycles"}, ended?
  static std::pair<Json, bool> find_flap(const Json& status, const std::string& id) {
    for (const auto& f : status.value("faults", Json::array()))
      if (f.value("ledger_id", "") == id && f.contains("flap")) return {f["flap"], false};
    for (const auto& h : status.value("flap_history", Json::array()))
      if (h.value("ledger_id", "") == id) return {h, true};
    return {Json(), true};
  }

  // Running, and (when the pipeline tells its GTID position) holding everything the source had after the up.
  static bool pipeline_caught_up(StepContext& ctx, std::unique_ptr<db::Connection>& src, Cycle& cy,
                                 std::string& state) {
    targets::PipelineStatus ps;
    try {
      ps = ctx.services.target().status();
    } catch (const std::exception& e) {
      state = std::string("status failed: ") + e.what();
      return false;
    }
    state = ps.state + (ps.last_error.empty() ? "" : " (" + ps.last_error + ")");
    if (ps.state != "running") return false;
    std::string replica_pos = ps.detail.value("gtid_slave_pos", "");
    if (replica_pos.empty()) return !ps.lag_seconds || *ps.lag_seconds <= 0;  // a pipeline without GTIDs
    try {
      if (!src) src = open_named(ctx.services, "source");
      if (cy.target_gtid.empty()) cy.target_gtid = scenario::to_text(src->scalar("SELECT @@gtid_binlog_pos"));
    } catch (const std::exception& e) {
      src.reset();
      state = std::string("reading the source's GTID position: ") + e.what();
      return false;
    }
    return gtid_covers(replica_pos, cy.target_gtid);
  }

  static Outcome outcome(const std::map<int, Cycle>& cycles, const std::string& ledger_id, Millis timeout,
                         bool each_cycle, const std::string& last_pipeline) {
    Outcome o;
    Json rows = Json::array(), list = Json::array();
    long long worst = 0, total = 0;
    int recovered = 0, missed = 0;
    for (const auto& [n, cy] : cycles) {
      long long rec = cy.recovered_ms ? cy.recovered_ms - cy.up_ms : -1;
      if (rec >= 0) {
        ++recovered;
        worst = std::max(worst, rec);
        total += rec;
      } else {
        ++missed;
      }
      std::string rec_at = cy.recovered_ms ? clock_text(cy.recovered_ms)
                           : cy.gave_up    ? "not before the next down"
                                           : "not within " + format_duration(timeout);
      rows.push_back({std::to_string(n), cy.down_ms ? clock_text(cy.down_ms) : "-",
                      cy.failed_ms ? clock_text(cy.failed_ms) : "not shown", cy.error.empty() ? "-" : cy.error,
                      cy.up_ms ? clock_text(cy.up_ms) : "-", rec_at,
                      rec >= 0 ? format_seconds(Millis(rec)) + " s" : "-"});
      list.push_back({{"cycle", n},
                      {"down_at_ms", cy.down_ms},
                      {"up_at_ms", cy.up_ms},
                      {"failed_at_ms", cy.failed_ms ? Json(cy.failed_ms) : Json(nullptr)},
                      {"error", cy.error},
                      {"recovered_at_ms", cy.recovered_ms ? Json(cy.recovered_ms) : Json(nullptr)},
                      {"recovery_ms", rec >= 0 ? Json(rec) : Json(nullptr)}});
    }
    o.output = {
        {"value", cycles.size()},
        {"flap", ledger_id},
        {"cycles", list},
        {"recovered", recovered},
        {"max_recovery_ms", worst},
        {"table",
         {{"title", "Flap cycles (times UTC; recovered = pipeline running and caught up with the source)"},
          {"columns", {"Cycle", "Down at", "Failed at", "Error shown", "Up at", "Recovered at", "Recovery time"}},
          {"rows", rows}}}};
    o.message = fmt::format("{} cycle(s), {} recovered; slowest recovery {}, mean {}", cycles.size(), recovered,
                            format_duration(Millis(worst)), format_duration(Millis(recovered ? total / recovered : 0)));
    const Cycle* last = cycles.empty() ? nullptr : &cycles.rbegin()->second;
    if (cycles.empty()) {
      o.status = report::Status::Error;
      o.message = "the flap recorded no cycle";
    } else if (last->recovered_ms == 0) {
      o.status = report::Status::Failed;
      o.message = "the pipeline did not recover within " + format_duration(timeout) +
                  " after the last up (last seen: " + last_pipeline + "); " + o.message;
    } else if (each_cycle && missed > 0) {
      o.status = report::Status::Failed;
      o.message = fmt::format("{} cycle(s) did not recover before the next down; ", missed) + o.message;
    }
    return o;
  }
};

}  // namespace

std::unique_ptr<StepType> make_flap_recovery() {
  return std::make_unique<FlapRecovery>();
}

}  // namespace tc::plugins
