// stop: stops a background step by id and collects its output.
#include "plugins/step_type.hpp"

namespace tc::plugins {
namespace {

class Stop : public StepType {
 public:
  std::string name() const override { return "stop"; }
  std::vector<Issue> validate(const Json& args) const override {
    return expect_string(args, "the id of a background step");
  }
  Outcome run(StepContext& ctx) const override { return ctx.services.stop_background(ctx.args.get<std::string>()); }
};

}  // namespace
std::unique_ptr<StepType> make_stop() {
  return std::make_unique<Stop>();
}
}  // namespace tc::plugins
