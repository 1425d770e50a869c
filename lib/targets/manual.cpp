#include "targets/manual.hpp"

#include <fstream>
#include <stdexcept>

#include "targets/clock_text.hpp"
#include "targets/profile.hpp"
#include "targets/registry.hpp"
#include "targets/state_words.hpp"
#include "util/text.hpp"

namespace tc::targets {

namespace {
const std::vector<std::string> kPromptKeys = {"status", "restart", "resync", "start", "stop", "last_error"};
}  // namespace

ManualTarget::ManualTarget(const Json& config, Prompter* prompter, std::string run_dir)
    : prompter_(prompter), run_dir_(std::move(run_dir)) {
  std::string where = "the manual target" + (config.contains("profile_path")
                                                 ? " (profile " + config["profile_path"].get<std::string>() + ")"
                                                 : std::string());
  if (!prompter_) throw std::invalid_argument(where + " needs a prompter (a terminal or an --answers file)");
  etl_tool_ = config.value("etl_tool", "the ETL tool");
  Json values = placeholder_values(config);
  values["etl_tool"] = etl_tool_;
  if (!values.contains("pipeline")) {
    // No pipeline named in the scenario (`target: {type: hevo, pipeline: NAME}`): ask once, so every prompt names
    // the real one instead of a placeholder.
    Answer a = prompter_->ask(
        "pipeline.name",
        "Which " + etl_tool_ + " pipeline is under test? Type its name as the dashboard shows it (Enter to skip).", {});
    std::string name = a.answered ? trim(a.observation.empty() ? a.text : a.observation) : "";
    values["pipeline"] = name.empty() ? std::string("under test") : name;
  }
  const Json& prompts = config.contains("prompts") ? config["prompts"] : Json::object();
  if (!prompts.is_object()) throw std::invalid_argument(where + ": `prompts` must be a map of action -> text");
  for (const auto& k : kPromptKeys) {
    if (!prompts.contains(k) || !prompts[k].is_string())
      throw std::invalid_argument(where + ": `prompts." + k + "` is missing (a text asking the tester to " + k + ")");
    prompts_[k] = expand(prompts[k].get<std::string>(), values, where + " prompts." + k);
  }
  statuses_ = config.value("statuses", Json::object());
  check_state_map(statuses_, where + " `statuses`");
  for (const auto& [word, state] : statuses_.items()) status_choices_.push_back(word);
  destination_ = config.value("destination", "");
}

Answer ManualTarget::ask(const std::string& action, const std::vector<std::string>& choices) {
  std::string key = "pipeline." + action;
  std::string question = prompts_[action].get<std::string>();
  Answer a = prompter_->ask(key, question, choices);
  Json entry = {
      {"at", utc_now_iso()}, {"key", key},           {"question", question},         {"answered", a.answered},
      {"answer", a.text},    {"verdict", a.verdict}, {"observation", a.observation}, {"operator", a.operator_name}};
  std::lock_guard lock(mutex_);
  history_.push_back(entry);
  if (!run_dir_.empty()) {
    // One line per answer beside the report, so the log keeps what the tester said and when.
    std::ofstream log(run_dir_ + "/pipeline-manual.log", std::ios::app);
    if (log) log << entry.dump() << "\n";
  }
  return a;
}

PipelineStatus ManualTarget::status() {
  Answer a = ask("status", status_choices_);
  PipelineStatus s;
  if (a.answered) {
    if (auto st = map_state(statuses_, a.text)) s.state = *st;
    if (a.verdict == "FAIL" || s.state == "failed") s.last_error = a.observation;
  }
  s.detail = {
      {"tool_status", a.answered ? Json(a.text) : Json(nullptr)}, {"answered", a.answered}, {"history", history()}};
  return s;
}

std::string ManualTarget::last_error() {
  Answer a = ask("last_error", {});
  if (!a.answered)
    throw std::runtime_error("no answer to pipeline.last_error (give it interactively or in the answers file)");
  return a.observation.empty() ? a.text : a.observation;
}

void ManualTarget::act(const std::string& action) {
  Answer a = ask(action, {});
  if (!a.answered)
    throw std::runtime_error("the tester did not confirm pipeline." + action +
                             " (answer interactively or give it in the answers file)");
  if (a.verdict == "FAIL")
    throw std::runtime_error("the tester reported that " + action + " did not work in " + etl_tool_ +
                             (a.observation.empty() ? "" : ": " + a.observation));
}

Json ManualTarget::history() const {
  std::lock_guard lock(mutex_);
  return history_;
}

std::vector<std::string> ManualTarget::log_files() const {
  if (run_dir_.empty()) return {};
  std::ifstream probe(run_dir_ + "/pipeline-manual.log");
  if (!probe) return {};
  return {run_dir_ + "/pipeline-manual.log"};
}

TargetDecl declare_manual() {
  using O = scenario::OutputType;
  TargetDecl d{"manual",
               "a person at the pipeline's dashboard, asked in the terminal (profiles: hevo, fivetran, airbyte)",
               {"profile", "pipeline", "etl_tool", "statuses", "prompts"},
               [](const Json& spec, const TargetEnv& env) -> std::unique_ptr<Target> {
                 if (spec.is_object() && spec.contains("profile"))
                   return make_from_profile(spec["profile"].get<std::string>(), spec, env, "manual");
                 return make_from_profile("manual", spec, env, "");
               }};
  d.detail = {{"tool_status", O::Text, "the status the tester read on the dashboard (null: no answer)"},
              {"answered", O::Bool, "the tester answered"},
              {"history", O::List, "every question and answer so far"}};
  return d;
}

}  // namespace tc::targets
