#pragma once
// The tc-run subcommands, one file each.
#include <iosfwd>
#include <string>
#include <vector>

#include "engine/engine.hpp"

namespace tc::cli {

int validate(const std::vector<std::string>& files, const engine::RunOptions& opts, std::ostream& out,
             std::ostream& err);
int list(const std::string& dir, std::ostream& out, std::ostream& err);
int plan(const std::string& file, const engine::RunOptions& opts, std::ostream& out, std::ostream& err);
int run(const std::vector<std::string>& files, const engine::RunOptions& opts, std::ostream& out, std::ostream& err);
int recover(const engine::RunOptions& opts, std::ostream& out, std::ostream& err);
int new_scenario(const std::string& id, const std::string& title, const std::string& dir, std::ostream& out,
                 std::ostream& err);
int import(const std::string& file, const std::string& output, std::ostream& out, std::ostream& err);

}  // namespace tc::cli
