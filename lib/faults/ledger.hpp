#pragma once
// The fault ledger: every fault is written durably before it is applied and marked undone after,
// so a crash never leaves a fault behind unknown. One JSON line per record, fsync'd, in the state dir.
#include <string>
#include <vector>

#include "util/json.hpp"

namespace tc::toolkit {

/// One fault as the ledger knows it.
struct LedgerEntry {
  std::string id;          // unique ("f-<time>-<n>")
  std::string kind;        // network.reject, network.timeout, network.latency, network.flap, service.stop,
                           // binlog.truncate, binlog.random-bytes, binlog.magic-number, gtid.gap, ...
  Json details;            // what is needed to undo it (e.g. backup path, file, offsets)
  std::string applied_at;  // ISO-8601 UTC
  int owner_pid = 0;       // the process that applied it
};

/// The ledger file of one state directory; safe across processes (flock).
class Ledger {
 public:
  explicit Ledger(const std::string& state_dir);
  /// Writes the entry (durably) and returns its id. Call before applying the fault.
  std::string record(const std::string& kind, const Json& details);
  /// Marks an entry undone (durably). Unknown ids are ignored.
  void mark_undone(const std::string& id);
  /// Entries recorded and not yet undone, oldest first.
  std::vector<LedgerEntry> outstanding() const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace tc::toolkit
