#include "util/prompter_words.hpp"

#include <cctype>

#include "util/text.hpp"

namespace tc {

namespace {

bool iequals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace

bool read_verdict_words(const std::string& text, Answer& a) {
  std::string t = trim(text);
  size_t end = 0;
  while (end < t.size() && !std::isspace(static_cast<unsigned char>(t[end]))) ++end;
  std::string word = t.substr(0, end);
  // "FAIL:" and "FAIL -" read naturally too.
  while (!word.empty() && (word.back() == ':' || word.back() == ',')) word.pop_back();
  std::string verdict = iequals(word, "PASS") ? "PASS" : iequals(word, "FAIL") ? "FAIL" : "";
  if (verdict.empty()) return false;
  std::string rest = trim(t.substr(end));
  if (!rest.empty() && (rest.front() == '-' || rest.front() == ':')) rest = trim(rest.substr(1));
  a.verdict = verdict;
  a.observation = rest;
  return true;
}

std::optional<std::string> match_choice(const std::string& text, const std::vector<std::string>& choices) {
  std::string t = trim(text);
  for (const auto& c : choices)
    if (iequals(t, trim(c))) return c;
  return std::nullopt;
}

}  // namespace tc
