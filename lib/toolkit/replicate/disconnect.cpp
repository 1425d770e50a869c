// disconnect: binlog rotations around bursts of inserts, the file switches a reader must follow.
#include <fmt/format.h>

#include "datagen/data_gen.hpp"
#include "toolkit/replicate.hpp"

namespace tc::toolkit {

namespace {
using Clock = std::chrono::steady_clock;

void run_disconnect(CommandEnv& env, Session& s, const ReplicateOptions& o) {
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
}  // namespace

ReplicationStress declare_stress_disconnect() {
  return {.name = "disconnect",
          .summary = "rotate the binlog around bursts of --burst inserts for --duration s",
          .run = run_disconnect};
}

}  // namespace tc::toolkit
