#include "db/dsn.hpp"

#include <stdexcept>

#include "util/text.hpp"

namespace tc::db {

static std::string pct_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

Dsn Dsn::parse(const std::string& text) {
  Dsn d;
  std::string rest;
  if (text.starts_with("mysql://"))
    rest = text.substr(8);
  else if (text.starts_with("mariadb://"))
    rest = text.substr(10);
  else
    throw std::invalid_argument("DSN must start with mysql:// (got '" + text + "')");
  size_t q = rest.find('?');
  std::string query = q == std::string::npos ? "" : rest.substr(q + 1);
  rest = rest.substr(0, q);
  size_t at = rest.rfind('@');
  if (at != std::string::npos) {
    std::string cred = rest.substr(0, at);
    rest = rest.substr(at + 1);
    size_t colon = cred.find(':');
    d.user = pct_decode(cred.substr(0, colon));
    if (colon != std::string::npos) d.password = pct_decode(cred.substr(colon + 1));
  }
  size_t slash = rest.find('/');
  if (slash != std::string::npos) {
    d.database = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  size_t colon = rest.rfind(':');
  if (colon != std::string::npos) {
    std::string port = rest.substr(colon + 1);
    if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5)
      throw std::invalid_argument("DSN port is not a number: '" + port + "'");
    d.port = std::stoi(port);
    if (d.port <= 0 || d.port > 65535) throw std::invalid_argument("DSN port out of range: " + port);
    rest = rest.substr(0, colon);
  }
  if (!rest.empty()) d.host = rest;
  if (!query.empty()) {
    size_t p = 0;
    while (p <= query.size()) {
      size_t amp = query.find('&', p);
      std::string kv = query.substr(p, amp == std::string::npos ? std::string::npos : amp - p);
      size_t eq = kv.find('=');
      std::string k = kv.substr(0, eq), v = eq == std::string::npos ? "" : pct_decode(kv.substr(eq + 1));
      if (k == "socket")
        d.socket = v;
      else if (!k.empty())
        throw std::invalid_argument("unknown DSN option '" + k + "' (known: socket)");
      if (amp == std::string::npos) break;
      p = amp + 1;
    }
  }
  return d;
}

std::string Dsn::str(bool with_password) const {
  std::string s = "mysql://" + user;
  if (!password.empty()) s += ":" + (with_password ? password : std::string("******"));
  s += "@" + host + ":" + std::to_string(port);
  if (!database.empty()) s += "/" + database;
  if (!socket.empty()) s += "?socket=" + socket;
  return s;
}

}  // namespace tc::db
