#include "daemon/daemon.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <utility>  // first: Boost.Asio 1.74's awaitable.hpp uses std::exchange without including it

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility> (breaks with GCC 12).
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "daemon/fault_probe.hpp"
#include "daemon/fault_type.hpp"
#include "faults/ledger.hpp"
#include "proxy/proxy.hpp"
#include "util/utc_time.hpp"

namespace tc::toolkit {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using SysClock = std::chrono::system_clock;
using ms = std::chrono::milliseconds;
using namespace std::chrono_literals;

namespace {
std::string iso(SysClock::time_point t) {
  return utc_iso(t);
}
std::string iso_at(Clock::time_point t) {
  return iso(SysClock::now() + std::chrono::duration_cast<SysClock::duration>(t - Clock::now()));
}

// A fault type the request may name for `verb`; throws naming the known ones.
const FaultType& fault_for(const std::string& type, FaultVerb verb) {
  const FaultType* f = find_fault(type);
  if (!f || f->verb != verb)
    throw std::invalid_argument("unknown fault type \"" + type + "\" (expected " +
                                fmt::format("{}", fmt::join(fault_names(verb), ", ")) + ")");
  return *f;
}
// The slots in the order the proxy's mode is decided: a blocked network wins over a stopped server's refusal.
const std::vector<std::string>& slots() {
  static const std::vector<std::string> s = [] {
    std::vector<std::string> out;
    for (const auto& f : fault_types())
      if (std::find(out.begin(), out.end(), f.slot) == out.end()) out.push_back(f.slot);
    return out;
  }();
  return s;
}

// A request's optional positive millisecond field.
std::optional<ms> opt_ms(const Json& req, const char* key) {
  if (!req.contains(key) || req[key].is_null()) return std::nullopt;
  if (!req[key].is_number_integer() || req[key].get<long long>() < 0)
    throw std::invalid_argument(fmt::format("\"{}\" must be a non-negative integer (milliseconds)", key));
  return ms(req[key].get<long long>());
}
}  // namespace

struct Daemon::Impl {
  // One active fault (or flap) in its slot.
  struct Active {
    uint64_t gen = 0;  // identifies this fault so a stale timer of a replaced one does nothing
    std::string type, ledger_id, phase_ledger_id, since;
    std::optional<Clock::time_point> until;
    bool on = false, flap = false;
    Clock::time_point flap_start{};
    ms interval{0}, latency{0}, jitter{0};
    int phase = 0;
    std::shared_ptr<asio::steady_timer> timer;
    Json cycles = Json::array();  // flap only: each cycle's down_at/up_at, for the per-cycle recovery table
  };

  DaemonConfig cfg;
  DaemonPaths paths;
  Ledger ledger;
  FaultProxy proxy;
  ServiceControl service;
  asio::io_context io;
  asio::local::stream_protocol::acceptor acceptor{io};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  int lock_fd = -1;
  std::string started_at;
  // When the proxy's behaviour last changed (mode or latency), and to what: a timed fault's real end shows here.
  std::string last_change_at, last_change;
  ProxyMode last_mode = ProxyMode::pass;
  std::chrono::milliseconds last_latency{0};

  std::mutex mu;  // serializes every fault change
  std::map<std::string, Active> active;
  bool service_down = false;
  uint64_t next_gen = 1;
  std::vector<Json> errors;  // failures of scheduled actions, shown by status
  // What the daemon did by itself, when: a timed fault's end, each flap toggle (the last 256). tc-run puts them
  // into its timeline at their real moments; no command of the run saw them happen.
  std::vector<Json> scheduled_changes;
  std::vector<Json> flap_history;  // ended flaps with their cycles (the last few), shown by status

  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stop_requested = false;

  explicit Impl(DaemonConfig c)
      : cfg(std::move(c)),
        paths(cfg.state_dir),
        ledger(cfg.state_dir),
        proxy(cfg.upstream, cfg.public_port),
        service(cfg.service, cfg.upstream, cfg.state_dir + "/service.log") {}

  Upstream public_addr() const { return Upstream{"127.0.0.1", proxy.port(), ""}; }

  // ---- applying faults ----

