// `replicate`: replication stress on the source, one stress per file under lib/toolkit/replicate/ (lag,
// disconnect, gtid-gap), listed here.
#include "toolkit/command.hpp"
#include "toolkit/interlock.hpp"
#include "toolkit/replicate.hpp"

namespace tc::toolkit {

// One line per stress; each declaration lives in lib/toolkit/replicate/<name>.cpp (declare_stress_<name>).
// clang-format off
#define TC_REPLICATION_STRESSES(X) \
  X(lag)                           \
  X(disconnect)                    \
  X(gtid_gap)
// clang-format on

#define TC_DECLARE(n) ReplicationStress declare_stress_##n();
TC_REPLICATION_STRESSES(TC_DECLARE)
#undef TC_DECLARE

const std::vector<ReplicationStress>& replication_stresses() {
#define TC_ADD(n) declare_stress_##n(),
  static const auto* all = new std::vector<ReplicationStress>{TC_REPLICATION_STRESSES(TC_ADD)};  // never destroyed
#undef TC_ADD
  return *all;
}

void add_replicate_command(CLI::App& app, CommandEnv& env) {
  std::vector<std::string> names;
  std::string help;
  for (const auto& r : replication_stresses()) {
    names.push_back(r.name);
    help += (help.empty() ? "" : "; ") + r.name + ": " + r.summary;
  }
  auto* cmd = app.add_subcommand("replicate", "replication stress on the source (--scenario)");
  auto o = std::make_shared<ReplicateOptions>();
  cmd->add_option("--scenario", o->scenario, help)->required()->check(CLI::IsMember(names));
  cmd->add_option("--duration", o->duration, "seconds for lag and disconnect (60)")->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--gap", o->gap, "gtid-gap: how many sequence numbers to skip (100)")
      ->check(CLI::Range(1LL, 1000000000LL));
  cmd->add_option("--burst", o->burst, "disconnect: rows inserted between rotations (1000)")
      ->check(CLI::Range(1, 10000000));
  cmd->callback([&env, o] {
    const ReplicationStress* stress = nullptr;
    for (const auto& r : replication_stresses())
      if (r.name == o->scenario) stress = &r;
    Session s = Session::open(env.cfg);
    if (stress->destructive) require_destructive_allowed(env.cfg, "replicate --scenario " + stress->name, s.conn.get());
    env.result.output = {{"scenario", o->scenario}};
    auto t0 = std::chrono::steady_clock::now();
    stress->run(env, s, *o);
    env.result.output["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    env.result.fault = FaultChange::applied;
  });
}

}  // namespace tc::toolkit
