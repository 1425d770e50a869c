// timeline.svg: the run at a glance, drawn from the result model only: fault windows as named bands, the pipeline's
// state as a band (when a `sample` step recorded it), lag and destination rows as lines, marks for Fix Now, the
// restores and the checks. Plain SVG (no script, no external font), so GitHub and GitLab render it inline.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "report/writers.hpp"

namespace tc::report {

namespace {

constexpr double kWidth = 960, kLeft = 130, kRight = 20;

std::string esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string short_text(std::string s, size_t n) {
  if (s.rfind("toolkit ", 0) == 0) s = s.substr(8);
  if (s.size() > n) s = s.substr(0, n - 1) + "…";
  return s;
}

// A tick step of 1, 2 or 5 times a power of ten seconds, for about eight ticks.
double tick_step(double total_s) {
  double raw = std::max(total_s / 8.0, 0.001);
  double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * p) return m * p;
  return 10 * p;
}

const char* state_colour(const std::string& state) {
  if (state == "running") return "#2e9e44";
  if (state == "connecting" || state == "starting" || state == "snapshot") return "#e0a100";
  if (state == "failed" || state == "error") return "#d0312d";
  return "#9e9e9e";
}

struct Band {
  double from_s, to_s;
  std::string label;
};

}  // namespace

