#include "sandbox/server.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <thread>

#include "util/file_util.hpp"
#include "util/text.hpp"

namespace bp = boost::process;
namespace fs = std::filesystem;

namespace tc::toolkit {

namespace {
using Clock = std::chrono::steady_clock;

std::string find_mariadbd() {
  for (const char* p : {"/usr/sbin/mariadbd", "/usr/sbin/mysqld", "/usr/libexec/mariadbd"})
    if (fs::exists(p)) return p;
  auto found = bp::search_path("mariadbd");
  if (!found.empty()) return found.string();
  throw std::runtime_error("mariadbd not found (install Debian's mariadb-server package)");
}

// Connects to the unix socket and reads the first bytes of the server greeting: proof it serves clients.
bool greets(const std::string& socket_path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_path.c_str(), sizeof(addr.sun_path) - 1);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    pollfd p{fd, POLLIN, 0};
    char buf[8];
    ok = ::poll(&p, 1, 2000) == 1 && ::read(fd, buf, sizeof(buf)) > 4;
  }
  ::close(fd);
  return ok;
}

std::string read_cmdline(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (char& c : s)
    if (c == '\0') c = ' ';
  return s;
}

// The pid is ours only if it still runs mariadbd on our data dir (pids get reused).
bool is_our_server(int pid, const std::string& datadir) {
  if (pid <= 0 || !process_alive(pid)) return false;
  std::string cmd = read_cmdline(pid);
  return cmd.find("--datadir=" + datadir) != std::string::npos;
}
}  // namespace

Json ServerInfo::to_json() const {
  return {{"pid", pid},
          {"port", port},
          {"socket", socket},
          {"datadir", datadir},
          {"error_log", error_log},
          {"server_id", server_id},
          {"start_ms", start_time.count()}};
}

ServerInfo ServerInfo::from_json(const Json& j) {
  ServerInfo i;
  i.pid = j.value("pid", 0);
  i.port = j.value("port", 0);
  i.socket = j.value("socket", "");
  i.datadir = j.value("datadir", "");
  i.error_log = j.value("error_log", "");
  i.server_id = j.value("server_id", 0);
  i.start_time = std::chrono::milliseconds(j.value("start_ms", 0));
  return i;
}

int pick_free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket(): " + std::string(std::strerror(errno)));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof(a);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot bind a free loopback port: " + std::string(std::strerror(errno)));
  }
  int port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

bool process_alive(int pid) {
  if (pid <= 0) return false;
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) == pid) return false;  // our child, now reaped
  if (::kill(pid, 0) != 0 && errno == ESRCH) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  auto close_paren = line.rfind(')');
  if (close_paren == std::string::npos || close_paren + 2 >= line.size()) return false;
  char state = line[close_paren + 2];
  return state != 'Z' && state != 'X';
}

std::string socket_path_for(const std::string& dir) {
  std::string p = fs::absolute(dir).lexically_normal().string() + "/mysqld.sock";
  if (p.size() < sizeof(sockaddr_un::sun_path) - 1) return p;
  return "/tmp/tc-" + std::to_string(std::hash<std::string>{}(p)) + ".sock";
}

Server::Server(ServerOptions opts) : opts_(std::move(opts)) {
  if (opts_.dir.empty()) throw std::invalid_argument("Server needs a directory");
  opts_.dir = fs::absolute(opts_.dir).lexically_normal().string();
  info_.datadir = datadir();
  info_.socket = socket_path_for(opts_.dir);
  info_.error_log = error_log_path();
  info_.server_id = opts_.server_id;
  info_.port = opts_.port;
}

Server Server::attach(const std::string& dir) {
  ServerOptions o;
  o.dir = dir;
  Server s(o);
  Json j = read_json_file(s.opts_.dir + "/server.json");
  if (j.is_object()) {
    s.info_ = ServerInfo::from_json(j);
    s.opts_.port = s.info_.port;
    s.opts_.server_id = s.info_.server_id;
  }
  return s;
}

