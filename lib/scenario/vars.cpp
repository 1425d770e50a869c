#include "scenario/vars.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "util/text.hpp"

namespace tc::scenario {

namespace {

// "name", "name.field.0" or "env:NAME"; anything else (spaces, nested ${) is a typo worth reporting.
bool valid_name(const std::string& path) {
  auto word = [](std::string_view w, bool first_alpha) {
    if (w.empty()) return false;
    if (first_alpha && !(std::isalpha(static_cast<unsigned char>(w[0])) || w[0] == '_')) return false;
    for (char c : w)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
    return true;
  };
  if (starts_with(path, "env:")) return word(std::string_view(path).substr(4), true);
  std::string_view rest = path;
  bool first = true;
  while (true) {
    size_t dot = rest.find('.');
    if (!word(rest.substr(0, dot), first)) return false;
    if (first && rest.substr(0, dot).find('-') != std::string_view::npos) return false;
    if (dot == std::string_view::npos) return true;
    rest = rest.substr(dot + 1);
    first = false;
  }
}

// Literal text between references: $${ stands for ${.
void append_literal(std::string& out, std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '$' && i + 2 < text.size() && text[i + 1] == '$' && text[i + 2] == '{') continue;
    out += text[i];
  }
}

}  // namespace

UndefinedVariable::UndefinedVariable(std::string name, std::string why)
    : std::runtime_error("undefined variable ${" + name + "}" + (why.empty() ? "" : ": " + why)),
      name_(std::move(name)) {}

std::vector<Reference> references(std::string_view text) {
  std::vector<Reference> out;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] != '$') continue;
    if (text[i + 1] == '$' && i + 2 < text.size() && text[i + 2] == '{') {  // $${ -> literal
      i += 2;
      continue;
    }
    if (text[i + 1] != '{') continue;
    size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) throw std::invalid_argument("unclosed ${ at offset " + std::to_string(i));
    std::string inner = trim(text.substr(i + 2, close - i - 2));
    if (inner.empty()) throw std::invalid_argument("empty ${} at offset " + std::to_string(i));
    Reference r;
    r.offset = i;
    if (starts_with(inner, "env:")) {
      size_t fb = inner.find(":-");
      if (fb != std::string::npos) {
        r.fallback = inner.substr(fb + 2);
        r.has_fallback = true;
        inner = inner.substr(0, fb);
      }
      r.path = r.root = inner;
    } else {
      r.path = inner;
      r.root = inner.substr(0, inner.find('.'));
    }
    if (!valid_name(r.path))
      throw std::invalid_argument("'${" + inner +
                                  "}' is not a variable name (letters, digits and _, fields after '.')");
    out.push_back(std::move(r));
    i = close;
  }
  return out;
}

void Vars::set(const std::string& name, Json value, bool secret) {
  values_[name] = std::move(value);
  if (secret) secret_names_.insert(name);
}

void Vars::mark_secret(const std::string& name) {
  secret_names_.insert(name);
}

std::optional<Json> Vars::lookup(const std::string& path) const {
  if (starts_with(path, "env:")) {
    const char* v = std::getenv(path.substr(4).c_str());
    if (!v) return std::nullopt;
    if (*v) secret_texts_.insert(v);
    return Json(std::string(v));
  }
  size_t dot = path.find('.');
  auto it = values_.find(path.substr(0, dot));
  if (it == values_.end()) return std::nullopt;
  const Json* cur = &it->second;
  while (dot != std::string::npos) {
    size_t next = path.find('.', dot + 1);
    std::string key = path.substr(dot + 1, next == std::string::npos ? std::string::npos : next - dot - 1);
    if (cur->is_object() && cur->contains(key)) {
      cur = &(*cur)[key];
    } else if (cur->is_array() && !key.empty() && key.size() < 10 &&
               key.find_first_not_of("0123456789") == std::string::npos && std::stoul(key) < cur->size()) {
      cur = &(*cur)[std::stoul(key)];
    } else {
      return std::nullopt;
    }
    dot = next;
  }
  return *cur;
}

std::string to_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

std::string Vars::interpolate(std::string_view text) const {
  auto refs = references(text);
  std::string out;
  size_t pos = 0;
  for (const auto& r : refs) {
    append_literal(out, text.substr(pos, r.offset - pos));
    auto v = lookup(r.path);
    if (!v) {
      if (!r.has_fallback)
        throw UndefinedVariable(r.path, starts_with(r.path, "env:") ? "environment variable is not set" : "");
      out += r.fallback;
    } else {
      out += to_text(*v);
    }
    pos = text.find('}', r.offset) + 1;
  }
  append_literal(out, text.substr(pos));
  return out;
}

Json Vars::interpolate(const Json& value) const {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    // A string that is exactly one ${x} takes x's value with its type (numbers stay numbers).
    auto refs = references(s);
    if (refs.size() == 1 && refs[0].offset == 0 && s.back() == '}' && s.find('}') == s.size() - 1 &&
        !starts_with(refs[0].path, "env:"))
      if (auto v = lookup(refs[0].path)) return *v;
    return interpolate(std::string_view(s));
  }
  if (value.is_array() || value.is_object()) {
    Json out = value;
    for (auto& [k, v] : out.items()) v = interpolate(v);
    return out;
  }
  return value;
}

std::vector<std::string> Vars::secret_values() const {
  std::vector<std::string> out(secret_texts_.begin(), secret_texts_.end());
  for (const auto& n : secret_names_) {
    auto it = values_.find(n);
    if (it != values_.end()) {
      std::string t = to_text(it->second);
      if (!t.empty()) out.push_back(t);
    }
  }
  return out;
}

std::string Vars::mask(std::string_view text) const {
  std::string s(text);
  auto secrets = secret_values();
  // Longest first, so a secret containing another is masked whole.
  std::sort(secrets.begin(), secrets.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const auto& secret : secrets) {
    if (secret.size() < 3) continue;  // masking "1" would shred every number
    for (size_t p = s.find(secret); p != std::string::npos; p = s.find(secret, p + 6))
      s.replace(p, secret.size(), "******");
  }
  return s;
}

Json Vars::mask(const Json& value) const {
  if (value.is_string()) return mask(std::string_view(value.get_ref<const std::string&>()));
  if (value.is_array() || value.is_object()) {
    Json out = value;
    for (auto& [k, v] : out.items()) v = mask(v);
    return out;
  }
  return value;
}

}  // namespace tc::scenario
