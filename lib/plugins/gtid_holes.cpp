#include "plugins/gtid_holes.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "util/text.hpp"

namespace tc::plugins::checks {

namespace {
std::uint64_t number(const std::string& s, const std::string& entry) {
  if (!all_digits(s)) throw std::invalid_argument("bad number '" + s + "' in allowed gap '" + entry + "'");
  return std::stoull(s);
}

// "A" or "A-B" -> run of `key`.
SeqRun interval(const std::string& key, const std::string& text, const std::string& entry) {
  auto ab = split_on(text, '-');
  if (ab.size() > 2) throw std::invalid_argument("bad interval '" + text + "' in allowed gap '" + entry + "'");
  std::uint64_t a = number(ab[0], entry), b = ab.size() == 2 ? number(ab[1], entry) : a;
  if (b < a) throw std::invalid_argument("interval '" + text + "' runs backwards in allowed gap '" + entry + "'");
  return {key, a, b};
}

}  // namespace

std::string SeqRun::str() const {
  return key + ":" + std::to_string(first) + (last != first ? "-" + std::to_string(last) : "");
}

std::vector<std::string> gtid_keys(const toolkit::GtidSet& g) {
  std::vector<std::string> keys;
  std::string text = g.str();
  if (text.empty()) return keys;
  for (const auto& part : split_on(text, ',')) {
    if (g.kind() == toolkit::FlavourKind::MariaDB) {
      keys.push_back(split_on(part, '-').front());
    } else {
      auto f = split_on(part, ':');
      std::string key = f[0];
      if (f.size() > 2 && !f[1].empty() && !std::isdigit(static_cast<unsigned char>(f[1][0]))) key += ":" + f[1];
      keys.push_back(key);
    }
  }
  return keys;
}

std::vector<SeqRun> holes_in(const std::map<std::string, std::vector<std::uint64_t>>& seen,
                             const std::map<std::string, std::uint64_t>& floors) {
  std::vector<SeqRun> out;
  for (const auto& [key, seqs_in] : seen) {
    std::vector<std::uint64_t> seqs = seqs_in;
    std::sort(seqs.begin(), seqs.end());
    seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
    if (seqs.empty()) continue;
    auto f = floors.find(key);
    std::uint64_t expect = f != floors.end() ? f->second + 1 : seqs.front();
    for (std::uint64_t s : seqs) {
      if (s > expect) out.push_back({key, expect, s - 1});
      if (s + 1 > expect) expect = s + 1;
    }
  }
  return out;
}

std::vector<SeqRun> mysql_holes(const toolkit::GtidSet& executed) {
  std::vector<SeqRun> out;
  for (const auto& key : gtid_keys(executed)) {
    std::uint64_t expect = 1;
    for (const auto& [a, b] : executed.intervals(key)) {
      if (a > expect) out.push_back({key, expect, a - 1});
      if (b + 1 > expect) expect = b + 1;
    }
  }
  return out;
}

std::vector<SeqRun> parse_allowed(toolkit::FlavourKind kind, const std::vector<std::string>& entries) {
  std::vector<SeqRun> out;
  for (const auto& raw : entries) {
    std::string e = trim(raw);
    if (e.empty()) throw std::invalid_argument("empty entry in allow_gaps");
    for (const auto& item : split_on(e, ',')) {
      std::string it = trim(item);
      if (kind == toolkit::FlavourKind::MariaDB) {
        auto colon = split_on(it, ':');
        if (colon.size() == 2) {
          out.push_back(interval(std::to_string(number(colon[0], it)), colon[1], it));
          continue;
        }
        auto f = split_on(it, '-');
        if (f.size() != 3)
          throw std::invalid_argument("allowed gap '" + it + "' must be D:N, D:A-B (domain D) or a GTID D-S-N");
        std::uint64_t n = number(f[2], it);
        number(f[1], it);
        out.push_back({std::to_string(number(f[0], it)), n, n});
      } else {
        auto f = split_on(it, ':');
        if (f.size() < 2 || f[0].size() != 36)
          throw std::invalid_argument("allowed gap '" + it + "' must be uuid:N or uuid:A-B");
        std::string key = lower(f[0]);
        size_t i = 1;
        if (!f[1].empty() && !std::isdigit(static_cast<unsigned char>(f[1][0]))) key += ":" + f[i++];
        if (i >= f.size()) throw std::invalid_argument("allowed gap '" + it + "' has no interval");
        for (; i < f.size(); ++i) out.push_back(interval(key, f[i], it));
      }
    }
  }
  return out;
}

HoleVerdict judge_holes(const std::vector<SeqRun>& holes, const std::vector<SeqRun>& allowed) {
  HoleVerdict v;
  for (const auto& h : holes) {
    // Walk the hole from its start, skipping the parts allowed runs cover.
    std::vector<SeqRun> cover;
    for (const auto& a : allowed)
      if (lower(a.key) == lower(h.key) && a.last >= h.first && a.first <= h.last) cover.push_back(a);
    std::sort(cover.begin(), cover.end(), [](const SeqRun& x, const SeqRun& y) { return x.first < y.first; });
    std::uint64_t pos = h.first;
    bool done = false;
    for (const auto& a : cover) {
      if (a.first > pos) v.unexplained.push_back({h.key, pos, std::min(a.first - 1, h.last)});
      std::uint64_t from = std::max(a.first, pos), to = std::min(a.last, h.last);
      if (to >= from && a.last >= pos) v.allowed.push_back({h.key, from, to});
      if (a.last >= h.last) {
        done = true;
        break;
      }
      pos = std::max(pos, a.last + 1);
    }
    if (!done && pos <= h.last) v.unexplained.push_back({h.key, pos, h.last});
  }
  return v;
}

}  // namespace tc::plugins::checks
