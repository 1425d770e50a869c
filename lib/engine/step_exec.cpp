// Executes one step: when, argument resolution, the plugin, expectations, retries, timeouts, captures, observations.
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>

#include "engine/assertions.hpp"
#include "engine/condition.hpp"
#include "engine/run_state.hpp"
#include "engine/status_line.hpp"
#include "plugins/registry.hpp"
#include "util/text.hpp"

namespace tc::engine {

using report::Status;
namespace fs = std::filesystem;

std::string step_label(const RunState& st, const scenario::Step& step) {
  if (!step.name.empty()) {
    try {
      return st.vars.mask(st.vars.interpolate(step.name));
    } catch (const std::exception&) {
      return step.name;
    }
  }
  const auto* type = plugins::Registry::instance().find(step.type);
  try {
    Json args = st.vars.interpolate(step.args);
    return st.vars.mask(type ? type->describe(args) : step.type);
  } catch (const std::exception&) {
    return step.type;
  }
}

plugins::Outcome execute_once(RunState& st, const scenario::Step& step, std::stop_token stop) {
  plugins::Outcome o;
  const auto* type = plugins::Registry::instance().find(step.type);
  if (!type) {
    o.status = Status::Error;
    o.message = "unknown step type '" + step.type + "'";
    return o;
  }
  try {
    Json args;
    {
      std::lock_guard lock(st.mutex);
      args = st.vars.interpolate(step.args);
    }
    plugins::StepContext ctx{step, std::move(args), *st.services, stop};
    auto t0 = std::chrono::steady_clock::now();
    o = type->run(ctx);
    // `elapsed` is a path every step has (capture, observe, expect): the plugin's own measure, else the engine's.
    if (o.output.is_object() && !o.output.contains("elapsed_ms"))
      o.output["elapsed_ms"] = std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - t0).count();
  } catch (const plugins::StepError& e) {
    o.status = Status::Error;
    o.message = e.what();
  } catch (const std::exception& e) {
    o.status = Status::Error;
    o.message = e.what();
  }
  if (o.status == Status::Passed && stop.stop_requested() && !o.complete_on_stop) {
    // A plugin that returned normally after being told to stop did not finish its work.
    if (!step.background) {
      o.status = Status::Error;
      o.message = "stopped before it finished" + (o.message.empty() ? "" : " (" + o.message + ")");
    }
  }
  if (o.status == Status::Passed) {
    std::lock_guard lock(st.mutex);
    std::vector<std::string> defaults_taken;
    for (const auto& a : step.expect) {
      if (!has_output(o.output, a.path) && !a.fallback) {
        // Comparing against a value that does not exist could pass (not_equals, not_contains): it is an ERROR.
        o.status = Status::Error;
        o.message =
            "expect " + (a.path.empty() ? std::string("value") : a.path) + ": " + missing_output(o.output, a.path);
        o.unanswerable = true;
        break;
      }
      std::string why;
      try {
        if (!holds(a, o.output, st.vars, why)) {
          o.status = Status::Failed;
          o.message = why;
          break;
        }
        if (!why.empty()) defaults_taken.push_back(why);
      } catch (const std::exception& e) {
        // The expected value could not be computed (a capture an earlier failed step never made): no verdict on it.
        o.status = Status::Error;
        o.message = "expect " + (a.path.empty() ? std::string("value") : a.path) + ": " + e.what();
        break;
      }
    }
    if (o.status == Status::Passed && !defaults_taken.empty())
      o.message += (o.message.empty() ? "" : "; ") + join(defaults_taken, "; ");
  }
  return o;
}

namespace {

// Runs one attempt with a timeout: a watchdog asks the plugin to stop at the deadline.
plugins::Outcome attempt_with_timeout(RunState& st, const scenario::Step& step, std::stop_token outer) {
  std::stop_source local;
  std::stop_callback forward(outer, [&] { local.request_stop(); });
  // Self-timed steps (wait) measure their own timeout (and report it as a failed condition): no watchdog for them.
  bool watchdog = step.timeout && !step.self_timed;
  std::mutex m;
  std::condition_variable cv;
  bool done = false, fired = false;
  std::thread dog;
  if (watchdog) {
    dog = std::thread([&] {
      std::unique_lock lock(m);
      if (!cv.wait_for(lock, *step.timeout, [&] { return done; })) {
        fired = true;
        local.request_stop();
      }
    });
  }
  auto o = execute_once(st, step, local.get_token());
  if (watchdog) {
    {
      std::lock_guard lock(m);
      done = true;
    }
    cv.notify_all();
    dog.join();
    if (fired) {
      o.status = Status::Error;
      o.message = "timed out after " + format_duration(*step.timeout) + " and was cancelled" +
                  (o.message.empty() ? "" : " (" + o.message + ")");
    }
  }
  return o;
}

void sleep_interruptible(Millis d, std::stop_token stop) {
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lock(m);
  cv.wait_for(lock, stop, d, [] { return false; });
}

std::string write_step_log(RunState& st, scenario::Phase phase, int index, const std::string& text) {
  if (text.empty() || st.run_dir.empty()) return "";
  std::string rel = std::string("steps/") + scenario::phase_name(phase) + "-" + std::to_string(index) + ".log";
  fs::create_directories(fs::path(st.run_dir) / "steps");
  std::ofstream(fs::path(st.run_dir) / rel, std::ios::app) << st.vars.mask(text) << "\n";
  return rel;
}

}  // namespace

