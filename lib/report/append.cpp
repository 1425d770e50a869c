// Appending a run to a markdown test case as its next "### Run N" in the "## Test Execution Log".
#include <cctype>
#include <optional>

#include "report/markdown_lines.hpp"
#include "report/writers.hpp"
#include "util/text.hpp"

namespace tc::report {

namespace {

const char* const kLogHeading = "## Test Execution Log";

// N from "### Run N - ..." (also "### Run N"), nullopt for any other line.
std::optional<int> run_heading(const std::string& line) {
  std::string t = trim(line);
  if (!t.starts_with("### ")) return std::nullopt;
  std::string rest = trim(t.substr(4));
  if (rest.size() < 4 || !(rest.compare(0, 3, "Run") == 0 || rest.compare(0, 3, "run") == 0) ||
      !std::isspace(static_cast<unsigned char>(rest[3])))
    return std::nullopt;
  rest = trim(rest.substr(3));
  size_t i = 0;
  long long n = 0;
  while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i])) && n < 1'000'000'000)
    n = n * 10 + (rest[i++] - '0');
  if (i == 0 || (i < rest.size() && !std::isspace(static_cast<unsigned char>(rest[i])) && rest[i] != '-'))
    return std::nullopt;
  return static_cast<int>(n);
}

bool is_log_heading(const std::string& line) {
  std::string t = trim(line);
  if (t.size() != std::string(kLogHeading).size()) return false;
  for (size_t i = 0; i < t.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(t[i])) != std::tolower(static_cast<unsigned char>(kLogHeading[i])))
      return false;
  return true;
}

// "# X" or "## X": a heading that ends the execution log section.
bool is_section_heading(const std::string& line) {
  return (line.starts_with("# ") || line.starts_with("## ") || line == "#" || line == "##");
}

// Text with trailing blank lines removed, then exactly one blank line (or nothing when empty).
std::string with_blank_line(std::string_view text) {
  size_t end = text.size();
  while (end > 0 && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  if (end == 0) return "";
  return std::string(text.substr(0, end)) + "\n\n";
}

}  // namespace

int last_run_number(const std::string& markdown) {
  int best = 0;
  for (const auto& l : markdown_lines(markdown)) {
    if (l.in_code) continue;
    if (auto n = run_heading(l.text); n && *n > best) best = *n;
  }
  return best;
}

std::string append_run(const std::string& markdown, const RunResult& run) {
  std::string block = render_markdown(run, last_run_number(markdown) + 1);
  auto lines = markdown_lines(markdown);
  size_t heading = lines.size();
  for (size_t i = 0; i < lines.size(); ++i)
    if (!lines[i].in_code && is_log_heading(lines[i].text)) heading = i;  // the last one wins, where runs go

  if (heading == lines.size()) {
    // No log yet: a rule and the heading, as the seed test case lays it out.
    std::string head = with_blank_line(markdown);
    std::string last_line = lines.empty() ? "" : trim(lines.back().text);
    for (size_t i = lines.size(); i-- > 0;)
      if (!trim(lines[i].text).empty()) {
        last_line = trim(lines[i].text);
        break;
      }
    if (!head.empty() && last_line != "---") head += "---\n\n";
    return head + kLogHeading + "\n\n" + block;
  }
  // The log section ends at the next top- or second-level heading; the new run goes just before it.
  size_t insert = markdown.size();
  for (size_t i = heading + 1; i < lines.size(); ++i)
    if (!lines[i].in_code && is_section_heading(lines[i].text)) {
      insert = lines[i].begin;
      break;
    }
  std::string tail = markdown.substr(insert);
  return with_blank_line(std::string_view(markdown).substr(0, insert)) + block + (tail.empty() ? "" : "\n" + tail);
}

}  // namespace tc::report
