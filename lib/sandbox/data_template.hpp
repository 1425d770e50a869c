#pragma once
// The seeded template data directory, built once per mariadbd build and copied for every fresh server.
#include <chrono>
#include <string>

namespace tc::toolkit {

/// Where a template lives and how long it took to make (0 when it already existed).
struct TemplateInfo {
  std::string datadir;
  std::chrono::milliseconds build_time{0};
};

/// Returns the template under <cache_dir>/template/<key>/data, building it first if needed (safe across
/// processes: flock). The template holds the seeded state with an EMPTY binlog (RESET MASTER, files removed):
/// a copy starts at mysql-bin.000001 with @@gtid_binlog_pos '', and a replica made from the same template
/// starts from GTID '' without replaying the seed.
TemplateInfo ensure_template(const std::string& cache_dir);

/// The one template cache of this user, shared by every state dir (so a first `toolkit up` anywhere copies instead
/// of bootstrapping): $TC_TEMPLATE_DIR, else $XDG_CACHE_HOME/tc-run, else ~/.cache/tc-run.
std::string shared_template_dir();

}  // namespace tc::toolkit
