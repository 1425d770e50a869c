#include "daemon/daemon_protocol.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace tc::toolkit {

using Clock = std::chrono::steady_clock;

DaemonPaths::DaemonPaths(const std::string& d)
    : socket(d + "/daemon.sock"), pid_file(d + "/daemon.pid"), log(d + "/daemon.log"), config(d + "/daemon.json") {}

Json DaemonConfig::to_json() const {
  return Json{{"state_dir", state_dir},
              {"upstream", {{"host", upstream.host}, {"port", upstream.port}, {"socket", upstream.socket}}},
              {"public_port", public_port},
              {"service", service.to_json()}};
}

DaemonConfig DaemonConfig::from_json(const Json& j) {
  if (!j.is_object() || !j.contains("upstream") || !j["upstream"].is_object())
    throw std::runtime_error("daemon config: missing \"upstream\"");
  DaemonConfig c;
  c.state_dir = j.value("state_dir", "");
  const auto& u = j["upstream"];
  c.upstream.host = u.value("host", "127.0.0.1");
  c.upstream.port = u.value("port", 0);
  c.upstream.socket = u.value("socket", "");
  if (c.upstream.socket.empty() && (c.upstream.port <= 0 || c.upstream.port > 65535))
    throw std::runtime_error("daemon config: upstream needs a port (1-65535) or a socket");
  c.public_port = j.value("public_port", 0);
  if (c.public_port < 0 || c.public_port > 65535) throw std::runtime_error("daemon config: bad public_port");
  c.service = ServiceSpec::from_json(j.value("service", Json::object()));
  return c;
}

void DaemonConfig::save() const {
  std::filesystem::create_directories(state_dir);
  DaemonPaths p(state_dir);
  std::string tmp = p.config + ".tmp";
  {
    std::ofstream out(tmp);
    out << to_json().dump(2) << "\n";
    if (!out) throw std::runtime_error("cannot write " + tmp);
  }
  std::filesystem::rename(tmp, p.config);
}

DaemonConfig DaemonConfig::load(const std::string& state_dir) {
  DaemonPaths p(state_dir);
  std::ifstream in(p.config);
  if (!in) throw std::runtime_error("no daemon config at " + p.config);
  Json j = Json::parse(in, nullptr, false);
  if (j.is_discarded()) throw std::runtime_error("malformed JSON in " + p.config);
  auto c = from_json(j);
  c.state_dir = state_dir;
  return c;
}

Json daemon_request(const std::string& socket_path, const Json& request, std::chrono::milliseconds timeout) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw DaemonUnavailable(std::string("socket: ") + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof a.sun_path) throw DaemonUnavailable("socket path too long: " + socket_path);
  std::strcpy(a.sun_path, socket_path.c_str());
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
    throw DaemonUnavailable("toolkit daemon not running (" + socket_path + ": " + std::strerror(errno) + ")");
  std::string line = request.dump() + "\n";
  if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size()))
    throw DaemonUnavailable("cannot send to the toolkit daemon");
  std::string reply;
  auto deadline = Clock::now() + timeout;
  char buf[4096];
  while (reply.find('\n') == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) == 0)
      throw std::runtime_error("the toolkit daemon did not answer within " + std::to_string(timeout.count()) + " ms");
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) throw std::runtime_error("the toolkit daemon closed the connection without an answer");
    reply.append(buf, static_cast<size_t>(n));
  }
  Json j = Json::parse(reply.substr(0, reply.find('\n')), nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw std::runtime_error("malformed answer from the toolkit daemon");
  return j;
}

}  // namespace tc::toolkit