// Finishes a step result from its outcome: captures, observations, masking, logs and the timeline.
static void finish(RunState& st, const scenario::Step& step, scenario::Phase phase, int index, report::StepResult& r,
                   plugins::Outcome& o, Millis elapsed) {
  std::lock_guard lock(st.mutex);
  r.status = o.status;
  r.duration = elapsed;
  r.message = st.vars.mask(o.message);
  r.output = st.vars.mask(o.output);
  Json value = output_at(o.output, "value");
  std::string text = value.is_null() ? "" : scenario::to_text(value);
  r.output_excerpt = st.vars.mask(excerpt(text, 4, 300));
  r.log_file = write_step_log(st, phase, index, o.log);
  // A capture or observation of a path the step does not produce would record nothing and let later checks
  // compare against "": it makes the step an ERROR naming the path (a step that already failed keeps its reason).
  auto missing = [&](const std::string& what, const std::string& path, bool has_default) {
    if (has_output(o.output, path) || has_default) return false;
    if (o.status == Status::Passed || o.status == Status::Pending) {
      o.status = Status::Error;
      o.message = what + ": " + missing_output(o.output, path);
      r.status = o.status;
      r.message = st.vars.mask(o.message);
    }
    return true;
  };
  for (const auto& c : step.captures) {
    if (missing("capture " + c.var, c.path, c.fallback.has_value())) continue;
    if (!has_output(o.output, c.path)) {
      st.vars.set(c.var, *c.fallback);
      st.timeline.add("capture",
                      c.var + " = " + c.fallback->dump() + " (the default: " + missing_output(o.output, c.path) + ")");
      continue;
    }
    st.vars.set(c.var, output_at(o.output, c.path));
  }
  for (const auto& ob : step.observes) {
    report::Observation obs;
    obs.name = ob.name;
    obs.step = r.name;
    if (ob.path == "elapsed") {
      Millis ms = o.output.contains("elapsed_ms") && o.output["elapsed_ms"].is_number()
                      ? Millis(o.output["elapsed_ms"].get<long long>())
                      : elapsed;
      obs.value = format_seconds(ms) + " s";
      obs.unit = "s";
      if (o.status != Status::Passed) obs.note = "not reached: " + r.message;
      // A wait with on_timeout: record passed without its condition holding.
      if (o.output.is_object() && o.output.value("reached", true) == false) obs.note = r.message;
    } else if (missing("observe '" + ob.name + "'", ob.path, ob.fallback.has_value())) {
      obs.value = "";
      obs.note = "no value: " + missing_output(o.output, ob.path);
    } else if (!has_output(o.output, ob.path)) {
      obs.value = st.vars.mask(scenario::to_text(*ob.fallback));
      obs.note = "the default: " + missing_output(o.output, ob.path);
    } else {
      Json v = output_at(o.output, ob.path);
      obs.value = st.vars.mask(scenario::to_text(v));
      if (v.is_null() || obs.value.empty()) obs.note = v.is_null() ? "null" : "empty";
      // A duration in milliseconds (declared so, or named *_ms) reads as seconds with its unit: "20.000 s".
      bool millis = ob.path.size() > 3 && ob.path.compare(ob.path.size() - 3, 3, "_ms") == 0;
      if (const auto* t = plugins::Registry::instance().find(step.type))
        for (const auto& d : t->decl().outputs)
          if (d.name == ob.path && d.type == scenario::OutputType::Millis) millis = true;
      if (millis && v.is_number()) {
        obs.value = format_seconds(Millis(static_cast<long long>(v.get<double>()))) + " s";
        obs.unit = "s";
      }
    }
    st.result.observations.push_back(obs);
    st.timeline.add("observe", obs.name + " = " + obs.value + (obs.note.empty() ? "" : " (" + obs.note + ")"));
  }
  st.timeline.add("step.end", r.name + ": " + report::status_name(r.status) + " in " + format_duration(elapsed) +
                                  (r.message.empty() ? "" : " — " + r.message));
  if (st.log)
    st.log->info("{} {} [{}] {}", scenario::phase_name(phase), index, report::status_name(r.status), r.message);
}

