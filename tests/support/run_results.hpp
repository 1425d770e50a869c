#pragma once
// Reading what tc-run wrote: every run folder's result.json of a scenario, and its observations by name.
#include <filesystem>
#include <map>
#include <string>

#include "support/test_files.hpp"
#include "util/json.hpp"

namespace tc::test {

/// Every run folder's result.json under reports/<id>, keyed by variant; "_dir" holds the folder.
inline std::map<std::string, Json> results_of(const std::filesystem::path& reports, const std::string& id) {
  std::map<std::string, Json> out;
  if (!std::filesystem::exists(reports / id)) return out;
  for (const auto& e : std::filesystem::directory_iterator(reports / id)) {
    auto res = Json::parse(slurp(e.path() / "result.json"));
    res["_dir"] = e.path().string();
    out[res["variant"].get<std::string>()] = res;
  }
  return out;
}

/// An observation's value and note ("" when the run has none of that name).
inline std::string observation(const Json& res, const std::string& name) {
  for (const auto& o : res["observations"])
    if (o["name"] == name) return o["value"].get<std::string>() + " " + o.value("note", "");
  return "";
}

/// The last `n` characters (test failure messages keep the end of a long stderr).
inline std::string tail(const std::string& s, size_t n = 6000) {
  return s.substr(s.size() > n ? s.size() - n : 0);
}

}  // namespace tc::test
