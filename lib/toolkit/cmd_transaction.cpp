// `transaction`: one big or long-open transaction (many-rows is ONE transaction: one GTID in the binlog).
#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <fmt/format.h>

#include <random>
#include <sstream>

#include "datagen/data_gen.hpp"
#include "sandbox/flavour.hpp"
#include "toolkit/command.hpp"
#include "toolkit/session.hpp"

namespace tc::toolkit {

namespace {
struct TxOptions {
  std::string type;
  long long rows = 1000;
  long long size_kb = 100;
  double duration = 60;
  std::string data_type = "text";
};

using Clock = std::chrono::steady_clock;

// This server's own last GTID sequence number (to count the transactions a command committed).
std::uint64_t own_seq(Session& s) {
  auto ident = s.conn->query(s.flavour.gtid_identity_sql()).rows.front();
  std::string key = s.flavour.is_mariadb() ? ident["domain"].dump() : ident["uuid"].get<std::string>();
  return GtidSet::parse(s.flavour.kind, s.gtid()).last_seq(key);
}

// Commits on success, rolls back if anything threw before.
struct Transaction {
  db::Connection& conn;
  bool open = true;
  explicit Transaction(db::Connection& c) : conn(c) { conn.execute("BEGIN"); }
  void commit() {
    conn.execute("COMMIT");
    open = false;
  }
  ~Transaction() {
    try {
      if (open) conn.execute("ROLLBACK");
    } catch (...) {
    }
  }
};

std::string random_payload(std::mt19937_64& rng, size_t n, bool binary) {
  static const char* alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string s(n, '\0');
  for (auto& c : s) {
    auto r = rng();
    c = binary ? static_cast<char>(r & 0xff) : alnum[r % 62];
  }
  return s;
}

Json large_data(CommandEnv& env, Session& s, const TxOptions& o) {
  s.conn->execute(
      "CREATE TABLE IF NOT EXISTS tc_large_data (id BIGINT AUTO_INCREMENT PRIMARY KEY, data_type VARCHAR(8) NOT NULL, "
      "payload_text LONGTEXT NULL, payload_blob LONGBLOB NULL, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP) "
      "ENGINE=InnoDB");
  bool blob = o.data_type == "blob";
  std::mt19937_64 rng(std::random_device{}());
  long long total = o.size_kb * 1024, left = total;
  const long long chunk = 1 << 20;  // rows of at most 1 MiB, all in the one transaction
  int rows = 0;
  std::uint64_t seq0 = own_seq(s);
  {
    Transaction tx(*s.conn);
    std::unique_ptr<sql::PreparedStatement> st(s.conn->raw().prepareStatement(
        blob ? "INSERT INTO tc_large_data (data_type, payload_blob) VALUES ('blob', ?)"
             : "INSERT INTO tc_large_data (data_type, payload_text) VALUES ('text', ?)"));
    try {
      while (left > 0) {
        std::string data = random_payload(rng, static_cast<size_t>(std::min(left, chunk)), blob);
        if (blob) {
          std::istringstream in(data);
          st->setBlob(1, &in);
          st->executeUpdate();
        } else {
          st->setString(1, data);
          st->executeUpdate();
        }
        left -= static_cast<long long>(data.size());
        ++rows;
      }
    } catch (const sql::SQLException& e) {
      throw CommandFailure(fmt::format("large-data insert failed: {} (error {})", e.what(), e.getErrorCode()));
    }
    tx.commit();
  }
  say(env, fmt::format("large-data: one transaction of {} KB of {} in {} row(s) of tc_large_data", o.size_kb,
                       o.data_type, rows));
  return {{"bytes", total},
          {"rows", rows},
          {"table", "tc_large_data"},
          {"data_type", o.data_type},
          {"transactions", own_seq(s) - seq0}};
}
}  // namespace

void add_transaction_command(CLI::App& app, CommandEnv& env) {
  auto* cmd = app.add_subcommand("transaction", "one big or long-open transaction");
  auto o = std::make_shared<TxOptions>();
  cmd->add_option("--type", o->type, "many-rows | large-data | long-running | mixed")
      ->required()
      ->check(CLI::IsMember({"many-rows", "large-data", "long-running", "mixed"}));
  cmd->add_option("--rows", o->rows, "rows for many-rows and mixed (1000)")->check(CLI::Range(1LL, 100000000LL));
  cmd->add_option("--size", o->size_kb, "KB of data for large-data (100)")->check(CLI::Range(1LL, 1024LL * 1024));
  cmd->add_option("--duration", o->duration, "seconds long-running keeps the transaction open (60)")
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--data-type", o->data_type, "text | blob, for large-data (text)")
      ->check(CLI::IsMember({"text", "blob"}));
  cmd->callback([&env, o] {
    Session s = Session::open(env.cfg);
    std::string gtid_before = s.gtid();
    std::uint64_t seq0 = own_seq(s);
    auto t0 = Clock::now();
    Json out = {{"type", o->type}};
    if (o->type == "many-rows") {
      UserInserter ins(*s.conn, "users");
      UserFaker faker;
      Transaction tx(*s.conn);
      long long n = ins.insert(o->rows, faker);
      tx.commit();
      out["rows"] = n;
      say(env, fmt::format("many-rows: {} rows inserted into users in ONE transaction", n));
    } else if (o->type == "large-data") {
      out.update(large_data(env, s, *o));
    } else if (o->type == "long-running") {
      Transaction tx(*s.conn);
      s.conn->execute(
          "INSERT INTO users (name, email, status) VALUES ('Long Running', 'long.running@example.com', 'pending')");
      long long id = s.conn->scalar("SELECT LAST_INSERT_ID()").get<long long>();
      say(env, fmt::format("long-running: transaction open (users id {} uncommitted), holding it for {} s", id,
                           o->duration));
      bool full = sleep_or_stop(env.stop, std::chrono::milliseconds(static_cast<long long>(o->duration * 1000)));
      tx.commit();
      out["row_id"] = id;
      out["held_s"] = std::chrono::duration<double>(Clock::now() - t0).count();
      out["interrupted"] = !full;
      say(env, fmt::format("long-running: committed after {:.1f} s{}", out["held_s"].get<double>(),
                           full ? "" : " (stopped early)"));
    } else {  // mixed: inserts, updates and deletes in one transaction
      UserInserter ins(*s.conn, "users");
      UserFaker faker;
      Transaction tx(*s.conn);
      long long first = s.conn->scalar("SELECT COALESCE(MAX(id), 0) FROM users").get<long long>() + 1;
      long long n = ins.insert(o->rows, faker);
      long long upd =
          s.conn->execute(fmt::format("UPDATE users SET status = 'inactive' WHERE id >= {} AND id % 2 = 0", first));
      long long del = s.conn->execute(fmt::format("DELETE FROM users WHERE id >= {} AND id % 4 = 1", first));
      tx.commit();
      out.update({{"inserted", n}, {"updated", upd}, {"deleted", del}});
      say(env, fmt::format("mixed: one transaction: {} inserted, {} updated, {} deleted", n, upd, del));
    }
    out["gtid_before"] = gtid_before;
    out["gtid_after"] = s.gtid();
    out["transactions"] = own_seq(s) - seq0;
    out["seconds"] = std::chrono::duration<double>(Clock::now() - t0).count();
    env.result.output = out;
    say(env, fmt::format("GTID {} -> {} ({} transaction(s))", gtid_before.empty() ? "(empty)" : gtid_before,
                         out["gtid_after"].get<std::string>(), out["transactions"].dump()));
  });
}

}  // namespace tc::toolkit