  void sync_proxy() {
    ProxyMode m = ProxyMode::pass;
    std::chrono::milliseconds latency = 0ms, jitter = 0ms;
    for (const auto& slot : slots()) {
      auto it = active.find(slot);
      if (it == active.end() || !it->second.on) continue;
      const FaultType& f = *find_fault(it->second.type);
      if (m == ProxyMode::pass) m = f.mode;
      if (f.delays) latency = it->second.latency, jitter = it->second.jitter;
    }
    if (m == ProxyMode::pass && service_down)
      m = ProxyMode::reject;  // a server a dead daemon left stopped refuses connections too
    proxy.set_mode(m);
    proxy.set_latency(latency, jitter);
    if (m != last_mode || latency != last_latency) {
      last_change_at = iso(SysClock::now());
      last_change =
          to_string(last_mode) + " -> " + to_string(m) +
          (latency != last_latency ? fmt::format(", latency {} -> {} ms", last_latency.count(), latency.count()) : "");
      last_mode = m;
      last_latency = latency;
    }
  }

  // A flap's cycle history: a cycle starts when the fault goes on and ends when it goes off.
  static void note_flap_edge(Active& a, bool on) {
    if (!a.flap) return;
    auto now = SysClock::now();
    long long epoch_ms = std::chrono::duration_cast<ms>(now.time_since_epoch()).count();
    if (on)
      a.cycles.push_back({{"cycle", a.cycles.size() + 1}, {"down_at", iso(now)}, {"down_at_ms", epoch_ms}});
    else if (!a.cycles.empty() && !a.cycles.back().contains("up_at"))
      a.cycles.back().update({{"up_at", iso(now)}, {"up_at_ms", epoch_ms}});
  }

  void turn_on(Active& a) {
    note_flap_edge(a, true);
    if (find_fault(a.type)->stops_server) {
      if (a.flap) a.phase_ledger_id = ledger.record(find_fault(a.type)->ledger_kind, {{"flap", a.ledger_id}});
      service.stop();
      service_down = true;
    }
    a.on = true;
    sync_proxy();
  }

  // The sandbox's private port changes when it restarts (toolkit down/up, or our service fault).
  void refresh_upstream() {
    auto u = service.upstream();
    if (u.str() != cfg.upstream.str()) {
      proxy.set_upstream(u);
      spdlog::info("upstream now {} (was {})", u.str(), cfg.upstream.str());
      cfg.upstream = u;
    }
  }

  void watch_upstream() {
    auto t = std::make_shared<asio::steady_timer>(io, 500ms);
    t->async_wait([this, t](boost::system::error_code ec) {
      if (ec) return;
      {
        std::lock_guard lock(mu);
        try {
          refresh_upstream();
        } catch (const std::exception& e) {
          spdlog::warn("reading the sandbox state: {}", e.what());
        }
      }
      watch_upstream();
    });
  }

  void turn_off(Active& a) {
    if (find_fault(a.type)->stops_server) {
      service.start();
      refresh_upstream();
      service_down = false;
      if (!a.phase_ledger_id.empty()) ledger.mark_undone(a.phase_ledger_id);
      a.phase_ledger_id.clear();
    }
    a.on = false;
    sync_proxy();
    note_flap_edge(a, false);
  }

  // Whether connections are refused or stalled now by a fault other than `except` (or a server left stopped).
  bool blocked_except(const Active* except) const {
    for (const auto& [slot, other] : active)
      if (&other != except && other.on && find_fault(other.type)->mode != ProxyMode::pass) return true;
    return service_down;
  }

  // Checks with a probe connection that the fault is what a client now sees. Throws if not.
  ProbeResult verify_on(const Active& a) {
    FaultView v{public_addr(), cfg.upstream, a.latency, a.jitter, blocked_except(&a)};
    return find_fault(a.type)->verify(v);
  }

  // After faults are removed: unless the server is down on purpose, a client gets the greeting again.
  ProbeResult verify_clear() {
    if (blocked_except(nullptr)) return {"skipped", 0, "faults remain"};
    auto p = probe(public_addr(), 5s);
    if (p.outcome != "data")
      throw std::runtime_error(
          fmt::format("the server is not reachable through the proxy (probe: {} {})", p.outcome, p.detail));
    return p;
  }

