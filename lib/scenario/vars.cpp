#include "scenario/vars.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "scenario/expr.hpp"
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
  if (path.starts_with("env:")) return word(std::string_view(path).substr(4), true);
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

namespace {

// One ${...} or ${= ...} in a text: its span [begin, end) and what it holds.
struct Piece {
  size_t begin = 0, end = 0;
  bool is_expr = false;
  Reference ref;                 // a plain reference
  std::string body;              // an expression's text
  std::vector<Reference> names;  // an expression's names, offsets into the whole text
};

std::vector<Piece> pieces(std::string_view text) {
  std::vector<Piece> out;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] != '$') continue;
    if (text[i + 1] == '$' && i + 2 < text.size() && text[i + 2] == '{') {  // $${ -> literal
      i += 2;
      continue;
    }
    if (text[i + 1] != '{') continue;
    Piece p;
    p.begin = i;
    if (i + 2 < text.size() && text[i + 2] == '=') {
      size_t close = expression_end(text, i);
      if (close == std::string_view::npos)
        throw ReferenceError(i, "unclosed ${= at offset " + std::to_string(i) + " (a quoted '}' does not close it)");
      p.is_expr = true;
      p.body = std::string(text.substr(i + 3, close - i - 3));
      if (trim(p.body).empty()) throw ReferenceError(i, "empty ${=} at offset " + std::to_string(i));
      Expr e;
      try {
        e = Expr::parse(p.body);
      } catch (const ExprError& x) {
        throw ReferenceError(i + 3 + x.offset(), "in ${=" + p.body + "}: " + x.what());
      }
      for (const auto& n : e.names()) {
        Reference r;
        r.offset = i + 3 + n.offset;
        r.path = n.path;
        r.root = n.path.starts_with("env:") ? n.path : n.path.substr(0, n.path.find('.'));
        if (!valid_name(r.path))
          throw ReferenceError(r.offset, "'" + r.path + "' in ${=" + p.body + "} is not a variable name");
        p.names.push_back(std::move(r));
      }
      p.end = close + 1;
      out.push_back(std::move(p));
      i = close;
      continue;
    }
    size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) throw ReferenceError(i, "unclosed ${ at offset " + std::to_string(i));
    std::string inner = trim(text.substr(i + 2, close - i - 2));
    if (inner.empty()) throw ReferenceError(i, "empty ${} at offset " + std::to_string(i));
    Reference& r = p.ref;
    r.offset = i;
    if (inner.starts_with("env:")) {
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
      throw ReferenceError(i, "'${" + inner + "}' is not a variable name (letters, digits and _, fields after '.')");
    p.end = close + 1;
    out.push_back(std::move(p));
    i = close;
  }
  return out;
}

}  // namespace

std::vector<Reference> references(std::string_view text) {
  std::vector<Reference> out;
  for (auto& p : pieces(text)) {
    if (p.is_expr)
      for (auto& n : p.names) out.push_back(std::move(n));
    else
      out.push_back(std::move(p.ref));
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
  if (path.starts_with("env:")) {
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

Json Vars::evaluate(const std::string& expression) const {
  return Expr::parse(expression).eval([this](const std::string& path) { return lookup(path); });
}

std::string Vars::interpolate(std::string_view text) const {
  std::string out;
  size_t pos = 0;
  for (const auto& p : pieces(text)) {
    append_literal(out, text.substr(pos, p.begin - pos));
    if (p.is_expr) {
      out += expr_text(evaluate(p.body));
    } else if (auto v = lookup(p.ref.path)) {
      out += to_text(*v);
    } else {
      if (!p.ref.has_fallback)
        throw UndefinedVariable(p.ref.path, p.ref.path.starts_with("env:") ? "environment variable is not set" : "");
      out += p.ref.fallback;
    }
    pos = p.end;
  }
  append_literal(out, text.substr(pos));
  return out;
}

Json Vars::interpolate(const Json& value) const {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    // A string that is exactly one ${x} or ${= ...} takes its value with its type (numbers stay numbers).
    auto ps = pieces(s);
    if (ps.size() == 1 && ps[0].begin == 0 && ps[0].end == s.size()) {
      if (ps[0].is_expr) return evaluate(ps[0].body);
      if (!ps[0].ref.path.starts_with("env:"))
        if (auto v = lookup(ps[0].ref.path)) return *v;
    }
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
