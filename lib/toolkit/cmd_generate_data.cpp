// `generate-data`: random users, N per batch, once or every --interval seconds until stopped.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>

#include "datagen/data_gen.hpp"
#include "datagen/parallel_insert.hpp"
#include "sandbox/seed.hpp"
#include "toolkit/command.hpp"
#include "toolkit/session.hpp"

namespace tc::toolkit {

void add_generate_data_command(CLI::App& app, CommandEnv& env) {
  auto* cmd = app.add_subcommand("generate-data", "insert random users (name, email, status)");
  auto count = std::make_shared<long long>(100);
  auto interval = std::make_shared<double>(0);
  auto table = std::make_shared<std::string>("users");
  auto batch = std::make_shared<int>(0);
  auto method_word = std::make_shared<std::string>("load");
  auto connections = std::make_shared<int>(0);
  cmd->add_option("--count", *count, "rows per batch (100)")->check(CLI::Range(1LL, 100000000LL));
  cmd->add_option("--interval", *interval, "seconds between batches; 0 = one batch (0)")
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--table", *table, "table to insert into; created like users if missing (users)");
  cmd->add_option("--batch", *batch, "rows per statement (load: 500000, max 1000000; insert: 1000, max 20000)")
      ->check(CLI::Range(1, 1000000));
  // A word, not CLI11's enum transformer: its help text would show the enum's numbers.
  cmd->add_option("--method", *method_word,
                  "load: LOAD DATA LOCAL streamed from memory (falls back to insert when refused); "
                  "insert: prepared multi-row INSERTs (load)")
      ->check(CLI::IsMember({"load", "insert"}));
  cmd->add_option("--connections", *connections,
                  "sessions inserting at the same time (0 = one per core, at most 4, when the server allows "
                  "concurrent bulk inserts); batches under 20000 rows use one")
      ->check(CLI::Range(0, 16));
  cmd->callback([&env, count, interval, table, batch, method_word, connections] {
    auto method = std::make_shared<InsertMethod>(*method_word == "insert" ? InsertMethod::insert : InsertMethod::load);
    // LOAD DATA: large statements (the reference's one INSERT per batch, split between the sessions) load
    // fastest; 500k rows keeps one transaction's binlog group well under max_binlog_size.
    int rows_per_statement = *batch > 0 ? *batch : *method == InsertMethod::load ? 500000 : 1000;
    if (*method == InsertMethod::insert && rows_per_statement > 20000)
      throw CommandFailure("--batch: at most 20000 rows per INSERT statement");
    if (!valid_table_name(*table)) throw CommandFailure("--table: '" + *table + "' is not a plain table name");
    Session s;
    bool created = false;
    std::string gtid_before;
    int sessions = 1;
    auto open_inserter = [&] {
      return std::make_unique<ParallelInserter>([&env] { return Session::open(env.cfg).conn; }, *table, sessions,
                                                rows_per_statement, *method);
    };
    std::unique_ptr<ParallelInserter> ins;
    int failed_batches = 0;
    auto interval_ms = std::chrono::milliseconds(static_cast<long long>(*interval * 1000));
    // A continuous generator rides out an outage that is already on when it starts (a service stopped at once)
    // as it rides out later ones: the first connection is retried every interval too.
    while (!ins) {
      try {
        s = Session::open(env.cfg);
        auto exists = s.conn->query(
            "SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = '" +
            *table + "' AND column_name IN ('name','email','status')");
        long long cols = exists.scalar().get<long long>();
        if (cols == 0) {
          auto t = s.conn->query(
              "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '" +
              *table + "'");
          if (t.scalar().get<long long>() > 0)
            throw CommandFailure("table " + *table + " has no name/email/status columns");
          s.conn->execute(users_table_ddl(*table));
          created = true;
          say(env, "created table " + *table + " (like users)");
        } else if (cols < 3) {
          throw CommandFailure("table " + *table + " lacks some of the name/email/status columns");
        }
        gtid_before = s.gtid();
        sessions = *connections > 0 ? *connections : default_insert_connections(*s.conn);
        ins = open_inserter();
      } catch (const CommandFailure&) {
        throw;
      } catch (const std::exception& e) {
        if (*interval <= 0) throw;
        ++failed_batches;
        say(env, fmt::format("[{:%H:%M:%S}] cannot reach the source yet, retrying next interval: {}",
                             fmt::localtime(std::time(nullptr)), e.what()));
        if (!sleep_or_stop(env.stop, interval_ms)) break;
      }
    }
    int used = 0;
    long long total = 0;
    int batches = 0;
    auto t0 = std::chrono::steady_clock::now();
    double insert_seconds = 0;
    const bool started = ins != nullptr;  // false: stopped before the source was ever reached
    while (started && !env.stop.stop_requested()) {
      auto b0 = std::chrono::steady_clock::now();
      long long n = 0;
      try {
        if (!ins) {  // reconnect after an outage (e.g. `network --down --type service`)
          s = Session::open(env.cfg);
          ins = open_inserter();
          say(env, fmt::format("[{:%H:%M:%S}] reconnected to the source", fmt::localtime(std::time(nullptr))));
        }
        n = ins->insert(*count, env.stop);
        used = std::max(used, ins->connections_used());
      } catch (const std::exception& e) {
        // A one-shot run reports the failure; a continuous generator rides out outages and counts them.
        if (*interval <= 0) throw;
        ++failed_batches;
        used = std::max(used, ins ? ins->connections_used() : 0);
        ins.reset();
        say(env, fmt::format("[{:%H:%M:%S}] batch failed, retrying next interval: {}",
                             fmt::localtime(std::time(nullptr)), e.what()));
      }
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - b0).count();
      insert_seconds += secs;
      total += n;
      ++batches;
      if (*interval > 0 || n != *count)
        say(env, fmt::format("[{:%H:%M:%S}] inserted {} rows into {} (total {})", fmt::localtime(std::time(nullptr)), n,
                             *table, total));
      if (*interval <= 0) break;
      if (!sleep_or_stop(env.stop, std::chrono::milliseconds(static_cast<long long>(*interval * 1000)))) break;
    }
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // The first session may have died in an outage that no batch ran into: read the position on a fresh one.
    std::string gtid_after;
    try {
      gtid_after = s.conn ? s.gtid() : Session::open(env.cfg).gtid();
    } catch (const std::exception&) {
      try {
        gtid_after = Session::open(env.cfg).gtid();
      } catch (const std::exception& e) {
        gtid_after = std::string("unknown: ") + e.what();
      }
    }
    double rate = insert_seconds > 0 ? total / insert_seconds : 0;
    env.result.output = {{"table", *table},
                         {"rows", total},
                         {"batches", batches},
                         {"failed_batches", failed_batches},
                         {"seconds", elapsed},
                         {"rows_per_s", static_cast<long long>(rate)},
                         {"method", (ins ? ins->method() : *method) == InsertMethod::load ? "load" : "insert"},
                         {"connections", used},
                         {"stopped", env.stop.stop_requested()},
                         {"created_table", created},
                         {"gtid_before", gtid_before},
                         {"gtid_after", gtid_after}};
    say(env, fmt::format("{}inserted {} rows into {} in {:.3f} s ({:.0f} rows/s while inserting)",
                         env.stop.stop_requested() ? "stopped: " : "", total, *table, elapsed, rate));
  });
}

CommandOutputs generate_data_outputs() {
  using O = scenario::OutputType;
  return {"generate-data",
          {{"table", O::Text, "the table written"},
           {"rows", O::Number, "rows inserted"},
           {"batches", O::Number, "batches run"},
           {"failed_batches", O::Number, "batches that failed in an outage (retried next interval)"},
           {"seconds", O::Number, "how long it ran"},
           {"rows_per_s", O::Number, "insert rate while inserting"},
           {"method", O::Text, "load or insert"},
           {"connections", O::Number, "sessions used"},
           {"stopped", O::Bool, "whether it was stopped (a background step)"},
           {"created_table", O::Bool, "whether it created the table"},
           {"gtid_before", O::Text, "the GTID position before"},
           {"gtid_after", O::Text, "the GTID position after"},
           {"value", O::Any, "the command's text"},
           {"exit_code", O::Number, "0 when it ran"}}};
}

}  // namespace tc::toolkit