  // Removes the fault in `slot` (undoing it if on) and marks it undone. Throws if the undo fails (it stays listed).
  void clear_slot(const std::string& slot) {
    auto it = active.find(slot);
    if (it == active.end()) return;
    auto& a = it->second;
    if (a.timer) a.timer->cancel();
    a.gen = 0;  // pending timers of this fault are now stale
    if (a.on) turn_off(a);
    ledger.mark_undone(a.ledger_id);
    if (a.flap) {
      flap_history.push_back({{"ledger_id", a.ledger_id},
                              {"type", a.type},
                              {"interval_ms", a.interval.count()},
                              {"since", a.since},
                              {"ended", iso(SysClock::now())},
                              {"cycles", a.cycles}});
      if (flap_history.size() > 8) flap_history.erase(flap_history.begin());
    }
    active.erase(it);
  }

  void schedule(const std::string& slot, Active& a, Clock::time_point at, void (Impl::*fn)(const std::string&)) {
    a.timer = std::make_shared<asio::steady_timer>(io, at);
    a.timer->async_wait([this, slot, gen = a.gen, fn](boost::system::error_code ec) {
      if (ec) return;
      std::lock_guard lock(mu);
      auto it = active.find(slot);
      if (it == active.end() || it->second.gen != gen) return;
      (this->*fn)(slot);
    });
  }

  void note_scheduled(const Active& a, const std::string& what) {
    auto now = SysClock::now();
    scheduled_changes.push_back({{"at", iso(now)},
                                 {"at_ms", std::chrono::duration_cast<ms>(now.time_since_epoch()).count()},
                                 {"type", a.type},
                                 {"flap", a.flap},
                                 {"ledger_id", a.ledger_id},
                                 {"what", what}});
    if (scheduled_changes.size() > 256) scheduled_changes.erase(scheduled_changes.begin());
  }

  void on_end(const std::string& slot) {
    try {
      Active ended = active[slot];
      clear_slot(slot);
      note_scheduled(ended, "ended");
      spdlog::info("{} fault ended on schedule", slot);
    } catch (const std::exception& e) {
      errors.push_back({{"at", iso(SysClock::now())}, {"slot", slot}, {"error", e.what()}});
      spdlog::error("ending {} fault: {}", slot, e.what());
    }
  }

  void on_toggle(const std::string& slot) {
    auto& a = active[slot];
    ++a.phase;
    try {
      if (a.on) {
        turn_off(a);
        note_scheduled(a, "off");
      } else {
        turn_on(a);
        note_scheduled(a, "on");
        verify_on(a);
      }
    } catch (const std::exception& e) {
      errors.push_back({{"at", iso(SysClock::now())}, {"slot", slot}, {"error", e.what()}});
      spdlog::error("flap toggle of {}: {}", slot, e.what());
    }
    schedule_flap(slot, a);
  }

  void schedule_flap(const std::string& slot, Active& a) {
    auto next = a.flap_start + a.interval * (a.phase + 1);  // absolute: no drift
    if (next >= *a.until)
      schedule(slot, a, *a.until, &Impl::on_end);
    else
      schedule(slot, a, next, &Impl::on_toggle);
  }

  Json describe(const std::string& slot, const Active& a) const {
    Json j = {{"slot", slot},
              {"type", a.type},
              {"kind", a.flap ? std::string("network.flap") : find_fault(a.type)->ledger_kind},
              {"ledger_id", a.ledger_id},
              {"since", a.since},
              {"until", a.until ? Json(iso_at(*a.until)) : Json(nullptr)},
              {"active", a.on}};
    if (find_fault(a.type)->delays) {
      j["latency_ms"] = a.latency.count();
      j["jitter_ms"] = a.jitter.count();
    }
    if (a.flap)
      j["flap"] = {{"interval_ms", a.interval.count()}, {"phase", a.phase}, {"on", a.on}, {"cycles", a.cycles}};
    return j;
  }

  // Starts a fault in its slot: ledger first, then apply, then verify; undone again if it did not take effect.
  Json begin_fault(Active a, const Json& details, std::optional<ms> duration) {
    std::string slot = find_fault(a.type)->slot;
    clear_slot(slot);
    a.gen = next_gen++;
    a.ledger_id = ledger.record(a.flap ? "network.flap" : find_fault(a.type)->ledger_kind, details);
    a.since = iso(SysClock::now());
    auto& slot_ref = active[slot] = std::move(a);
    ProbeResult p;
    try {
      turn_on(slot_ref);
      auto applied = Clock::now();
      p = verify_on(slot_ref);
      if (slot_ref.flap) {
        slot_ref.flap_start = applied;
        slot_ref.until = applied + *duration;
        schedule_flap(slot, slot_ref);
      } else if (duration) {
        slot_ref.until = applied + *duration;
        schedule(slot, slot_ref, *slot_ref.until, &Impl::on_end);
      }
    } catch (const std::exception& e) {
      std::string why = e.what();
      try {
        clear_slot(slot);
      } catch (const std::exception& e2) {
        why += std::string("; undoing it failed too: ") + e2.what();
      }
      throw std::runtime_error(why);
    }
    spdlog::info("{} fault applied ({}), probe {} in {:.1f} ms", slot_ref.type, slot_ref.ledger_id, p.outcome, p.ms);
    return {{"ok", true}, {"fault", describe(slot, slot_ref)}, {"probe", p.to_json()}};
  }

