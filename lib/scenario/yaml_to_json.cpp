#include "scenario/yaml_to_json.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>

namespace tc::scenario::detail {

namespace {

constexpr int kMaxDepth = 64;

Mark mark_of(const LoadContext& ctx, const YAML::Mark& m) {
  if (m.is_null()) return Mark{ctx.file, 0, 0};
  return Mark{ctx.file, m.line + 1, m.column + 1};
}

// Counts documents without building them, stopping at the second: yaml-cpp 0.7's LoadAll never returns (it adds
// empty documents until memory runs out) on a stray ',' outside [...] or {...}, e.g. "- a\n, b" (found by fuzzing).
class DocumentCounter : public YAML::EventHandler {
 public:
  int documents = 0;
  YAML::Mark second;  // where the second document's root node starts

  void OnDocumentStart(const YAML::Mark&) override { ++documents; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { node(m); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { node(m); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t, const std::string&) override { node(m); }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(m);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(m);
  }
  void OnMapEnd() override {}

 private:
  bool seen_second_ = false;
  void node(const YAML::Mark& m) {
    if (documents == 2 && !seen_second_) second = m, seen_second_ = true;
  }
};

bool full_match(const std::string& s, const char* re) {
  static std::map<const char*, std::regex> cache;  // patterns are literals: one compile each
  auto it = cache.find(re);
  if (it == cache.end()) it = cache.emplace(re, std::regex(re)).first;
  return std::regex_match(s, it->second);
}

class Converter {
 public:
  explicit Converter(LoadContext& ctx) : ctx_(ctx) {}

  Json convert(const YAML::Node& n, const std::string& ptr, const Mark& where, int depth) {
    ctx_.marks[ptr] = where;
    if (depth > kMaxDepth) {
      ctx_.error(where, fmt::format("nesting deeper than {} levels", kMaxDepth));
      return nullptr;
    }
    switch (n.Type()) {
      case YAML::NodeType::Map: return convert_map(n, ptr, depth);
      case YAML::NodeType::Sequence: {
        Json out = Json::array();
        size_t i = 0;
        for (const auto& item : n) {
          std::string p = ptr_join(ptr, i++);
          out.push_back(convert(item, p, value_mark(item, where), depth + 1));
        }
        return out;
      }
      case YAML::NodeType::Scalar: return scalar(n, where);
      default: return nullptr;  // Null and Undefined
    }
  }

 private:
  // Marks of empty values point at the next token; the key's place is more useful then.
  Mark value_mark(const YAML::Node& v, const Mark& fallback) const {
    if (v.IsNull()) return fallback;
    Mark m = mark_of(ctx_, v.Mark());
    return m.line > 0 ? m : fallback;
  }

  Json convert_map(const YAML::Node& n, const std::string& ptr, int depth) {
    Json out = Json::object();
    std::map<std::string, Mark> seen;
    for (auto it = n.begin(); it != n.end(); ++it) {
      // A copy (a cheap handle): `it->` returns a proxy that dies at the end of the statement.
      const YAML::Node k = it->first;
      Mark km = mark_of(ctx_, k.Mark());
      if (!k.IsScalar()) {
        ctx_.error(km, "a key must be a plain word, not a " + std::string(k.IsMap()        ? "map"
                                                                          : k.IsSequence() ? "list"
                                                                                           : "null"));
        continue;
      }
      std::string key = k.Scalar();
      if (key == "<<" && k.Tag() == "?") {
        ctx_.error(km, "YAML merge keys (<<) are not supported: write the keys out, or use a variable");
        continue;
      }
      if (auto prev = seen.find(key); prev != seen.end()) {
        ctx_.error(km, fmt::format("duplicate key '{}' (first written at line {})", key, prev->second.line));
        continue;
      }
      seen[key] = km;
      std::string p = ptr_join(ptr, key);
      ctx_.key_marks[p] = km;
      Mark vm = it->second.IsNull() ? Mark{ctx_.file, km.line, km.column + static_cast<int>(key.size()) + 1}
                                    : value_mark(it->second, km);
      out[key] = convert(it->second, p, vm, depth + 1);
    }
    return out;
  }

