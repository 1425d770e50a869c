#pragma once
// Finds step types by name.
#include <memory>
#include <string>
#include <vector>

#include "plugins/step_type.hpp"

namespace tc::plugins {

/// All step types, built once.
class Registry {
 public:
  static const Registry& instance();
  const StepType* find(const std::string& name) const;
  std::vector<std::string> names() const;
  std::vector<std::string> check_names() const;
  /// Every type's declaration, in registry order: what the loader, the schema and the docs read.
  std::vector<scenario::StepDecl> decls() const;

 private:
  Registry();
  std::vector<std::unique_ptr<StepType>> types_;
};

}  // namespace tc::plugins