  // ---- requests ----

  Json op_down(const Json& req) {
    std::string type = req.value("type", fault_names(FaultVerb::down).front());
    const FaultType& f = fault_for(type, FaultVerb::down);
    auto duration = opt_ms(req, "duration_ms");
    if (f.stops_server && !cfg.service.configured())
      throw std::invalid_argument("no way to stop and start this server is configured (service stop/start commands)");
    Active a;
    a.type = type;
    return begin_fault(std::move(a), {{"type", type}, {"duration_ms", duration ? Json(duration->count()) : Json()}},
                       duration);
  }

  Json op_flap(const Json& req) {
    std::string type = req.value("type", fault_names(FaultVerb::down).front());
    const FaultType& f = fault_for(type, FaultVerb::down);
    auto interval = opt_ms(req, "interval_ms").value_or(30s);
    auto duration = opt_ms(req, "duration_ms").value_or(300s);
    if (interval.count() <= 0 || duration.count() <= 0)
      throw std::invalid_argument("flap interval and duration must be > 0");
    if (f.stops_server && !cfg.service.configured())
      throw std::invalid_argument("no way to stop and start this server is configured (service stop/start commands)");
    Active a;
    a.type = type;
    a.flap = true;
    a.interval = interval;
    return begin_fault(
        std::move(a), {{"type", type}, {"interval_ms", interval.count()}, {"duration_ms", duration.count()}}, duration);
  }

  Json op_slow(const Json& req) {
    const FaultType& f = fault_for(fault_names(FaultVerb::slow).front(), FaultVerb::slow);
    if (req.value("off", false)) {
      clear_slot(f.slot);
      return {{"ok", true}, {"probe", verify_clear().to_json()}};
    }
    Active a;
    a.type = f.name;
    a.latency = opt_ms(req, "latency_ms").value_or(2000ms);
    a.jitter = opt_ms(req, "jitter_ms").value_or(0ms);
    auto duration = opt_ms(req, "duration_ms");
    Json details = {{"latency_ms", a.latency.count()},
                    {"jitter_ms", a.jitter.count()},
                    {"duration_ms", duration ? Json(duration->count()) : Json()}};
    return begin_fault(std::move(a), details, duration);
  }

  // Undoes every fault: ours, and what a dead daemon left in the ledger.
  Json op_up() {
    Json undone = Json::array(), failures = Json::array();
    for (const auto& slot : slots()) {
      auto it = active.find(slot);
      if (it == active.end()) continue;
      std::string id = it->second.ledger_id;
      try {
        clear_slot(slot);
        undone.push_back(id);
      } catch (const std::exception& e) {
        failures.push_back(fmt::format("{}: {}", slot, e.what()));
      }
    }
    recover_leftovers(undone, failures);
    sync_proxy();
    errors.clear();
    if (!failures.empty())
      return {{"ok", false}, {"error", fmt::format("{}", fmt::join(failures, "; "))}, {"undone", undone}};
    auto p = verify_clear();
    return {{"ok", true}, {"undone", undone}, {"probe", p.to_json()}};
  }

