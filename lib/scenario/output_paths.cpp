#include "scenario/output_paths.hpp"

#include <fmt/format.h>

#include "scenario/load_context.hpp"
#include "util/text.hpp"

namespace tc::scenario {

namespace {

// The first segment of an output path, and whether more follows.
std::pair<std::string, bool> head_of(const std::string& path) {
  auto dot = path.find('.');
  return {path.substr(0, dot), dot != std::string::npos};
}

const OutputDecl* find_output(const std::vector<OutputDecl>& outputs, const std::string& name) {
  for (const auto& o : outputs)
    if (o.name == name) return &o;
  return nullptr;
}

bool numeric_operator(const std::string& op) {
  return op == "less_than" || op == "greater_than" || op == "at_most" || op == "at_least" || op == "between";
}

struct Checker {
  const std::function<const StepDecl*(const std::string&)>& decl_of;
  std::vector<Diagnostic> out;

  void check(const std::string& what, const std::vector<OutputDecl>& outputs, const Step& s, const std::string& path,
             const Mark& where, const std::string& label, const std::string& op = "", bool top = true) {
    if (top && (path.empty() || path == "value" || path == "elapsed" || path == "elapsed_ms")) return;
    auto [head, deeper] = head_of(path);
    const OutputDecl* o = find_output(outputs, head);
    if (!o) {
      std::vector<std::string> names;
      if (top) names.push_back("elapsed");
      for (const auto& x : outputs) names.push_back(x.name);
      std::string hint = detail::did_you_mean(head, names);
      // "position" for "binlog_position": a name that is the path with a prefix is the likeliest meaning.
      for (const auto& n : names)
        if (hint.empty() && n.size() > head.size() &&
            n.compare(n.size() - head.size() - 1, std::string::npos, "_" + head) == 0)
          hint = " (did you mean '" + n + "'?)";
      out.push_back({where, fmt::format("{}: {} has no {} '{}'{} (its {}s: {})", label, what, top ? "output" : "key",
                                        head, hint, top ? "output" : "key", join(names))});
      return;
    }
    using O = OutputType;
    if (deeper && !(o->type == O::Map || o->type == O::List || o->type == O::Any)) {
      out.push_back({where, fmt::format("{}: output '{}' of {} is {}, so '{}' names nothing inside it", label, head,
                                        what, output_type_name(o->type), path)});
      return;
    }
    // A map whose keys are declared (a target's `detail`): the next segment must be one of them.
    if (deeper && o->type == O::Map && !o->keys.empty()) {
      check("'" + head + "' of " + what, o->keys, s, path.substr(head.size() + 1), where, label, op, false);
      return;
    }
    // `last.x` of a polling step names its condition's output x.
    if (top && deeper && head == "last" && !s.until.empty())
      if (const StepDecl* inner = decl_of(s.until.front().type); inner && !inner->open_outputs)
        check("'" + inner->name + "'", inner->outputs, s.until.front(), path.substr(5), where, label, op);
    // Text may hold a number ("7" from echo), so only values that are never numbers are refused.
    if (!deeper && numeric_operator(op) && (o->type == O::Bool || o->type == O::List || o->type == O::Map))
      out.push_back({where, fmt::format("{}: output '{}' of {} is {}: {} compares numbers", label, head, what,
                                        output_type_name(o->type), op)});
  }
};

}  // namespace

std::vector<Diagnostic> output_path_problems(const std::string& what, const std::vector<OutputDecl>& outputs,
                                             const Step& s,
                                             const std::function<const StepDecl*(const std::string&)>& decl_of) {
  Checker c{decl_of, {}};
  for (const auto& x : s.captures) c.check(what, outputs, s, x.path, x.where, "capture " + x.var);
  for (const auto& x : s.observes) c.check(what, outputs, s, x.path, x.where, "observe '" + x.name + "'");
  for (const auto& x : s.expect) c.check(what, outputs, s, x.path, x.where, "expect " + x.path, x.op);
  return c.out;
}

}  // namespace tc::scenario
