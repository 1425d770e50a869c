#include "targets/http.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "targets/clock_text.hpp"
#include "targets/profile.hpp"
#include "targets/registry.hpp"
#include "targets/state_words.hpp"
#include "util/text.hpp"

namespace tc::targets {

namespace {

const std::vector<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE"};
const std::vector<std::string> kActions = {"start", "stop", "restart", "resync"};

// "https://api.example.com:8443/v1/x?y=1" -> {"https://api.example.com:8443", "/v1/x?y=1"}.
std::pair<std::string, std::string> split_url(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos || (url.rfind("http", 0) != 0))
    throw std::invalid_argument("'" + url + "' is not an http:// or https:// URL");
  auto slash = url.find('/', scheme + 3);
  if (slash == std::string::npos) return {url, "/"};
  return {url.substr(0, slash), url.substr(slash)};
}

Json::json_pointer pointer(const std::string& text, const std::string& where) {
  try {
    return Json::json_pointer(text);
  } catch (const Json::exception& e) {
    throw std::invalid_argument(where + ": '" + text + "' is not a JSON pointer like /data/status (" + e.what() + ")");
  }
}

HttpAction parse_action(const Json& j, const std::string& default_method, const std::string& base_url,
                        const Json& values, const std::string& where) {
  HttpAction a;
  a.method = default_method;
  Json spec = j;
  if (j.is_string()) {
    // Shorthand: "POST /v1/connectors/{id}/sync".
    auto words = split_ws(j.get<std::string>());
    if (words.size() != 2)
      throw std::invalid_argument(where + ": expected \"METHOD /path\" or a map {method, path, ...}");
    spec = {{"method", words[0]}, {"path", words[1]}};
  }
  if (!spec.is_object()) throw std::invalid_argument(where + ": expected a map {method, url or path, headers, body}");
  a.method = spec.value("method", default_method);
  std::transform(a.method.begin(), a.method.end(), a.method.begin(), ::toupper);
  if (std::find(kMethods.begin(), kMethods.end(), a.method) == kMethods.end())
    throw std::invalid_argument(where + ": method '" + a.method + "' is not one of GET, POST, PUT, PATCH, DELETE");
  if (spec.contains("url")) {
    a.url = expand(spec["url"].get<std::string>(), values, where + ".url");
  } else if (spec.contains("path")) {
    if (base_url.empty()) throw std::invalid_argument(where + " gives a path but the target has no base_url");
    a.url = base_url + expand(spec["path"].get<std::string>(), values, where + ".path");
  } else {
    throw std::invalid_argument(where + " needs `url` or `path`");
  }
  split_url(a.url);  // validates
  a.headers = expand_json(spec.value("headers", Json::object()), values, where + ".headers");
  if (!a.headers.is_object()) throw std::invalid_argument(where + ".headers must be a map");
  if (spec.contains("body")) a.body = expand_json(spec["body"], values, where + ".body");
  return a;
}

StatusRequest parse_status_request(const Json& j, const std::string& base_url, const Json& values,
                                   const std::string& where) {
  if (!j.is_object()) throw std::invalid_argument(where + ": expected a map {method, path, pointer, map...}");
  StatusRequest r;
  r.action = parse_action(j, "GET", base_url, values, where);
  if (j.contains("pointer")) {
    check_state_map(j.value("map", Json()), where + ".map");
    pointer(j["pointer"].get<std::string>(), where + ".pointer");
    r.rules.push_back({j["pointer"].get<std::string>(), j["map"]});
  }
  for (const auto& rule : j.value("rules", Json::array())) {
    std::string w = where + ".rules[" + std::to_string(r.rules.size()) + "]";
    if (!rule.is_object() || !rule.contains("pointer") || !rule["pointer"].is_string())
      throw std::invalid_argument(w + ": expected {pointer: /json/pointer, map: {value: state}}");
    pointer(rule["pointer"].get<std::string>(), w + ".pointer");
    check_state_map(rule.value("map", Json()), w + ".map");
    r.rules.push_back({rule["pointer"].get<std::string>(), rule["map"]});
  }
  if (r.rules.empty()) throw std::invalid_argument(where + " needs `pointer` and `map` (or `rules`) to read the state");
  r.error_pointer = j.value("error_pointer", "");
  if (!r.error_pointer.empty()) pointer(r.error_pointer, where + ".error_pointer");
  r.detail_pointers = j.value("detail", Json::object());
  for (const auto& [name, p] : r.detail_pointers.items()) pointer(value_text(p), where + ".detail." + name);
  return r;
}

}  // namespace

