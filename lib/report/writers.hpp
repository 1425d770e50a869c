#pragma once
// Renders a RunResult into the execution log (markdown), JUnit XML and JSON.
#include <iosfwd>
#include <string>
#include <vector>

#include "result/result.hpp"

namespace tc::report {

/// The "### Run N - YYYY-MM-DD" block in the test case's own Test Execution Log format, plus the timeline.
std::string render_markdown(const RunResult& run, int run_number = 1);
/// timeline.svg: fault windows, the pipeline's state and lines (when sampled), marks for Fix Now, restores, checks.
std::string render_timeline_svg(const RunResult& run);
/// JUnit XML: one testsuite per run, one testcase per step/check.
std::string render_junit(const std::vector<RunResult>& runs);
/// The whole result model as JSON.
Json to_json(const RunResult& run);
/// The same text as to_json(run).dump(2), written step by step without holding the whole tree (result.json).
void write_json(const RunResult& run, std::ostream& out);
/// Reads what to_json wrote (for merging results); throws std::invalid_argument naming what is wrong.
RunResult run_from_json(const Json& json);
/// The highest "### Run N" already in a markdown document (0 when none).
int last_run_number(const std::string& markdown);
/// Appends a run to a markdown test case as its next "### Run N" (adds "## Test Execution Log" if missing).
std::string append_run(const std::string& markdown, const RunResult& run);
/// Writes execution-log.md, result.json, junit.xml and timeline.svg into run.run_dir.
void write_run_files(const RunResult& run);

}  // namespace tc::report
