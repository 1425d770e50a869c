#include "db/connection.hpp"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include <mutex>

namespace tc::db {

namespace {
std::mutex g_driver_mutex;  // get_driver_instance/connect are not thread-safe in 1.1

[[noreturn]] void rethrow(const sql::SQLException& e, const std::string& context) {
  throw Error(e.getErrorCode(), e.getSQLState(),
              context + e.what() + " (error " + std::to_string(e.getErrorCode()) + ")");
}

Json cell(sql::ResultSet& rs, uint32_t i, int type) {
  if (rs.isNull(i)) return nullptr;
  switch (type) {
    case sql::DataType::BIT:
    case sql::DataType::TINYINT:
    case sql::DataType::SMALLINT:
    case sql::DataType::MEDIUMINT:
    case sql::DataType::INTEGER:
    case sql::DataType::BIGINT: {
      std::string s = rs.getString(i);
      try {
        if (!s.empty() && s[0] == '-') return std::stoll(s);
        return std::stoull(s);
      } catch (...) {
        return s;
      }
    }
    case sql::DataType::REAL:
    case sql::DataType::DOUBLE: return static_cast<double>(rs.getDouble(i));
    default: return std::string(rs.getString(i));
  }
}
}  // namespace

Json Result::scalar() const {
  if (rows.empty() || columns.empty()) return nullptr;
  return rows.front()[columns.front()];
}

Connection::Connection(Dsn dsn, std::unique_ptr<sql::Connection> c) : dsn_(std::move(dsn)), conn_(std::move(c)) {}
Connection::~Connection() {
  try {
    if (conn_) conn_->close();
  } catch (...) {
  }
}

std::unique_ptr<Connection> Connection::open(const Dsn& dsn, const ConnectOptions& opts) {
  sql::ConnectOptionsMap props;
  if (!dsn.socket.empty()) {
    props["hostName"] = sql::SQLString("localhost");
    props["socket"] = sql::SQLString(dsn.socket);
  } else {
    props["hostName"] = sql::SQLString(dsn.host);
    props["port"] = dsn.port;
  }
  props["userName"] = sql::SQLString(dsn.user);
  props["password"] = sql::SQLString(dsn.password);
  if (!dsn.database.empty()) props["schema"] = sql::SQLString(dsn.database);
  props["OPT_CONNECT_TIMEOUT"] = static_cast<int>(opts.connect_timeout.count());
  if (opts.read_timeout.count() > 0) props["OPT_READ_TIMEOUT"] = static_cast<int>(opts.read_timeout.count());
  if (opts.write_timeout.count() > 0) props["OPT_WRITE_TIMEOUT"] = static_cast<int>(opts.write_timeout.count());
  props["OPT_RECONNECT"] = false;
  std::unique_ptr<sql::Connection> c;
  try {
    sql::Driver* driver;
    {
      std::lock_guard lock(g_driver_mutex);
      driver = sql::mysql::get_mysql_driver_instance();
      c.reset(driver->connect(props));
    }
  } catch (const sql::SQLException& e) {
    rethrow(e, "connect to " + dsn.str() + ": ");
  }
  auto conn = std::unique_ptr<Connection>(new Connection(dsn, std::move(c)));
  conn->thread_id_ = conn->scalar("SELECT CONNECTION_ID()").get<unsigned long long>();
  return conn;
}

Result Connection::query(const std::string& sql_text) {
  Result r;
  try {
    std::unique_ptr<sql::Statement> st(conn_->createStatement());
    bool has_rs = st->execute(sql_text);
    if (!has_rs) {
      r.affected = static_cast<long long>(st->getUpdateCount());
      // Drain further results of multi-statements are not used; one statement per call.
      return r;
    }
    std::unique_ptr<sql::ResultSet> rs(st->getResultSet());
    sql::ResultSetMetaData* md = rs->getMetaData();
    uint32_t n = md->getColumnCount();
    std::vector<int> types(n);
    for (uint32_t i = 1; i <= n; ++i) {
      r.columns.push_back(md->getColumnLabel(i));
      types[i - 1] = md->getColumnType(i);
    }
    while (rs->next()) {
      Json row = Json::object();
      for (uint32_t i = 1; i <= n; ++i) row[r.columns[i - 1]] = cell(*rs, i, types[i - 1]);
      r.rows.push_back(std::move(row));
    }
  } catch (const sql::SQLException& e) {
    rethrow(e, "");
  }
  return r;
}

long long Connection::execute(const std::string& sql_text) {
  return query(sql_text).affected;
}

void Connection::kill_query() {
  auto other = Connection::open(dsn_);
  other->execute("KILL QUERY " + std::to_string(thread_id_));
}

std::string Connection::escape(const std::string& s) const {
  std::string out;
  out.reserve(s.size() + 2);
  for (char c : s) {
    switch (c) {
      case '\0': out += "\\0"; break;
      case '\'': out += "\\'"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\x1a': out += "\\Z"; break;
      default: out += c;
    }
  }
  return out;
}

std::string quote_ident(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`')
      out += "``";
    else
      out += c;
  }
  return out + "`";
}

}  // namespace tc::db