HttpTarget::HttpTarget(const Json& config, std::string run_dir) : run_dir_(std::move(run_dir)) {
  std::string where = "the http target" + (config.contains("profile_path")
                                               ? " (profile " + config["profile_path"].get<std::string>() + ")"
                                               : std::string());
  Json values = placeholder_values(config);
  etl_tool_ = config.value("etl_tool", "a pipeline behind an HTTP API");
  destination_ = config.value("destination", "");
  std::string base_url =
      config.contains("base_url") ? expand(config["base_url"].get<std::string>(), values, where + " base_url") : "";
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  if (config.contains("timeout")) {
    if (!config["timeout"].is_number() || config["timeout"].get<double>() <= 0)
      throw std::invalid_argument(where + ": `timeout` must be a positive number of seconds");
    timeout_ = std::chrono::seconds(std::max(1, static_cast<int>(config["timeout"].get<double>())));
  }
  Json common_headers = expand_json(config.value("headers", Json::object()), values, where + " headers");
  if (!common_headers.is_object()) throw std::invalid_argument(where + ": `headers` must be a map");
  if (config.contains("auth")) {
    auth_ = expand_json(config["auth"], values, where + " auth");
    std::string type = auth_.value("type", "");
    if (type != "basic" && type != "bearer")
      throw std::invalid_argument(where + ": auth.type must be basic (user, password) or bearer (token)");
  }
  if (!config.contains("status"))
    throw std::invalid_argument(where + " needs a `status` request ({method, path, pointer, map})");
  const Json& st = config["status"];
  if (st.is_object() && st.contains("requests")) {
    for (size_t i = 0; i < st["requests"].size(); ++i)
      status_.push_back(parse_status_request(st["requests"][i], base_url, values,
                                             where + " status.requests[" + std::to_string(i) + "]"));
  } else {
    status_.push_back(parse_status_request(st, base_url, values, where + " status"));
  }
  for (const auto& name : kActions)
    if (config.contains(name))
      actions_[name] = parse_action(config[name], "POST", base_url, values, where + " " + name);
  // Headers given once for the whole target apply to every request; a request's own headers win.
  auto add_common = [&](HttpAction& a) {
    Json h = common_headers;
    h.merge_patch(a.headers);
    a.headers = h;
  };
  for (auto& s : status_) add_common(s.action);
  for (auto& [n, a] : actions_) add_common(a);
}

HttpTarget::Response HttpTarget::send(const HttpAction& a, const std::string& label) {
  auto [origin, path] = split_url(a.url);
  httplib::Client cli(origin);
  cli.set_connection_timeout(timeout_);
  cli.set_read_timeout(timeout_);
  cli.set_write_timeout(timeout_);
  if (auth_.value("type", "") == "basic") cli.set_basic_auth(auth_.value("user", ""), auth_.value("password", ""));
  if (auth_.value("type", "") == "bearer") cli.set_bearer_token_auth(auth_.value("token", ""));
  httplib::Headers headers;
  for (const auto& [k, v] : a.headers.items()) headers.emplace(k, value_text(v));
  std::string body = a.body.is_null() ? "" : a.body.is_string() ? a.body.get<std::string>() : a.body.dump();
  const char* ctype = "application/json";
  httplib::Result res = [&] {
    if (a.method == "GET") return cli.Get(path, headers);
    if (a.method == "POST") return cli.Post(path, headers, body, ctype);
    if (a.method == "PUT") return cli.Put(path, headers, body, ctype);
    if (a.method == "PATCH") return cli.Patch(path, headers, body, ctype);
    return cli.Delete(path, headers, body, ctype);
  }();

  Json entry = {{"at", utc_now_iso()}, {"action", label}, {"method", a.method}, {"url", a.url}};
  if (res)
    entry["http_status"] = res->status;
  else
    entry["error"] = httplib::to_string(res.error());
  if (!run_dir_.empty()) {
    std::lock_guard lock(log_mutex_);
    std::ofstream log(run_dir_ + "/pipeline-http.log", std::ios::app);
    if (log) log << entry.dump() << "\n";
  }
  if (!res)
    throw std::runtime_error(
        fmt::format("{}: {} {} failed: {}", label, a.method, a.url, httplib::to_string(res.error())));
  return {res->status, res->body};
}

