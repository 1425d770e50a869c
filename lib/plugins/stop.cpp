// stop: stops a background step by id and collects its output.
#include "plugins/step_type.hpp"

namespace tc::plugins {
namespace {

class Stop : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    static const scenario::StepDecl d{
        .name = "stop",
        .summary = "Stops a background step by id and collects its outputs",
        .string_form = {.allowed = true, .kind = scenario::ArgKind::StepId, .doc = "the id of a background step"},
        .open_outputs = true,  // the background step's own outputs
    };
    return d;
  }
  Outcome run(StepContext& ctx) const override {
    Outcome o = ctx.services.stop_background(ctx.args.get<std::string>());
    o.complete_on_stop = true;  // being stopped is how the background step ends
    return o;
  }
};

}  // namespace
std::unique_ptr<StepType> make_stop() {
  return std::make_unique<Stop>();
}
}  // namespace tc::plugins
