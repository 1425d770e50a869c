#include "targets/registry.hpp"

#include <algorithm>
#include <filesystem>

#include "targets/profile.hpp"

namespace fs = std::filesystem;

namespace tc::targets {

// One line per adapter; each declaration lives in the adapter's own file (declare_<name>).
// clang-format off
#define TC_TARGET_TYPES(X) \
  X(replica)               \
  X(debezium)              \
  X(manual)                \
  X(http)                  \
  X(exec)
// clang-format on

#define TC_DECLARE(n) TargetDecl declare_##n();
TC_TARGET_TYPES(TC_DECLARE)
#undef TC_DECLARE

const std::vector<TargetDecl>& target_registry() {
  // Never destroyed: static destructors (a test fixture's `toolkit down` at exit) may still stop pipelines through it.
#define TC_ADD(n) declare_##n(),
  static const auto* decls = new std::vector<TargetDecl>{TC_TARGET_TYPES(TC_ADD)};
#undef TC_ADD
  return *decls;
}

const TargetDecl* find_target_decl(const std::string& name) {
  for (const auto& d : target_registry())
    if (d.name == name) return &d;
  return nullptr;
}

const TargetDecl* target_decl_of(const Json& target) {
  Json name = target.is_object() ? target.value("type", Json()) : target;
  if (!name.is_string()) return nullptr;
  const std::string& n = name.get_ref<const std::string&>();
  if (n.find("${") != std::string::npos) return nullptr;
  if (const auto* d = find_target_decl(n)) return d;
  try {
    Json profile = load_profile(n);
    if (profile.contains("type") && profile["type"].is_string())
      return find_target_decl(profile["type"].get<std::string>());
  } catch (const std::exception&) {
  }
  return nullptr;
}

std::vector<std::string> stop_pipeline_servers(const std::string& state_dir, std::chrono::seconds grace) {
  std::vector<std::string> stopped;
  for (const auto& d : target_registry())
    if (d.stop_servers && d.stop_servers(state_dir, grace)) stopped.push_back(d.name);
  return stopped;
}

std::vector<std::string> target_names() {
  std::vector<std::string> names;
  for (const auto& d : target_registry()) names.push_back(d.name);
  std::vector<std::string> profiles;
  // profile_candidates("x") lists <dir>/targets/x.json for every place a profile is looked for.
  for (const auto& candidate : profile_candidates("x")) {
    std::error_code ec;
    fs::path dir = fs::path(candidate).parent_path();
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (e.path().extension() != ".json") continue;
      std::string n = e.path().stem().string();
      if (std::find(names.begin(), names.end(), n) == names.end() &&
          std::find(profiles.begin(), profiles.end(), n) == profiles.end())
        profiles.push_back(n);
    }
  }
  std::sort(profiles.begin(), profiles.end());
  names.insert(names.end(), profiles.begin(), profiles.end());
  return names;
}

}  // namespace tc::targets
