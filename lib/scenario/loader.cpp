#include "scenario/loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "scenario/semantic_checks.hpp"
#include "scenario/source_scan.hpp"
#include "scenario/step_args.hpp"
#include "scenario/step_parser.hpp"
#include "scenario/value_checks.hpp"
#include "scenario/vars.hpp"
#include "scenario/yaml_to_json.hpp"
#include "util/text.hpp"

namespace tc::scenario {

using namespace detail;

namespace {

const std::vector<std::string> kTopKeys = {
    "id",          "title",       "category",      "severity", "etl_tools", "created", "author",
    "description", "tags",        "notes",         "vars",     "secrets",   "matrix",  "source",
    "target",      "connections", "preconditions", "steps",    "checks",    "cleanup", "allow_destructive"};
const std::vector<std::string> kSeverities = {"Critical", "High", "Medium", "Low"};
constexpr size_t kMaxFileBytes = 4 * 1024 * 1024;

bool is_dsn(const std::string& s) {
  return s.starts_with("mysql://") || s.find("${") != std::string::npos;
}

void parse_metadata(LoadContext& ctx, const Json& root, Scenario& sc) {
  auto text = [&](const char* key, std::string& into, bool non_empty) {
    if (root.contains(key))
      if (auto s = want_string(ctx, root[key], ptr_join("", key), fmt::format("'{}'", key), non_empty)) into = *s;
  };
  text("id", sc.id, true);
  sc.id_where = ctx.at("/id");
  static const std::regex id_re("[A-Za-z0-9][A-Za-z0-9_.-]*");
  if (!sc.id.empty() && !std::regex_match(sc.id, id_re))
    ctx.error(ctx.at("/id"),
              fmt::format("'id': '{}' must be a word such as TC-001 (letters, digits, '-', '_', '.')", sc.id));
  text("title", sc.title, true);
  text("category", sc.category, false);
  text("author", sc.author, false);
  text("description", sc.description, false);
  text("notes", sc.notes, false);
  if (root.contains("severity") && want_choice(ctx, root["severity"], "/severity", "'severity'", kSeverities))
    sc.severity = root["severity"].get<std::string>();
  if (root.contains("created")) {
    static const std::regex date_re(R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))");
    const Json& c = root["created"];
    if (c.is_string() && std::regex_match(c.get<std::string>(), date_re))
      sc.created = c.get<std::string>();
    else
      ctx.error(ctx.at("/created"), fmt::format("'created': expected a date YYYY-MM-DD, got {}", describe(c)));
  }
  if (root.contains("etl_tools"))
    if (auto l = want_string_list(ctx, root["etl_tools"], "/etl_tools", "'etl_tools'")) sc.etl_tools = *l;
  if (root.contains("tags"))
    if (auto l = want_string_list(ctx, root["tags"], "/tags", "'tags'")) sc.tags = *l;
  if (root.contains("allow_destructive"))
    if (auto l = want_string_list(ctx, root["allow_destructive"], "/allow_destructive",
                                  "'allow_destructive' (server_uuid or hostname strings)"))
      sc.allow_destructive = *l;
}

void parse_vars(LoadContext& ctx, const Json& root, Scenario& sc) {
  if (!root.contains("vars")) return;
  const Json& v = root["vars"];
  if (!v.is_object()) {
    ctx.error(ctx.at("/vars"), fmt::format("'vars': expected a map of names to default values, got {}", describe(v)));
    return;
  }
  for (const auto& [k, x] : v.items()) {
    if (!is_identifier(k, false)) {
      ctx.error(
          ctx.key_at(ptr_join("/vars", k)),
          fmt::format("'vars': '{}' is not a variable name (letters, digits and _, not starting with a digit)", k));
      continue;
    }
    if (std::find(builtin_variables().begin(), builtin_variables().end(), k) != builtin_variables().end()) {
      ctx.error(ctx.key_at(ptr_join("/vars", k)), fmt::format("'vars': '{}' is a built-in variable name", k));
      continue;
    }
    sc.vars[k] = x;
  }
  ctx.vars = sc.vars;
}

void parse_matrix(LoadContext& ctx, const Json& root, Scenario& sc) {
  if (!root.contains("matrix")) return;
  const Json& m = root["matrix"];
  if (!m.is_object()) {
    ctx.error(ctx.at("/matrix"),
              fmt::format("'matrix': expected a map of axis names to lists of values, got {}", describe(m)));
    return;
  }
  if (m.empty()) ctx.error(ctx.at("/matrix"), "empty matrix: give at least one axis with values, or remove 'matrix'");
  for (const auto& [name, values] : m.items()) {
    std::string p = ptr_join("/matrix", name);
    MatrixAxis axis{name, {}, ctx.key_at(p)};
    if (!is_identifier(name, false))
      ctx.error(ctx.key_at(p), fmt::format("'matrix': '{}' is not a variable name (letters, digits and _)", name));
    else if (sc.vars.contains(name))
      ctx.error(ctx.key_at(p), fmt::format("'matrix': axis '{}' has the same name as a variable under vars:", name));
    else if (std::find(builtin_variables().begin(), builtin_variables().end(), name) != builtin_variables().end())
      ctx.error(ctx.key_at(p), fmt::format("'matrix': '{}' is a built-in variable name", name));
    if (!values.is_array()) {
      ctx.error(ctx.at(p), fmt::format("matrix axis '{}': expected a list of values, got {}", name, describe(values)));
      continue;
    }
    if (values.empty()) ctx.error(ctx.at(p), fmt::format("empty matrix axis '{}': give it at least one value", name));
    std::map<std::string, int> labels;
    for (size_t i = 0; i < values.size(); ++i) {
      const Json& v = values[i];
      std::string vp = ptr_join(p, i);
      std::string label;
      if (v.is_object()) {
        if (!v.contains("name")) {
          ctx.error(ctx.at(vp),
                    fmt::format("matrix axis '{}': a map value needs a 'name' (it names the variant)", name));
          continue;
        }
        if (!v["name"].is_string() && !v["name"].is_number()) {
          ctx.error(ctx.at(ptr_join(vp, "name")),
                    fmt::format("matrix axis '{}': 'name' must be a string, got {}", name, describe(v["name"])));
          continue;
        }
        label = to_text(v["name"]);
      } else if (v.is_string() || v.is_number() || v.is_boolean()) {
        label = to_text(v);
      } else {
        ctx.error(ctx.at(vp),
                  fmt::format("matrix axis '{}': expected a value or a map with 'name', got {}", name, describe(v)));
        continue;
      }
      if (labels.count(label))
        ctx.error(ctx.at(vp),
                  fmt::format("matrix axis '{}': two values are named '{}' (variant names must differ)", name, label));
      labels[label] = 1;
      axis.values.push_back(v);
    }
    sc.matrix.push_back(std::move(axis));
  }
}

void parse_endpoints(LoadContext& ctx, const Json& root, Scenario& sc) {
  if (root.contains("source")) {
    const Json& s = root["source"];
    if (auto str = want_string(ctx, s, "/source", "'source'")) {
      if (*str == "sandbox" || is_dsn(*str))
        sc.source = *str;
      else
        ctx.error(ctx.at("/source"),
                  fmt::format("'source': expected 'sandbox' or a DSN mysql://user:pass@host:port/db, got '{}'", *str));
    }
  }
  if (root.contains("target")) {
    const Json& t = root["target"];
    // Names come from the targets registry (the runner hands them over); an interpolated name is judged at run time.
    auto known = [&](const Json& v, const std::string& ptr, const std::string& what) {
      if (ctx.target_types.empty() || (v.is_string() && v.get<std::string>().find("${") != std::string::npos))
        return v.is_string() || (ctx.error(ctx.at(ptr), what + ": expected a name, got " + describe(v)), false);
      return want_choice(ctx, v, ptr, what, ctx.target_types);
    };
    if (t.is_object()) {
      if (!t.contains("type"))
        ctx.error(ctx.at("/target"), "'target' is missing the required key 'type'");
      else
        known(t["type"], "/target/type", "target.type");
      sc.target = t;
    } else if (t.is_string()) {
      if (known(t, "/target", "'target'")) sc.target = t;
    } else {
      ctx.error(ctx.at("/target"),
                fmt::format("'target': expected a name{} or a map with 'type', got {}",
                            ctx.target_types.empty() ? "" : " (" + join(ctx.target_types) + ")", describe(t)));
    }
  }
  if (root.contains("connections")) {
    const Json& c = root["connections"];
    if (!c.is_object()) {
      ctx.error(ctx.at("/connections"),
                fmt::format("'connections': expected a map of names to DSNs, got {}", describe(c)));
      return;
    }
    for (const auto& [name, v] : c.items()) {
      std::string p = ptr_join("/connections", name);
      if (name == "source" || name == "destination") {
        ctx.error(ctx.key_at(p), fmt::format("connection '{}' is built in and cannot be redefined", name));
        continue;
      }
      if (!is_identifier(name, true)) {
        ctx.error(ctx.key_at(p), fmt::format("'{}' is not a connection name (letters, digits, _ and -)", name));
        continue;
      }
      std::string dp = p;
      const Json* dsn = &v;
      if (v.is_object()) {
        check_keys(ctx, v, p, "connection '" + name + "'", {"dsn"}, {"dsn"});
        if (!v.contains("dsn")) continue;
        dsn = &v["dsn"];
        dp = ptr_join(p, "dsn");
      }
      if (!dsn->is_string() || !is_dsn(dsn->get<std::string>())) {
        ctx.error(ctx.at(dp), fmt::format("connection '{}': expected a DSN mysql://user:pass@host:port/db (or {{dsn: "
                                          "...}}), got {}",
                                          name, describe(*dsn)));
        continue;
      }
      sc.connections.push_back({name, dsn->get<std::string>(), ctx.key_at(p)});
    }
  }
}

void parse_phases(LoadContext& ctx, const Json& root, Scenario& sc) {
  auto phase = [&](const char* key, std::vector<Step>& into) {
    if (root.contains(key)) into = parse_steps(ctx, root[key], ptr_join("", key), key);
  };
  phase("preconditions", sc.preconditions);
  phase("steps", sc.steps);
  phase("checks", sc.checks);
  phase("cleanup", sc.cleanup);
  if (root.contains("steps") && root["steps"].is_array() && root["steps"].empty())
    ctx.error(ctx.at("/steps"), "'steps' is empty: a scenario needs at least one step");
}

void parse_secrets(LoadContext& ctx, const Json& root, Scenario& sc) {
  if (!root.contains("secrets")) return;
  auto names = want_string_list(ctx, root["secrets"], "/secrets", "'secrets'");
  if (!names) return;
  std::vector<std::string> known;
  for (const auto& [k, v] : sc.vars.items()) known.push_back(k);
  for (const Step* s : all_steps(sc))
    for (const auto& c : s->captures) known.push_back(c.var);
  for (size_t i = 0; i < names->size(); ++i) {
    const std::string& n = (*names)[i];
    if (std::find(known.begin(), known.end(), n) == known.end())
      ctx.error(ctx.at(ptr_join("/secrets", i)),
                fmt::format(
                    "secret '{}' is not a variable of this scenario{}", n,
                    did_you_mean(n, known).empty() ? " (declare it under vars: or capture:)" : did_you_mean(n, known)));
    else
      sc.secrets.push_back(n);
  }
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (c == '\n')
      out.push_back(std::move(cur)), cur.clear();
    else
      cur += c;
  }
  out.push_back(cur);
  return out;
}

