#include "daemon/fault_type.hpp"

namespace tc::toolkit {

// One line per fault; each declaration lives in lib/daemon/faults/<name>.cpp (declare_fault_<name>).
// clang-format off
#define TC_FAULT_TYPES(X) \
  X(reject)               \
  X(timeout)              \
  X(service)              \
  X(latency)
// clang-format on

#define TC_DECLARE(n) FaultType declare_fault_##n();
TC_FAULT_TYPES(TC_DECLARE)
#undef TC_DECLARE

const std::vector<FaultType>& fault_types() {
#define TC_ADD(n) declare_fault_##n(),
  static const auto* types = new std::vector<FaultType>{TC_FAULT_TYPES(TC_ADD)};  // never destroyed: used at exit
#undef TC_ADD
  return *types;
}

const FaultType* find_fault(const std::string& name) {
  for (const auto& f : fault_types())
    if (f.name == name) return &f;
  return nullptr;
}

std::vector<std::string> fault_names(FaultVerb verb) {
  std::vector<std::string> names;
  for (const auto& f : fault_types())
    if (f.verb == verb) names.push_back(f.name);
  return names;
}

}  // namespace tc::toolkit
