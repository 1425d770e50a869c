#include "sandbox/flavour.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "util/text.hpp"

namespace tc::toolkit {

namespace {
std::uint64_t to_u64(const std::string& s, const std::string& what) {
  if (!all_digits(s)) throw std::invalid_argument("bad number '" + s + "' in GTID " + what);
  return std::stoull(s);
}

bool is_interval(const std::string& s) {
  return !s.empty() && std::isdigit(static_cast<unsigned char>(s[0]));
}
}  // namespace

GtidSet GtidSet::parse(FlavourKind kind, const std::string& text) {
  GtidSet g;
  g.kind_ = kind;
  std::string compact;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) compact += c;
  if (compact.empty()) return g;
  for (const auto& part : split_on(compact, ',')) {
    if (part.empty()) throw std::invalid_argument("empty element in GTID set '" + text + "'");
    if (kind == FlavourKind::MariaDB) {
      auto f = split_on(part, '-');
      if (f.size() != 3) throw std::invalid_argument("MariaDB GTID must be domain-server-seq, got '" + part + "'");
      MariaGtid m{static_cast<std::uint32_t>(to_u64(f[0], part)), static_cast<std::uint32_t>(to_u64(f[1], part)),
                  to_u64(f[2], part)};
      if (g.maria_.count(m.domain)) throw std::invalid_argument("domain " + f[0] + " appears twice in '" + text + "'");
      g.maria_[m.domain] = m;
    } else {
      auto f = split_on(part, ':');
      if (f.size() < 2 || f[0].size() != 36)
        throw std::invalid_argument("MySQL GTID must be uuid:interval, got '" + part + "'");
      std::string key = f[0];
      std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
      size_t i = 1;
      if (!is_interval(f[1])) key += ":" + f[i++];  // MySQL 8.3+ tagged GTIDs: uuid:tag:1-5
      Intervals& iv = g.mysql_[key];
      for (; i < f.size(); ++i) {
        auto ab = split_on(f[i], '-');
        if (ab.size() > 2) throw std::invalid_argument("bad interval '" + f[i] + "' in '" + part + "'");
        std::uint64_t a = to_u64(ab[0], part), b = ab.size() == 2 ? to_u64(ab[1], part) : a;
        if (a == 0 || b < a) throw std::invalid_argument("bad interval '" + f[i] + "' in '" + part + "'");
        iv.emplace_back(a, b);
      }
      if (iv.empty()) throw std::invalid_argument("no interval in '" + part + "'");
      std::sort(iv.begin(), iv.end());
    }
  }
  return g;
}

std::string GtidSet::str() const {
  std::vector<std::string> parts;
  for (const auto& [d, m] : maria_) parts.push_back(fmt::format("{}-{}-{}", m.domain, m.server, m.seq));
  for (const auto& [k, iv] : mysql_) {
    std::string s = k;
    for (const auto& [a, b] : iv) s += a == b ? fmt::format(":{}", a) : fmt::format(":{}-{}", a, b);
    parts.push_back(s);
  }
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "," : "") + parts[i];
  return out;
}

GtidSet::MariaGtid GtidSet::maria(std::uint32_t domain) const {
  auto it = maria_.find(domain);
  return it == maria_.end() ? MariaGtid{domain, 0, 0} : it->second;
}

GtidSet::Intervals GtidSet::intervals(const std::string& source) const {
  std::string key = source;
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  auto it = mysql_.find(key);
  return it == mysql_.end() ? Intervals{} : it->second;
}

std::uint64_t GtidSet::last_seq(const std::string& key) const {
  if (kind_ == FlavourKind::MariaDB) return maria(static_cast<std::uint32_t>(to_u64(key, "domain"))).seq;
  auto iv = intervals(key);
  return iv.empty() ? 0 : iv.back().second;
}

std::uint64_t GtidSet::holes() const {
  std::uint64_t n = 0;
  for (const auto& [k, iv] : mysql_) {
    for (size_t i = 1; i < iv.size(); ++i)
      if (iv[i].first > iv[i - 1].second + 1) n += iv[i].first - iv[i - 1].second - 1;
  }
  return n;
}

Flavour Flavour::from_version(const std::string& version) {
  Flavour f;
  std::string v = version;
  // MariaDB 10.x replication-compatible prefix "5.5.5-10.11.6-MariaDB".
  if (v.starts_with("5.5.5-")) v = v.substr(6);
  std::string lower = v;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  f.kind = lower.find("mariadb") != std::string::npos ? FlavourKind::MariaDB : FlavourKind::MySQL;
  int* parts[] = {&f.major, &f.minor, &f.patch};
  size_t p = 0;
  for (int i = 0; i < 3 && p < v.size(); ++i) {
    size_t q = p;
    while (q < v.size() && std::isdigit(static_cast<unsigned char>(v[q]))) ++q;
    if (q == p) break;
    *parts[i] = std::stoi(v.substr(p, q - p));
    if (q >= v.size() || v[q] != '.') break;
    p = q + 1;
  }
  if (f.major == 0) throw std::invalid_argument("cannot read a server version from '" + version + "'");
  return f;
}

std::string Flavour::name() const {
  return fmt::format("{} {}.{}.{}", is_mariadb() ? "MariaDB" : "MySQL", major, minor, patch);
}

bool Flavour::at_least(int ma, int mi, int pa) const {
  return std::tie(major, minor, patch) >= std::tie(ma, mi, pa);
}

std::string Flavour::binlog_status_sql() const {
  // MySQL 8.4 removed SHOW MASTER STATUS (deprecated since 8.2 in favour of SHOW BINARY LOG STATUS).
  if (!is_mariadb() && at_least(8, 2)) return "SHOW BINARY LOG STATUS";
  return "SHOW MASTER STATUS";
}

std::string Flavour::gtid_position_sql() const {
  return is_mariadb() ? "SELECT @@GLOBAL.gtid_binlog_pos AS gtid" : "SELECT @@GLOBAL.gtid_executed AS gtid";
}

std::string Flavour::replica_status_sql() const {
  if (is_mariadb()) return at_least(10, 5, 1) ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
  return at_least(8, 0, 22) ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
}

std::string Flavour::gtid_identity_sql() const {
  return is_mariadb() ? "SELECT @@GLOBAL.gtid_domain_id AS domain, @@GLOBAL.server_id AS server_id"
                      : "SELECT @@GLOBAL.server_uuid AS uuid, @@GLOBAL.server_id AS server_id";
}

std::string Flavour::gtid_mode_sql() const {
  return is_mariadb() ? "SELECT 'ON' AS gtid_mode" : "SELECT @@GLOBAL.gtid_mode AS gtid_mode";
}

std::string Flavour::gtid_key(FlavourKind, const std::string& domain_or_uuid) {
  return domain_or_uuid;
}

std::vector<std::string> Flavour::gtid_gap_statements(const std::string& key, std::uint64_t current_last,
                                                      std::uint64_t gap, const std::string& write_stmt) const {
  std::uint64_t next = current_last + gap + 1;
  if (is_mariadb()) {
    // The next event group of this session is logged with this seq_no; later ones continue after it.
    return {fmt::format("SET SESSION gtid_seq_no = {}", next), write_stmt};
  }
  return {fmt::format("SET SESSION GTID_NEXT = '{}:{}'", key, next), "BEGIN", write_stmt, "COMMIT",
          "SET SESSION GTID_NEXT = 'AUTOMATIC'"};
}

}  // namespace tc::toolkit