std::vector<std::string> Server::arguments() const {
  std::vector<std::string> a = {
      "--no-defaults",
      "--datadir=" + datadir(),
      "--socket=" + info_.socket,
      "--pid-file=" + opts_.dir + "/mysqld.pid",
      "--port=" + std::to_string(info_.port),
      "--bind-address=127.0.0.1",
      "--log-error=" + error_log_path(),
      "--server-id=" + std::to_string(opts_.server_id),
      "--skip-name-resolve",
      "--character-set-server=utf8mb4",
      "--collation-server=utf8mb4_general_ci",
      // Small and unsynced: a test server starts in well under a second and writes fast.
      "--innodb-buffer-pool-size=64M",
      "--innodb-log-file-size=16M",
      "--innodb-temp-data-file-path=ibtmp1:1M:autoextend",
      "--innodb-doublewrite=0",
      "--innodb-flush-log-at-trx-commit=2",
      "--innodb-buffer-pool-load-at-startup=0",
      "--innodb-buffer-pool-dump-at-shutdown=0",
      // Interleaved auto-increment: concurrent bulk inserts (generate-data's sessions) do not queue on a
      // table lock; safe because the binlog is row-based.
      "--innodb-autoinc-lock-mode=2",
      "--sync-binlog=0",
      "--performance-schema=OFF",
      "--loose-feedback=OFF",
      "--max-allowed-packet=64M",
      "--tmpdir=" + opts_.dir + "/tmp",
      "--relay-log=" + opts_.dir + "/data/relay-bin",
  };
  // InnoDB spins briefly on a busy latch, then sleeps on a futex. Concurrent bulk inserts (generate-data's
  // sessions) hold latches for less than a sleep and wake-up costs, so on a few cores a longer, paused spin wins:
  // two LOAD DATA sessions on 2 cores 1.3x faster than with the defaults (4, 30), and sleeping sooner is worse.
  if (std::thread::hardware_concurrency() <= 4) {
    a.emplace_back("--innodb-spin-wait-delay=1");
    a.emplace_back("--innodb-sync-spin-loops=3000");
  }
  if (::geteuid() == 0) a.insert(a.begin() + 1, "--user=root");
  if (opts_.log_bin) {
    for (const char* o :
         {"--log-bin=mysql-bin", "--binlog-format=ROW", "--binlog-row-image=FULL", "--max-binlog-size=100M"})
      a.emplace_back(o);
  }
  if (opts_.log_slave_updates) a.emplace_back("--log-slave-updates");
  for (const auto& line : opts_.extra) {
    std::string l = trim(line);
    if (l.empty() || l[0] == '#' || l[0] == '[') continue;
    a.push_back("--" + l);
  }
  return a;
}

void Server::start(std::chrono::milliseconds timeout) {
  if (running())
    throw std::runtime_error("a server is already running in " + opts_.dir + " (pid " + std::to_string(info_.pid) +
                             ")");
  fs::create_directories(opts_.dir + "/tmp");
  if (!fs::exists(datadir())) {
    if (opts_.template_dir.empty())
      throw std::runtime_error("no data directory " + datadir() + " and no template to copy");
    copy_tree(opts_.template_dir, datadir());
  }
  if (info_.port == 0) info_.port = opts_.port ? opts_.port : pick_free_port();
  std::error_code ec;
  fs::remove(info_.socket, ec);  // a stale socket from a killed server would be mistaken for a live one
  fs::remove(opts_.dir + "/mysqld.pid", ec);
  auto log_size0 = fs::exists(error_log_path()) ? fs::file_size(error_log_path()) : 0;

  auto t0 = Clock::now();
  bp::child child(find_mariadbd(), bp::args(arguments()), bp::std_in<bp::null, bp::std_out> bp::null,
                  bp::std_err > bp::null, bp::extend::on_exec_setup([](auto&) {
                    ::setsid();  // own session and process group: survives the command that started it
                    ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);  // no inherited client sockets or files
                  }),
                  ec);
  if (ec) throw std::runtime_error("cannot start mariadbd: " + ec.message());
  info_.pid = child.id();
  child.detach();

  while (true) {
    if (greets(info_.socket)) break;
    if (!process_alive(info_.pid)) {
      std::string log = read_file_from(error_log_path(), log_size0);
      throw std::runtime_error("mariadbd exited during start-up; error log " + error_log_path() + ":\n" +
                               excerpt(log, 15, 2000));
    }
    if (Clock::now() - t0 > timeout) {
      stop(std::chrono::seconds(2));
      throw std::runtime_error("mariadbd did not accept connections within " + std::to_string(timeout.count()) +
                               " ms; see " + error_log_path());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
  }
  info_.start_time = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  write_json_file(opts_.dir + "/server.json", info_.to_json());
}

bool Server::running() const {
  return is_our_server(info_.pid, datadir());
}

bool Server::stop(std::chrono::milliseconds grace) {
  if (!running()) return false;
  int pid = info_.pid;
  ::kill(pid, SIGTERM);
  auto t0 = Clock::now();
  while (process_alive(pid)) {
    if (Clock::now() - t0 > grace) {
      ::kill(-pid, SIGKILL);  // its own process group (setsid at start)
      ::kill(pid, SIGKILL);
      while (process_alive(pid)) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

db::Dsn Server::dsn(const std::string& user, const std::string& password, bool via_socket) const {
  db::Dsn d;
  d.user = user;
  d.password = password;
  d.host = "127.0.0.1";
  d.port = info_.port;
  if (via_socket) d.socket = info_.socket;
  return d;
}

}  // namespace tc::toolkit
