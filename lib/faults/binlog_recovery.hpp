#pragma once
// Undoing recorded binlog corruptions from the ledger: shared by `toolkit restore` and by every path that
// (re)starts the sandbox server, which must never start on a binlog whose magic number is still zeroed.
#include <string>
#include <vector>

#include "faults/ledger.hpp"
#include "util/json.hpp"

namespace tc::toolkit {

/// Restores one outstanding corruption from its backup (keeping what was written since) and marks it undone.
/// Returns {ledger_id, kind, file, path, backup, bytes_restored, ...} or, when it cannot, the same with "error"
/// (a --no-backup entry is marked undone too: nothing can ever undo it).
Json restore_corruption(Ledger& ledger, const LedgerEntry& e);

/// Restores every outstanding corruption of this state dir's sandbox binlogs, newest first, before the server
/// is (re)started. Returns what it restored; throws std::runtime_error naming the files (and saying to run
/// `toolkit restore --all`) when one cannot be restored, so the caller does not start the server.
/// `files_replaced` (a fresh data dir from the template): the corrupted files are gone, the entries are only
/// marked undone.
Json restore_sandbox_corruptions(const std::string& state_dir, bool files_replaced = false);

}  // namespace tc::toolkit
