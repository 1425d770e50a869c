#include "targets/factory.hpp"

#include <filesystem>
#include <stdexcept>

#include "targets/http.hpp"
#include "targets/manual.hpp"
#include "targets/profile.hpp"
#include "targets/registry.hpp"
#include "util/text.hpp"

namespace tc::targets {

namespace {

// The spec's own settings, without the keys that choose the adapter.
Json settings(const Json& spec) {
  Json s = spec.is_object() ? spec : Json::object();
  s.erase("type");
  s.erase("profile");
  return s;
}

}  // namespace

std::unique_ptr<Target> make_from_profile(const std::string& profile_name, const Json& spec, const TargetEnv& env,
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

std::unique_ptr<Target> make_target(const Json& spec, const TargetEnv& env) {
  std::string type;
  if (spec.is_null())
    type = "replica";
  else if (spec.is_string())
    type = trim(spec.get<std::string>());
  else if (spec.is_object()) {
    if (!spec.contains("type") || !spec["type"].is_string())
      throw std::invalid_argument("a target map needs `type` (one of " + join(target_names()) + ")");
    type = trim(spec["type"].get<std::string>());
  } else {
    throw std::invalid_argument("a target is a name (" + join(target_names()) + ") or a map {type: ..., ...}, not " +
                                spec.dump());
  }
  if (type.empty()) type = "replica";
  if (const auto* decl = find_target_decl(type)) return decl->make(spec, env);

  // Named profiles: targets/<type>.json (hevo, fivetran, airbyte, fivetran-api, airbyte-api, or your own).
  bool has_profile = false;
  for (const auto& path : profile_candidates(type)) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) has_profile = true;
  }
  if (!has_profile) {
    auto known = target_names();
    std::string hint = closest(type, known);
    throw std::invalid_argument("unknown target '" + type + "'" +
                                (hint.empty() ? "" : "; did you mean '" + hint + "'?") + " (known: " + join(known) +
                                ", or a profile targets/<name>.json)");
  }
  return make_from_profile(type, spec, env, "");
}

}  // namespace tc::targets
