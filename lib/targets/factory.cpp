#include "targets/factory.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "targets/exec.hpp"
#include "targets/http.hpp"
#include "targets/manual.hpp"
#include "targets/profile.hpp"
#include "targets/replica.hpp"
#include "util/text.hpp"

namespace tc::targets {

namespace {

// Built-in kinds, then the profiles shipped in targets/ (any other targets/<name>.json works too).
const std::vector<std::string> kKnown = {"replica",  "manual",  "http",         "exec",       "hevo",
                                         "fivetran", "airbyte", "fivetran-api", "airbyte-api"};

std::string known_list() {
  std::string s;
  for (const auto& k : kKnown) s += (s.empty() ? "" : ", ") + k;
  return s;
}

// The spec's own settings, without the keys that choose the adapter.
Json settings(const Json& spec) {
  Json s = spec.is_object() ? spec : Json::object();
  s.erase("type");
  s.erase("profile");
  return s;
}

std::unique_ptr<Target> from_profile(const std::string& profile_name, const Json& spec, const TargetEnv& env,
                                     const std::string& expected_type) {
  Json config = overlay(load_profile(profile_name), settings(spec));
  std::string type = config.value("type", "");
  if (!expected_type.empty() && type != expected_type)
    throw std::invalid_argument("the target profile '" + profile_name + "' is of type '" + type + "', not '" +
                                expected_type + "'");
  if (type == "manual") return std::make_unique<ManualTarget>(config, env.prompter, env.run_dir);
  if (type == "http") return std::make_unique<HttpTarget>(config, env.run_dir);
  throw std::invalid_argument("the target profile '" + profile_name + "' has type '" + type +
                              "'; a profile must be of type manual or http");
}

}  // namespace

std::unique_ptr<Target> make_target(const Json& spec, const TargetEnv& env) {
  std::string type;
  if (spec.is_null())
    type = "replica";
  else if (spec.is_string())
    type = trim(spec.get<std::string>());
  else if (spec.is_object()) {
    if (!spec.contains("type") || !spec["type"].is_string())
      throw std::invalid_argument("a target map needs `type` (one of " + known_list() + ")");
    type = trim(spec["type"].get<std::string>());
  } else {
    throw std::invalid_argument("a target is a name (" + known_list() + ") or a map {type: ..., ...}, not " +
                                spec.dump());
  }
  if (type.empty()) type = "replica";

  if (type == "replica") return std::make_unique<ReplicaTarget>(env.toolkit, ReplicaProfile::from_spec(spec));
  if (type == "exec") {
    if (!spec.is_object())
      throw std::invalid_argument(
          "the exec target needs a map {type: exec, status: \"command\", restart: \"command\", ...}");
    return std::make_unique<ExecTarget>(spec, env.run_dir, env.toolkit.resolved_state_dir());
  }
  if (type == "http") {
    if (!spec.is_object())
      throw std::invalid_argument(
          "the http target needs a map {type: http, profile: fivetran-api, ...} or "
          "{type: http, base_url, status: {...}, restart: {...}}");
    if (spec.contains("profile")) return from_profile(spec["profile"].get<std::string>(), spec, env, "http");
    return std::make_unique<HttpTarget>(spec, env.run_dir);
  }
  if (type == "manual" && spec.is_object() && spec.contains("profile"))
    return from_profile(spec["profile"].get<std::string>(), spec, env, "manual");

  // Named profiles: targets/<type>.json (manual, hevo, fivetran, airbyte, fivetran-api, airbyte-api, or your own).
  bool known = std::find(kKnown.begin(), kKnown.end(), type) != kKnown.end();
  if (!known) {
    bool has_profile = false;
    for (const auto& path : profile_candidates(type)) {
      std::error_code ec;
      if (std::filesystem::is_regular_file(path, ec)) has_profile = true;
    }
    if (!has_profile) {
      std::string hint = closest(type, kKnown);
      throw std::invalid_argument("unknown target '" + type + "'" +
                                  (hint.empty() ? "" : "; did you mean '" + hint + "'?") + " (known: " + known_list() +
                                  ", or a profile targets/<name>.json)");
    }
  }
  return from_profile(type, spec, env, "");
}

}  // namespace tc::targets
