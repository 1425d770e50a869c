#include <doctest/doctest.h>

#include "md_sections.hpp"
#include "report/writers.hpp"
#include "sample_run.hpp"

using namespace tc;
using namespace tc::report;
using namespace tc::report::testing;

TEST_CASE("markdown: heading uses the run number and the UTC date of the run start") {
  auto run = sample_run();
  std::string md = render_markdown(run, 7);
  CHECK(lines_of(md).front() == "### Run 7 - 2026-02-10");
  run.started = at_utc(kStart + 2000);  // crosses midnight UTC
  CHECK(lines_of(render_markdown(run, 1)).front() == "### Run 1 - 2026-02-11");
}

TEST_CASE("markdown: field table has the seed's four rows first, then the run facts") {
  std::string md = render_markdown(sample_run(), 1);
  auto l = lines_of(md);
  REQUIRE(l.size() > 12);
  std::vector<std::string> expected = {"| Field | Value |",       "|-------|-------|",           "| Tester | Arun |",
                                       "| ETL Tool | Hevo |",     "| Toolkit Version | 1.0.0 |", "| Result | FAIL |",
                                       "| Variant | reject |",    "| Target | replica |",        "| Source | sandbox |",
                                       "| Duration | 12.345 s |", "| tc-run version | 0.1.0 |"};
  for (size_t i = 0; i < expected.size(); ++i) CHECK(l[i + 1] == expected[i]);
  CHECK(l[12].empty());
}

TEST_CASE("markdown: sections appear once each, in the seed's order, then the timeline") {
  std::string md = render_markdown(sample_run(), 1);
  std::vector<std::string> titles = {"**Steps Performed:**",  "**Observations:**", "**Verification Checklist:**",
                                     "**Screenshots/Logs:**", "**Notes:**",        "**Timeline:**"};
  size_t last = 0;
  for (const auto& t : titles) {
    size_t at = md.find("\n" + t + "\n");
    REQUIRE_MESSAGE(at != std::string::npos, t);
    CHECK_MESSAGE(at > last, t);
    CHECK_MESSAGE(md.find("\n" + t + "\n", at + 1) == std::string::npos, t);
    last = at;
  }
}

TEST_CASE("markdown: steps performed lists preconditions, steps and cleanup in order with times and outcomes") {
  auto s = section(render_markdown(sample_run(), 1), "**Steps Performed:**");
  REQUIRE(!s.empty());
  CHECK(s[0] == "1. Precondition: toolkit status — passed at T+0.012s, took 85 ms");
  CHECK(has_line(s, "   Output:"));  // two lines of output: a fenced block under the item
  CHECK(has_line(s, "   binlog_format: ROW"));
  CHECK(has_line(s, "2. Data is actively being generated — passed at T+0.100s, took 9.000 s (background)"));
  CHECK(has_line(s, "   Action: `toolkit generate-data --count 50 --interval 5`"));
  CHECK(has_line(s, "   Output: `inserted 50 rows`"));
  CHECK(has_line(s, "3. Simulate the failure — passed at T+1.204s, took 312 ms"));
  CHECK(has_line(s, "4. Wait for the pipeline to detect the failure — passed at T+1.516s, took 4.312 s"));
  CHECK(has_line(s, "   Attempts (2):"));
  CHECK(has_line(s, "   - Attempt 1: failed at T+1.516s, took 2.000 s — `status was running`"));
  CHECK(has_line(s, "   - Attempt 2: passed at T+3.616s, took 2.212 s"));
  CHECK(has_line(s, "5. Click \"Fix Now\" — failed at T+5.828s, took 2.000 s"));
  CHECK(has_line(s, "   Reason: `tester answered FAIL: pipeline stuck in Connecting`"));
  CHECK(has_line(s, "6. Cleanup: toolkit restore --all — error at T+8.000s, took 15 ms"));
  for (const auto& l : s) CHECK_MESSAGE(l.find("duplicate") == std::string::npos, "checks belong to the checklist");
}

TEST_CASE("markdown: a skipped step shows no times") {
  auto run = sample_run();
  run.steps[2].status = Status::Skipped;
  run.steps[2].duration = Millis(0);
  run.steps[2].message = "a precondition failed";
  auto s = section(render_markdown(run, 1), "**Steps Performed:**");
  CHECK(has_line(s, "3. Simulate the failure — skipped"));
  CHECK(has_line(s, "   Reason: `a precondition failed`"));
}

