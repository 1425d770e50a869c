#pragma once
// The LoadOptions the scenario tests use: the step types the format defines (the registry's full list).
#include "scenario/loader.hpp"

namespace tc::scenario::testing {

inline LoadOptions options() {
  LoadOptions o;
  o.step_types = {
      "toolkit",         "sql",          "pipeline",   "manual",        "exec",       "http",      "wait",
      "sleep",           "stop",         "rows_match", "no_duplicates", "data_match", "converges", "binlog_advanced",
      "gtid_contiguous", "flap_recovery"};
  o.check_types = {"rows_match", "no_duplicates", "data_match", "converges", "binlog_advanced", "gtid_contiguous"};
  return o;
}

}  // namespace tc::scenario::testing