  Json scalar(const YAML::Node& n, const Mark& where) {
    const std::string& tag = n.Tag();
    const std::string& s = n.Scalar();
    if (tag == "!") return s;  // quoted or block scalar
    if (tag == "?" || tag.empty()) return plain_scalar(s);
    const std::string core = "tag:yaml.org,2002:";
    if (tag == core + "str") return s;
    Json v = plain_scalar(s);
    if ((tag == core + "int" && v.is_number_integer()) || (tag == core + "float" && v.is_number()) ||
        (tag == core + "bool" && v.is_boolean()) || (tag == core + "null" && v.is_null()))
      return tag == core + "float" ? Json(v.get<double>()) : v;
    ctx_.error(where, fmt::format("unsupported YAML tag '{}' on '{}'", tag, s));
    return s;
  }

  LoadContext& ctx_;
};

}  // namespace

Json plain_scalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (full_match(s, "[-+]?[0-9]+")) {
    errno = 0;
    long long v = std::strtoll(s.c_str(), nullptr, 10);
    if (errno != ERANGE) return v;
    return std::strtod(s.c_str(), nullptr);
  }
  if (full_match(s, "0x[0-9a-fA-F]+") && s.size() <= 17) return std::stoll(s.substr(2), nullptr, 16);
  if (full_match(s, "0o[0-7]+") && s.size() <= 22) return std::stoll(s.substr(2), nullptr, 8);
  if (full_match(s, "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?")) {
    double d = std::strtod(s.c_str(), nullptr);
    if (std::isfinite(d)) return d;
  }
  return s;  // .inf/.nan have no JSON form: kept as text
}

std::optional<Json> yaml_to_json(LoadContext& ctx, std::string_view text) {
  std::vector<YAML::Node> docs;
  DocumentCounter counter;
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    while (counter.documents < 2 && parser.HandleNextDocument(counter)) {
    }
    if (counter.documents == 1) docs.push_back(YAML::Load(std::string(text)));
  } catch (const YAML::Exception& e) {
    Mark m = mark_of(ctx, e.mark);
    if (m.line == 0) m = Mark{ctx.file, 1, 1};
    std::string hint;
    // `{query: ${n}}`: inside [...] or {...} the braces of an unquoted ${...} end the flow collection.
    if (m.line <= int(ctx.lines.size()) && m.column >= 2) {
      const std::string& l = ctx.lines[m.line - 1];
      if (size_t(m.column) <= l.size() && l[m.column - 1] == '{' && l[m.column - 2] == '$') {
        --m.column;
        hint = " (inside [...] or {...}, a ${...} must be quoted: \"${x}\")";
      }
    }
    ctx.error(m, "invalid YAML: " + e.msg + hint);
    return std::nullopt;
  }
  if (counter.documents > 1) {
    Mark m = mark_of(ctx, counter.second);
    auto line = [&](int n) { return n >= 1 && n <= int(ctx.lines.size()) ? ctx.lines[n - 1] : std::string(); };
    if (line(m.line).rfind("---", 0) == 0 || line(m.line - 1).rfind("---", 0) == 0)
      ctx.error(m, "a second YAML document starts here: a scenario file holds exactly one (remove the '---')");
    else
      ctx.error(m, "invalid YAML: this line does not continue the document above (check its indentation and '- ')");
    return std::nullopt;
  }
  if (docs.empty()) return Json(nullptr);
  Converter conv(ctx);
  Mark start = mark_of(ctx, docs[0].Mark());
  if (start.line == 0) start = Mark{ctx.file, 1, 1};
  return conv.convert(docs[0], "", start, 0);
}

}  // namespace tc::scenario::detail
