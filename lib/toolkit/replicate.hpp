#pragma once
// The replication stresses `toolkit replicate --scenario` runs, one declaration each
// (lib/toolkit/replicate/<name>.cpp), listed in cmd_replicate.cpp.
#include <functional>
#include <string>
#include <vector>

#include "toolkit/command.hpp"
#include "toolkit/session.hpp"

namespace tc::toolkit {

/// The command's knobs, shared by the stresses.
struct ReplicateOptions {
  std::string scenario;
  double duration = 60;
  long long gap = 100;
  int burst = 1000;
};

/// One replication stress: its name (what --scenario says), what it does, whether it needs the destructive
/// interlock, and its run (which fills env.result.output and says what it did).
struct ReplicationStress {
  std::string name{};
  std::string summary{};
  bool destructive = false;  // leaves a permanent mark on the source (a GTID hole)
  std::function<void(CommandEnv&, Session&, const ReplicateOptions&)> run = nullptr;
};

/// Every stress, in documentation order.
const std::vector<ReplicationStress>& replication_stresses();

}  // namespace tc::toolkit
