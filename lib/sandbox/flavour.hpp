#pragma once
// Every MySQL-vs-MariaDB difference the toolkit cares about, in one place: SQL text and GTID formats.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tc::toolkit {

enum class FlavourKind { MariaDB, MySQL };

/// A GTID set in either format. MariaDB: "domain-server-seq" per domain (the last GTID of each domain).
/// MySQL: "uuid[:tag]:a-b:c,..." intervals per source (executed transactions).
class GtidSet {
 public:
  struct MariaGtid {
    std::uint32_t domain = 0, server = 0;
    std::uint64_t seq = 0;
  };
  using Intervals = std::vector<std::pair<std::uint64_t, std::uint64_t>>;  // inclusive, sorted

  /// Parses the server's text; throws std::invalid_argument naming the bad part.
  static GtidSet parse(FlavourKind kind, const std::string& text);
  FlavourKind kind() const { return kind_; }
  bool empty() const { return maria_.empty() && mysql_.empty(); }
  std::string str() const;
  /// MariaDB: the GTID of a domain (seq 0 when absent). MySQL: not used.
  MariaGtid maria(std::uint32_t domain) const;
  /// MySQL: the intervals of one source ("uuid" or "uuid:tag"); empty when absent.
  Intervals intervals(const std::string& source) const;
  /// Highest sequence number: of the domain (MariaDB, key = domain number) or of the source (MySQL, key = uuid).
  std::uint64_t last_seq(const std::string& key) const;
  /// Numbers missing between the first and last interval of each MySQL source (always 0 for MariaDB,
  /// whose position keeps only the last GTID per domain).
  std::uint64_t holes() const;

 private:
  FlavourKind kind_ = FlavourKind::MariaDB;
  std::map<std::uint32_t, MariaGtid> maria_;
  std::map<std::string, Intervals> mysql_;
};

/// The server kind and version, and the SQL that differs between them.
struct Flavour {
  FlavourKind kind = FlavourKind::MariaDB;
  int major = 0, minor = 0, patch = 0;

  /// From SELECT VERSION(): "10.11.19-MariaDB-0+deb12u1-log" or "8.4.3".
  static Flavour from_version(const std::string& version);
  std::string name() const;
  bool is_mariadb() const { return kind == FlavourKind::MariaDB; }
  bool at_least(int ma, int mi, int pa = 0) const;

  /// Current binlog file and position (columns File, Position).
  std::string binlog_status_sql() const;
  /// One row, one column: the GTID set/position of what the binlog holds.
  std::string gtid_position_sql() const;
  /// Replica status (SHOW SLAVE STATUS on MariaDB and MySQL < 8.0.22).
  std::string replica_status_sql() const;
  /// One row identifying where this server's own GTIDs come from: domain_id + server_id, or server_uuid.
  std::string gtid_identity_sql() const;
  /// Whether GTIDs are on (MariaDB: always, one row "ON"; MySQL: @@gtid_mode).
  std::string gtid_mode_sql() const;
  /// The key of this server's own GTIDs for GtidSet::last_seq: the domain (MariaDB) or the uuid (MySQL).
  static std::string gtid_key(FlavourKind kind, const std::string& domain_or_uuid);
  /// Statements that commit `write_stmt` as one transaction numbered `gap` past the current last one,
  /// leaving `gap` numbers unused: MariaDB sets gtid_seq_no, MySQL sets GTID_NEXT.
  std::vector<std::string> gtid_gap_statements(const std::string& key, std::uint64_t current_last, std::uint64_t gap,
                                               const std::string& write_stmt) const;
};

}  // namespace tc::toolkit
