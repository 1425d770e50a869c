#include "datagen/data_gen.hpp"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/statement.h>
#include <fcntl.h>
#include <fmt/compile.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <thread>

namespace tc::toolkit {

namespace {
constexpr std::array kFirst = {"James",   "Mary",  "John",    "Patricia",  "Robert", "Jennifer",
                               "Michael", "Linda", "William", "Elizabeth", "David",  "Barbara",
                               "Richard", "Susan", "Joseph",  "Jessica"};
constexpr std::array kLast = {"Smith",     "Johnson",  "Williams",  "Brown", "Jones",  "Garcia",   "Miller", "Davis",
                              "Rodriguez", "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor"};
constexpr std::array kStatus = {"active", "inactive", "pending"};
constexpr std::array kDomain = {"example.com", "example.org", "test.com", "mail.com"};

// Errors meaning "LOCAL INFILE is not allowed here" (server or client side): use INSERTs instead.
bool local_infile_refused(int code) {
  return code == 1148 /* ER_NOT_ALLOWED_COMMAND */ || code == 2068 /* CR_LOAD_DATA_LOCAL_INFILE_REJECTED */ ||
         code == 3948 /* MySQL 8 ER_CLIENT_LOCAL_FILES_DISABLED */ || code == 4166;
}

bool write_all(int fd, const std::string& buf) {
  size_t off = 0;
  while (off < buf.size()) {
    ssize_t n = ::write(fd, buf.data() + off, buf.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}
}  // namespace

UserFaker::UserFaker(std::uint64_t seed, std::uint64_t first, std::uint64_t step)
    : rng_(seed), n_(first), step_(step ? step : 1) {}

std::uint64_t UserFaker::take() {
  auto n = n_;
  n_ += step_;
  return n;
}

UserRow UserFaker::next() {
  auto r = rng_();
  const char* first = kFirst[r % kFirst.size()];
  const char* last = kLast[(r >> 8) % kLast.size()];
  std::string tag = fmt::format("{:x}{}", (r >> 16) & 0xffffff, take());
  return {fmt::format("{} {}", first, last),
          fmt::format("{}.{}.{}@{}", first, last, tag, kDomain[(r >> 48) % kDomain.size()]),
          kStatus[(r >> 56) % kStatus.size()]};
}

void UserFaker::append_tsv(std::string& out) {
  // Same draws and values as next(); the words never hold a tab, newline or backslash, so no escaping.
  // A compiled format into a stack buffer: the runtime-parsed format into a std::string was half the client's
  // CPU in a 1M-row load (CPU the server's sessions need on a small machine).
  auto r = rng_();
  const char* first = kFirst[r % kFirst.size()];
  const char* last = kLast[(r >> 8) % kLast.size()];
  char line[160];  // longest: 9 + 1 + 9 + 1 + 9 + 1 + 9 + 1 + 6 + 20 + 1 + 11 + 1 + 8 + 1 = 88
  auto* end =
      fmt::format_to(line, FMT_COMPILE("{} {}\t{}.{}.{:x}{}@{}\t{}\n"), first, last, first, last, (r >> 16) & 0xffffff,
                     take(), kDomain[(r >> 48) % kDomain.size()], kStatus[(r >> 56) % kStatus.size()]);
  out.append(line, end);
}

bool valid_table_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$')) return false;
  return true;
}

struct UserInserter::Impl {
  db::Connection& conn;
  std::string table;
  int batch;
  InsertMethod method;
  std::map<int, std::unique_ptr<sql::PreparedStatement>> stmts;  // by row count: the full batch and one remainder
  std::string fifo_dir;                                          // private dir holding the FIFO (load)
  long long stored = 0;                                          // by the current/last insert()

  ~Impl() {
    if (!fifo_dir.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(fifo_dir, ec);
    }
  }

  sql::PreparedStatement& stmt(int rows) {
    auto& p = stmts[rows];
    if (!p) {
      std::string q = "INSERT INTO `" + table + "` (name, email, status) VALUES ";
      for (int i = 0; i < rows; ++i) q += i ? ",(?,?,?)" : "(?,?,?)";
      p.reset(conn.raw().prepareStatement(q));
    }
    return *p;
  }

  long long insert_rows(int rows, UserFaker& faker) {
    auto& st = stmt(rows);
    unsigned idx = 1;
    for (int i = 0; i < rows; ++i) {
      UserRow u = faker.next();
      st.setString(idx++, u.name);
      st.setString(idx++, u.email);
      st.setString(idx++, u.status);
    }
    st.executeUpdate();
    return rows;
  }