  // Ledger entries of network/service faults no live fault of ours accounts for (a daemon that died).
  void recover_leftovers(Json& undone, Json& failures) {
    for (const auto& e : ledger.outstanding()) {
      bool ours = false;
      for (auto& [slot, a] : active) ours = ours || a.ledger_id == e.id || a.phase_ledger_id == e.id;
      if (ours) continue;
      // The fault behind the entry: by its ledger kind, or a flap's by the type it toggled.
      const FaultType* f = nullptr;
      for (const auto& t : fault_types())
        if (t.ledger_kind == e.kind) f = &t;
      bool flap = e.kind == "network.flap";
      if (flap) f = find_fault(e.details.value("type", ""));
      if (!f && !flap) continue;  // binlog and other faults are undone by their own commands
      if (f && f->stops_server) {
        try {
          if (!service.accepting()) {
            if (!cfg.service.configured()) throw std::runtime_error("the server is down and no start command is set");
            service.start();
          }
          refresh_upstream();
          service_down = false;
        } catch (const std::exception& ex) {
          failures.push_back(fmt::format("{} ({}): {}", e.kind, e.id, ex.what()));
          continue;
        }
      }
      ledger.mark_undone(e.id);  // a network fault lived in the dead daemon's proxy: it died with it
      undone.push_back(e.id);
      spdlog::info("recovered leftover {} ({})", e.kind, e.id);
    }
  }

  Json op_status() {
    Json faults = Json::array();
    for (auto& [slot, a] : active) faults.push_back(describe(slot, a));
    Json leftovers = Json::array();
    for (const auto& e : ledger.outstanding()) {
      bool ours = false;
      for (auto& [slot, a] : active) ours = ours || a.ledger_id == e.id || a.phase_ledger_id == e.id;
      if (!ours) leftovers.push_back({{"id", e.id}, {"kind", e.kind}, {"applied_at", e.applied_at}});
    }
    bool accepting = probe(cfg.upstream, 1s).outcome == "data";
    return {{"ok", true},
            {"pid", ::getpid()},
            {"started_at", started_at},
            {"public_port", proxy.port()},
            {"upstream", cfg.upstream.str()},
            {"server", {{"running", accepting}, {"stopped_by_toolkit", service_down}}},
            {"proxy", proxy.stats().to_json()},
            {"faults", faults},
            {"leftovers", leftovers},
            {"errors", errors},
            {"flap_history", flap_history},
            {"last_change_at", last_change_at.empty() ? Json(nullptr) : Json(last_change_at)},
            {"last_change", last_change},
            {"scheduled_changes", scheduled_changes}};
  }

  Json handle(const Json& req) {
    if (!req.is_object() || !req.contains("op") || !req["op"].is_string())
      return {{"ok", false}, {"error", "a request is a JSON object with a string \"op\""}};
    std::string op = req["op"];
    try {
      if (op == "ping") return {{"ok", true}, {"pid", ::getpid()}, {"public_port", proxy.port()}};
      if (op == "shutdown") {
        request_stop();
        return {{"ok", true}};
      }
      std::lock_guard lock(mu);
      refresh_upstream();
      if (op == "status") return op_status();
      if (op == "down") return op_down(req);
      if (op == "flap") return op_flap(req);
      if (op == "slow") return op_slow(req);
      if (op == "up") return op_up();
      return {{"ok", false}, {"error", "unknown op \"" + op + "\" (ping, status, down, flap, slow, up, shutdown)"}};
    } catch (const std::exception& e) {
      return {{"ok", false}, {"error", e.what()}};
    }
  }

  void request_stop() {
    std::lock_guard lock(stop_mu);
    stop_requested = true;
    stop_cv.notify_all();
  }

  // ---- control socket ----

  struct Session : std::enable_shared_from_this<Session> {
    Impl& d;
    asio::local::stream_protocol::socket sock;
    asio::streambuf buf;
    Session(Impl& d, asio::local::stream_protocol::socket s) : d(d), sock(std::move(s)) {}
    void read() {
      asio::async_read_until(sock, buf, '\n', [self = shared_from_this()](boost::system::error_code ec, size_t n) {
        if (ec) return;
        std::string line(asio::buffers_begin(self->buf.data()), asio::buffers_begin(self->buf.data()) + n);
        self->buf.consume(n);
        Json req = Json::parse(line, nullptr, false);
        Json resp = req.is_discarded() ? Json{{"ok", false}, {"error", "malformed JSON request"}} : self->d.handle(req);
        auto out = std::make_shared<std::string>(resp.dump() + "\n");
        asio::async_write(self->sock, asio::buffer(*out), [self, out](boost::system::error_code ec, size_t) {
          if (!ec) self->read();
        });
      });
    }
  };

