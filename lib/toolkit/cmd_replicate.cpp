// `replicate`: replication stress on the source: lag (slow trickle of updates), disconnect (binlog rotations
// around bursts of inserts), gtid-gap (a real hole in the GTID sequence).
#include <fmt/format.h>

#include <random>

#include "datagen/data_gen.hpp"
#include "faults/ledger.hpp"
#include "sandbox/flavour.hpp"
#include "toolkit/command.hpp"
#include "toolkit/interlock.hpp"
#include "toolkit/session.hpp"

namespace tc::toolkit {

namespace {
struct ReplicateOptions {
  std::string scenario;
  double duration = 60;
  long long gap = 100;
  int burst = 1000;
};

using Clock = std::chrono::steady_clock;

void lag(CommandEnv& env, Session& s, const ReplicateOptions& o) {
  auto ids = s.conn->query("SELECT COALESCE(MIN(id),0) AS lo, COALESCE(MAX(id),0) AS hi FROM users").rows.front();
  long long lo = ids["lo"].get<long long>(), hi = ids["hi"].get<long long>();
  if (hi == 0) throw CommandFailure("users is empty: nothing to update (run generate-data first)");
  std::mt19937_64 rng(std::random_device{}());
  std::uniform_int_distribution<long long> pick(lo, hi);
  const char* statuses[] = {"active", "inactive", "pending"};
  auto end = Clock::now() + std::chrono::milliseconds(static_cast<long long>(o.duration * 1000));
  long long updates = 0, rows = 0;
  say(env, fmt::format("lag: trickling single-row updates of users for {} s (10 per second)", o.duration));
  while (Clock::now() < end) {
    rows += s.conn->execute(fmt::format("UPDATE users SET status = '{}', updated_at = NOW() WHERE id = {}",
                                        statuses[updates % 3], pick(rng)));
    ++updates;
    if (!sleep_or_stop(env.stop, std::chrono::milliseconds(100))) break;
  }
  env.result.output["updates"] = updates;
  env.result.output["rows_changed"] = rows;
  say(env, fmt::format("lag: {} updates ({} rows changed)", updates, rows));
}

void disconnect(CommandEnv& env, Session& s, const ReplicateOptions& o) {
  auto end = Clock::now() + std::chrono::milliseconds(static_cast<long long>(o.duration * 1000));
  UserInserter ins(*s.conn, "users");
  UserFaker faker;
  Json rotations = Json::array();
  long long rows = 0;
  do {
    s.conn->execute("FLUSH BINARY LOGS");
    std::string from = s.binlog_position().first;
    long long n = ins.insert(o.burst, faker, env.stop);
    s.conn->execute("FLUSH BINARY LOGS");
    std::string to = s.binlog_position().first;
    rows += n;
    rotations.push_back({{"burst_file", from}, {"rows", n}, {"next_file", to}});
    say(env, fmt::format("disconnect: rotated to {}, inserted {} rows, rotated to {}", from, n, to));
  } while (Clock::now() < end && sleep_or_stop(env.stop, std::chrono::seconds(5)) && Clock::now() < end);
  env.result.output["rotations"] = rotations;
  env.result.output["rows"] = rows;
}

void gtid_gap(CommandEnv& env, Session& s, const ReplicateOptions& o) {
  auto ident = s.conn->query(s.flavour.gtid_identity_sql()).rows.front();
  std::string key = s.flavour.is_mariadb() ? ident["domain"].dump() : ident["uuid"].get<std::string>();
  std::string before_text = s.gtid();
  GtidSet before = GtidSet::parse(s.flavour.kind, before_text);
  std::uint64_t last = before.last_seq(key);
  std::uint64_t expected = last + static_cast<std::uint64_t>(o.gap) + 1;
  std::string write = "INSERT INTO users (name, email, status) VALUES ('GTID Gap', 'gtid.gap@example.com', 'pending')";
  Json details = {
      {"key", key}, {"before", before_text}, {"gap", o.gap}, {"expected_seq", expected}, {"permanent", true}};
  Ledger ledger(s.source.state_dir);
  std::string id = ledger.record("gtid.gap", details);
  for (const auto& stmt : s.flavour.gtid_gap_statements(key, last, static_cast<std::uint64_t>(o.gap), write))
    s.conn->execute(stmt);
  ledger.mark_undone(id);  // a GTID gap cannot be taken back; the record says it happened
  std::string after_text = s.gtid();
  GtidSet after = GtidSet::parse(s.flavour.kind, after_text);
  std::uint64_t now_last = after.last_seq(key);
  if (now_last != expected)
    throw CommandFailure(
        fmt::format("the GTID gap did not take effect: expected sequence {} after {}, the server is at {}", expected,
                    before_text, after_text));
  std::uint64_t gap = now_last - last - 1;
  env.result.output.update({{"gtid_before", before_text},
                            {"gtid_after", after_text},
                            {"gap", gap},
                            {"skipped_from", last + 1},
                            {"skipped_to", now_last - 1},
                            {"ledger_id", id}});
  say(env, fmt::format("gtid-gap: before {}", before_text.empty() ? "(empty)" : before_text));
  say(env, fmt::format("gtid-gap: after  {}", after_text));
  say(env, fmt::format("gtid-gap: {} sequence numbers skipped ({}..{}) in {} {}", gap, last + 1, now_last - 1,
                       s.flavour.is_mariadb() ? "domain" : "source", key));
}
}  // namespace

void add_replicate_command(CLI::App& app, CommandEnv& env) {
  auto* cmd = app.add_subcommand("replicate", "replication stress: lag, disconnect, gtid-gap");
  auto o = std::make_shared<ReplicateOptions>();
  cmd->add_option("--scenario", o->scenario, "lag | disconnect | gtid-gap")
      ->required()
      ->check(CLI::IsMember({"lag", "disconnect", "gtid-gap"}));
  cmd->add_option("--duration", o->duration, "seconds for lag and disconnect (60)")->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--gap", o->gap, "gtid-gap: how many sequence numbers to skip (100)")
      ->check(CLI::Range(1LL, 1000000000LL));
  cmd->add_option("--burst", o->burst, "disconnect: rows inserted between rotations (1000)")
      ->check(CLI::Range(1, 10000000));
  cmd->callback([&env, o] {
    Session s = Session::open(env.cfg);
    if (o->scenario == "gtid-gap")
      require_destructive_allowed(env.cfg, "make a GTID gap (replicate --scenario gtid-gap)", s.conn.get());
    env.result.output = {{"scenario", o->scenario}};
    auto t0 = Clock::now();
    if (o->scenario == "lag")
      lag(env, s, *o);
    else if (o->scenario == "disconnect")
      disconnect(env, s, *o);
    else
      gtid_gap(env, s, *o);
    env.result.output["seconds"] = std::chrono::duration<double>(Clock::now() - t0).count();
  });
}

}  // namespace tc::toolkit
