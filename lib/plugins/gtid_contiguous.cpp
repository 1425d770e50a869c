// gtid_contiguous: the GTIDs a server (by default the destination) applied have no hole but the allowed ones.
//
// MariaDB keeps only the last GTID per domain in its positions, so the applied sequence is read from the
// server's own binlog (SHOW BINLOG EVENTS: every Gtid event, plus the Gtid_list at the start of the oldest
// file as the floor). MySQL's gtid_executed holds every interval, so its holes are read from it directly.
#include <fmt/format.h>

#include <map>
#include <regex>

#include "db/connection.hpp"
#include "plugins/check_args.hpp"
#include "plugins/gtid_holes.hpp"
#include "plugins/step_type.hpp"
#include "sandbox/flavour.hpp"

namespace tc::plugins {
namespace {

using namespace checks;

constexpr int kPage = 5000;  // events per SHOW BINLOG EVENTS page

std::string text(const Json& v) {
  return v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump();
}

struct Applied {
  std::map<std::string, std::vector<std::uint64_t>> seen;  // domain -> seq numbers logged
  std::map<std::string, std::uint64_t> floors;             // domain -> last seq before the oldest file
  long long events = 0;
  std::vector<std::string> files;
  bool saw_list = false;  // the oldest file's Gtid_list was read (an empty one means: nothing came before)
};

// Every GTID the MariaDB server logged, read page by page from each binlog file.
Applied read_binlog_gtids(db::Connection& c, std::stop_token stop) {
  static const std::regex gtid_re(R"(GTID (\d+)-(\d+)-(\d+))");
  static const std::regex list_re(R"((\d+)-(\d+)-(\d+))");
  Applied a;
  for (const auto& row : c.query("SHOW BINARY LOGS").rows) a.files.push_back(text(row["Log_name"]));
  for (size_t fi = 0; fi < a.files.size(); ++fi) {
    std::uint64_t from = 4;
    while (true) {
      if (stop.stop_requested()) throw StepError("gtid_contiguous cancelled");
      auto rows =
          c.query(fmt::format("SHOW BINLOG EVENTS IN '{}' FROM {} LIMIT {}", c.escape(a.files[fi]), from, kPage)).rows;
      for (const auto& r : rows) {
        std::string type = text(r["Event_type"]), info = text(r["Info"]);
        std::smatch m;
        if (type == "Gtid" && std::regex_search(info, m, gtid_re)) {
          a.seen[m[1].str()].push_back(std::stoull(m[3].str()));
          ++a.events;
        } else if (type == "Gtid_list" && fi == 0) {
          a.saw_list = true;
          for (std::sregex_iterator it(info.begin(), info.end(), list_re), end; it != end; ++it) {
            std::uint64_t seq = std::stoull((*it)[3].str());
            auto& f = a.floors[(*it)[1].str()];
            f = std::max(f, seq);
          }
        }
      }
      if (rows.size() < static_cast<size_t>(kPage)) break;
      from = std::stoull(text(rows.back()["End_log_pos"]));
    }
  }
  // A domain the oldest file's Gtid_list does not name had logged nothing before it: count from 1, so a hole in
  // front of the first GTID of a fresh binlog is seen too.
  if (a.saw_list)
    for (const auto& [d, seqs] : a.seen) a.floors.emplace(d, 0);
  return a;
}

class GtidContiguous : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    using K = scenario::ArgKind;
    using O = scenario::OutputType;
    static const scenario::StepDecl d{
        .name = "gtid_contiguous",
        .summary = "The GTIDs a server applied have no hole beyond the allowed ones (`gtid_contiguous:` alone works)",
        .is_check = true,
        .map_form = true,
        .null_is_empty_map = true,
        .fields = {{.name = "connection", .kind = K::Connection, .doc = "the server", .default_text = "destination"},
                   {.name = "allow_gaps", .kind = K::TextList, .doc = "GTID ranges allowed missing (D-S-N, uuid:A-B)"}},
        .outputs = {{"value", O::Bool, "true when no unexpected hole was found"},
                    {"holes", O::List, "the unexpected holes"},
                    {"allowed_holes", O::List, "holes found that allow_gaps allows"},
                    {"gtids", O::Number, "GTIDs examined"},
                    {"domains", O::Map, "per domain (or server uuid): first, last, count"},
                    {"method", O::Text, "binlog events (MariaDB) or gtid_executed (MySQL)"},
                    {"binlog_files", O::Number, "binlog files read (MariaDB)"},
                    {"gtid_slave_pos", O::Text, "the server's gtid_slave_pos (MariaDB)"},
                    {"gtid_binlog_pos", O::Text, "the server's gtid_binlog_pos (MariaDB)"},
                    {"gtid_executed", O::Text, "the server's gtid_executed (MySQL)"}},
    };
    return d;
  }
  Outcome run(StepContext& ctx) const override {
    std::string conn_name = arg_string(ctx.args, "connection", "destination");
    auto allow_text = arg_string_list(ctx.args, "allow_gaps");
    auto conn = open_named(ctx.services, conn_name);
    std::stop_callback cancel(ctx.stop, [&] {
      try {
        conn->kill_query();
      } catch (...) {
      }
    });
    Outcome o;
    try {
      auto flavour = toolkit::Flavour::from_version(text(conn->scalar("SELECT VERSION()")));
      std::vector<SeqRun> allowed;
      try {
        allowed = parse_allowed(flavour.kind, allow_text);
      } catch (const std::invalid_argument& e) {
        throw StepError(std::string("allow_gaps: ") + e.what());
      }
      std::vector<SeqRun> holes;
      Json domains = Json::object();
      long long gtids = 0;
      if (flavour.is_mariadb()) {
        auto vars = conn->query(
                            "SELECT @@GLOBAL.log_bin AS log_bin, @@GLOBAL.log_slave_updates AS lsu, "
                            "@@GLOBAL.gtid_slave_pos AS slave_pos, @@GLOBAL.gtid_binlog_pos AS binlog_pos")
                        .rows.at(0);
        o.output["gtid_slave_pos"] = text(vars["slave_pos"]);
        o.output["gtid_binlog_pos"] = text(vars["binlog_pos"]);
        if (text(vars["log_bin"]) != "1")
          throw StepError("'" + conn_name + "' has no binary log (log_bin=OFF): its applied GTIDs cannot be listed");
        if (text(vars["lsu"]) != "1" && !text(vars["slave_pos"]).empty())
          throw StepError("'" + conn_name +
                          "' applies replicated GTIDs without logging them (log_slave_updates=OFF): "
                          "its applied GTIDs cannot be listed");
        Applied a = read_binlog_gtids(*conn, ctx.stop);
        holes = holes_in(a.seen, a.floors);
        gtids = a.events;
        for (const auto& [d, seqs] : a.seen) {
          auto [lo, hi] = std::minmax_element(seqs.begin(), seqs.end());
          domains[d] = {{"first", *lo}, {"last", *hi}, {"count", seqs.size()}};
          if (a.floors.count(d)) domains[d]["floor"] = a.floors[d];
        }
        o.output["method"] = "binlog events";
        o.output["binlog_files"] = a.files.size();
      } else {
        std::string executed = text(conn->scalar("SELECT @@GLOBAL.gtid_executed"));
        auto set = toolkit::GtidSet::parse(flavour.kind, executed);
        holes = mysql_holes(set);
        for (const auto& k : gtid_keys(set)) {
          auto iv = set.intervals(k);
          domains[k] = {{"first", iv.front().first}, {"last", iv.back().second}};
          for (const auto& [x, y] : iv) gtids += static_cast<long long>(y - x + 1);
        }
        o.output["gtid_executed"] = executed;
        o.output["method"] = "gtid_executed";
      }
      auto verdict = judge_holes(holes, allowed);
      auto strs = [](const std::vector<SeqRun>& runs) {
        std::vector<std::string> out;
        for (const auto& r : runs) out.push_back(r.str());
        return out;
      };
      o.output["value"] = verdict.unexplained.empty();
      o.output["holes"] = strs(verdict.unexplained);
      o.output["allowed_holes"] = strs(verdict.allowed);
      o.output["gtids"] = gtids;
      o.output["domains"] = domains;
      // The primary value first, as every check has it.
      Json ordered = {{"value", o.output["value"]}};
      for (auto& [k, v] : o.output.items())
        if (k != "value") ordered[k] = v;
      o.output = ordered;
      std::string allowed_note = verdict.allowed.empty() ? "" : " (allowed: " + join(strs(verdict.allowed), ", ") + ")";
      if (verdict.unexplained.empty()) {
        o.message = fmt::format("no unexpected hole in {} GTIDs on {}{}", gtids, conn_name, allowed_note);
      } else {
        o.status = report::Status::Failed;
        o.message =
            fmt::format("GTID hole(s) on {}: {}{}", conn_name, join(strs(verdict.unexplained), ", "), allowed_note);
      }
    } catch (const db::Error& e) {
      if (ctx.stop.stop_requested()) throw StepError("gtid_contiguous cancelled");
      throw StepError("reading GTIDs on '" + conn_name + "' failed: " + e.what());
    } catch (const std::invalid_argument& e) {
      throw StepError(e.what());
    }
    return o;
  }
};

}  // namespace
std::unique_ptr<StepType> make_gtid_contiguous() {
  return std::make_unique<GtidContiguous>();
}
}  // namespace tc::plugins