[[noreturn]] void fail(std::vector<Diagnostic> diags) {
  std::stable_sort(diags.begin(), diags.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
  });
  throw LoadError(std::move(diags));
}

}  // namespace

Scenario load_string(std::string_view text, const std::string& name, const LoadOptions& opts) {
  LoadContext ctx;
  ctx.file = name;
  ctx.steps = opts.steps;
  for (const auto& d : opts.steps) ctx.step_types.push_back(d.name);
  ctx.target_types = opts.target_types;
  if (auto bad = scan_source(text, name); !bad.empty()) fail(std::move(bad));
  ctx.lines = split_lines(text);
  auto root = yaml_to_json(ctx, text);
  if (!root) fail(std::move(ctx.diags));
  Scenario sc;
  sc.file = name;
  sc.where = Mark{name, 1, 1};
  if (root->is_null()) {
    ctx.error(sc.where, "the file is empty: expected a scenario map with id, title and steps");
  } else if (!root->is_object()) {
    ctx.error(ctx.at(""),
              fmt::format("expected a scenario (a map with id, title, steps, ...), got {}", describe(*root)));
  } else {
    check_keys(ctx, *root, "", "a scenario", kTopKeys, {"id", "title", "steps"});
    parse_metadata(ctx, *root, sc);
    parse_vars(ctx, *root, sc);
    parse_matrix(ctx, *root, sc);
    parse_endpoints(ctx, *root, sc);
    parse_phases(ctx, *root, sc);
    parse_secrets(ctx, *root, sc);
    check_variables(ctx, *root, sc);
    check_references(ctx, sc);
  }
  if (!ctx.diags.empty()) fail(std::move(ctx.diags));
  return sc;
}

