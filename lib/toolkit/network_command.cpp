// `toolkit network`: network and service faults, carried out by the toolkit daemon (which outlives the command).
// Also adds the hidden `toolkit daemon --state-dir D` that runs the daemon itself.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <memory>
#include <ostream>
#include <thread>

#include "daemon/daemon.hpp"
#include "daemon/daemon_client.hpp"
#include "daemon/fault_probe.hpp"
#include "daemon/fault_type.hpp"
#include "faults/ledger.hpp"
#include "toolkit/command.hpp"
#include "toolkit/interlock.hpp"
#include "util/duration.hpp"
#include "util/run_lock.hpp"

namespace tc::toolkit {

namespace {

struct NetworkOptions {
  bool down = false, up = false, flap = false, slow = false, status = false, off = false, wait = false, json = false;
  std::string type, duration, interval;
  long long latency = 2000, jitter = 0;
};

long long to_ms(const std::string& text, const char* what) {
  auto d = parse_duration(text);
  if (!d || d->count() <= 0)
    throw std::invalid_argument(
        fmt::format("{} must be a positive duration like 30, 30s, 1m30s (got \"{}\")", what, text));
  return d->count();
}

std::string when(const Json& v) {
  return v.is_string() ? v.get<std::string>() : std::string("--up");
}

void print_status(std::ostream& out, const Json& s) {
  out << fmt::format("server:  {}\n", s["server"].value("running", false) ? "running" : "NOT running");
  if (!s.value("daemon", false)) {
    out << "proxy:   down (no toolkit daemon running; `toolkit network --up` starts it)\n";
  } else {
    const auto& p = s["proxy"];
    out << fmt::format("proxy:   {} on 127.0.0.1:{} -> {} (mode {}, {} connection(s) open, {} held)\n",
                       p.value("listening", false) ? "up" : "refusing", p.value("port", 0), s.value("upstream", ""),
                       p.value("mode", ""), p.value("connections_open", 0), p.value("connections_held", 0));
    out << fmt::format("latency: {}\n",
                       p.value("latency_ms", 0) > 0
                           ? fmt::format("{} ms +- {} ms", p.value("latency_ms", 0), p.value("jitter_ms", 0))
                           : std::string("none"));
  }
  if (s["faults"].empty()) out << "faults:  none\n";
  for (const auto& f : s["faults"]) {
    std::string what = f.value("type", "");
    if (f.contains("flap"))
      what = fmt::format("flap {} every {} ms (now {})", what, f["flap"].value("interval_ms", 0),
                         f["flap"].value("on", false) ? "on" : "off");
    out << fmt::format("fault:   {} since {} until {}\n", what, f.value("since", ""), when(f["until"]));
  }
  for (const auto& l : s["leftovers"])
    out << fmt::format("leftover: {} ({}) applied {} -- `toolkit network --up` undoes it\n", l.value("kind", ""),
                       l.value("id", ""), l.value("applied_at", ""));
  for (const auto& e : s.value("errors", Json::array())) out << "error:   " << e.value("error", "") << "\n";
  if (s.contains("run_lock"))
    out << "run:     tc-run " << s["run_lock"].value("holder", "")
        << " holds this state dir (its faults are its own)\n";
}

// Status without a daemon: what the ledger and a probe of the server say.
Json status_without_daemon(const Config& cfg) {
  Json s = {{"ok", true}, {"daemon", false}, {"faults", Json::array()}, {"leftovers", Json::array()}};
  bool running = false;
  try {
    auto dc = daemon_config_for(cfg);
    running = probe(dc.upstream, std::chrono::seconds(1)).outcome == "data";
  } catch (const std::exception& e) {
    s["note"] = e.what();
  }
  s["server"] = {{"running", running}};
  for (const auto& e : Ledger(cfg.resolved_state_dir()).outstanding())
    if (e.kind.rfind("network.", 0) == 0 || e.kind == "service.stop")
      s["leftovers"].push_back({{"id", e.id}, {"kind", e.kind}, {"applied_at", e.applied_at}});
  return s;
}

// Polls status until the fault in `slot` is gone (its schedule ended) or stop is requested.
void wait_for_end(const std::string& socket, const std::string& slot, std::stop_token stop) {
  while (!stop.stop_requested()) {
    auto s = daemon_request(socket, {{"op", "status"}});
    bool present = false;
    for (const auto& f : s["faults"]) present = present || f.value("slot", "") == slot;
    if (!present) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void run_network(const NetworkOptions& o, CommandEnv& env) {
  auto& out = env.out;
  // With the global --json the command runner prints the result document once; only the subcommand's own
  // --json prints it here.
  bool json = o.json && !env.cfg.json;
  bool quiet_text = o.json || env.cfg.json;
  int modes = o.down + o.up + o.flap + o.slow + o.status;
  if (modes != 1) throw std::invalid_argument("give exactly one of --down, --up, --flap, --slow, --status");
  const auto types = fault_names(FaultVerb::down);
  if (!o.type.empty() && std::find(types.begin(), types.end(), o.type) == types.end())
    throw std::invalid_argument(fmt::format("--type must be one of {} (got \"{}\")", fmt::join(types, ", "), o.type));
  const FaultType& chosen = *find_fault(o.type.empty() ? types.front() : o.type);
  const FaultType& slow = *find_fault(fault_names(FaultVerb::slow).front());
  if (o.off && !o.slow) throw std::invalid_argument("--off goes with --slow");
  if (o.latency < 0 || o.jitter < 0) throw std::invalid_argument("--latency and --jitter must be >= 0 ms");

  Json resp;
  std::string slot;
  if (o.status) {
    std::string dir = env.cfg.resolved_state_dir();
    resp = daemon_running(dir) ? daemon_request(DaemonPaths(dir).socket, {{"op", "status"}})
                               : status_without_daemon(env.cfg);
    if (resp.value("ok", false) && !resp.contains("daemon")) resp["daemon"] = true;
    if (auto h = run_lock_holder(dir))
      resp["run_lock"] = {{"pid", h->pid},       {"scenario", h->scenario}, {"variant", h->variant},
                          {"since", h->started}, {"host", h->host},         {"holder", h->describe()}};
  } else {
    // A running tc-run owns the faults of its state dir: another command changing them would falsify its result.
    if (auto h = run_lock_holder(env.cfg.resolved_state_dir()); h && !run_lock_is_ours(*h))
      throw std::invalid_argument(
          "refused: tc-run " + h->describe() +
          " is running on this state dir and owns its faults. Wait for it to end (Ctrl-C "
          "in that run stops it and its cleanup undoes its faults), or use another --state-dir");
    Json req;
    if (o.down) {
      req = {{"op", "down"}, {"type", chosen.name}};
      if (!o.duration.empty()) req["duration_ms"] = to_ms(o.duration, "--duration");
      slot = chosen.slot;
    } else if (o.up) {
      req = {{"op", "up"}};
    } else if (o.flap) {
      req = {{"op", "flap"},
             {"type", chosen.name},
             {"interval_ms", to_ms(o.interval.empty() ? "30" : o.interval, "--interval")},
             {"duration_ms", to_ms(o.duration.empty() ? "300" : o.duration, "--duration")}};
      slot = chosen.slot;
    } else {
      req = {{"op", "slow"}, {"off", o.off}, {"latency_ms", o.latency}, {"jitter_ms", o.jitter}};
      if (!o.duration.empty()) req["duration_ms"] = to_ms(o.duration, "--duration");
      slot = slow.slot;
    }
    // Stopping a server is destructive: only the sandbox or an allowed server, checked before the daemon acts.
    if ((o.down || o.flap) && chosen.stops_server)
      require_destructive_allowed(env.cfg, std::string("stop the server (network --") + (o.down ? "down" : "flap") +
                                               " --type " + chosen.name + ")");
    auto socket = ensure_daemon(env.cfg);
    resp = daemon_request(socket, req);
    if (resp.value("ok", false)) env.result.fault = o.up || o.off ? FaultChange::undone : FaultChange::applied;
    if (resp.value("ok", false) && o.wait && !slot.empty()) {
      wait_for_end(socket, slot, env.stop);
      resp["waited"] = true;
    }
  }
  env.result.output = resp;
  if (!resp.value("ok", false)) {
    env.result.exit_code = 1;
    std::string msg = "network: " + resp.value("error", std::string("failed"));
    env.result.text = msg;
    if (json)
      out << resp.dump(2) << "\n";
    else if (!quiet_text)
      out << msg << "\n";
    return;
  }
  if (json) {
    out << resp.dump(2) << "\n";
  } else if (quiet_text) {
    // the global --json: the document is printed once by the command runner
  } else if (o.status) {
    print_status(out, resp);
  } else if (o.up) {
    out << fmt::format("network restored: {} fault(s) undone; server reachable through the proxy\n",
                       resp["undone"].size());
  } else if (resp.contains("fault")) {
    const auto& f = resp["fault"];
    const auto& p = resp["probe"];
    out << fmt::format("{} applied (verified: probe saw {} in {:.1f} ms){}\n", f.value("type", ""),
                       p.value("outcome", ""), p.value("ms", 0.0),
                       f["until"].is_string() ? ", ends " + f["until"].get<std::string>() : std::string());
  } else {
    out << "latency removed\n";
  }
}

}  // namespace

void add_network_command(CLI::App& app, CommandEnv& env) {
  auto o = std::make_shared<NetworkOptions>();
  auto* cmd = app.add_subcommand("network", "Network and service faults through the fault proxy");
  std::string types, type_help;
  for (const auto& f : fault_types())
    if (f.verb == FaultVerb::down) {
      types += (types.empty() ? "" : "|") + f.name;
      type_help += fmt::format("{}{}: {}", type_help.empty() ? "" : "; ", f.name, f.summary);
    }
  cmd->add_flag("--down", o->down, "Inject a fault (--type " + types + ")");
  cmd->add_flag("--up", o->up, "Undo every network/service fault, remove latency");
  cmd->add_flag("--flap", o->flap, "Toggle a fault on and off every --interval for --duration");
  cmd->add_flag("--slow", o->slow, "Add latency (--latency MS, --jitter MS) or remove it (--off)");
  cmd->add_flag("--status", o->status, "Server, proxy, active faults");
  cmd->add_option("--type", o->type, "Which fault (default " + fault_names(FaultVerb::down).front() + "): " + type_help)
      ->check(CLI::IsMember(fault_names(FaultVerb::down)));
  cmd->add_option("--duration", o->duration, "Undo by itself after this long (30, 30s, 5m); flap default 300");
  cmd->add_option("--interval", o->interval, "Flap interval (default 30 s)");
  cmd->add_option("--latency", o->latency, "Milliseconds added each way (default 2000)");
  cmd->add_option("--jitter", o->jitter, "+- milliseconds of random variation (default 0)");
  cmd->add_flag("--off", o->off, "With --slow: remove the latency");
  cmd->add_flag("--wait", o->wait, "Block until a --duration/--flap schedule has ended");
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->callback([o, &env] {
    try {
      run_network(*o, env);
    } catch (const std::exception& e) {
      env.result.exit_code = 1;
      env.result.text = std::string("network: ") + e.what();
      env.out << env.result.text << "\n";
    }
  });

  auto dir = std::make_shared<std::string>();
  auto* d = app.add_subcommand("daemon", "Run the toolkit daemon (started by the toolkit itself)");
  d->group("");  // hidden: testers never type it
  d->add_option("--state-dir", *dir, "State directory")->required();
  d->callback([dir, &env] { env.result.exit_code = run_daemon(*dir); });
}

CommandOutputs network_outputs() {
  using O = scenario::OutputType;
  std::vector<scenario::OutputDecl> fault = {{"slot", O::Text, "network, service or latency"},
                                             {"type", O::Text, "the fault (--type, or latency)"},
                                             {"kind", O::Text, "its ledger kind (network.reject, ...)"},
                                             {"ledger_id", O::Text, "its ledger entry"},
                                             {"since", O::Text, "when it was applied (UTC)"},
                                             {"until", O::Text, "when it ends by itself (--duration), else null"},
                                             {"active", O::Bool, "on now (a flap may be in its up phase)"},
                                             {"latency_ms", O::Number, "--slow: the added latency"},
                                             {"jitter_ms", O::Number, "--slow: the jitter"},
                                             {"flap", O::Map, "--flap: interval_ms, phase, on, cycles"}};
  return {"network",
          {{"ok", O::Bool, "the daemon did it"},
           {"fault", O::Map, "--down/--flap/--slow: the fault as applied", fault},
           {"probe", O::Map, "the verification probe: outcome (refused, hang, data), ms, detail"},
           {"undone", O::List, "--up: the ledger ids undone"},
           {"waited", O::Bool, "--wait: the schedule ran to its end"},
           {"server", O::Map, "--status: running, stopped_by_toolkit"},
           {"proxy", O::Map, "--status: mode, listening, port, latency_ms, jitter_ms, connection counters"},
           {"faults", O::List, "--status: the active faults (as `fault`)"},
           {"leftovers", O::List, "--status: ledger entries of a dead daemon"},
           {"errors", O::List, "--status: failures of scheduled actions"},
           {"flap_history", O::List, "--status: ended flaps with their cycles"},
           {"last_change_at", O::Text, "--status: when the proxy's behaviour last changed (UTC)"},
           {"last_change", O::Text, "--status: to what (pass -> reject, latency 0 -> 2000 ms)"},
           {"scheduled_changes", O::List, "--status: what the daemon did by itself: at, type, what (ended, on, off)"},
           {"pid", O::Number, "--status: the daemon's pid"},
           {"started_at", O::Text, "--status: when the daemon started"},
           {"public_port", O::Number, "--status: where pipelines connect"},
           {"upstream", O::Text, "--status: the server behind the proxy"},
           {"daemon", O::Bool, "--status: a daemon runs"},
           {"run_lock", O::Map, "--status: the tc-run that owns the faults of this state dir"},
           {"error", O::Text, "why it failed"},
           {"value", O::Any, "the command's text"},
           {"exit_code", O::Number, "0 when it ran"}}};
}

}  // namespace tc::toolkit
