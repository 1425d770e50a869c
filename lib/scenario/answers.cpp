#include "scenario/answers.hpp"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/prompter_words.hpp"
#include "util/text.hpp"

namespace tc::scenario {

namespace {

const std::vector<std::string> kFields = {"answer", "verdict", "observation", "operator"};

Mark mark_of(const std::string& file, const YAML::Mark& m) {
  if (m.line < 0) return {file, 0, 0};
  return {file, m.line + 1, m.column + 1};
}

struct Reader {
  std::string file;
  std::vector<Diagnostic> diags;

  void error(const YAML::Node& n, std::string msg) { diags.push_back({mark_of(file, n.Mark()), std::move(msg)}); }

  std::optional<std::string> scalar(const YAML::Node& n, const std::string& what) {
    if (n.IsNull()) return std::string();
    if (!n.IsScalar()) {
      error(n, what + ": expected text, found a " + (n.IsMap() ? "map" : "list"));
      return std::nullopt;
    }
    return n.Scalar();
  }

  Answer from_text(const std::string& text) {
    Answer a;
    a.answered = true;
    a.text = trim(text);
    read_verdict_words(a.text, a);
    return a;
  }

  std::optional<Answer> from_map(const YAML::Node& n, const std::string& key) {
    Answer a;
    a.answered = true;
    bool ok = true;
    for (const auto& kv : n) {
      std::string field = kv.first.IsScalar() ? kv.first.Scalar() : "";
      auto value = scalar(kv.second, "\"" + key + "\" " + field);
      if (!value) {
        ok = false;
        continue;
      }
      if (field == "answer") {
        a.text = trim(*value);
      } else if (field == "observation") {
        a.observation = trim(*value);
      } else if (field == "operator") {
        a.operator_name = trim(*value);
      } else if (field == "verdict") {
        std::string v = trim(*value);
        for (char& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (v != "PASS" && v != "FAIL") {
          error(kv.second, "\"" + key + "\" verdict: expected PASS or FAIL, found \"" + *value + "\"");
          ok = false;
        }
        a.verdict = v;
      } else {
        std::string hint = closest(field, kFields);
        error(kv.first, "\"" + key + "\": unknown field \"" + field + "\"" +
                            (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") +
                            "; expected answer, verdict, observation or operator");
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    // Without an explicit verdict, "answer: FAIL stuck" means the same as typing it at the prompt.
    if (a.verdict.empty()) {
      std::string obs = a.observation;
      if (read_verdict_words(a.text, a) && !obs.empty()) a.observation = obs;
    } else if (a.text.empty()) {
      a.text = a.verdict;
    }
    return a;
  }

  // A list answers the same key once per ask, in order (a status polled by a wait); the last one repeats.
  std::optional<Answer> from_list(const YAML::Node& list, const std::string& key) {
    if (list.size() == 0) {
      error(list, "\"" + key + "\": an empty list answers nothing; give at least one answer");
      return std::nullopt;
    }
    std::vector<Answer> all;
    bool ok = true;
    for (const auto& item : list) {
      std::optional<Answer> a;
      if (item.IsMap())
        a = from_map(item, key);
      else if (item.IsSequence())
        error(item, "\"" + key +
                        "\": a list item must be an answer (text) or a map {answer, verdict, observation, operator}");
      else
        a = from_text(item.IsNull() ? "" : item.Scalar());
      if (a)
        all.push_back(*a);
      else
        ok = false;
    }
    if (!ok) return std::nullopt;
    Answer first = all.front();
    first.then.assign(all.begin() + 1, all.end());
    return first;
  }

  std::map<std::string, Answer> read(const YAML::Node& root) {
    std::map<std::string, Answer> out;
    if (!root || root.IsNull()) return out;  // an empty file answers nothing
    if (!root.IsMap()) {
      error(root, "expected a map of step keys to answers (step id, step name or <phase>.<index>: answer)");
      return out;
    }
    std::map<std::string, Mark> seen;
    for (const auto& kv : root) {
      if (!kv.first.IsScalar() || trim(kv.first.Scalar()).empty()) {
        error(kv.first, "expected a step key (step id, step name or <phase>.<index>)");
        continue;
      }
      std::string key = trim(kv.first.Scalar());
      Mark here = mark_of(file, kv.first.Mark());
      if (auto [it, fresh] = seen.emplace(key, here); !fresh) {
        error(kv.first, "duplicate answer for \"" + key + "\" (first given at " + it->second.str() + ")");
        continue;
      }
      const YAML::Node& v = kv.second;
      if (v.IsMap()) {
        if (auto a = from_map(v, key)) out[key] = *a;
      } else if (v.IsSequence()) {
        if (auto a = from_list(v, key)) out[key] = *a;
      } else {
        out[key] = from_text(v.IsNull() ? "" : v.Scalar());
      }
    }
    return out;
  }
};

}  // namespace

std::map<std::string, Answer> load_answers_string(std::string_view text, const std::string& name) {
  Reader r{name, {}};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw LoadError({{mark_of(name, e.mark), "invalid YAML: " + e.msg}});
  }
  auto out = r.read(root);
  if (!r.diags.empty()) throw LoadError(std::move(r.diags));
  return out;
}

std::map<std::string, Answer> load_answers(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw LoadError({{Mark{path, 0, 0}, "the answers file is a directory"}});
  std::ifstream f(path, std::ios::binary);
  if (!f) throw LoadError({{Mark{path, 0, 0}, "cannot read the answers file"}});
  std::stringstream ss;
  ss << f.rdbuf();
  return load_answers_string(ss.str(), path);
}

}  // namespace tc::scenario
