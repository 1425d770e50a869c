#include "sandbox/data_template.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "db/connection.hpp"
#include "sandbox/seed.hpp"
#include "sandbox/server.hpp"
#include "util/file_util.hpp"
#include "util/process.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace tc::toolkit {

namespace {
// The template depends on the server build (the binary's size and mtime: no process to spawn) and on the seed
// (its statements' hash): a changed seed never reuses an old template.
std::string template_key() {
  std::string seed;
  for (const auto& stmt : seed_statements()) seed += stmt + ";\n";
  std::string seed_key = "-seed-" + sha256_text(seed).substr(0, 12);
  struct stat st {};
  for (const char* p : {"/usr/sbin/mariadbd", "/usr/sbin/mysqld"})
    if (::stat(p, &st) == 0)
      return "mariadb-" + std::to_string(st.st_size) + "-" + std::to_string(st.st_mtime) + seed_key;
  return "mariadb" + seed_key;
}

struct FileLock {
  int fd;
  explicit FileLock(const std::string& path) : fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (fd < 0) throw std::runtime_error("cannot open lock " + path);
    ::flock(fd, LOCK_EX);
  }
  ~FileLock() {
    ::flock(fd, LOCK_UN);
    ::close(fd);
  }
};

void build(const std::string& dir) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir + "/tmp");
  // A private tmpdir: two bootstraps at once (parallel jobs, each with its state dir) otherwise share /tmp's
  // "#sql-temptable-<pid>-..." files and one fails with "Unknown table 'mysql.tmp_user_sys'".
  std::vector<std::string> install = {"mariadb-install-db",
                                      "--no-defaults",
                                      "--datadir=" + dir + "/data",
                                      "--tmpdir=" + dir + "/tmp",
                                      "--auth-root-authentication-method=normal",
                                      "--skip-test-db",
                                      "--innodb-log-file-size=16M",
                                      "--innodb-buffer-pool-size=64M"};
  if (::geteuid() == 0) install.push_back("--user=root");
  ProcessOptions popts;
  popts.timeout = std::chrono::minutes(2);
  auto r = run_process(install, popts);
  if (r.exit_code != 0)
    throw std::runtime_error("mariadb-install-db failed (exit " + std::to_string(r.exit_code) +
                             "): " + excerpt(r.err + r.out, 15, 2000));

  ServerOptions sopts;
  sopts.dir = dir;
  Server server(sopts);
  server.start();
  try {
    auto conn = db::Connection::open(server.dsn("root", "", true));
    for (const auto& stmt : seed_statements()) conn->execute(stmt);
    // Users that install-db made and the reference does not have (anonymous, root@<hostname>, root@::1).
    auto extra = conn->query(
        "SELECT user AS u, host AS h FROM mysql.user WHERE (user = '' OR user = 'root') AND host NOT IN "
        "('localhost','127.0.0.1','%')");
    for (const auto& row : extra.rows)
      conn->execute("DROP USER '" + conn->escape(row.value("u", "")) + "'@'" + conn->escape(row.value("h", "")) + "'");
    conn->execute("RESET MASTER");
  } catch (...) {
    server.stop();
    throw;
  }
  server.stop();
  // Keep only the data files: every copy starts its own binlog, socket and logs.
  for (const auto& e : fs::directory_iterator(dir + "/data")) {
    std::string name = e.path().filename().string();
    if (name.starts_with("mysql-bin.") || name.starts_with("relay-bin") || name == "ibtmp1" || name == "mysqld.pid")
      fs::remove(e.path());
  }
  for (const char* f : {"/server.json", "/error.log", "/mysqld.pid"}) fs::remove(dir + f, ec);
  fs::remove_all(dir + "/tmp", ec);
}
}  // namespace

std::string shared_template_dir() {
  if (const char* d = std::getenv("TC_TEMPLATE_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/tc-run";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/tc-run";
  return fs::temp_directory_path().string() + "/tc-run-cache-" + std::to_string(::getuid());
}

TemplateInfo ensure_template(const std::string& cache_dir) {
  std::string base = fs::absolute(cache_dir).lexically_normal().string() + "/template";
  fs::create_directories(base);
  std::string key = template_key();
  std::string final_dir = base + "/" + key;
  TemplateInfo info{final_dir + "/data", {}};
  if (fs::exists(final_dir + "/READY")) return info;
  FileLock lock(base + "/.lock");
  if (fs::exists(final_dir + "/READY")) return info;  // another process built it while we waited
  auto t0 = std::chrono::steady_clock::now();
  std::string work = base + "/" + key + ".building";
  build(work);
  std::error_code ec;
  fs::remove_all(final_dir, ec);
  fs::rename(work, final_dir);
  int fd = ::open((final_dir + "/READY").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
  info.build_time = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  return info;
}

}  // namespace tc::toolkit
