#pragma once
// The certification report of many runs (a folder of test cases x variants x targets, maybe run in shards):
// suite.md (the matrix), junit.xml and suite.json, rendered from the runs' result models only.
#include <string>
#include <vector>

#include "result/result.hpp"

namespace tc::report {

/// What one shard said it would run (its manifest, written even when it ran nothing).
struct ShardManifest {
  int index = 0, count = 0;       // I of N
  std::vector<std::string> runs;  // run keys "scenario|variant|target"
};

/// Many runs brought together, and what is missing among the shards they came from.
struct Suite {
  std::vector<RunResult> runs;
  std::vector<std::string> links;  // per run: its execution log, relative to where suite.md is written
  int shard_count = 0;             // N when the runs came from shards, else 0
  std::vector<int> missing_shards, empty_shards;
  std::vector<std::string> problems;  // unreadable result files and the like
  /// 0 all passed, 1 a check failed, 2 a run could not be carried out or a shard is missing or empty.
  int exit_code() const;
};

/// The run's identity in a suite: "TC-001|reject|debezium".
std::string run_key(const RunResult& r);
/// The target column a run belongs to (the name it was asked for: replica, debezium, hevo, ...).
std::string target_column(const RunResult& r);

std::string render_suite_markdown(const Suite& s);
std::string render_suite_junit(const Suite& s);
Json suite_json(const Suite& s);

}  // namespace tc::report