std::string render_timeline_svg(const RunResult& run) {
  double total_s = std::max(0.001, run.duration().count() / 1000.0);
  for (const auto& e : run.timeline) total_s = std::max(total_s, e.offset.count() / 1000.0);
  double plot_w = kWidth - kLeft - kRight;
  auto x = [&](double s) { return kLeft + plot_w * std::clamp(s / total_s, 0.0, 1.0); };

  // Fault windows: each fault.applied until the next fault.undone, or its scheduled end (fault.ended), or the end of
  // the run; flap cycles likewise (flap_recovery's flap.down/up, the daemon's own fault.flap on/off).
  std::vector<Band> faults;
  std::optional<Band> open;
  std::vector<std::pair<double, std::string>> marks;  // (t, label)
  for (const auto& e : run.timeline) {
    double t = e.offset.count() / 1000.0;
    bool flap_on = e.kind == "fault.flap" && e.text.find(" on,") != std::string::npos;
    bool flap_off = e.kind == "fault.flap" && !flap_on;
    if (e.kind == "fault.applied" || e.kind == "flap.down" || flap_on) {
      if (open) faults.push_back({open->from_s, t, open->label});
      open = Band{t, total_s, e.kind == "flap.down" ? "flap: " + e.text : short_text(e.text, 60)};
    } else if (e.kind == "fault.undone" || e.kind == "flap.up" || e.kind == "fault.ended" || flap_off) {
      if (open) {
        faults.push_back({open->from_s, t, open->label});
        open.reset();
      }
      if (e.kind == "fault.undone") marks.push_back({t, "restore"});
      if (e.kind == "fault.ended") marks.push_back({t, "ended"});
    } else if (e.kind == "pipeline.restart") {
      marks.push_back({t, "Fix Now"});
    }
  }
  if (open) faults.push_back(*open);

  // The pipeline's state and the lines, from the first recorded series.
  const Json* samples = nullptr;
  double series_offset = 0;
  for (const auto& s : run.series)
    if (s.contains("samples") && s["samples"].is_array() && !s["samples"].empty()) {
      samples = &s["samples"];
      series_offset = s.value("offset_ms", 0LL) / 1000.0;
      break;
    }

  int rows = 2 + (samples ? 2 : 0);  // faults, checks (+ state band, lines chart)
  double row_h = 34, chart_h = samples ? 120 : 0;
  double height = 40 + row_h * (rows - (samples ? 1 : 0)) + chart_h + 40;
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" viewBox=\"0 0 {0:.0f} {1:.0f}\" "
      "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
      "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{2}</text>\n",
      kWidth, height,
      esc(run.scenario_id + (run.variant.empty() ? "" : " [" + run.variant + "]") + " — " + verdict_name(run.verdict) +
          " in " + fmt::format("{:.1f}", total_s) + " s"));
  double y = 40;
  auto row_label = [&](const std::string& text, double yy) {
    out += fmt::format("<text x=\"10\" y=\"{:.1f}\" fill=\"#333\">{}</text>\n", yy + row_h / 2 + 4, esc(text));
  };

  row_label("Faults", y);
  out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#f4f4f4\"/>\n", kLeft,
                     y + 4, plot_w, row_h - 8);
  for (const auto& b : faults) {
    double x0 = x(b.from_s), x1 = std::max(x(b.to_s), x0 + 2);
    out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#d0312d\" fill-opacity=\"0.25\" "
        "stroke=\"#d0312d\"><title>{}</title></rect>\n",
        x0, y + 4, x1 - x0, row_h - 8, esc(b.label));
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#8b1a17\">{}</text>\n", x0 + 3, y + row_h / 2 + 4,
                       esc(short_text(b.label, static_cast<size_t>(std::max(4.0, (x1 - x0) / 6.5)))));
  }
  // Faults shade the whole height lightly, so the pipeline's reaction reads against them.
  std::string shades;
  for (const auto& b : faults)
    shades += fmt::format(
        "<rect x=\"{:.1f}\" y=\"40\" width=\"{:.1f}\" height=\"{{H}}\" fill=\"#d0312d\" "
        "fill-opacity=\"0.06\"/>\n",
        x(b.from_s), std::max(x(b.to_s) - x(b.from_s), 2.0));
  y += row_h;

  if (samples) {
    row_label("Pipeline", y);
    const Json& sm = *samples;
    // One rectangle per stretch of one state (not per sample): smaller, and no seams between samples.
    for (size_t i = 0; i < sm.size();) {
      std::string state = sm[i].value("state", std::string("unknown"));
      size_t j = i;
      while (j + 1 < sm.size() && sm[j + 1].value("state", std::string("unknown")) == state) ++j;
      double t0 = series_offset + sm[i].value("t_ms", 0LL) / 1000.0;
      double t1 = j + 1 < sm.size() ? series_offset + sm[j + 1].value("t_ms", 0LL) / 1000.0
                                    : series_offset + sm[j].value("t_ms", 0LL) / 1000.0 + 1;
      out += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\" "
          "shape-rendering=\"crispEdges\">"
          "<title>{} from {:.1f} s to {:.1f} s</title></rect>\n",
          x(t0), y + 6, std::max(x(t1) - x(t0), 1.0), row_h - 12, state_colour(state), esc(state), t0, t1);
      i = j + 1;
    }
    y += row_h;
    // Lines: lag (s) and destination progress (highest key), each scaled to the chart's height.
    out += fmt::format("<text x=\"10\" y=\"{:.1f}\" fill=\"#1f5fbf\">lag (s)</text>\n", y + 16);
    out += fmt::format("<text x=\"10\" y=\"{:.1f}\" fill=\"#6a3fb5\">destination rows</text>\n", y + 32);
    out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"none\" "
        "stroke=\"#ddd\"/>\n",
        kLeft, y + 4, plot_w, chart_h - 8);
    auto line = [&](const char* key, const char* colour, const char* label) {
      double lo = 1e300, hi = -1e300;
      for (const auto& s : sm)
        if (s.contains(key) && s[key].is_number())
          lo = std::min(lo, s[key].get<double>()), hi = std::max(hi, s[key].get<double>());
      if (lo > hi) return;
      double span = hi - lo > 0 ? hi - lo : 1;
      std::string pts;
      for (const auto& s : sm) {
        if (!s.contains(key) || !s[key].is_number()) continue;
        double t = series_offset + s.value("t_ms", 0LL) / 1000.0;
        double v = (s[key].get<double>() - lo) / span;
        pts += fmt::format("{:.1f},{:.1f} ", x(t), y + chart_h - 8 - v * (chart_h - 16));
      }
      out += fmt::format(
          "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" points=\"{}\"><title>{}: {} to "
          "{}</title></polyline>\n",
          colour, pts, label, lo, hi);
    };
    line("lag_seconds", "#1f5fbf", "lag (s)");
    line("destination_max", "#6a3fb5", "destination rows (highest key)");
    y += chart_h;
  }

  // Checks: a tick where each check ran, green when it held.
  row_label("Checks", y);
  for (const auto& s : run.steps) {
    if (s.phase != "checks" || s.status == Status::Skipped) continue;
    double t = s.offset.count() / 1000.0;
    const char* colour = s.status == Status::Passed ? "#2e9e44" : s.status == Status::Failed ? "#d0312d" : "#e0a100";
    out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"6\" height=\"{:.1f}\" fill=\"{}\"><title>{}: {}</title></rect>\n",
        std::min(x(t), kWidth - kRight - 6), y + 8, row_h - 16, colour, esc(s.name), status_name(s.status));
  }
  y += row_h;

  // Marks across every row: Fix Now and the restores.
  for (const auto& [t, label] : marks) {
    out += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"40\" x2=\"{0:.1f}\" y2=\"{1:.1f}\" stroke=\"#333\" "
        "stroke-dasharray=\"4 3\"/>\n",
        x(t), y);
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#333\" font-size=\"11\">{}</text>\n", x(t) + 2, y + 12,
                       esc(label));
  }
  // Time axis.
  double step = tick_step(total_s);
  for (double t = 0; t <= total_s + 1e-9; t += step) {
    out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#999\"/>\n", x(t),
                       y + 16, y + 20);
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#555\" text-anchor=\"middle\">{}</text>\n", x(t), y + 32,
                       fmt::format("{:g} s", std::round(t * 1000) / 1000));
  }
  std::string h = fmt::format("{:.1f}", y - 40);
  for (size_t p = shades.find("{H}"); p != std::string::npos; p = shades.find("{H}")) shades.replace(p, 3, h);
  // Shades go under everything else: right after the background.
  size_t after_bg = out.find("</text>\n") + 8;
  out.insert(after_bg, shades);
  out += "</svg>\n";
  return out;
}

}  // namespace tc::report
