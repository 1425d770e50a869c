#pragma once
// The neutral value tree used between components (step arguments, step outputs).
#include <nlohmann/json.hpp>

namespace tc {
using Json = nlohmann::ordered_json;
}  // namespace tc
