// sample: a background recorder of the pipeline over time (state, lag, error, source vs destination progress and
// the fault active then), for "throughput decreases under latency", "reconnects each cycle", "lag stays low".
#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <sstream>

#include "plugins/check_args.hpp"
#include "plugins/step_type.hpp"
#include "targets/target.hpp"
#include "util/text.hpp"

namespace tc::plugins {
namespace {

using namespace checks;
using SteadyClock = std::chrono::steady_clock;

// One observation. Progress is read cheaply (the highest key on each side); exact counts only at the ends and
// at the first sample after a fault change (where "what was lost or duplicated" is decided).
struct Sample {
  long long t_ms = 0;
  std::string state, error, fault;
  std::optional<double> lag;
  std::optional<long long> src_max, dst_max;
  Json src_count = nullptr, dst_count = nullptr;  // exact COUNT(*), at fault changes only
};

// The faults the toolkit daemon holds right now ("network timeout", "latency 2000 ms"), "" when none.
std::string active_faults(StepContext& ctx) {
  std::ostringstream out;
  auto r = toolkit::run_command({"network", "--status", "--json"}, ctx.services.toolkit_config(), out, ctx.stop);
  if (r.exit_code != 0 || !r.output.is_object()) return "";
  std::vector<std::string> names;
  for (const auto& f : r.output.value("faults", Json::array())) {
    if (!f.value("active", true)) continue;  // a flap in its up phase
    std::string slot = f.value("slot", f.value("kind", std::string("fault")));
    std::string type = f.value("type", std::string());
    std::string text = slot + (type.empty() || type == slot ? "" : " " + type);
    if (f.contains("latency_ms")) text += " " + f["latency_ms"].dump() + " ms";
    names.push_back(text);
  }
  return join(names, ", ");
}

std::optional<long long> max_key(db::Connection& c, const std::string& table, const std::string& key) {
  Json v = c.scalar("SELECT MAX(`" + key + "`) FROM " + table);
  if (v.is_number_integer()) return v.get<long long>();
  if (v.is_string() && !v.get<std::string>().empty()) return std::stoll(v.get<std::string>());
  return std::nullopt;
}

class SampleStep : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    using K = scenario::ArgKind;
    using O = scenario::OutputType;
    static const scenario::StepDecl d{
        .name = "sample",
        .summary =
            "Records the pipeline over time (run it with background: true, end it with stop:): state, lag, "
            "error, destination rows/s and the fault active at each sample",
        .map_form = true,
        .null_is_empty_map = true,
        .fields = {{.name = "table",
                    .kind = K::NonEmptyText,
                    .doc = "the table whose progress is followed",
                    .default_text = "users"},
                   {.name = "key",
                    .kind = K::NonEmptyText,
                    .doc = "an increasing integer column of it (MAX is read each sample)",
                    .default_text = "id"},
                   {.name = "every", .kind = K::Duration, .doc = "sample interval", .default_text = "1s"},
                   {.name = "source", .kind = K::Connection, .doc = "the source side", .default_text = "source"},
                   {.name = "destination",
                    .kind = K::Connection,
                    .doc = "the destination side (without one, progress is the source's only)",
                    .default_text = "destination"}},
        .outputs = {{"value", O::Number, "samples taken"},
                    {"samples", O::Number, "samples taken"},
                    {"lag_min", O::Number, "lowest lag_seconds seen (null when the pipeline reports none)"},
                    {"lag_avg", O::Number, "mean lag_seconds"},
                    {"lag_max", O::Number, "highest lag_seconds"},
                    {"rows_per_s", O::Number, "destination rows per second over the whole run"},
                    {"source_rows_start", O::Number, "exact row count on the source at the start"},
                    {"source_rows_end", O::Number, "exact row count on the source at the end"},
                    {"destination_rows_start", O::Number, "exact row count on the destination at the start"},
                    {"destination_rows_end", O::Number, "exact row count on the destination at the end"},
                    {"disconnects", O::Number, "times the pipeline left `running`"},
                    {"reconnects", O::Number, "times it came back to `running`"},
                    {"stretches", O::List,
                     "per stretch of one fault state: from_ms, to_ms, fault, rows_per_s, lag_max, samples, "
                     "source_rows_at_start, destination_rows_at_start (exact counts where it began)"},
                    {"series", O::List,
                     "every sample: t_ms, state, lag_seconds, error, fault, source_max, destination_max, and "
                     "source_count/destination_count at a fault change (also result.json's series)"},
                    {"table", O::Map, "the stretches table of the report"}},
    };
    return d;
  }
  std::string describe(const Json& args) const override {
    std::string table = arg_string(args, "table", "users");
    return "sample the pipeline and " + table + " every " + arg_string(args, "every", "1s");
  }
  Outcome run(StepContext& ctx) const override {
    std::string table = arg_string(ctx.args, "table", "users");
    std::string key = arg_string(ctx.args, "key", "id");
    Millis every = arg_duration(ctx.args, "every", Millis(1000));
    if (every.count() <= 0) throw StepError("sample: every must be more than 0");
    auto src = open_named(ctx.services, arg_string(ctx.args, "source", "source"));
    std::unique_ptr<db::Connection> dst;
    try {
      dst = open_named(ctx.services, arg_string(ctx.args, "destination", "destination"));
    } catch (const MissingConnection&) {
      // a dashboard target: progress is the source's only
    }
    auto count = [&](db::Connection* c) -> Json {
      if (!c) return nullptr;
      try {
        return c->scalar("SELECT COUNT(*) FROM " + table);
      } catch (const std::exception&) {
        return nullptr;
      }
    };
    Json src_start = count(src.get()), dst_start = count(dst.get());
    std::vector<Sample> samples;
    auto start = SteadyClock::now();
    std::mutex m;
    std::condition_variable_any cv;
    while (true) {
      Sample s;
      s.t_ms = std::chrono::duration_cast<Millis>(SteadyClock::now() - start).count();
      try {
        auto ps = ctx.services.target().status();
        s.state = ps.state;
        s.error = ps.last_error;
        s.lag = ps.lag_seconds;
      } catch (const std::exception& e) {
        s.state = "unknown";
        s.error = e.what();
      }
      try {
        s.src_max = max_key(*src, table, key);
      } catch (const std::exception&) {
        src = nullptr;
        try {
          src = open_named(ctx.services, arg_string(ctx.args, "source", "source"));
        } catch (const std::exception&) {
        }
      }
      if (dst) try {
          s.dst_max = max_key(*dst, table, key);
        } catch (const std::exception&) {
        }
      s.fault = active_faults(ctx);
      if (!samples.empty() && s.fault != samples.back().fault) {
        s.src_count = count(src.get());
        s.dst_count = count(dst.get());
      }
      samples.push_back(s);
      std::unique_lock lock(m);
      cv.wait_for(lock, ctx.stop, every, [] { return false; });
      if (ctx.stop.stop_requested()) break;
      if (!src) try {
          src = open_named(ctx.services, arg_string(ctx.args, "source", "source"));
        } catch (const std::exception&) {
        }
    }
    return outcome(samples, src_start, dst_start, count(src.get()), count(dst.get()));
  }

