#include "targets/profile.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <stdexcept>

#include "targets/state_words.hpp"
#include "util/file_util.hpp"

namespace fs = std::filesystem;

namespace tc::targets {

namespace {
void add_upwards(std::vector<std::string>& out, fs::path dir, const std::string& file) {
  for (int depth = 0; depth < 8 && !dir.empty(); ++depth) {
    out.push_back((dir / "targets" / file).string());
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
}
}  // namespace

std::vector<std::string> profile_candidates(const std::string& name) {
  if (name.find('/') != std::string::npos || name.ends_with(".json")) return {name};
  std::string file = name + ".json";
  std::vector<std::string> out;
  if (const char* d = std::getenv("TC_TARGETS_DIR"); d && *d) out.push_back((fs::path(d) / file).string());
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (!ec) add_upwards(out, cwd, file);
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) add_upwards(out, exe.parent_path(), file);
  // An installed tc-run (cmake --install, the .deb): <prefix>/share/tc-run/targets.
  if (std::string share = installed_share_dir(); !share.empty()) out.push_back(share + "/targets/" + file);
  return out;
}

Json load_profile(const std::string& name) {
  auto candidates = profile_candidates(name);
  for (const auto& path : candidates) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) continue;
    std::ifstream in(path);
    if (!in) throw std::invalid_argument("cannot read the target profile " + path);
    Json j;
    try {
      j = Json::parse(in);
    } catch (const Json::parse_error& e) {
      throw std::invalid_argument("the target profile " + path + " is not valid JSON: " + e.what());
    }
    if (!j.is_object()) throw std::invalid_argument("the target profile " + path + " must hold a JSON object");
    j["profile_path"] = fs::absolute(path).lexically_normal().string();
    return j;
  }
  std::string tried;
  for (size_t i = 0; i < candidates.size() && i < 4; ++i) tried += (i ? ", " : "") + candidates[i];
  throw std::invalid_argument("no target profile '" + name + "' found (looked in " + tried +
                              (candidates.size() > 4 ? ", ..." : "") + "; set TC_TARGETS_DIR to the targets/ folder)");
}

Json overlay(const Json& profile, const Json& spec) {
  Json merged = profile;
  if (spec.is_object()) merged.merge_patch(spec);
  return merged;
}

Json placeholder_values(const Json& config) {
  Json values = config.value("defaults", Json::object());
  if (!values.is_object()) values = Json::object();
  for (const auto& [k, v] : config.items())
    if (v.is_primitive() && !v.is_null()) values[k] = v;
  return values;
}

std::string expand(const std::string& text, const Json& values, const std::string& where) {
  static const std::regex re(R"(\{([A-Za-z_][A-Za-z0-9_]*)\})");
  std::string out;
  auto begin = std::sregex_iterator(text.begin(), text.end(), re);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    std::string key = m[1].str();
    out += text.substr(last, m.position(0) - last);
    if (!values.contains(key))
      throw std::invalid_argument(where + " uses {" + key + "}, which has no value: give `" + key +
                                  "` in the target spec");
    out += value_text(values[key]);
    last = m.position(0) + m.length(0);
  }
  out += text.substr(last);
  return out;
}

Json expand_json(const Json& v, const Json& values, const std::string& where) {
  if (v.is_string()) return expand(v.get<std::string>(), values, where);
  if (v.is_object()) {
    Json out = Json::object();
    for (const auto& [k, x] : v.items()) out[k] = expand_json(x, values, where);
    return out;
  }
  if (v.is_array()) {
    Json out = Json::array();
    for (const auto& x : v) out.push_back(expand_json(x, values, where));
    return out;
  }
  return v;
}

}  // namespace tc::targets
