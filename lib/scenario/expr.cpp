#include "scenario/expr.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "scenario/vars.hpp"

namespace tc::scenario {

struct Expr::Node {
  enum Kind { Literal, Name, Unary, Binary, List } kind = Literal;
  Json literal;
  std::string name;
  std::string op;  // unary: - not; binary: + - * / == != < <= > >= and or in
  std::vector<std::shared_ptr<const Node>> kids;
  size_t offset = 0;
};

namespace {

using NodeP = std::shared_ptr<const Expr::Node>;

struct Token {
  enum Kind { Number, String, Name, Op, End } kind = End;
  std::string text;
  Json value;
  size_t offset = 0;
};

bool name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

std::vector<Token> lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    Token t;
    t.offset = i;
    if (c == '\'' || c == '"') {
      size_t close = s.find(c, i + 1);
      if (close == std::string_view::npos) throw ExprError(i, "unclosed string (quote it on both sides)");
      t.kind = Token::String;
      t.value = std::string(s.substr(i + 1, close - i - 1));
      i = close + 1;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t j = i;
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
      std::string num(s.substr(i, j - i));
      if (j < s.size() && name_start(s[j]))
        throw ExprError(i, "'" + num + std::string(1, s[j]) + "...' is neither a number nor a name");
      t.kind = Token::Number;
      if (num.find('.') == std::string::npos) {
        long long v = 0;
        auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), v);
        if (ec != std::errc() || end != num.data() + num.size())
          throw ExprError(i, "'" + num + "' is too large a whole number");
        t.value = v;
      } else {
        char* end = nullptr;
        double d = std::strtod(num.c_str(), &end);
        if (*end) throw ExprError(i, "'" + num + "' is not a number");
        t.value = d;
      }
      i = j;
    } else if (name_start(c)) {
      size_t j = i;
      while (j < s.size() && name_char(s[j])) ++j;
      // env:NAME reads the environment, as ${env:NAME} does.
      if (s.substr(i, j - i) == "env" && j < s.size() && s[j] == ':') {
        ++j;
        while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      }
      // A name does not end in '-' or '.': `a- 1` is a minus, `a.` a typo.
      while (j > i + 1 && (s[j - 1] == '-' || s[j - 1] == '.')) --j;
      std::string word(s.substr(i, j - i));
      if (word == "and" || word == "or" || word == "not" || word == "in") {
        t.kind = Token::Op;
        t.text = word;
      } else if (word == "true" || word == "false") {
        t.kind = Token::Number;  // a literal
        t.value = word == "true";
      } else if (word == "null") {
        t.kind = Token::Number;
        t.value = nullptr;
      } else {
        t.kind = Token::Name;
        t.text = word;
      }
      i = j;
    } else {
      static const char* const two[] = {"==", "!=", "<=", ">="};
      t.kind = Token::Op;
      for (const char* op : two)
        if (s.substr(i, 2) == op) t.text = op;
      if (t.text.empty()) {
        if (std::string_view("+-*/<>()[],").find(c) == std::string_view::npos)
          throw ExprError(i, fmt::format("unexpected '{}' (strings are quoted: 'text')", c));
        t.text = std::string(1, c);
      }
      i += t.text.size();
    }
    out.push_back(std::move(t));
  }
  Token end;
  end.offset = s.size();
  out.push_back(end);
  return out;
}

class Parser {
 public:
  Parser(std::vector<Token> toks, std::vector<ExprName>& names) : t_(std::move(toks)), names_(names) {}

  NodeP parse() {
    NodeP n = or_expr();
    if (peek().kind != Token::End) throw ExprError(peek().offset, "unexpected '" + show(peek()) + "'");
    return n;
  }

 private:
  std::vector<Token> t_;
  size_t i_ = 0;
  int depth_ = 0, nots_ = 0, minuses_ = 0;
  std::vector<ExprName>& names_;

  const Token& peek() const { return t_[i_]; }
  bool is_op(const char* op) const { return peek().kind == Token::Op && peek().text == op; }
  static std::string show(const Token& t) {
    if (t.kind == Token::End) return "end";
    if (t.kind == Token::Op || t.kind == Token::Name) return t.text;
    return t.value.dump(-1, ' ', false, Json::error_handler_t::replace);  // a quoted word may not be UTF-8
  }
  void expect(const char* op) {
    if (!is_op(op))
      throw ExprError(peek().offset, fmt::format("expected '{}', found {}", op,
                                                 peek().kind == Token::End ? "the end" : "'" + show(peek()) + "'"));
    ++i_;
  }
  static NodeP binary(const std::string& op, NodeP a, NodeP b, size_t off) {
    auto n = std::make_shared<Expr::Node>();
    n->kind = Expr::Node::Binary;
    n->op = op;
    n->kids = {std::move(a), std::move(b)};
    n->offset = off;
    return n;
  }

