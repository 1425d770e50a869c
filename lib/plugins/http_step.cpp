// http: one HTTP request (cpp-httplib); output is the status code, the body and the body parsed as JSON.
#include <httplib.h>

#include <algorithm>
#include <regex>

#include "plugins/step_type.hpp"
#include "scenario/vars.hpp"
#include "util/text.hpp"

namespace tc::plugins {
namespace {

const std::vector<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE"};

class HttpStep : public StepType {
 public:
  const scenario::StepDecl& decl() const override {
    using K = scenario::ArgKind;
    using O = scenario::OutputType;
    static const scenario::StepDecl d{
        .name = "http",
        .summary = "One HTTP request; without `status` any 2xx passes",
        .map_form = true,
        .fields =
            {{.name = "url", .kind = K::NonEmptyText, .required = true, .doc = "http:// or https:// URL"},
             {.name = "method", .kind = K::Choice, .doc = "the method", .choices = kMethods, .default_text = "GET"},
             {.name = "headers", .kind = K::ScalarMap, .doc = "request headers"},
             {.name = "body", .kind = K::Any, .doc = "request body: text, or a map/list sent as JSON"},
             {.name = "status", .kind = K::Int, .doc = "the status that passes", .min = 100, .max = 599}},
        .outputs = {{"value", O::Any, "the body parsed as JSON, else the body"},
                    {"status", O::Number, "the HTTP status code"},
                    {"body", O::Text, "the response body"},
                    {"json", O::Any, "the body parsed as JSON (json.id), null when it is not JSON"}},
    };
    return d;
  }
  std::string describe(const Json& args) const override {
    return "http " + args.value("method", std::string("GET")) + " " + scenario::to_text(args.value("url", Json("")));
  }
  Outcome run(StepContext& ctx) const override {
    std::string url = scenario::to_text(ctx.args["url"]);
    std::smatch m;
    static const std::regex re(R"(^(https?://[^/]+)(/.*)?$)");
    if (!std::regex_match(url, m, re)) throw StepError("not an http(s) URL: " + url);
    std::string base = m[1], path = m[2].matched ? std::string(m[2]) : "/";
    httplib::Client cli(base);
    cli.set_connection_timeout(10);
    cli.set_read_timeout(
        ctx.step.timeout ? std::chrono::duration_cast<std::chrono::seconds>(*ctx.step.timeout).count() + 1 : 60);
    httplib::Headers headers;
    const Json header_args = ctx.args.value("headers", Json::object());  // items() of a temporary would dangle
    for (const auto& [k, v] : header_args.items()) headers.emplace(k, scenario::to_text(v));
    std::string method = ctx.args.value("method", std::string("GET"));
    std::string body;
    std::string content_type = "application/json";
    if (ctx.args.contains("body"))
      body = ctx.args["body"].is_string() ? ctx.args["body"].get<std::string>() : ctx.args["body"].dump();
    auto send = [&]() -> httplib::Result {
      if (method == "POST") return cli.Post(path, headers, body, content_type);
      if (method == "PUT") return cli.Put(path, headers, body, content_type);
      if (method == "PATCH") return cli.Patch(path, headers, body, content_type);
      if (method == "DELETE") return cli.Delete(path, headers, body, content_type);
      return cli.Get(path, headers);
    };
    httplib::Result res = send();
    if (!res) throw StepError(method + " " + url + ": " + httplib::to_string(res.error()));
    Outcome o;
    Json parsed = Json::parse(res->body, nullptr, false);
    o.output = {{"status", res->status}, {"body", res->body}};
    o.output["json"] = parsed.is_discarded() ? Json(nullptr) : parsed;
    o.output["value"] = parsed.is_discarded() ? Json(res->body) : parsed;
    o.log = method + " " + url + " -> " + std::to_string(res->status) + "\n" + res->body;
    o.message = "HTTP " + std::to_string(res->status);
    bool ok = res->status / 100 == 2;
    if (ctx.args.contains("status")) {
      // A ${var} status arrives as text after interpolation.
      auto want = std::stoi(scenario::to_text(ctx.args["status"]));
      ok = res->status == want;
    }
    if (!ok) {
      o.status = report::Status::Failed;
      o.message =
          "HTTP " + std::to_string(res->status) + " from " + method + " " + url + ": " + excerpt(res->body, 2, 200);
    }
    return o;
  }
};

}  // namespace
std::unique_ptr<StepType> make_http() {
  return std::make_unique<HttpStep>();
}
}  // namespace tc::plugins
