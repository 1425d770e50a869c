#pragma once
// Shared by the import tests: reading corpus files, the loader's step types, and the line-coverage check.
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "scenario/loader.hpp"

namespace import_test {

inline std::string corpus(const std::string& name) {
  return std::string(TC_SOURCE_DIR) + "/tests/corpus/markdown/" + name;
}

inline std::string read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline tc::scenario::LoadOptions load_options() {
  return tc::engine::load_options();
}

/// Lowercase words only: markdown markers, quotes, escapes and punctuation do not count.
inline std::string norm(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c >= 0x80)
      out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != ' ')
      out += ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

inline void collect(const YAML::Node& n, std::vector<std::string>& pieces) {
  if (n.IsScalar()) pieces.push_back(n.Scalar());
  if (n.IsSequence())
    for (const auto& x : n) collect(x, pieces);
  if (n.IsMap())
    for (const auto& kv : n) {
      std::string key = kv.first.Scalar();
      pieces.push_back(key);
      if (kv.second.IsScalar()) pieces.push_back(key + " " + kv.second.Scalar());
      if (kv.second.IsSequence()) {
        std::string joined = key;
        for (const auto& x : kv.second)
          if (x.IsScalar()) joined += " " + x.Scalar();
        pieces.push_back(joined);
      }
      collect(kv.second, pieces);
    }
}

/// Every text the imported files carry: YAML keys and values (parsed), YAML comments, sidecar lines.
inline std::vector<std::string> carried(const std::string& yaml, const std::string& sidecar) {
  std::vector<std::string> pieces;
  collect(YAML::Load(yaml), pieces);
  std::istringstream y(yaml);
  for (std::string l; std::getline(y, l);) {
    size_t b = l.find_first_not_of(' ');
    if (b != std::string::npos && l[b] == '#') pieces.push_back(l.substr(b + 1));
  }
  std::istringstream s(sidecar);
  for (std::string l; std::getline(s, l);) pieces.push_back(l);
  for (auto& p : pieces) p = norm(p);
  return pieces;
}

/// Source lines whose words appear in no carried piece. Fences, rules and table separators hold no words.
inline std::vector<std::string> uncovered(const std::string& markdown, const std::string& yaml,
                                          const std::string& sidecar) {
  static const std::regex structural(R"(^\s*(```.*|~~~.*|(-\s*){3,}|\|?[\s:|-]*-[\s:|-]*)$)");
  static const std::regex markers(R"(^\s*(#{1,6}\s+)?(([-*+]|\d+[.)])\s+)?(\[[ xX]\]\s+)?)");
  auto pieces = carried(yaml, sidecar);
  std::vector<std::string> missing;
  std::istringstream md(markdown);
  for (std::string line; std::getline(md, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (std::regex_match(line, structural)) continue;
    std::string words = norm(std::regex_replace(line, markers, "", std::regex_constants::format_first_only));
    if (words.empty()) continue;
    bool found = false;
    for (const auto& p : pieces)
      if (p.find(words) != std::string::npos) {
        found = true;
        break;
      }
    if (!found) missing.push_back(line);
  }
  return missing;
}

}  // namespace import_test
