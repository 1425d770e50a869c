#include "plugins/registry.hpp"

namespace tc::plugins {

// One line per step type; each factory lives in the step type's own file.
// clang-format off
#define TC_STEP_TYPES(X) \
  X(exec)                \
  X(sql)                 \
  X(sleep)               \
  X(wait)                \
  X(stop)                \
  X(manual)              \
  X(toolkit)             \
  X(pipeline)            \
  X(http)                \
  X(rows_match)          \
  X(no_duplicates)       \
  X(data_match)          \
  X(converges)           \
  X(binlog_advanced)     \
  X(gtid_contiguous)     \
  X(flap_recovery)       \
  X(assert)              \
  X(hold)                \
  X(sample)
// clang-format on

#define TC_DECLARE(n) std::unique_ptr<StepType> make_##n();
TC_STEP_TYPES(TC_DECLARE)
#undef TC_DECLARE

Registry::Registry() {
#define TC_ADD(n) types_.push_back(make_##n());
  TC_STEP_TYPES(TC_ADD)
#undef TC_ADD
}

const Registry& Registry::instance() {
  static const Registry r;
  return r;
}

const StepType* Registry::find(const std::string& name) const {
  for (const auto& t : types_)
    if (t->name() == name) return t.get();
  return nullptr;
}

std::vector<std::string> Registry::names() const {
  std::vector<std::string> out;
  for (const auto& t : types_) out.push_back(t->name());
  return out;
}

std::vector<scenario::StepDecl> Registry::decls() const {
  std::vector<scenario::StepDecl> out;
  for (const auto& t : types_) out.push_back(t->decl());
  return out;
}

std::vector<std::string> Registry::check_names() const {
  std::vector<std::string> out;
  for (const auto& t : types_)
    if (t->is_check()) out.push_back(t->name());
  return out;
}

}  // namespace tc::plugins