void HttpTarget::perform(const std::string& action) {
  auto it = actions_.find(action);
  if (it == actions_.end())
    throw std::runtime_error("the http target has no `" + action + "` request (add one to its profile or spec)");
  auto r = send(it->second, action);
  if (r.status < 200 || r.status > 299)
    throw std::runtime_error(fmt::format("{}: {} {} answered HTTP {}: {}", action, it->second.method, it->second.url,
                                         r.status, excerpt(r.body, 3, 300)));
}

PipelineStatus HttpTarget::status() {
  PipelineStatus s;
  Json responses = Json::array(), unmapped = Json::object();
  for (const auto& req : status_) {
    auto r = send(req.action, "status");
    if (r.status < 200 || r.status > 299)
      throw std::runtime_error(fmt::format("status: {} {} answered HTTP {}: {}", req.action.method, req.action.url,
                                           r.status, excerpt(r.body, 3, 300)));
    Json body = Json::parse(r.body, nullptr, false);
    if (body.is_discarded())
      throw std::runtime_error(fmt::format("status: {} {} did not answer JSON: {}", req.action.method, req.action.url,
                                           excerpt(r.body, 3, 200)));
    responses.push_back({{"url", req.action.url}, {"http_status", r.status}, {"body", body}});
    for (const auto& rule : req.rules) {
      Json::json_pointer p(rule.pointer);
      if (!body.contains(p)) continue;
      std::string v = value_text(body.at(p));
      auto state = map_state(rule.map, v);
      if (!state) {
        unmapped[rule.pointer] = v;
        continue;
      }
      if (s.state == "unknown") {
        s.state = *state;
        s.detail["matched"] = {{"pointer", rule.pointer}, {"value", v}};
      }
    }
    if (!req.error_pointer.empty()) {
      Json::json_pointer p(req.error_pointer);
      if (body.contains(p) && !body.at(p).is_null()) {
        std::string err = value_text(body.at(p));
        s.detail["error"] = err;
        if (s.last_error.empty() && (s.state == "failed" || s.state == "connecting")) s.last_error = err;
      }
    }
    for (const auto& [name, ptr] : req.detail_pointers.items()) {
      Json::json_pointer p(value_text(ptr));
      if (body.contains(p)) s.detail[name] = body.at(p);
    }
  }
  if (!unmapped.empty()) s.detail["unmapped"] = unmapped;
  s.detail["responses"] = responses;
  return s;
}

std::vector<std::string> HttpTarget::log_files() const {
  if (run_dir_.empty()) return {};
  std::ifstream probe(run_dir_ + "/pipeline-http.log");
  if (!probe) return {};
  return {run_dir_ + "/pipeline-http.log"};
}

TargetDecl declare_http() {
  using O = scenario::OutputType;
  TargetDecl d{"http",
               "a vendor REST API (a profile such as fivetran-api, or base_url with status/restart requests)",
               {"profile", "base_url", "auth", "headers", "status", "restart", "start", "stop", "resync", "timeout"},
               [](const Json& spec, const TargetEnv& env) -> std::unique_ptr<Target> {
                 if (!spec.is_object())
                   throw std::invalid_argument(
                       "the http target needs a map {type: http, profile: fivetran-api, ...} or "
                       "{type: http, base_url, status: {...}, restart: {...}}");
                 if (spec.contains("profile"))
                   return make_from_profile(spec["profile"].get<std::string>(), spec, env, "http");
                 return std::make_unique<HttpTarget>(spec, env.run_dir);
               }};
  d.detail = {{"matched", O::Map, "the status rule that gave the state: pointer, value"},
              {"error", O::Text, "the text at the status request's error pointer"},
              {"unmapped", O::Map, "values at rule pointers that matched no state"},
              {"responses", O::List, "each status request: url, http_status, body"}};
  d.open_detail = true;  // plus the keys of the status request's own `detail:` pointers
  return d;
}

}  // namespace tc::targets
