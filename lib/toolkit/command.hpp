#pragma once
// How toolkit commands plug into the one CLI11 parser shared by the `toolkit` CLI and the step plugin.
#include <CLI/CLI.hpp>
#include <iosfwd>
#include <stop_token>

#include "scenario/step_decl.hpp"
#include "toolkit/toolkit.hpp"

namespace tc::toolkit {

/// What a command's callback works with while it runs.
struct CommandEnv {
  const Config& cfg;
  std::ostream& out;
  std::stop_token stop;
  CommandResult& result;  // the callback fills output/exit_code and prints to `out`
};

/// Each command file defines one `void add_<name>_command(CLI::App&, CommandEnv&)` that adds its subcommand;
/// commands.cpp lists them (one line per command).
using AddCommand = void (*)(CLI::App& app, CommandEnv& env);

/// A command's declared output keys, beside its add_<name>_command (listed in commands.cpp too).
struct CommandOutputs {
  std::string command;
  std::vector<scenario::OutputDecl> outputs;
};
using DeclareOutputs = CommandOutputs (*)();

}  // namespace tc::toolkit
