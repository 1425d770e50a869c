// tc-run: runs test-case scenarios against a MySQL/MariaDB source under faults and writes the execution log.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <regex>

#include "engine/engine.hpp"
#include "runner/commands.hpp"
#include "scenario/diagnostic.hpp"
#include "tc/version.hpp"
#include "util/duration.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  CLI::App app{
      "tc-run: runs ETL/CDC test-case scenarios against a MySQL/MariaDB source under faults,\n"
      "verifies the data and writes the markdown execution log.\n\n"
      "  tc-run scenarios/TC-001.yaml          run every variant\n"
      "  tc-run validate scenarios/*.yaml      check files without running them\n"
      "  tc-run plan scenarios/TC-001.yaml     show what would run\n",
      "tc-run"};
  app.set_version_flag("--version", std::string("tc-run ") + tc::kVersion);
  app.require_subcommand(0, 1);

  tc::engine::RunOptions ro;
  std::vector<std::string> var_args;
  std::vector<std::string> files;
  std::string lock_wait = "0s";
  auto add_run_options = [&](CLI::App* c) {
    c->add_option("--var", var_args, "Override a variable: --var interval=60 (repeatable)");
    c->add_option("--variant", ro.variant, "Run only this matrix variant");
    c->add_option("--state-dir", ro.state_dir, "Toolkit state directory (default: $TC_STATE_DIR or XDG state dir)");
  };
  auto add_target_option = [&](CLI::App* c) {
    c->add_option("--target", ro.target,
                  "Pipeline under test: replica, debezium, manual, hevo, fivetran, airbyte, ... (see docs/targets.md)");
  };
  tc::cli::SuiteOptions so;
  std::string shard_text, shard_label;
  auto add_exec_options = [&](CLI::App* c) {
    add_run_options(c);
    c->add_option("--target", so.targets,
                  "Pipeline under test: replica, debezium, manual, hevo, fivetran, airbyte, ... (see "
                  "docs/targets.md); repeat it to run every variant once per target");
    c->add_option("--jobs,-j", so.jobs, "Runs at once, each in its own state dir beneath --state-dir (1)")
        ->check(CLI::Range(1, 64));
    c->add_option("--shard", shard_text, "Run only the I-th of N disjoint parts of the runs: --shard 2/3")
        ->check([](const std::string& t) {
          std::smatch m;
          static const std::regex re(R"((\d+)/(\d+))");
          if (!std::regex_match(t, m, re) || std::stoi(m[1]) < 1 || std::stoi(m[1]) > std::stoi(m[2]))
            return std::string("expected I/N with 1 <= I <= N, e.g. 1/2");
          return std::string();
        });
    c->add_option("--durations", so.durations, "suite.json of an earlier run (or its folder): balance shards by time");
    c->add_option("--shard-label", shard_label, "(internal) the shard a job's run belongs to")->group("");
    c->add_option("--reports", ro.reports_dir, "Where run folders are written")->capture_default_str();
    c->add_option("--tester", ro.tester, "Name in the log's Tester row (default: your user name)");
    c->add_option("--source", ro.source, "Source DSN mysql://user:pass@host:port/db (default: the sandbox)");
    c->add_option("--answers", ro.answers_file, "YAML answers for manual steps (non-interactive runs)");
    c->add_option("--append-to", ro.append_to, "Append each run to this markdown test case as its next Run N");
    c->add_flag("--recover", ro.recover, "Undo faults left behind by a crashed run before starting");
    c->add_flag("-q,--quiet", ro.quiet, "No progress lines");
    c->add_option("--lock-wait", lock_wait,
                  "If another run holds the state dir, wait this long for it (e.g. 10m) instead of refusing at once")
        ->check([](const std::string& t) {
          return tc::parse_duration(t) ? std::string() : "expected a duration such as 30s, 10m or 1h";
        });
  };

  // `tc-run FILE...` is `tc-run run FILE...`.
  auto* run = app.add_subcommand("run", "Run scenarios (the default command)");
  // No ExistingFile check here: CLI11 would report a misspelt option's value as a missing file before the
  // option itself; the loader names a missing file just as clearly.
  run->add_option("files", files, "Scenario files and folders (every *.yaml with id and steps, recursively)")
      ->required();
  add_exec_options(run);

  auto* validate = app.add_subcommand("validate", "Check scenario files; exit 0 when all are valid, 2 otherwise");
  std::vector<std::string> vfiles;
  validate->add_option("files", vfiles, "Scenario files or folders (every scenario beneath)")->required();
  add_run_options(validate);  // --var, --variant: toolkit lines and outputs are checked per variant
  add_target_option(validate);

  auto* list = app.add_subcommand("list", "List scenarios in a folder: id, title, category, severity, variants");
  std::string list_dir = "scenarios";
  list->add_option("dir", list_dir, "Folder")->capture_default_str();

  auto* plan = app.add_subcommand("plan", "Show the fully resolved steps of each variant (secrets masked)");
  std::string plan_file;
  plan->add_option("file", plan_file, "Scenario file")->required();
  add_run_options(plan);
  add_target_option(plan);

  auto* recover = app.add_subcommand("recover", "Undo every fault a crashed run left behind (from the fault ledger)");
  recover->add_option("--state-dir", ro.state_dir, "Toolkit state directory");

  auto* newc = app.add_subcommand("new", "Write a new scenario from scenarios/TEMPLATE.yaml");
  std::string new_id, new_title, new_dir = "scenarios";
  newc->add_option("id", new_id, "Test case id, e.g. TC-042")->required();
  newc->add_option("--title", new_title, "Title")->required();
  newc->add_option("--dir", new_dir, "Folder")->capture_default_str();

  auto* mergec = app.add_subcommand("merge", "Merge the result.json files of runs or shards into one suite report");
  std::vector<std::string> merge_dirs;
  std::string merge_out;
  mergec->add_option("dirs", merge_dirs, "Report folders (searched recursively)")->required();
  mergec->add_option("--out", merge_out, "Where suite.md, junit.xml and suite.json are written")->required();

  auto* import = app.add_subcommand("import", "Convert a markdown test case into a YAML scenario");
  std::string import_file, import_out;
  import->add_option("file", import_file, "Markdown test case")->required()->check(CLI::ExistingFile);
  import->add_option("-o,--output", import_out, "Output YAML (default: scenarios/<ID>.yaml)");

  auto* schemac = app.add_subcommand("schema", "Print the scenario format's JSON schema (from the step declarations)");
  auto* docsc = app.add_subcommand(
      "docs",
      "Print a generated reference: `docs steps` (the step types), `docs toolkit` (commands' JSON keys), `docs "
      "targets` (each target's settings and status detail keys)");
  std::string docs_what;
  docsc->add_option("what", docs_what, "Which reference: steps, toolkit or targets")->required();

  // Let `tc-run scenarios/TC-001.yaml` work without the word `run`.
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0].size() > 0 && args[0][0] != '-' &&
      [&] {
        for (const auto* sub : app.get_subcommands({}))
          if (sub->get_name() == args[0]) return false;
        return true;
      }() &&
      (fs::exists(args[0]) || args[0].find(".y") != std::string::npos))
    args.insert(args.begin(), "run");
  std::vector<std::string> rev(args.rbegin(), args.rend());
  try {
    app.parse(rev);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  for (const auto& kv : var_args) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "tc-run: --var expects NAME=VALUE, got '" << kv << "'\n";
      return 2;
    }
    ro.vars.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  ro.lock_wait = *tc::parse_duration(lock_wait);
  if (!shard_text.empty()) {
    auto slash = shard_text.find('/');
    so.shard_index = std::stoi(shard_text.substr(0, slash));
    so.shard_count = std::stoi(shard_text.substr(slash + 1));
  }
  if (*run && so.targets.size() == 1) ro.target = so.targets.front();
  ro.shard = shard_label;
  ro.interactive = ::isatty(0) && ::isatty(2) && !std::getenv("CI");

  try {
    if (*validate) return tc::cli::validate(vfiles, ro, std::cout, std::cerr);
    if (*list) return tc::cli::list(list_dir, std::cout, std::cerr);
    if (*plan) return tc::cli::plan(plan_file, ro, std::cout, std::cerr);
    if (*recover) return tc::cli::recover(ro, std::cout, std::cerr);
    if (*newc) return tc::cli::new_scenario(new_id, new_title, new_dir, std::cout, std::cerr);
    if (*import) return tc::cli::import(import_file, import_out, std::cout, std::cerr);
    if (*schemac) return tc::cli::schema(std::cout);
    if (*docsc) return tc::cli::docs(docs_what, std::cout, std::cerr);
    if (*mergec) return tc::cli::merge(merge_dirs, merge_out, std::cout, std::cerr);
    if (*run && so.is_suite(files)) return tc::cli::run_suite(files, so, ro, std::cout, std::cerr);
    if (*run) return tc::cli::run(files, ro, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "tc-run: " << e.what() << "\n";
    return 2;
  }
  std::cout << app.help();
  return 2;
}
