#include "toolkit/data_gen.hpp"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <fmt/format.h>

#include <array>
#include <map>
#include <memory>

namespace tc::toolkit {

namespace {
constexpr std::array kFirst = {"James",   "Mary",  "John",    "Patricia",  "Robert", "Jennifer",
                               "Michael", "Linda", "William", "Elizabeth", "David",  "Barbara",
                               "Richard", "Susan", "Joseph",  "Jessica"};
constexpr std::array kLast = {"Smith",     "Johnson",  "Williams",  "Brown", "Jones",  "Garcia",   "Miller", "Davis",
                              "Rodriguez", "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor"};
constexpr std::array kStatus = {"active", "inactive", "pending"};
constexpr std::array kDomain = {"example.com", "example.org", "test.com", "mail.com"};
}  // namespace

UserFaker::UserFaker(std::uint64_t seed) : rng_(seed) {}

UserRow UserFaker::next() {
  auto r = rng_();
  const char* first = kFirst[r % kFirst.size()];
  const char* last = kLast[(r >> 8) % kLast.size()];
  ++n_;
  std::string tag = fmt::format("{:x}{}", (r >> 16) & 0xffffff, n_);
  return {fmt::format("{} {}", first, last),
          fmt::format("{}.{}.{}@{}", first, last, tag, kDomain[(r >> 48) % kDomain.size()]),
          kStatus[(r >> 56) % kStatus.size()]};
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
  std::map<int, std::unique_ptr<sql::PreparedStatement>> stmts;  // by row count: the full batch and one remainder

  sql::PreparedStatement& stmt(int rows) {
    auto& p = stmts[rows];
    if (!p) {
      std::string q = "INSERT INTO `" + table + "` (name, email, status) VALUES ";
      for (int i = 0; i < rows; ++i) q += i ? ",(?,?,?)" : "(?,?,?)";
      p.reset(conn.raw().prepareStatement(q));
    }
    return *p;
  }
};

UserInserter::UserInserter(db::Connection& conn, const std::string& table, int batch)
    : impl_(new Impl{conn, table, batch, {}}) {
  if (!valid_table_name(table)) throw std::invalid_argument("invalid table name '" + table + "'");
  if (batch < 1 || batch > 20000) throw std::invalid_argument("batch must be 1..20000 rows");
}

UserInserter::~UserInserter() {
  delete impl_;
}

long long UserInserter::insert(long long count, UserFaker& faker, std::stop_token stop) {
  long long done = 0;
  try {
    while (done < count && !stop.stop_requested()) {
      int rows = static_cast<int>(std::min<long long>(impl_->batch, count - done));
      auto& st = impl_->stmt(rows);
      unsigned idx = 1;
      for (int i = 0; i < rows; ++i) {
        UserRow u = faker.next();
        st.setString(idx++, u.name);
        st.setString(idx++, u.email);
        st.setString(idx++, u.status);
      }
      st.executeUpdate();
      done += rows;
    }
  } catch (const sql::SQLException& e) {
    throw db::Error(e.getErrorCode(), e.getSQLState(),
                    fmt::format("insert into {} failed after {} rows: {} (error {})", impl_->table, done, e.what(),
                                e.getErrorCode()));
  }
  return done;
}

}  // namespace tc::toolkit