  NodeP or_expr() {
    // Nesting is bounded, so a hostile `((((...` cannot exhaust the stack.
    struct Depth {
      int& d;
      size_t at;
      Depth(int& x, size_t off) : d(x), at(off) {
        if (++d > 100) throw ExprError(at, "the expression nests more than 100 levels deep");
      }
      ~Depth() { --d; }
    } depth(depth_, peek().offset);
    NodeP a = and_expr();
    while (is_op("or")) {
      size_t off = peek().offset;
      ++i_;
      a = binary("or", a, and_expr(), off);
    }
    return a;
  }
  NodeP and_expr() {
    NodeP a = not_expr();
    while (is_op("and")) {
      size_t off = peek().offset;
      ++i_;
      a = binary("and", a, not_expr(), off);
    }
    return a;
  }
  NodeP not_expr() {
    if (is_op("not")) {
      if (++nots_ > 100) throw ExprError(peek().offset, "more than 100 'not' operators");
      auto n = std::make_shared<Expr::Node>();
      n->kind = Expr::Node::Unary;
      n->op = "not";
      n->offset = peek().offset;
      ++i_;
      n->kids = {not_expr()};
      return n;
    }
    return comparison();
  }
  NodeP comparison() {
    NodeP a = additive();
    for (const char* op : {"==", "!=", "<=", ">=", "<", ">", "in"}) {
      if (!is_op(op)) continue;
      size_t off = peek().offset;
      ++i_;
      if (std::string(op) == "in") {
        if (!is_op("[")) throw ExprError(peek().offset, "'in' takes a list: in ['a', 'b']");
        return binary("in", a, primary(), off);
      }
      return binary(op, a, additive(), off);
    }
    return a;
  }
  NodeP additive() {
    NodeP a = multiplicative();
    while (is_op("+") || is_op("-")) {
      std::string op = peek().text;
      size_t off = peek().offset;
      ++i_;
      a = binary(op, a, multiplicative(), off);
    }
    return a;
  }
  NodeP multiplicative() {
    NodeP a = unary();
    while (is_op("*") || is_op("/")) {
      std::string op = peek().text;
      size_t off = peek().offset;
      ++i_;
      a = binary(op, a, unary(), off);
    }
    return a;
  }
  NodeP unary() {
    if (is_op("-")) {
      if (++minuses_ > 100) throw ExprError(peek().offset, "more than 100 unary '-'");
      auto n = std::make_shared<Expr::Node>();
      n->kind = Expr::Node::Unary;
      n->op = "-";
      n->offset = peek().offset;
      ++i_;
      n->kids = {unary()};
      return n;
    }
    return primary();
  }
  NodeP primary() {
    const Token& t = peek();
    auto n = std::make_shared<Expr::Node>();
    n->offset = t.offset;
    if (t.kind == Token::Number || t.kind == Token::String) {
      n->kind = Expr::Node::Literal;
      n->literal = t.value;
      ++i_;
      return n;
    }
    if (t.kind == Token::Name) {
      n->kind = Expr::Node::Name;
      n->name = t.text;
      names_.push_back({t.text, t.offset});
      ++i_;
      return n;
    }
    if (is_op("(")) {
      ++i_;
      NodeP inner = or_expr();
      expect(")");
      return inner;
    }
    if (is_op("[")) {
      ++i_;
      n->kind = Expr::Node::List;
      if (!is_op("]")) {
        n->kids.push_back(or_expr());
        while (is_op(",")) {
          ++i_;
          n->kids.push_back(or_expr());
        }
      }
      expect("]");
      return n;
    }
    if (t.kind == Token::End) throw ExprError(t.offset, "the expression ends where a value belongs");
    throw ExprError(t.offset, "expected a value, found '" + show(t) + "'");
  }
};

std::string describe_value(const Json& v) {
  if (v.is_string()) return "'" + v.get<std::string>() + "'";
  if (v.is_null()) return "null";
  if (v.is_array()) return "a list";
  if (v.is_object()) return "a map";
  return v.dump();
}

// A number, or a string that is one (captured text such as "7"); nullopt otherwise.
std::optional<double> as_number(const Json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return std::nullopt;
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (*end == '\0' && std::isfinite(d)) return d;
  }
  return std::nullopt;
}

