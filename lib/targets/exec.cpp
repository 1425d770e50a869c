#include "targets/exec.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "targets/registry.hpp"
#include "targets/state_words.hpp"
#include "util/duration.hpp"
#include "util/process.hpp"
#include "util/text.hpp"

namespace tc::targets {

namespace {
const std::vector<std::string> kCommandKeys = {"status", "start", "stop", "restart", "resync", "last_error"};
const std::vector<std::string> kOtherKeys = {"type", "status_map", "timeout", "env", "cwd", "etl_tool", "destination"};
}  // namespace

ExecTarget::ExecTarget(const Json& spec, std::string run_dir, std::string state_dir) {
  if (!spec.is_object())
    throw std::invalid_argument("the exec target needs a map {type: exec, status: \"command\", ...}");
  for (const auto& [k, v] : spec.items()) {
    bool command = std::find(kCommandKeys.begin(), kCommandKeys.end(), k) != kCommandKeys.end();
    if (command) {
      if (!v.is_string() || trim(v.get<std::string>()).empty())
        throw std::invalid_argument("exec target: `" + k + "` must be a command line");
      commands_[k] = v.get<std::string>();
    } else if (std::find(kOtherKeys.begin(), kOtherKeys.end(), k) == kOtherKeys.end()) {
      std::vector<std::string> known = kCommandKeys;
      known.insert(known.end(), kOtherKeys.begin(), kOtherKeys.end());
      std::string hint = closest(k, known);
      throw std::invalid_argument("exec target: unknown key `" + k + "`" +
                                  (hint.empty() ? "" : "; did you mean `" + hint + "`?"));
    }
  }
  if (!commands_.count("status")) throw std::invalid_argument("the exec target needs a `status` command");
  if (spec.contains("status_map")) {
    status_map_ = spec["status_map"];
    check_state_map(status_map_, "exec target `status_map`");
  }
  if (spec.contains("timeout")) {
    auto d = duration_value(spec["timeout"]);
    if (!d || d->count() <= 0) throw std::invalid_argument("exec target: `timeout` must be a duration like 30s");
    timeout_ = *d;
  }
  if (spec.contains("env")) {
    if (!spec["env"].is_object()) throw std::invalid_argument("exec target: `env` must be a map NAME: value");
    for (const auto& [k, v] : spec["env"].items()) env_[k] = value_text(v);
  }
  // Commands learn where the run keeps its files.
  if (!run_dir.empty()) env_.emplace("TC_RUN_DIR", run_dir);
  if (!state_dir.empty()) env_.emplace("TC_STATE_DIR", state_dir);
  cwd_ = spec.value("cwd", "");
  etl_tool_ = spec.value("etl_tool", "a pipeline driven by commands");
  destination_ = spec.value("destination", "");
}

namespace {
ProcessResult run(const std::string& command, const std::map<std::string, std::string>& env, const std::string& cwd,
                  std::chrono::milliseconds timeout) {
  ProcessOptions o;
  o.timeout = timeout;
  o.env = env;
  o.cwd = cwd;
  return run_shell(command, o);
}
}  // namespace

PipelineStatus ExecTarget::status() {
  auto r = run(commands_["status"], env_, cwd_, timeout_);
  if (r.timed_out)
    throw std::runtime_error(fmt::format("the status command timed out after {}", format_duration(timeout_)));
  std::string out = trim(r.out);
  auto nl = out.find('\n');
  std::string word = trim(out.substr(0, nl));
  std::string rest = nl == std::string::npos ? "" : trim(out.substr(nl + 1));
  PipelineStatus s;
  s.detail = {{"command", commands_["status"]}, {"exit_code", r.exit_code}, {"output", word}};
  if (!trim(r.err).empty()) s.detail["stderr"] = excerpt(r.err, 5, 400);
  std::optional<std::string> state = map_state(status_map_, word);
  if (!state && is_state_word(word)) state = word;
  if (!state) {
    if (r.exit_code != 0)
      throw std::runtime_error(fmt::format("the status command exited with {}: {}", r.exit_code,
                                           excerpt(trim(r.err).empty() ? r.out : r.err, 3, 300)));
    s.detail["unmapped"] = word;
    return s;
  }
  s.state = *state;
  if (!rest.empty()) s.last_error = rest;
  return s;
}

std::string ExecTarget::last_error() {
  if (!commands_.count("last_error")) return status().last_error;
  auto r = run(commands_["last_error"], env_, cwd_, timeout_);
  if (r.exit_code != 0)
    throw std::runtime_error(
        fmt::format("the last_error command exited with {}: {}", r.exit_code, excerpt(r.err, 3, 300)));
  return trim(r.out);
}

void ExecTarget::perform(const std::string& action) {
  auto it = commands_.find(action);
  if (it == commands_.end()) throw std::runtime_error("the exec target has no `" + action + "` command in its spec");
  auto r = run(it->second, env_, cwd_, timeout_);
  if (r.timed_out)
    throw std::runtime_error(fmt::format("`{}` timed out after {}", it->second, format_duration(timeout_)));
  if (r.exit_code != 0)
    throw std::runtime_error(fmt::format("`{}` exited with {}: {}", it->second, r.exit_code,
                                         excerpt(trim(r.err).empty() ? r.out : r.err, 3, 300)));
}

TargetDecl declare_exec() {
  using O = scenario::OutputType;
  TargetDecl d{"exec",
               "any pipeline driven by command lines (status, restart, ...)",
               {"status", "start", "stop", "restart", "resync", "last_error", "etl_tool", "destination", "timeout"},
               [](const Json& spec, const TargetEnv& env) -> std::unique_ptr<Target> {
                 if (!spec.is_object())
                   throw std::invalid_argument(
                       "the exec target needs a map {type: exec, status: \"command\", restart: \"command\", ...}");
                 return std::make_unique<ExecTarget>(spec, env.run_dir, env.toolkit.resolved_state_dir());
               }};
  d.detail = {{"command", O::Text, "the status command run"},
              {"exit_code", O::Number, "its exit code"},
              {"output", O::Text, "the first line it printed (the state word)"},
              {"stderr", O::Text, "the start of what it wrote to stderr, when anything"},
              {"unmapped", O::Text, "a first line that is no state word and matched no `statuses:` entry"}};
  return d;
}

}  // namespace tc::targets