TEST_CASE("markdown: observations carry units, and failure texts are quoted exactly") {
  auto s = section(render_markdown(sample_run(), 1), "**Observations:**");
  CHECK(has_line(s, "- time_to_detect: 4.312 s (Wait for the pipeline to detect the failure)"));
  CHECK(has_line(s, "- rows generated: 50 rows (Data is actively being generated)"));
  CHECK(has_line(s, "- Click \"Fix Now\" failed: `tester answered FAIL: pipeline stuck in Connecting`"));
  CHECK(has_line(s, "- Check: No duplicate records in destination failed: `3 duplicate ids in users: 7, 9, 12`"));
  CHECK(has_line(s, "- Cleanup: toolkit restore --all error: `restore failed: no backup of mysql-bin.000003`"));
  CHECK(has_line(s, "- Check: Binlog position advanced correctly pending: `no answer from the tester`"));
}

TEST_CASE("markdown: the checklist checks passed boxes and gives a reason for every other one") {
  auto s = section(render_markdown(sample_run(), 1), "**Verification Checklist:**");
  REQUIRE(s.size() == 3);
  CHECK(s[0] == "- [x] Row counts match between source and destination");
  CHECK(s[1] == "- [ ] No duplicate records in destination — failed: 3 duplicate ids in users: 7, 9, 12");
  CHECK(s[2] == "- [ ] Binlog position advanced correctly — pending: no answer from the tester");
}

TEST_CASE("markdown: error and skipped checks are unchecked with their status") {
  auto run = sample_run();
  run.steps[5].status = Status::Error;
  run.steps[5].message = "Lost connection to server during query";
  run.steps[6].status = Status::Skipped;
  run.steps[6].message = "";
  auto s = section(render_markdown(run, 1), "**Verification Checklist:**");
  REQUIRE(s.size() == 3);
  CHECK(s[0] ==
        "- [ ] Row counts match between source and destination — error: Lost connection to server during query");
  CHECK(s[1] == "- n/a: No duplicate records in destination");  // skipped: never an unchecked box
}

TEST_CASE("markdown: logs link to artifacts and step outputs relative to the run folder") {
  auto s = section(render_markdown(sample_run(), 1), "**Screenshots/Logs:**");
  REQUIRE(s.size() == 4);
  CHECK(s[0] == "- ![Timeline](timeline.svg)");  // the figure write_run_files draws beside the log
  CHECK(s[1] == "- [tc-run log](tc-run.log)");
  CHECK(s[2] == "- [MariaDB error log](<logs/source error.log>)");
  CHECK(s[3] == "- [Output of Data is actively being generated](steps/01-generate.log)");
}

TEST_CASE("markdown: empty sections say N/A like the seed") {
  RunResult run;
  run.verdict = Verdict::Error;
  std::string md = render_markdown(run, 1);
  CHECK(section(md, "**Steps Performed:**") == std::vector<std::string>{"- N/A"});
  CHECK(section(md, "**Observations:**") == std::vector<std::string>{"- N/A"});
  CHECK(section(md, "**Screenshots/Logs:**") == std::vector<std::string>{"- ![Timeline](timeline.svg)"});
  CHECK(section(md, "**Timeline:**") == std::vector<std::string>{"- N/A"});
  CHECK(has_line(lines_of(md), "| Result | ERROR |"));
  CHECK(has_line(lines_of(md), "| Variant | - |"));
}

TEST_CASE("markdown: notes start with the verdict and its reason") {
  auto s = section(render_markdown(sample_run(), 1), "**Notes:**");
  REQUIRE(s.size() >= 3);
  CHECK(s[0] == "- Verdict FAIL: 1 of 3 checks did not hold");
  CHECK(s[1] == "- Matrix variant reject of 4");
  CHECK(has_line(s, "- Started 2026-02-10T23:59:58.500Z, finished 2026-02-11T00:00:10.845Z (UTC)"));
}