bool is_whole(const Json& v) {
  if (v.is_number_integer()) return true;
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    return !s.empty() && s.find_first_not_of("-0123456789") == std::string::npos;
  }
  return false;
}

bool truthy(const Json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_null()) return false;
  if (v.is_number()) return v.get<double>() != 0;
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    return !(s.empty() || s == "false" || s == "0");
  }
  return !v.empty();
}

bool equal(const Json& a, const Json& b) {
  auto x = as_number(a), y = as_number(b);
  if (x && y && (a.is_number() || b.is_number())) return *x == *y;
  if (a.is_string() && b.is_string()) return a == b;
  if (a.is_string() || b.is_string()) return to_text(a) == to_text(b);  // true == 'true'
  return a == b;
}

Json eval_node(const Expr::Node& n, const std::function<std::optional<Json>(const std::string&)>& lookup) {
  using K = Expr::Node;
  switch (n.kind) {
    case K::Literal: return n.literal;
    case K::Name: {
      auto v = lookup(n.name);
      if (!v) throw UndefinedVariable(n.name, "in an expression");
      return *v;
    }
    case K::List: {
      Json out = Json::array();
      for (const auto& k : n.kids) out.push_back(eval_node(*k, lookup));
      return out;
    }
    case K::Unary: {
      Json v = eval_node(*n.kids[0], lookup);
      if (n.op == "not") return !truthy(v);
      auto x = as_number(v);
      if (!x) throw std::invalid_argument("cannot negate " + describe_value(v));
      if (is_whole(v) && std::fabs(*x) < 9e15) return -static_cast<long long>(*x);
      return -*x;
    }
    case K::Binary: break;
  }
  const std::string& op = n.op;
  if (op == "and") {
    Json a = eval_node(*n.kids[0], lookup);
    return truthy(a) ? Json(truthy(eval_node(*n.kids[1], lookup))) : Json(false);
  }
  if (op == "or") {
    Json a = eval_node(*n.kids[0], lookup);
    return truthy(a) ? Json(true) : Json(truthy(eval_node(*n.kids[1], lookup)));
  }
  Json a = eval_node(*n.kids[0], lookup), b = eval_node(*n.kids[1], lookup);
  if (op == "in") {
    for (const auto& item : b)
      if (equal(a, item)) return true;
    return false;
  }
  if (op == "==") return equal(a, b);
  if (op == "!=") return !equal(a, b);
  auto x = as_number(a), y = as_number(b);
  if (op == "+" && a.is_string() && b.is_string() && !(x && y)) return a.get<std::string>() + b.get<std::string>();
  if (op == "<" || op == "<=" || op == ">" || op == ">=") {
    int cmp;
    if (x && y)
      cmp = *x < *y ? -1 : *x > *y ? 1 : 0;
    else if (a.is_string() && b.is_string())
      cmp = a.get<std::string>().compare(b.get<std::string>());
    else
      throw std::invalid_argument(fmt::format("cannot compare {} {} {}", describe_value(a), op, describe_value(b)));
    if (op == "<") return cmp < 0;
    if (op == "<=") return cmp <= 0;
    if (op == ">") return cmp > 0;
    return cmp >= 0;
  }
  if (!x || !y)
    throw std::invalid_argument(fmt::format("cannot compute {} {} {}: {} is not a number", describe_value(a), op,
                                            describe_value(b), describe_value(!x ? a : b)));
  if (op == "/") {
    if (*y == 0)
      throw std::invalid_argument(fmt::format("division by zero: {} / {}", describe_value(a), describe_value(b)));
    return *x / *y;
  }
  bool whole = is_whole(a) && is_whole(b);
  double r = op == "+" ? *x + *y : op == "-" ? *x - *y : *x * *y;
  if (whole && std::fabs(r) < 9e15) return static_cast<long long>(r);
  return r;
}

}  // namespace

Expr Expr::parse(std::string_view text) {
  Expr e;
  e.text_ = std::string(text);
  Parser p(lex(text), e.names_);
  e.root_ = p.parse();
  return e;
}

Json Expr::eval(const std::function<std::optional<Json>(const std::string&)>& lookup) const {
  return eval_node(*root_, lookup);
}

size_t expression_end(std::string_view text, size_t open) {
  char quote = 0;
  for (size_t i = open + 3; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '}') {
      return i;
    }
  }
  return std::string_view::npos;
}

std::string expr_text(const Json& v) {
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15) return std::to_string(static_cast<long long>(d));
    return fmt::format("{}", d);
  }
  return to_text(v);
}

}  // namespace tc::scenario