  // A FIFO in a private directory: the client library reads it like a file while a thread writes the rows,
  // so nothing touches the disk and generating overlaps with the server inserting.
  std::string fifo() {
    if (fifo_dir.empty()) {
      std::string tmpl = (std::filesystem::temp_directory_path() / "tc-gen-XXXXXX").string();  // honours TMPDIR
      if (!::mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a temporary directory for LOAD DATA");
      fifo_dir = tmpl;
      if (::mkfifo((fifo_dir + "/rows").c_str(), 0600) != 0)
        throw std::runtime_error("cannot create a FIFO for LOAD DATA in " + fifo_dir);
      int one = 1;
      conn.raw().setClientOption("OPT_LOCAL_INFILE", &one);
    }
    return fifo_dir + "/rows";
  }

  long long load_rows(int rows, UserFaker& faker) {
    std::string path = fifo();
    std::atomic<bool> cancel{false};
    std::thread writer([&] {
      // A reader that stops early makes write() fail with EPIPE; the signal stays pending on this thread only.
      sigset_t set;
      sigemptyset(&set);
      sigaddset(&set, SIGPIPE);
      pthread_sigmask(SIG_BLOCK, &set, nullptr);
      int fd = -1;
      // Non-blocking open fails (ENXIO) until the client library opens the FIFO; a refused statement never
      // does, so poll with a cancel flag instead of blocking forever.
      while (!cancel.load()) {
        fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0 || errno != ENXIO) break;
        ::usleep(20);
      }
      if (fd < 0) return;
      ::fcntl(fd, F_SETFL, 0);
      ::fcntl(fd, F_SETPIPE_SZ, 1 << 20);  // best effort: fewer wake-ups
      std::string buf;
      buf.reserve((256 << 10) + 256);
      for (int i = 0; i < rows; ++i) {
        faker.append_tsv(buf);
        if (buf.size() >= (256 << 10)) {
          if (!write_all(fd, buf)) break;
          buf.clear();
        }
      }
      if (!buf.empty()) write_all(fd, buf);
      ::close(fd);
    });
    long long n = 0;
    try {
      std::unique_ptr<sql::Statement> st(conn.raw().createStatement());
      n = st->executeUpdate("LOAD DATA LOCAL INFILE '" + conn.escape(path) + "' INTO TABLE `" + table +
                            "` CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '' "
                            "LINES TERMINATED BY '\\n' (name, email, status)");
    } catch (...) {
      cancel = true;
      writer.join();
      throw;
    }
    cancel = true;
    writer.join();
    if (n != rows) throw db::Error(0, "", fmt::format("LOAD DATA into {} stored {} of {} rows", table, n, rows));
    return n;
  }
};

UserInserter::UserInserter(db::Connection& conn, const std::string& table, int batch, InsertMethod method)
    : impl_(new Impl{conn, table, batch, method, {}, {}, 0}) {
  if (!valid_table_name(table)) {
    delete impl_;
    throw std::invalid_argument("invalid table name '" + table + "'");
  }
  int max = method == InsertMethod::load ? 1000000 : 20000;
  if (batch < 1 || batch > max) {
    delete impl_;
    throw std::invalid_argument(fmt::format("batch must be 1..{} rows", max));
  }
}

UserInserter::~UserInserter() {
  delete impl_;
}

InsertMethod UserInserter::method() const {
  return impl_->method;
}

long long UserInserter::last_stored() const {
  return impl_->stored;
}

long long UserInserter::insert(long long count, UserFaker& faker, std::stop_token stop) {
  long long& done = impl_->stored;
  done = 0;
  try {
    while (done < count && !stop.stop_requested()) {
      if (impl_->method == InsertMethod::load) {
        int rows = static_cast<int>(std::min<long long>(impl_->batch, count - done));
        try {
          done += impl_->load_rows(rows, faker);
          continue;
        } catch (const sql::SQLException& e) {
          if (!local_infile_refused(e.getErrorCode())) throw;
          impl_->method = InsertMethod::insert;  // refused before any row of it was stored: carry on with INSERTs
          impl_->batch = std::min(impl_->batch, 1000);
        }
      }
      int rows = static_cast<int>(std::min<long long>(impl_->batch, count - done));
      done += impl_->insert_rows(rows, faker);
    }
  } catch (const sql::SQLException& e) {
    throw db::Error(e.getErrorCode(), e.getSQLState(),
                    fmt::format("insert into {} failed after {} rows: {} (error {})", impl_->table, done, e.what(),
                                e.getErrorCode()));
  }
  return done;
}

}  // namespace tc::toolkit
