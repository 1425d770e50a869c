#include "plugins/diff_args.hpp"

#include "plugins/check_args.hpp"

namespace tc::plugins::checks {

std::vector<std::string> diff_arg_keys() {
  return {"key", "where", "chunk_size", "max_report", "source", "destination"};
}

void validate_diff_args(const Json& args, std::vector<StepType::Issue>& out) {
  for (const char* k : {"table", "where", "source", "destination"}) validate_string(args, k, out);
  validate_key_list(args, "key", out);
  validate_positive_int(args, "chunk_size", out);
  if (args.is_object() && args.contains("max_report") && !is_reference(args["max_report"]) &&
      !(args["max_report"].is_number_integer() && args["max_report"].get<long long>() >= 0))
    out.push_back({"/max_report", "'max_report' must be an integer >= 0"});
}

DiffOptions diff_options(const Json& args) {
  DiffOptions o;
  o.table = arg_string(args, "table");
  o.key = arg_key_list(args, "key");
  o.where = arg_string(args, "where");
  o.chunk_size = arg_positive_int(args, "chunk_size", 10000);
  if (args.is_object() && args.contains("max_report") && args["max_report"] == Json(0)) {
    o.max_report = 0;
  } else {
    o.max_report = arg_positive_int(args, "max_report", 10);
  }
  return o;
}

std::string describe_diff(const std::string& type, const Json& args) {
  std::string s = type + " " + arg_string(args, "table", "?");
  if (args.is_object() && args.contains("key")) s += " by " + arg_string(args, "key");
  std::string where = arg_string(args, "where");
  if (!where.empty()) s += " where " + where;
  return s;
}

}  // namespace tc::plugins::checks
