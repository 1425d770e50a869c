#include "import/markdown_import_model.hpp"

#include "import/markdown_yaml_writer.hpp"

namespace tc::scenario::md {

namespace {

std::string comments(const std::vector<std::string>& lines, int indent) {
  std::string out;
  for (const auto& l : lines) out += yaml_comment(l, indent);
  return out;
}

std::string phase(const char* key, const Phase& p) {
  if (p.entries.empty() && p.comments.empty()) return "";
  std::string out = "\n" + comments(p.comments, 0);
  if (p.entries.empty()) return out;  // nothing to run: an empty optional phase is left out
  out += std::string(key) + ":\n";
  for (const auto& e : p.entries) {
    out += comments(e.comments, 2);
    out += yaml_list_entry(e.step, 2);
  }
  return out;
}

}  // namespace

std::string write_yaml(const Output& o) {
  std::string out = "# yaml-language-server: $schema=../schemas/scenario.schema.json\n";
  out += comments(o.header, 0);
  out += "\n";
  for (const auto& [k, v] : o.meta.items()) {
    if (v.is_array())
      out += k + ": " + yaml_flow(v) + "\n";
    else
      out += k + ": " + yaml_scalar(v) + "\n";
  }
  out += comments(o.meta_comments, 0);
  if (!o.matrix.empty() || !o.matrix_comments.empty()) {
    out += "\n" + comments(o.matrix_comments, 0);
    if (!o.matrix.empty()) {
      out += "matrix:\n";
      for (const auto& axis : o.matrix) {
        out += "  " + yaml_key(axis.name) + ":\n";
        for (const auto& v : axis.values) out += "    - " + yaml_flow(v) + "\n";
      }
    }
  }
  out += phase("preconditions", o.preconditions);
  out += phase("steps", o.steps);
  out += phase("checks", o.checks);
  out += phase("cleanup", o.cleanup);
  if (!o.tail.empty()) out += "\n" + comments(o.tail, 0);
  return out;
}

}  // namespace tc::scenario::md