// A result started now for `step`: its identity, masked label and resolved action.
static report::StepResult begin_result(RunState& st, const scenario::Step& step, scenario::Phase phase, int index) {
  report::StepResult r;
  r.phase = scenario::phase_name(phase);
  r.index = index;
  r.id = step.id;
  r.type = step.type;
  const auto* type = plugins::Registry::instance().find(step.type);
  try {
    r.action = st.vars.mask(type ? type->describe(st.vars.interpolate(step.args)) : step.type);
  } catch (const std::exception&) {
    r.action = step.type;
  }
  // An unnamed step's label is its described action: computed once, not twice per step.
  r.name = step.name.empty() ? r.action : step_label(st, step);
  r.started = report::Clock::now();
  r.offset = st.timeline.now();
  r.background = step.background;
  return r;
}

report::StepResult run_step(RunState& st, const scenario::Step& step, scenario::Phase phase, int index) {
  report::StepResult r = begin_result(st, step, phase, index);

  if (!step.when.empty()) {
    try {
      std::string cond = st.vars.interpolate(step.when);
      if (!evaluate_condition(cond)) {
        r.status = Status::Skipped;
        r.message = "skipped: condition '" + st.vars.mask(step.when) + "' is false";
        st.timeline.add("step.skip", r.name + " (" + r.message + ")");
        return r;
      }
    } catch (const std::exception& e) {
      r.status = Status::Error;
      r.message = std::string("cannot evaluate when: ") + e.what();
      return r;
    }
  }

  st.timeline.add("step.start", r.name);
  if (st.hooks && st.hooks->step) st.hooks->step(r.name);
  if (st.status) st.status->begin(r.name, step.timeout);
  auto t0 = std::chrono::steady_clock::now();
  plugins::Outcome o;
  int attempts = 1 + std::max(0, step.retry.count);
  for (int i = 1; i <= attempts; ++i) {
    auto a0 = std::chrono::steady_clock::now();
    Millis offset = st.timeline.now();
    o = attempt_with_timeout(st, step, st.phase_token());
    auto dt = std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - a0);
    r.attempts.push_back({offset, dt, o.status, st.vars.mask(o.message)});
    if (o.status == Status::Passed || o.status == Status::Pending || i == attempts) break;
    if (st.phase_token().stop_requested()) break;
    st.timeline.add("step.retry", r.name + ": attempt " + std::to_string(i) + " " + report::status_name(o.status) +
                                      ", retrying in " + format_duration(step.retry.delay));
    sleep_interruptible(step.retry.delay, st.phase_token());
  }
  if (attempts == 1) r.attempts.clear();  // a single attempt is the step itself
  if (st.status) st.status->end();
  finish(st, step, phase, index, r, o, std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - t0));
  return r;
}

void start_background(RunState& st, const scenario::Step& step, scenario::Phase phase, int index) {
  std::lock_guard lock(st.mutex);
  auto bg = std::make_unique<BackgroundStep>();
  bg->step = &step;
  report::StepResult r = begin_result(st, step, phase, index);
  r.status = Status::Pending;
  r.message = "running in the background";
  bg->result_index = st.result.steps.size();
  st.result.steps.push_back(r);
  st.timeline.add("background.start", r.name);
  BackgroundStep* raw = bg.get();
  std::string key = step.id.empty() ? "#bg" + std::to_string(st.background.size() + 1) : step.id;
  auto start = std::chrono::steady_clock::now();
  raw->thread = std::thread([&st, raw, start, phase, index] {
    std::stop_source combined;
    std::stop_callback fwd(raw->stop.get_token(), [&] { combined.request_stop(); });
    raw->outcome = execute_once(st, *raw->step, combined.get_token());
    raw->outcome.output["elapsed_ms"] =
        std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - start).count();
    (void)phase;
    (void)index;
  });
  st.background[key] = std::move(bg);
}

plugins::Outcome collect_background(RunState& st, const std::string& id) {
  std::vector<BackgroundStep*> todo;
  {
    std::lock_guard lock(st.mutex);
    if (!id.empty()) {
      auto it = st.background.find(id);
      if (it == st.background.end()) throw plugins::StepError("no background step with id '" + id + "'");
      todo.push_back(it->second.get());
    } else {
      for (auto& [k, bg] : st.background) todo.push_back(bg.get());
    }
  }
  plugins::Outcome last;
  for (auto* bg : todo) {
    if (bg->collected) {
      last = bg->outcome;
      continue;
    }
    bg->stop.request_stop();
    if (bg->thread.joinable()) bg->thread.join();
    bg->collected = true;
    std::lock_guard lock(st.mutex);
    auto& r = st.result.steps[bg->result_index];
    Millis elapsed(bg->outcome.output.value("elapsed_ms", 0LL));
    scenario::Phase phase = r.phase == "preconditions" ? scenario::Phase::Preconditions : scenario::Phase::Steps;
    finish(st, *bg->step, phase, r.index, r, bg->outcome, elapsed);
    st.timeline.add("background.stop", r.name + " stopped and collected");
    last = bg->outcome;
  }
  return last;
}

}  // namespace tc::engine
