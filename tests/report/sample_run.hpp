#pragma once
// A RunResult exercising every part of the report: phases, retries, background, failures, observations.
#include <string>

#include "result/result.hpp"

namespace tc::report::testing {

inline Clock::time_point at_utc(long long epoch_ms) {
  return Clock::time_point(std::chrono::milliseconds(epoch_ms));
}

inline StepResult step(std::string phase, int index, std::string name, Status status, long long offset_ms,
                       long long duration_ms) {
  StepResult s;
  s.phase = std::move(phase);
  s.index = index;
  s.name = std::move(name);
  s.status = status;
  s.offset = Millis(offset_ms);
  s.duration = Millis(duration_ms);
  return s;
}

// 2026-02-10T23:59:58.500Z: late in the UTC day so a local-time date would differ in most time zones.
inline constexpr long long kStart = 1770767998500;

inline RunResult sample_run() {
  RunResult r;
  r.scenario_id = "TC-001";
  r.title = "Pipeline Restart via Fix Now";
  r.category = "Recovery";
  r.etl_tools = {"Hevo"};
  r.variant = "reject";
  r.variant_values = {{"failure", {{"name", "reject"}, {"inject", "network --down --type reject"}}}};
  r.tester = "Arun";
  r.etl_tool = "Hevo";
  r.toolkit_version = "1.0.0";
  r.tc_run_version = "0.1.0";
  r.target = "replica";
  r.source = "sandbox";
  r.started = at_utc(kStart);
  r.finished = at_utc(kStart + 12345);
  r.verdict = Verdict::Fail;
  r.verdict_reason = "1 of 3 checks did not hold";
  r.scenario_file = "scenarios/TC-001.yaml";
  r.run_dir = "/tmp/unused";

  auto pre = step("preconditions", 1, "", Status::Passed, 12, 85);
  pre.type = "toolkit";
  pre.action = "toolkit status";
  pre.output_excerpt = "binlog_format: ROW\ngtid_mode: ON";
  r.steps.push_back(pre);

  auto gen = step("steps", 1, "Data is actively being generated", Status::Passed, 100, 9000);
  gen.type = "toolkit";
  gen.action = "toolkit generate-data --count 50 --interval 5";
  gen.background = true;
  gen.output_excerpt = "inserted 50 rows";
  gen.log_file = "steps/01-generate.log";
  r.steps.push_back(gen);

  auto fault = step("steps", 2, "Simulate the failure", Status::Passed, 1204, 312);
  fault.action = "toolkit network --down --type reject";
  r.steps.push_back(fault);

  auto wait = step("steps", 3, "Wait for the pipeline to detect the failure", Status::Passed, 1516, 4312);
  wait.type = "wait";
  wait.attempts = {{Millis(1516), Millis(2000), Status::Failed, "status was running"},
                   {Millis(3616), Millis(2212), Status::Passed, ""}};
  r.steps.push_back(wait);

  auto manual = step("steps", 4, "Click \"Fix Now\"", Status::Failed, 5828, 2000);
  manual.type = "manual";
  manual.message = "tester answered FAIL: pipeline stuck in Connecting";
  r.steps.push_back(manual);

  auto c1 = step("checks", 1, "Row counts match between source and destination", Status::Passed, 7900, 40);
  r.steps.push_back(c1);
  auto c2 = step("checks", 2, "No duplicate records in destination", Status::Failed, 7940, 30);
  c2.message = "3 duplicate ids in users: 7, 9, 12";
  r.steps.push_back(c2);
  auto c3 = step("checks", 3, "Binlog position advanced correctly", Status::Pending, 7970, 0);
  c3.message = "no answer from the tester";
  r.steps.push_back(c3);

  auto clean = step("cleanup", 1, "", Status::Error, 8000, 15);
  clean.action = "toolkit restore --all";
  clean.message = "restore failed: no backup of mysql-bin.000003";
  r.steps.push_back(clean);

  r.observations = {{"time_to_detect", "4.312 s", "s", "Wait for the pipeline to detect the failure", ""},
                    {"rows generated", "50", "rows", "Data is actively being generated", ""}};
  r.timeline = {{Millis(0), "run.start", "TC-001 [reject]"},
                {Millis(1204), "fault.applied", "network --down --type reject"},
                {Millis(100), "step.start", "Data is actively being generated"},  // reported late by its thread
                {Millis(5828), "wait.satisfied", "status | failed after 4.312 s"}};
  r.artifacts = {{"tc-run log", "tc-run.log"}, {"MariaDB error log", "logs/source error.log"}};
  r.notes = {"Matrix variant reject of 4"};
  return r;
}

}  // namespace tc::report::testing
