#pragma once
// The binlog corruptions `toolkit corrupt --type` applies, one declaration each (lib/faults/corruptions/<name>.cpp),
// listed in binlog_corruptions.cpp: the CLI's choices, its help, its report and docs read them.
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "util/json.hpp"

namespace tc::toolkit {

/// What a corruption is asked for: the file and the CLI's knobs.
struct CorruptionRequest {
  std::string path;
  std::uintmax_t size = 0;
  int percentage = 50;  // truncate: the % kept
  int count = 10;       // random-bytes: how many bytes
  std::mt19937_64* rng = nullptr;
};

/// One corruption: its name, what it does, how it plans the change (without touching the file) and how it reports
/// the plan. Every plan is applied the same way (apply_corruption): a truncation or pwrite of its `changes`.
struct BinlogCorruption {
  std::string name{};     // what --type says
  std::string summary{};  // one line for `toolkit corrupt --help` and docs/toolkit-commands.md
  /// Fills `plan` (which holds type, path, file, size_before) with truncate_to/removed_bytes or changes
  /// [{offset, before, after}] in hex; throws std::runtime_error when the file cannot take it.
  std::function<void(const CorruptionRequest&, Json& plan)> plan = nullptr;
};

/// Every corruption, in documentation order.
const std::vector<BinlogCorruption>& binlog_corruptions();
/// nullptr when none has that name.
const BinlogCorruption* find_corruption(const std::string& name);
std::vector<std::string> corruption_names();

/// Up to `n` bytes of `path` from `offset` (fewer at the end of the file).
std::string read_binlog_range(const std::string& path, std::uintmax_t offset, size_t n);

}  // namespace tc::toolkit
