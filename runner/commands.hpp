#pragma once
// The tc-run subcommands, one file each.
#include <iosfwd>
#include <string>
#include <vector>

#include "engine/engine.hpp"

namespace tc::cli {

int validate(const std::vector<std::string>& files, const engine::RunOptions& opts, std::ostream& out,
             std::ostream& err);
int list(const std::string& dir, std::ostream& out, std::ostream& err);
int plan(const std::string& file, const engine::RunOptions& opts, std::ostream& out, std::ostream& err);
int run(const std::vector<std::string>& files, const engine::RunOptions& opts, std::ostream& out, std::ostream& err);

/// How a suite run spreads out: several targets, jobs at once, one shard of N.
struct SuiteOptions {
  std::vector<std::string> targets;  // every variant runs once per target ("" = the scenario's own)
  int jobs = 1;
  int shard_index = 0, shard_count = 0;  // --shard I/N (0/0 = all)
  std::string durations;                 // --durations: an earlier suite.json (or its folder) to balance shards
  /// True when this is more than one plain run: folders, several files or targets, jobs or a shard.
  bool is_suite(const std::vector<std::string>& paths) const;
};
/// Files and folders (recursively: every *.yaml with top-level id and steps, TEMPLATE.yaml skipped).
std::vector<std::string> discover(const std::vector<std::string>& paths, std::ostream& err, int& code);
/// Runs a suite and writes its report (reports/suite-<UTC>/suite.md, junit.xml, suite.json).
int run_suite(const std::vector<std::string>& paths, const SuiteOptions& so, const engine::RunOptions& base,
              std::ostream& out, std::ostream& err);
/// `tc-run merge DIR... --out DIR`: one report from the result.json files (and shard manifests) under DIRs.
int merge(const std::vector<std::string>& dirs, const std::string& out_dir, std::ostream& out, std::ostream& err);
int recover(const engine::RunOptions& opts, std::ostream& out, std::ostream& err);
int new_scenario(const std::string& id, const std::string& title, const std::string& dir, std::ostream& out,
                 std::ostream& err);
/// `tc-run schema`: the scenario format's JSON schema (schemas/scenario.schema.json is its output).
int schema(std::ostream& out);
/// `tc-run docs steps`: the step reference of docs/scenario-format.md, from the declarations.
int docs(const std::string& what, std::ostream& out, std::ostream& err);
int import(const std::string& file, const std::string& output, std::ostream& out, std::ostream& err);

}  // namespace tc::cli