TEST_CASE("markdown: the timeline is a table ordered by T+ with millisecond precision") {
  auto s = section(render_markdown(sample_run(), 1), "**Timeline:**");
  REQUIRE(s.size() == 6);
  CHECK(s[0] == "| T+ | Event | Detail |");
  CHECK(s[1] == "|----|-------|--------|");
  CHECK(s[2] == "| T+0.000s | run.start | TC-001 [reject] |");
  CHECK(s[3] == "| T+0.100s | step.start | Data is actively being generated |");
  CHECK(s[4] == "| T+1.204s | fault.applied | network --down --type reject |");
  CHECK(s[5] == "| T+5.828s | wait.satisfied | status \\| failed after 4.312 s |");
}

TEST_CASE("markdown: table cells escape pipes and line breaks") {
  auto run = sample_run();
  run.tester = "a|b\nc";
  run.timeline = {{Millis(4312), "step.end", "line1\nx | y"}};
  std::string md = render_markdown(run, 1);
  CHECK(has_line(lines_of(md), "| Tester | a\\|b<br>c |"));
  CHECK(has_line(lines_of(md), "| T+4.312s | step.end | line1<br>x \\| y |"));
}

TEST_CASE("markdown: output with backticks keeps its code span or fence intact") {
  auto run = sample_run();
  run.steps[2].output_excerpt = "value `x` here";
  run.steps[0].output_excerpt = "```\ninner fence\n```";
  std::string md = render_markdown(run, 1);
  CHECK(md.find("   Output: ``value `x` here``\n") != std::string::npos);
  CHECK(md.find("   ````\n   ```\n   inner fence\n   ```\n   ````\n") != std::string::npos);
}

TEST_CASE("markdown: invalid UTF-8 in step output is replaced, not passed through") {
  auto run = sample_run();
  run.steps[2].output_excerpt = std::string("bad \xff\xfe byte");
  std::string md = render_markdown(run, 1);
  CHECK(md.find("bad \xEF\xBF\xBD\xEF\xBF\xBD byte") != std::string::npos);
  CHECK(md.find('\xff') == std::string::npos);
}

TEST_CASE("markdown: a check skipped by `when` beside a twin that ran is not listed again") {
  auto run = sample_run();
  run.steps[5].status = Status::Passed;  // "Row counts match ..." ran and held
  auto twin = run.steps[5];
  twin.index = 9;
  twin.status = Status::Skipped;
  twin.message = "skipped: condition '${target} != replica' is false";
  run.steps.insert(run.steps.begin() + 6, twin);
  auto s = section(render_markdown(run, 1), "**Verification Checklist:**");
  int rows = 0;
  for (const auto& line : s) rows += line.find("Row counts match between source and destination") != std::string::npos;
  CHECK(rows == 1);
  CHECK(s[0] == "- [x] Row counts match between source and destination");
  for (const auto& line : s) CHECK(line.find("skipped: skipped") == std::string::npos);
}

TEST_CASE("markdown: observations never end in a stray unit, and an empty value says why") {
  auto run = sample_run();
  run.observations = {{"time to detect", "30.000 s", "s", "Wait", "not reached: timed out after 30.000 s"},
                      {"binlog GTID before the failure", "", "", "Record", "empty"},
                      {"error text", "", "", "Status", "no value: the step has no output 'last_error'"}};
  auto s = section(render_markdown(run, 1), "**Observations:**");
  REQUIRE(s.size() >= 3);
  CHECK(s[0] == "- time to detect: 30.000 s (not reached: timed out after 30.000 s) (Wait)");
  CHECK(s[1] == "- binlog GTID before the failure: (empty) (Record)");
  CHECK(s[2] == "- error text: (no value: the step has no output 'last_error') (Status)");
}

TEST_CASE("markdown: a step's result is printed once (Result and Output never repeat each other)") {
  auto run = sample_run();
  run.steps[0].message = "server: UP (10.11)\n…";
  run.steps[0].output_excerpt = "server: UP (10.11)\nuptime: 4 s\n…";
  run.steps[1].message = "running";
  run.steps[1].output_excerpt = "running";
  std::string md = render_markdown(run, 1);
  auto s = section(md, "**Steps Performed:**");
  std::string all;
  for (const auto& l : s) all += l + "\n";
  size_t server = 0;
  for (size_t p = all.find("server: UP"); p != std::string::npos; p = all.find("server: UP", p + 1)) ++server;
  CHECK(server == 1);  // the status text once, not as Result and again as Output
  size_t running = 0;
  for (size_t p = all.find("`running`"); p != std::string::npos; p = all.find("`running`", p + 1)) ++running;
  CHECK(running == 1);
}
