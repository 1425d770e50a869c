#include "faults/binlog_recovery.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "faults/binlog_fault.hpp"
#include "util/file_util.hpp"

namespace tc::toolkit {

Json restore_corruption(Ledger& ledger, const LedgerEntry& e) {
  std::string path = e.details.value("path", "");
  std::string backup =
      e.details.contains("backup") && e.details["backup"].is_string() ? e.details["backup"].get<std::string>() : "";
  Json item = {
      {"ledger_id", e.id}, {"kind", e.kind}, {"file", e.details.value("file", "")}, {"path", path}, {"backup", backup}};
  if (backup.empty()) {
    item["error"] = "no backup (--no-backup); the file stays corrupted";
    ledger.mark_undone(e.id);  // nothing can ever undo it; do not report it as outstanding forever
    return item;
  }
  try {
    item.update(restore_binlog(path, backup));
    ledger.mark_undone(e.id);
    if (Json m = read_json_file(backup + ".json"); m.is_object()) {
      m["restored"] = true;
      write_json_file(backup + ".json", m);
    }
  } catch (const std::exception& ex) {
    item["error"] = ex.what();
  }
  return item;
}

Json restore_sandbox_corruptions(const std::string& state_dir, bool files_replaced) {
  Ledger ledger(state_dir);
  std::vector<LedgerEntry> todo;
  for (auto& e : ledger.outstanding())
    if (e.kind.rfind("binlog.", 0) == 0 && e.details.value("source", "") == "sandbox") todo.push_back(e);
  // Newest first: the oldest backup, written last, puts back the original bytes of every region.
  std::reverse(todo.begin(), todo.end());
  Json done = Json::array();
  std::vector<std::string> failed;
  for (const auto& e : todo) {
    if (files_replaced) {
      ledger.mark_undone(e.id);
      done.push_back({{"ledger_id", e.id}, {"kind", e.kind}, {"discarded", "the data dir was replaced"}});
      continue;
    }
    Json item = restore_corruption(ledger, e);
    if (item.contains("error"))
      failed.push_back(fmt::format("{} ({}): {}", item.value("file", ""), e.kind, item["error"].get<std::string>()));
    done.push_back(item);
  }
  if (!failed.empty())
    throw std::runtime_error(fmt::format(
        "refusing to start the sandbox server: its binlog is still corrupted and could not be restored ({}); a "
        "zeroed magic number keeps mariadbd from starting. Run `toolkit restore --all` (or restore the file by "
        "hand) first",
        fmt::join(failed, "; ")));
  return done;
}

}  // namespace tc::toolkit
