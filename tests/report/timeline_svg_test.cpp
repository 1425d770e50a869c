// timeline.svg from the result model: fault windows named, Fix Now and restores marked, the pipeline's state and
// lines when sampled, well-formed and small.
#include <doctest/doctest.h>

#include "report/writers.hpp"
#include "sample_run.hpp"

using namespace tc;
using namespace tc::report;

namespace {
size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("timeline.svg: a fault band named by its command, marks for Fix Now and the restore, the checks") {
  RunResult r = testing::sample_run();
  r.timeline = {{Millis(1000), "fault.applied", "toolkit network --down --type reject"},
                {Millis(4000), "pipeline.restart", "restart done"},
                {Millis(6000), "fault.undone", "toolkit network --up"}};
  std::string svg = render_timeline_svg(r);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(svg.find("</svg>") != std::string::npos);
  CHECK(svg.find("<title>network --down --type reject</title>") != std::string::npos);
  CHECK(svg.find(">Fix Now</text>") != std::string::npos);
  CHECK(svg.find(">restore</text>") != std::string::npos);
  CHECK(count(svg, "<svg") == 1);
  CHECK(svg.find("Pipeline") == std::string::npos);  // not sampled: no state band is drawn from nothing
  CHECK(svg.find("<script") == std::string::npos);
}

TEST_CASE("timeline.svg: a sampled 5-minute soak draws the state band and lines in under 100 KB") {
  RunResult r = testing::sample_run();
  r.finished = r.started + std::chrono::minutes(5);
  Json samples = Json::array();
  for (int i = 0; i < 300; ++i)
    samples.push_back({{"t_ms", i * 1000},
                       {"state", i % 60 < 10   ? "failed"
                                 : i % 60 < 15 ? "connecting"
                                               : "running"},
                       {"lag_seconds", (i % 60) * 0.5},
                       {"destination_max", 1000 + i * 20},
                       {"fault", i % 60 < 10 ? "network reject" : ""}});
  r.series = Json::array({{{"step", "rec"}, {"offset_ms", 2000}, {"samples", samples}}});
  for (int c = 0; c < 5; ++c) {
    r.timeline.push_back({Millis(2000 + c * 60000), "flap.down", "cycle down"});
    r.timeline.push_back({Millis(12000 + c * 60000), "flap.up", "cycle up"});
  }
  std::string svg = render_timeline_svg(r);
  CHECK(svg.size() < 100 * 1024);
  CHECK(svg.find(">Pipeline</text>") != std::string::npos);
  CHECK(count(svg, "fill=\"#d0312d\" shape-rendering") > 0);  // failed stretches in red
  CHECK(count(svg, "fill=\"#e0a100\" shape-rendering") > 0);  // connecting in amber
  CHECK(count(svg, "<polyline") == 2);                        // lag and destination rows
  CHECK(count(svg, "<title>flap: cycle down</title>") == 5);  // one band per flap cycle
  MESSAGE("5-minute soak figure: " << svg.size() << " bytes");
}
