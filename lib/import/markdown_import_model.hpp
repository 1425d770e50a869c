#pragma once
// The importer's output before it becomes text: metadata, matrix, phases of steps, comment blocks.
#include <string>
#include <utility>
#include <vector>

#include "util/json.hpp"

namespace tc::scenario::md {

/// One step or check to write, with the comment lines to put above it.
struct Entry {
  std::vector<std::string> comments;
  Json step = Json::object();  // keys in writing order: name, id, action, options
  int line = 0;                // source line it came from: entries are written in document order
};

/// A list of entries under one top-level key, with comments above the key.
struct Phase {
  std::vector<std::string> comments;
  std::vector<Entry> entries;
};

/// A matrix axis: its name and values (maps with name, inject, description).
struct Axis {
  std::string name;
  Json values = Json::array();
};

/// Everything the YAML file will hold.
struct Output {
  std::vector<std::string> header;         // comment lines at the top (after the modeline)
  Json meta = Json::object();              // id, title, category, severity, etl_tools, created, author, description
  std::vector<std::string> meta_comments;  // after the metadata
  std::vector<Axis> matrix;
  std::vector<std::string> matrix_comments;
  Phase preconditions, steps, checks, cleanup;
  std::vector<std::string> tail;  // extra sections and anything not otherwise placed
};

/// The scenario as YAML text.
std::string write_yaml(const Output& out);

}  // namespace tc::scenario::md
