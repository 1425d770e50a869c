#include "scenario/step_decl.hpp"

namespace tc::scenario {

std::string kind_name(ArgKind k) {
  switch (k) {
    case ArgKind::Text: return "text";
    case ArgKind::NonEmptyText: return "text (non-empty)";
    case ArgKind::Int: return "integer";
    case ArgKind::Duration: return "duration";
    case ArgKind::Bool: return "true/false";
    case ArgKind::TextList: return "list of text";
    case ArgKind::KeyColumns: return "column or list of columns";
    case ArgKind::ScalarMap: return "map of names to values";
    case ArgKind::Choice: return "one of";
    case ArgKind::Connection: return "connection name";
    case ArgKind::StepId: return "step id";
    case ArgKind::Step: return "step";
    case ArgKind::Any: return "any value";
  }
  return "?";
}

std::string output_type_name(OutputType t) {
  switch (t) {
    case OutputType::Text: return "text";
    case OutputType::Number: return "number";
    case OutputType::Millis: return "number (ms)";
    case OutputType::Bool: return "true/false";
    case OutputType::List: return "list";
    case OutputType::Map: return "map";
    case OutputType::Any: return "any";
  }
  return "?";
}

}  // namespace tc::scenario
