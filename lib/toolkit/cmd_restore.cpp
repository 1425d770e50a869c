// `restore`: undo binlog corruptions from their backups, keeping what the server wrote since (see binlog_fault.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "faults/binlog_recovery.hpp"
#include "faults/ledger.hpp"
#include "toolkit/command.hpp"
#include "toolkit/session.hpp"
#include "util/file_util.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace tc::toolkit {

namespace {
struct RestoreOptions {
  bool list = false, all = false, flush = false;
  std::string file;
};

Json list_backups(const std::string& state_dir, const std::vector<LedgerEntry>& outstanding) {
  Json out = Json::array();
  std::string dir = state_dir + "/backups";
  if (!fs::is_directory(dir)) return out;
  std::vector<fs::path> metas;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") metas.push_back(e.path());
  std::sort(metas.begin(), metas.end());
  for (const auto& p : metas) {
    Json m = read_json_file(p.string());
    if (!m.is_object()) continue;
    std::string id = m.value("ledger_id", "");
    bool pending =
        std::any_of(outstanding.begin(), outstanding.end(), [&](const LedgerEntry& e) { return e.id == id; });
    out.push_back({{"file", m.value("file", "")},
                   {"type", m.value("type", "")},
                   {"backup", m.value("backup", "")},
                   {"size", m.value("size_before", 0ULL)},
                   {"created_at", m.value("created_at", "")},
                   {"ledger_id", id},
                   {"sha256", m.value("backup_sha256", "")},
                   {"state", pending ? "outstanding" : "restored"},
                   {"restored", !pending}});
  }
  return out;
}
}  // namespace

void add_restore_command(CLI::App& app, CommandEnv& env) {
  auto* cmd = app.add_subcommand("restore", "undo binlog corruption from the backups (keeps events written since)");
  auto o = std::make_shared<RestoreOptions>();
  cmd->add_flag("--list", o->list, "list backups and whether they are restored");
  cmd->add_option("--file", o->file, "restore the corruptions of this binlog file");
  cmd->add_flag("--all", o->all, "restore every outstanding corruption");
  cmd->add_flag("--flush", o->flush, "then rotate to a new binlog file (FLUSH BINARY LOGS)");
  cmd->callback([&env, o] {
    std::string state_dir = env.cfg.resolved_state_dir();
    Ledger ledger(state_dir);
    std::vector<LedgerEntry> pending;
    for (auto& e : ledger.outstanding())
      if (e.kind.starts_with("binlog.")) pending.push_back(e);
    if (o->list) {
      Json l = list_backups(state_dir, pending);
      env.result.output = {{"backups", l}, {"outstanding", pending.size()}};
      if (l.empty()) say(env, "no backups in " + state_dir + "/backups");
      for (const auto& b : l)
        say(env,
            fmt::format("{:<20} {:<13} {:>10} B  {}  {}", b["file"].get<std::string>(), b["type"].get<std::string>(),
                        b["size"].dump(), b["restored"].get<bool>() ? "restored   " : "OUTSTANDING",
                        b["backup"].get<std::string>()));
      return;
    }
    std::vector<LedgerEntry> todo;
    if (o->all)
      todo = pending;
    else if (!o->file.empty()) {
      for (auto& e : pending)
        if (e.details.value("file", "") == o->file) todo.push_back(e);
      if (todo.empty()) say(env, "no outstanding corruption of " + o->file);
    } else if (!pending.empty())
      todo.push_back(pending.back());
    // Newest first: the oldest backup, written last, puts back the original bytes of every region.
    std::reverse(todo.begin(), todo.end());
    Json done = Json::array();
    int failures = 0;
    for (const auto& e : todo) {
      Json item = restore_corruption(ledger, e);
      if (item.contains("error")) {
        ++failures;
        say(env, item["backup"] == "" ? fmt::format("cannot restore {} ({}): it was corrupted with --no-backup",
                                                    item["file"].get<std::string>(), e.kind)
                                      : fmt::format("cannot restore {}: {}", item["file"].get<std::string>(),
                                                    item["error"].get<std::string>()));
      } else {
        say(env,
            fmt::format(
                "restored {} ({}): wrote {} backup bytes over the start, kept {} bytes written since; size {} -> {}",
                item["file"].get<std::string>(), e.kind, item["bytes_restored"].dump(),
                item["kept_after_backup"].dump(), item["size_before"].dump(), item["size_after"].dump()));
      }
      done.push_back(item);
    }
    if (todo.empty() && o->file.empty()) say(env, "nothing to restore (no outstanding binlog corruption)");
    env.result.output = {{"restored", done}, {"failures", failures}};
    if (!done.empty()) env.result.fault = FaultChange::undone;
    if (o->flush) {
      Session s = Session::open(env.cfg);
      s.conn->execute("FLUSH BINARY LOGS");
      auto [file, pos] = s.binlog_position();
      env.result.output["flushed_to"] = file;
      say(env, "flushed binary logs; now writing " + file);
    }
    if (failures) env.result.exit_code = 1;
  });
}

}  // namespace tc::toolkit
