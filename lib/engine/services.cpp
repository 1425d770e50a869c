// The services plugins get from a run: target, connections, prompter, timeline, nested evaluation.
#include <spdlog/spdlog.h>

#include "engine/assertions.hpp"
#include "engine/run_state.hpp"
#include "targets/factory.hpp"

namespace tc::engine {
namespace {

class RunServices : public plugins::Services {
 public:
  explicit RunServices(RunState& st) : st_(st) {}
  const toolkit::Config& toolkit_config() override { return st_.toolkit; }

  targets::Target& target() override {
    std::lock_guard lock(st_.mutex);
    if (!st_.target) {
      Json spec = st_.options.target.empty() ? st_.vars.interpolate(st_.scenario.target) : Json(st_.options.target);
      targets::TargetEnv env{st_.toolkit, st_.prompter.get(), st_.run_dir};
      st_.target = targets::make_target(spec, env);
      st_.result.etl_tool = st_.target->etl_tool();
      st_.result.target = st_.target->kind();
    }
    return *st_.target;
  }

  db::Dsn connection(const std::string& name) override {
    if (name == "source") return toolkit::source_dsn(st_.toolkit, true);
    if (name == "source_proxy") return toolkit::source_dsn(st_.toolkit, false);
    if (name == "destination") {
      std::string dsn = target().destination_dsn();
      if (dsn.empty())
        throw plugins::MissingConnection("the target '" + target().kind() +
                                         "' has no destination connection (give `destination: mysql://...` in the "
                                         "target map to let tc-run read it)");
      return db::Dsn::parse(dsn);
    }
    for (const auto& c : st_.scenario.connections)
      if (c.name == name) return db::Dsn::parse(st_.vars.interpolate(c.dsn));
    throw plugins::StepError("unknown connection '" + name + "' (known: source, destination" + [&] {
      std::string s;
      for (const auto& c : st_.scenario.connections) s += ", " + c.name;
      return s;
    }() + ")");
  }

  Prompter& prompter() override { return *st_.prompter; }
  void event(const std::string& kind, const std::string& text) override { st_.timeline.add(kind, st_.vars.mask(text)); }
  plugins::Outcome evaluate(const scenario::Step& step, std::stop_token stop) override {
    return execute_once(st_, step, stop);
  }
  plugins::Outcome stop_background(const std::string& id) override { return collect_background(st_, id); }
  const scenario::Vars& vars() override { return st_.vars; }
  std::string run_dir() override { return st_.run_dir; }
  bool check(const scenario::Assertion& a, const Json& output, std::string& why) override {
    std::lock_guard lock(st_.mutex);
    return holds(a, output, st_.vars, why);
  }

 private:
  RunState& st_;
};

}  // namespace

std::unique_ptr<plugins::Services> make_services(RunState& st) {
  return std::make_unique<RunServices>(st);
}

}  // namespace tc::engine