  void accept() {
    acceptor.async_accept([this](boost::system::error_code ec, asio::local::stream_protocol::socket s) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) std::make_shared<Session>(*this, std::move(s))->read();
      accept();
    });
  }

  void take_lock() {
    lock_fd = ::open(paths.pid_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd < 0) throw std::runtime_error("cannot open " + paths.pid_file);
    if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
      char buf[32] = {};
      (void)!::read(lock_fd, buf, sizeof buf - 1);
      ::close(lock_fd);
      lock_fd = -1;
      throw std::runtime_error(fmt::format("a toolkit daemon (pid {}) already runs for {}", buf, cfg.state_dir));
    }
    std::string pid = std::to_string(::getpid()) + "\n";
    (void)!::ftruncate(lock_fd, 0);
    (void)!::pwrite(lock_fd, pid.data(), pid.size(), 0);
  }
};

Daemon::Daemon(DaemonConfig cfg) : impl_(std::make_unique<Impl>(std::move(cfg))) {}

Daemon::~Daemon() {
  auto& d = *impl_;
  if (!d.threads.empty()) {
    d.request_stop();
    wait();
  }
}

void Daemon::start() {
  auto& d = *impl_;
  std::filesystem::create_directories(d.cfg.state_dir);
  d.take_lock();
  d.started_at = iso(SysClock::now());
  d.cfg.upstream = d.service.upstream();
  d.proxy.set_upstream(d.cfg.upstream);
  d.proxy.start();
  {
    std::lock_guard lock(d.mu);
    Json undone = Json::array(), failures = Json::array();
    d.recover_leftovers(undone, failures);  // a fresh daemon starts clean
    for (auto& f : failures) d.errors.push_back({{"at", d.started_at}, {"error", f}});
  }
  std::error_code fec;
  std::filesystem::remove(d.paths.socket, fec);  // stale: we hold the lock, so no daemon owns it
  d.acceptor.open();
  d.acceptor.bind(asio::local::stream_protocol::endpoint(d.paths.socket));
  ::chmod(d.paths.socket.c_str(), 0600);
  d.acceptor.listen();
  d.accept();
  if (!d.cfg.service.sandbox_state_dir.empty()) d.watch_upstream();
  d.work.emplace(d.io.get_executor());
  for (int i = 0; i < 2; ++i) d.threads.emplace_back([&d] { d.io.run(); });  // 2: timers fire during a long request
  spdlog::info("toolkit daemon pid {} up: 127.0.0.1:{} -> {}", ::getpid(), d.proxy.port(), d.cfg.upstream.str());
}

void Daemon::wait() {
  auto& d = *impl_;
  {
    std::unique_lock lock(d.stop_mu);
    d.stop_cv.wait(lock, [&d] { return d.stop_requested; });
  }
  if (d.threads.empty()) return;
  {
    std::lock_guard lock(d.mu);
    Json undone = Json::array(), failures = Json::array();
    for (const auto& slot : slots()) try {
        d.clear_slot(slot);
      } catch (const std::exception& e) {
        spdlog::error("undoing {} at shutdown: {}", slot, e.what());
      }
  }
  asio::post(d.io, [&d] {
    boost::system::error_code ec;
    d.acceptor.close(ec);
  });
  d.work.reset();
  d.io.stop();
  for (auto& t : d.threads) t.join();
  d.threads.clear();
  d.proxy.stop();
  std::error_code ec;
  std::filesystem::remove(d.paths.socket, ec);
  if (d.lock_fd >= 0) {
    std::filesystem::remove(d.paths.pid_file, ec);
    ::close(d.lock_fd);
    d.lock_fd = -1;
  }
  spdlog::info("toolkit daemon stopped");
}

void Daemon::request_stop() {
  impl_->request_stop();
}

Json Daemon::handle(const Json& request) {
  return impl_->handle(request);
}

int run_daemon(const std::string& state_dir) {
  try {
    auto cfg = DaemonConfig::load(state_dir);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    ::pthread_sigmask(SIG_BLOCK, &set, nullptr);  // threads started below inherit the mask
    ::signal(SIGPIPE, SIG_IGN);
    Daemon d(cfg);
    d.start();
    std::atomic<bool> done{false};
    std::thread waiter([&] {
      timespec tick{0, 200'000'000};
      while (!done) {
        int sig = ::sigtimedwait(&set, nullptr, &tick);
        if (sig == SIGTERM || sig == SIGINT) d.request_stop();
      }
    });
    d.wait();
    done = true;
    waiter.join();
    return 0;
  } catch (const std::exception& e) {
    spdlog::error("toolkit daemon: {}", e.what());
    return 1;
  }
}

}  // namespace tc::toolkit
