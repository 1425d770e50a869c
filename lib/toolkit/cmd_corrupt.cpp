// `corrupt`: back up a binlog file, record the fault in the ledger, then truncate it, overwrite random bytes,
// or zero its magic number; prints exactly what changed.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <filesystem>
#include <random>

#include "faults/binlog_corruption.hpp"
#include "faults/binlog_fault.hpp"
#include "faults/ledger.hpp"
#include "toolkit/command.hpp"
#include "toolkit/interlock.hpp"
#include "toolkit/session.hpp"
#include "util/file_util.hpp"

namespace fs = std::filesystem;

namespace tc::toolkit {

namespace {
struct CorruptOptions {
  std::string type;
  int percentage = 50;
  int count = 10;
  std::string file;
  bool no_backup = false;
  bool force = false;
  std::string binlog_dir;
  long long seed = -1;
};

std::string stamp() {
  auto now = std::chrono::system_clock::now();
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  return fmt::format("{:%Y%m%dT%H%M%S}.{:06d}", fmt::gmtime(std::chrono::system_clock::to_time_t(now)), us);
}

// Holds FLUSH TABLES WITH READ LOCK so no commit writes to the binlog between backup and corruption.
struct WriteFreeze {
  db::Connection& conn;
  bool held = false;
  explicit WriteFreeze(db::Connection& c) : conn(c) {
    try {
      conn.execute("SET SESSION lock_wait_timeout = 10");
      conn.execute("FLUSH TABLES WITH READ LOCK");
      held = true;
    } catch (const db::Error&) {
    }
  }
  ~WriteFreeze() {
    try {
      if (held) conn.execute("UNLOCK TABLES");
    } catch (...) {
    }
  }
};
}  // namespace

void add_corrupt_command(CLI::App& app, CommandEnv& env) {
  auto* cmd = app.add_subcommand("corrupt", "corrupt a binlog file (backed up first, recorded in the ledger)");
  auto o = std::make_shared<CorruptOptions>();
  std::string type_help;
  for (const auto& c : binlog_corruptions()) type_help += (type_help.empty() ? "" : "; ") + c.name + ": " + c.summary;
  cmd->add_option("--type", o->type, type_help)->required()->check(CLI::IsMember(corruption_names()));
  cmd->add_option("--percentage", o->percentage, "truncate: keep this % of the file (50)")->check(CLI::Range(0, 99));
  cmd->add_option("--count", o->count, "random-bytes: how many bytes to overwrite (10)")->check(CLI::Range(1, 1000000));
  cmd->add_option("--file", o->file, "binlog file name (default: the current binlog)");
  cmd->add_flag("--no-backup", o->no_backup, "do not back the file up (needs --force: it cannot be restored then)");
  cmd->add_flag("--force", o->force, "confirm --no-backup");
  cmd->add_option("--binlog-dir", o->binlog_dir, "local binlog directory of a --source server (declares it ours)");
  cmd->add_option("--seed", o->seed, "random seed for random-bytes (default: random)");
  cmd->callback([&env, o] {
    if (o->no_backup && !o->force)
      throw CommandFailure(
          "--no-backup refused: without a backup the binlog cannot be restored; add --force if you mean it");
    Session s = Session::open(env.cfg, o->binlog_dir);
    require_destructive_allowed(env.cfg, "corrupt a binlog (corrupt --type " + o->type + ")", s.conn.get());
    if (!s.source.owned())
      throw CommandFailure(
          "refusing to corrupt " + s.source.dsn.str() +
          ": it is not the sandbox and no local binlog directory is configured (--binlog-dir or TC_BINLOG_DIR)");
    std::string name = o->file.empty() ? s.binlog_position().first : o->file;
    std::string path = binlog_file_path(s.source.binlog_dir, name);
    std::mt19937_64 rng(o->seed >= 0 ? static_cast<std::uint64_t>(o->seed) : std::random_device{}());

    Json plan, meta;
    std::string id;
    {
      WriteFreeze freeze(*s.conn);
      if (!freeze.held) say(env, "warning: could not pause writes (FLUSH TABLES WITH READ LOCK); continuing");
      plan = plan_corruption(path, o->type, o->percentage, o->count, rng);
      std::string backup;
      if (!o->no_backup) {
        backup = s.source.state_dir + "/backups/" + name + "." + stamp() + ".bak";
        backup_binlog(path, backup, plan["size_before"].get<std::uintmax_t>());
      }
      Json details = plan;
      details["backup"] = backup.empty() ? Json(nullptr) : Json(backup);
      details["source"] = s.source.sandbox ? "sandbox" : s.source.dsn.str();
      id = Ledger(s.source.state_dir).record("binlog." + o->type, details);  // durable before the file changes
      apply_corruption(plan);
      meta = details;
      meta["ledger_id"] = id;
      meta["created_at"] = stamp();
      // What a test case asserts: the backup exists, has the original's size, and its bytes (sha256).
      if (!backup.empty()) {
        meta["backup_size"] = fs::file_size(backup);
        meta["backup_sha256"] = sha256_file(backup);
      }
      if (!backup.empty()) write_json_file(backup + ".json", meta);
    }
    auto size_after = fs::file_size(path);
    env.result.output = plan;
    env.result.output["size_after"] = size_after;
    env.result.output["backup"] = meta["backup"];
    env.result.output["backup_size"] = meta.value("backup_size", Json(nullptr));
    env.result.output["backup_sha256"] = meta.value("backup_sha256", Json(nullptr));
    env.result.output["ledger_id"] = id;
    env.result.fault = FaultChange::applied;
    say(env, fmt::format("corrupted {} ({}): {}", name, o->type, path));
    say(env, fmt::format("  backup: {}", meta["backup"].is_null() ? std::string("NONE (--no-backup --force)")
                                                                  : meta["backup"].get<std::string>()));
    if (plan.contains("truncate_to")) {
      say(env, fmt::format("  truncated from {} to {} bytes ({}%), removed {} bytes at offsets {}..{}",
                           plan["size_before"].dump(), plan["truncate_to"].dump(), o->percentage,
                           plan["removed_bytes"].dump(), plan["truncate_to"].dump(),
                           plan["size_before"].get<std::uintmax_t>() - 1));
    } else {
      for (const auto& c : plan["changes"])
        say(env, fmt::format("  offset {:>10}: {} -> {}", c["offset"].dump(), c["before"].get<std::string>(),
                             c["after"].get<std::string>()));
    }
    say(env, fmt::format("  ledger: {} (undo with `toolkit restore`)", id));
  });
}

CommandOutputs corrupt_outputs() {
  using O = scenario::OutputType;
  return {"corrupt",
          {{"type", O::Text, "truncate, random-bytes or magic-number"},
           {"path", O::Text, "the binlog file corrupted"},
           {"file", O::Text, "its name"},
           {"size_before", O::Number, "its size before, bytes"},
           {"size_after", O::Number, "its size after, bytes"},
           {"percentage", O::Number, "truncate: the % kept"},
           {"truncate_to", O::Number, "truncate: the new size"},
           {"removed_bytes", O::Number, "truncate: bytes cut"},
           {"header_bytes", O::Number, "random-bytes: the header left alone"},
           {"changes", O::List, "bytes changed: offset, before, after (hex)"},
           {"backup", O::Text, "the backup's path (null with --no-backup)"},
           {"backup_size", O::Number, "the backup's size, bytes (= size_before)"},
           {"backup_sha256", O::Text, "SHA-256 of the backup"},
           {"ledger_id", O::Text, "the fault's ledger entry"},
           {"value", O::Any, "the command's text"},
           {"exit_code", O::Number, "0 when it ran"}}};
}

}  // namespace tc::toolkit