Scenario load_file(const std::string& path, const LoadOptions& opts) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(path, ec))
    throw LoadError({Diagnostic{
        Mark{path, 0, 0}, fmt::format("cannot read the file: {}", in ? "it is a directory" : std::strerror(errno))}});
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() > kMaxFileBytes)
    throw LoadError({Diagnostic{Mark{path, 0, 0}, fmt::format("the file is {} bytes: too large for a scenario (at most "
                                                              "{} bytes)",
                                                              text.size(), kMaxFileBytes)}});
  return load_string(text, path, opts);
}

bool looks_like_scenario(const std::string& path) {
  // Top-level keys sit at column 0: a scenario that is broken further down is still picked up (and its errors
  // reported), and no YAML parser runs on files that are not ours.
  std::ifstream in(path, std::ios::binary);
  bool id = false, steps = false;
  std::string line;
  for (int n = 0; n < 5000 && std::getline(in, line); ++n) {
    id = id || line.rfind("id:", 0) == 0;
    steps = steps || line.rfind("steps:", 0) == 0;
  }
  return id && steps;
}

std::vector<Diagnostic> check_unique_ids(const std::vector<Scenario>& scenarios) {
  std::vector<Diagnostic> out;
  std::map<std::string, const Scenario*> seen;
  for (const auto& sc : scenarios) {
    if (sc.id.empty()) continue;
    auto [it, fresh] = seen.emplace(sc.id, &sc);
    if (!fresh) {
      Mark first = it->second->id_where.line ? it->second->id_where : it->second->where;
      out.push_back({sc.id_where.line ? sc.id_where : sc.where,
                     fmt::format("duplicate scenario id '{}' (also used in {})", sc.id, first.str())});
    }
  }
  return out;
}

}  // namespace tc::scenario