 private:
  static Outcome outcome(const std::vector<Sample>& samples, const Json& src_start, const Json& dst_start,
                         const Json& src_end, const Json& dst_end) {
    Outcome o;
    o.complete_on_stop = true;  // being stopped is how a recorder ends
    Json series = Json::array();
    int disconnects = 0, reconnects = 0;
    double lag_sum = 0;
    int lag_n = 0;
    Json lag_min = nullptr, lag_max = nullptr;
    for (size_t i = 0; i < samples.size(); ++i) {
      const auto& s = samples[i];
      series.push_back({{"t_ms", s.t_ms},
                        {"state", s.state},
                        {"lag_seconds", s.lag ? Json(*s.lag) : Json(nullptr)},
                        {"error", s.error},
                        {"fault", s.fault},
                        {"source_max", s.src_max ? Json(*s.src_max) : Json(nullptr)},
                        {"destination_max", s.dst_max ? Json(*s.dst_max) : Json(nullptr)}});
      if (!s.src_count.is_null() || !s.dst_count.is_null())
        series.back().update({{"source_count", s.src_count}, {"destination_count", s.dst_count}});
      if (i > 0) {
        bool was = samples[i - 1].state == "running", is = s.state == "running";
        disconnects += was && !is;
        reconnects += !was && is;
      }
      if (s.lag) {
        lag_sum += *s.lag;
        ++lag_n;
        if (lag_min.is_null() || *s.lag < lag_min.get<double>()) lag_min = *s.lag;
        if (lag_max.is_null() || *s.lag > lag_max.get<double>()) lag_max = *s.lag;
      }
    }
    // Destination rows per second between two samples (the key's growth over the time between them).
    auto rate = [&](size_t a, size_t b) -> Json {
      if (b <= a || !samples[a].dst_max || !samples[b].dst_max) return nullptr;
      double dt = static_cast<double>(samples[b].t_ms - samples[a].t_ms) / 1000.0;
      return dt > 0 ? Json(static_cast<double>(*samples[b].dst_max - *samples[a].dst_max) / dt) : Json(nullptr);
    };
    // Stretches: maximal runs of samples under one fault state, each with its own rate and worst lag.
    Json stretches = Json::array();
    Json rows = Json::array();
    for (size_t a = 0; a < samples.size();) {
      size_t b = a;
      while (b + 1 < samples.size() && samples[b + 1].fault == samples[a].fault) ++b;
      // The rate of a stretch runs to the first sample after it, so a one-sample stretch still has one.
      Json rps = rate(a, std::min(b + 1, samples.size() - 1));
      Json worst = nullptr;
      for (size_t i = a; i <= b; ++i)
        if (samples[i].lag && (worst.is_null() || *samples[i].lag > worst.get<double>())) worst = *samples[i].lag;
      std::string fault = samples[a].fault.empty() ? "none" : samples[a].fault;
      // Exact counts where the stretch begins: the run's start, or the fault change that began it.
      const Json& src_rows = a == 0 ? src_start : samples[a].src_count;
      const Json& dst_rows = a == 0 ? dst_start : samples[a].dst_count;
      stretches.push_back({{"from_ms", samples[a].t_ms},
                           {"to_ms", samples[b].t_ms},
                           {"fault", fault},
                           {"rows_per_s", rps},
                           {"lag_max", worst},
                           {"samples", b - a + 1},
                           {"source_rows_at_start", src_rows},
                           {"destination_rows_at_start", dst_rows}});
      auto n = [](const Json& v) { return v.is_null() ? std::string("-") : v.dump(); };
      rows.push_back({fmt::format("{:.1f} s", samples[a].t_ms / 1000.0),
                      fmt::format("{:.1f} s", samples[b].t_ms / 1000.0), fault,
                      rps.is_null() ? "-" : fmt::format("{:.1f}", rps.get<double>()),
                      worst.is_null() ? "-" : fmt::format("{:.1f} s", worst.get<double>()), std::to_string(b - a + 1),
                      n(src_rows) + " / " + n(dst_rows)});
      a = b + 1;
    }
    Json total_rate = samples.size() > 1 ? rate(0, samples.size() - 1) : Json(nullptr);
    o.output = {
        {"value", samples.size()},
        {"samples", samples.size()},
        {"lag_min", lag_min},
        {"lag_avg", lag_n ? Json(lag_sum / lag_n) : Json(nullptr)},
        {"lag_max", lag_max},
        {"rows_per_s", total_rate},
        {"source_rows_start", src_start},
        {"source_rows_end", src_end},
        {"destination_rows_start", dst_start},
        {"destination_rows_end", dst_end},
        {"disconnects", disconnects},
        {"reconnects", reconnects},
        {"stretches", stretches},
        {"series", series},
        {"table",
         {{"title", "Samples by fault state (rows/s = destination rows per second)"},
          {"columns", {"From", "To", "Fault active", "Rows/s", "Worst lag", "Samples", "Rows at start (src / dst)"}},
          {"rows", rows}}}};
    o.message = fmt::format("{} samples; {} rows/s overall; {} disconnect(s), {} reconnect(s)", samples.size(),
                            total_rate.is_null() ? "-" : fmt::format("{:.1f}", total_rate.get<double>()), disconnects,
                            reconnects);
    if (samples.empty()) {
      o.status = report::Status::Error;
      o.message = "no sample was taken";
    }
    return o;
  }
};

}  // namespace
std::unique_ptr<StepType> make_sample() {
  return std::make_unique<SampleStep>();
}
}  // namespace tc::plugins
