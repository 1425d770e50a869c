// lag: a slow trickle of single-row updates, so a pipeline falls behind a source that never stops changing.
#include <fmt/format.h>

#include <random>

#include "toolkit/replicate.hpp"

namespace tc::toolkit {

namespace {
using Clock = std::chrono::steady_clock;

void run_lag(CommandEnv& env, Session& s, const ReplicateOptions& o) {
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
}  // namespace

ReplicationStress declare_stress_lag() {
  return {
      .name = "lag", .summary = "trickle single-row updates of users for --duration s (10 per second)", .run = run_lag};
}

}  // namespace tc::toolkit
