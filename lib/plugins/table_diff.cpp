#include "plugins/table_diff.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "plugins/check_args.hpp"
#include "plugins/key_range.hpp"
#include "plugins/step_type.hpp"
#include "plugins/table_meta.hpp"

namespace tc::plugins::checks {

namespace {
using Clock = std::chrono::steady_clock;

// Count, SUM and BIT_XOR of the row hashes of a range. XOR alone cancels pairs of equal rows; the sum and the
// count do not. Sums are kept modulo 2^64, which subtraction (right half = whole - left half) respects.
struct Agg {
  long long rows = 0;
  std::uint64_t sum = 0;
  std::uint64_t xr = 0;
  bool operator==(const Agg&) const = default;
  Agg operator-(const Agg& o) const { return {rows - o.rows, sum - o.sum, xr ^ o.xr}; }
};

std::uint64_t wrapping_u64(const Json& v) {
  if (v.is_null()) return 0;
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_integer()) return static_cast<std::uint64_t>(v.get<long long>());
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  std::uint64_t n = 0;
  for (char c : s) {
    if (c == '.') break;
    if (c >= '0' && c <= '9') n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

long long to_ll(const Json& v) {
  return static_cast<long long>(wrapping_u64(v));
}

// Integer keys as 128-bit numbers so ranges over BIGINT UNSIGNED do not overflow.
__int128 to_i128(const Json& v) {
  if (v.is_number_unsigned()) return static_cast<__int128>(v.get<std::uint64_t>());
  if (v.is_number_integer()) return v.get<long long>();
  throw StepError("integer key value expected, got " + v.dump());
}
Json from_i128(__int128 v) {
  if (v < 0) return static_cast<long long>(v);
  return static_cast<std::uint64_t>(v);
}

// One server's side of the comparison: its connection, table and the query counter.
struct Side {
  const char* name;
  db::Connection& conn;
  TableInfo info;
  std::atomic<long long>& queries;
  const std::stop_token& stop;
  db::Result q(const std::string& sql) {
    if (stop.stop_requested()) throw StepError("comparison cancelled");
    ++queries;
    try {
      return conn.query(sql);
    } catch (const db::Error& e) {
      if (stop.stop_requested()) throw StepError("comparison cancelled");
      throw StepError(std::string("query on ") + name + " failed: " + e.what());
    }
  }
};

// Runs one function per side at the same time (the destination's on a second thread); rethrows the first error.
template <class F, class G>
void both(F&& on_source, G&& on_destination) {
  auto fut = std::async(std::launch::async, std::forward<G>(on_destination));
  std::exception_ptr err;
  try {
    on_source();
  } catch (...) {
    err = std::current_exception();
  }
  try {
    fut.get();
  } catch (...) {
    if (!err) err = std::current_exception();
  }
  if (err) std::rethrow_exception(err);
}

// Ranges handed from the source thread (which finds chunk boundaries) to the destination thread.
struct Feed {
  std::mutex m;
  std::condition_variable cv;
  std::vector<KeyRange> ranges;
  bool done = false, aborted = false;
  void push(KeyRange r, bool last) {
    {
      std::lock_guard lock(m);
      ranges.push_back(std::move(r));
      done = last;
    }
    cv.notify_all();
  }
  void abort() {
    {
      std::lock_guard lock(m);
      aborted = true;
    }
    cv.notify_all();
  }
  // The i-th range once it exists; nullopt when there are no more (or the scan was aborted).
  std::optional<KeyRange> get(size_t i) {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return aborted || i < ranges.size() || done; });
    if (aborted || i >= ranges.size()) return std::nullopt;
    return ranges[i];
  }
};

struct Pending {
  KeyRange range;
  Agg s, d;
};

class Differ {
 public:
  Differ(db::Connection& src, db::Connection& dst, const DiffOptions& o, std::stop_token stop)
      : opts_(o),
        stop_(std::move(stop)),
        src_{"source", src, {}, queries_, stop_},
        dst_{"destination", dst, {}, queries_, stop_} {
    if (opts_.chunk_size <= 0) throw DiffConfigError("chunk_size must be positive");
    if (opts_.max_report < 0) throw DiffConfigError("max_report must not be negative");
    if (opts_.leaf_rows <= 0) opts_.leaf_rows = 500;
    limit_ = opts_.max_differences > 0 ? opts_.max_differences : std::max<long long>(1000, 100 * opts_.max_report);
  }

  DiffReport run() {
    auto t0 = Clock::now();
    // A timeout or Ctrl-C cancels the running statements on both servers, not only our wait for them.
    std::stop_callback cancel(stop_, [&] {
      feed_.abort();
      for (db::Connection* c : {&src_.conn, &dst_.conn}) {
        try {
          c->kill_query();
        } catch (...) {
        }
      }
    });
    resolve();
    scan();
    bisect();
    rep_.queries = queries_;
    rep_.match = rep_.missing_columns.empty() && rep_.missing + rep_.extra + rep_.changed + rep_.duplicated == 0 &&
                 rep_.source_rows == rep_.destination_rows;
    rep_.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    return rep_;
  }

 private:
  // Table, key and compared columns on both sides; the row hash expression.
  void resolve() {
    prepare_session(src_.conn);
    prepare_session(dst_.conn);
    TableName name = TableName::parse(opts_.table);
    src_.info = read_table(src_.conn, name, "source");
    dst_.info = read_table(dst_.conn, name, "destination");
    rep_.table = src_.info.name.text();
    std::vector<std::string> key = opts_.key;
    if (key.empty()) key = src_.info.primary_key;
    if (key.empty()) key = dst_.info.primary_key;
    if (key.empty())
      throw DiffConfigError("table " + rep_.table +
                            " has no primary key on either side: name the key columns with 'key'");
    std::vector<ColumnInfo> key_cols;
    for (const auto& k : key) {
      const ColumnInfo* s = src_.info.column(k);
      const ColumnInfo* d = dst_.info.column(k);
      if (!s) throw DiffConfigError("key column '" + k + "' is not a column of " + rep_.table + " on the source");
      if (!d) throw DiffConfigError("key column '" + k + "' is not a column of " + rep_.table + " on the destination");
      key_cols.push_back(*s);
      rep_.key.push_back(s->name);
    }
    keys_.emplace(key_cols);
    // Columns of the source that the destination also has; extra destination columns (ETL metadata) are ignored.
    std::vector<std::string> parts, null_bits;
    for (const auto& c : src_.info.columns) {
      const ColumnInfo* d = dst_.info.column(c.name);
      if (!d) {
        rep_.missing_columns.push_back(c.name);
        continue;
      }
      rep_.columns.push_back(c.name);
      std::string q = db::quote_ident(c.name);
      // TIMESTAMP as epoch seconds: independent of each server's time zone, and cheaper than text.
      parts.push_back(c.data_type == "timestamp" ? "UNIX_TIMESTAMP(" + q + ")" : q);
      // CONCAT_WS skips NULLs, so a bitmask of which nullable columns are NULL tells NULL from ''.
      if (c.nullable || d->nullable) null_bits.push_back(q);
    }
    for (size_t i = 0; i < null_bits.size(); i += 60) {
      std::string mask;
      for (size_t j = i; j < std::min(null_bits.size(), i + 60); ++j)
        mask += (j > i ? " | " : "") + std::string("(ISNULL(") + null_bits[j] + ") << " + std::to_string(j - i) + ")";
      parts.push_back("(" + mask + ")");
    }
    if (parts.empty()) parts.push_back("''");
    hash_ = "CRC32(CONCAT_WS('#', " + join(parts, ", ") + "))";
    where_ = opts_.where.empty() ? "" : "(" + opts_.where + ") AND ";
  }

  std::string from(Side& s) const { return " FROM " + s.info.name.sql() + " WHERE " + where_; }

  Agg agg(Side& s, const KeyRange& r) {
    // The hash is computed once per row: SUM assigns it to @h and BIT_XOR (evaluated after it) reads it.
    auto res = s.q("SELECT COUNT(*) AS n, SUM(@h := " + hash_ + ") AS s, BIT_XOR(@h) AS x" + from(s) +
                   keys_->condition(s.conn, r));
    const Json& row = res.rows.at(0);
    return {to_ll(row["n"]), wrapping_u64(row["s"]), wrapping_u64(row["x"])};
  }

  // For a single integer key: chunks by value, computed from MIN/MAX of both sides and the row estimate,
  // so neither server needs a separate pass to find boundaries. nullopt when the keys are too sparse.
  std::optional<std::vector<KeyRange>> plan_integer() {
    if (keys_->size() != 1 || !keys_->columns()[0].is_integer()) return std::nullopt;
    std::string k = db::quote_ident(keys_->columns()[0].name);
    Json lo_s, hi_s, lo_d, hi_d;
    long long est = 1;
    auto stats = [&](Side& s, Json& lo, Json& hi) {
      auto r = s.q("SELECT MIN(" + k + ") AS lo, MAX(" + k + ") AS hi" + from(s) + "1").rows.at(0);
      lo = r["lo"];
      hi = r["hi"];
      auto t = s.q("SELECT TABLE_ROWS AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" +
                   s.conn.escape(s.info.name.schema) + "' AND TABLE_NAME = '" + s.conn.escape(s.info.name.table) + "'");
      return t.rows.empty() ? 0LL : to_ll(t.rows[0]["n"]);
    };
    long long est_s = 0, est_d = 0;
    both([&] { est_s = stats(src_, lo_s, hi_s); }, [&] { est_d = stats(dst_, lo_d, hi_d); });
    est = std::max({est, est_s, est_d});
    std::vector<KeyRange> ranges;
    if (lo_s.is_null() && lo_d.is_null()) {
      ranges.push_back({});
      return ranges;
    }
    __int128 lo = lo_s.is_null()   ? to_i128(lo_d)
                  : lo_d.is_null() ? to_i128(lo_s)
                                   : std::min(to_i128(lo_s), to_i128(lo_d));
    __int128 hi = hi_s.is_null()   ? to_i128(hi_d)
                  : hi_d.is_null() ? to_i128(hi_s)
                                   : std::max(to_i128(hi_s), to_i128(hi_d));
    __int128 span = hi - lo + 1;
    __int128 chunk = opts_.chunk_size;
    if (span > 4 * std::max<__int128>(est, chunk)) return std::nullopt;
    __int128 n = std::max<__int128>(1, (std::min<__int128>(span, est) + chunk - 1) / chunk);
    __int128 step = (span + n - 1) / n;
    for (__int128 i = 0; i < n; ++i) {
      KeyRange r;
      if (i > 0) r.after = KeyValue{from_i128(lo - 1 + i * step)};
      if (i + 1 < n) r.upto = KeyValue{from_i128(lo - 1 + (i + 1) * step)};
      ranges.push_back(std::move(r));
    }
    return ranges;
  }

  // Chunk checksums on both servers at once. The source thread finds boundaries (or uses the integer plan)
  // and feeds ranges to the destination thread as it goes.
  void scan() {
    auto plan = plan_integer();
    rep_.plan = plan ? "integer ranges" : "key walk";
    if (plan) {
      for (size_t i = 0; i < plan->size(); ++i) feed_.push((*plan)[i], i + 1 == plan->size());
    }
    std::vector<Agg> sa, da;
    auto source_work = [&] {
      try {
        if (plan) {
          for (const auto& r : *plan) {
            if (feed_aborted()) return;
            sa.push_back(agg(src_, r));
          }
          return;
        }
        std::optional<KeyValue> last;
        while (!feed_aborted()) {
          KeyRange after;
          after.after = last;
          auto res =
              src_.q("SELECT " + keys_->select_list() + from(src_) + keys_->condition(src_.conn, after) + " ORDER BY " +
                     keys_->order_by() + " LIMIT 1 OFFSET " + std::to_string(opts_.chunk_size - 1));
          KeyRange r;
          r.after = last;
          bool final = res.rows.empty();
          if (!final) r.upto = keys_->from_row(res.rows[0]);
          feed_.push(r, final);
          sa.push_back(agg(src_, r));
          if (final) return;
          last = r.upto;
        }
      } catch (...) {
        feed_.abort();
        throw;
      }
    };
    auto destination_work = [&] {
      try {
        for (size_t i = 0;; ++i) {
          auto r = feed_.get(i);
          if (!r) return;
          da.push_back(agg(dst_, *r));
        }
      } catch (...) {
        feed_.abort();
        throw;
      }
    };
    both(source_work, destination_work);
    if (stop_.stop_requested()) throw StepError("comparison cancelled");
    rep_.chunks = static_cast<long long>(sa.size());
    for (size_t i = 0; i < sa.size() && i < da.size(); ++i) {
      rep_.source_rows += sa[i].rows;
      rep_.destination_rows += da[i].rows;
      if (!(sa[i] == da[i])) {
        ++rep_.mismatched_chunks;
        pending_.push_back({feed_.ranges[i], sa[i], da[i]});
      }
    }
  }

  bool feed_aborted() {
    std::lock_guard lock(feed_.m);
    return feed_.aborted;
  }

  long long found() const { return rep_.missing + rep_.extra + rep_.changed + rep_.duplicated; }

  static void note(std::vector<Json>& keys, std::vector<std::string>& texts, const Json& shown, const std::string& text,
                   long long max) {
    if (static_cast<long long>(keys.size()) < max) {
      keys.push_back(shown);
      texts.push_back(text);
    }
  }

  // Narrows each mismatching range: split at the median key of the larger side until ranges are small or one
  // side is empty, then compare rows.
  void bisect() {
    while (!pending_.empty()) {
      if (found() >= limit_) {
        rep_.complete = false;
        return;
      }
      Pending p = std::move(pending_.front());
      pending_.pop_front();
      if (p.s == p.d) continue;
      if (p.s.rows == 0 || p.d.rows == 0) {
        one_sided(p);
        continue;
      }
      if (std::max(p.s.rows, p.d.rows) <= opts_.leaf_rows) {
        rows_diff(p);
        continue;
      }
      Side& big = p.s.rows >= p.d.rows ? src_ : dst_;
      long long n = std::max(p.s.rows, p.d.rows);
      auto res = big.q("SELECT " + keys_->select_list() + from(big) + keys_->condition(big.conn, p.range) +
                       " ORDER BY " + keys_->order_by() + " LIMIT 1 OFFSET " + std::to_string((n - 1) / 2));
      if (res.rows.empty()) {  // the table changed under us; compare what is there
        rows_diff(p);
        continue;
      }
      KeyValue mid = keys_->from_row(res.rows[0]);
      Pending left{{p.range.after, mid}, {}, {}}, right{{mid, p.range.upto}, {}, {}};
      both([&] { left.s = agg(src_, left.range); }, [&] { left.d = agg(dst_, left.range); });
      right.s = p.s - left.s;
      right.d = p.d - left.d;
      if (right.s.rows == 0 && right.d.rows == 0 && left.s.rows == p.s.rows && left.d.rows == p.d.rows) {
        rows_diff(p);  // one key holds every row (duplicates): it cannot be split further
        continue;
      }
      pending_.push_front(std::move(right));
      pending_.push_front(std::move(left));
    }
  }

  // Every row of a range is on one side only: count them, list the first keys.
  void one_sided(const Pending& p) {
    bool src_only = p.d.rows == 0;
    Side& s = src_only ? src_ : dst_;
    long long& count = src_only ? rep_.missing : rep_.extra;
    auto& keys = src_only ? rep_.missing_keys : rep_.extra_keys;
    auto& texts = src_only ? rep_.missing_text : rep_.extra_text;
    count += src_only ? p.s.rows : p.d.rows;
    long long want = opts_.max_report - static_cast<long long>(keys.size());
    if (want <= 0) return;
    auto res = s.q("SELECT " + keys_->select_list() + from(s) + keys_->condition(s.conn, p.range) + " ORDER BY " +
                   keys_->order_by() + " LIMIT " + std::to_string(want));
    for (const auto& row : res.rows) {
      KeyValue k = keys_->from_row(row);
      note(keys, texts, keys_->display(k), keys_->text(k), opts_.max_report);
    }
  }

  // Compares a small range row by row: each key's row hashes on both sides.
  void rows_diff(const Pending& p) {
    struct Entry {
      KeyValue key;
      std::vector<std::uint64_t> s, d;
    };
    std::map<std::string, Entry> by_key;  // ordered by the key's JSON text, stable for reports
    auto fetch = [&](Side& side, std::vector<Json>& rows) {
      rows = side.q("SELECT " + keys_->select_list() + ", " + hash_ + " AS h" + from(side) +
                    keys_->condition(side.conn, p.range) + " ORDER BY " + keys_->order_by())
                 .rows;
    };
    std::vector<Json> rs, rd;
    both([&] { fetch(src_, rs); }, [&] { fetch(dst_, rd); });
    std::vector<std::string> order;
    auto add = [&](const std::vector<Json>& rows, bool source) {
      for (const auto& row : rows) {
        KeyValue k = keys_->from_row(row);
        std::string id = Json(k).dump(-1, ' ', false, Json::error_handler_t::replace);
        auto [it, fresh] = by_key.try_emplace(id, Entry{k, {}, {}});
        if (fresh) order.push_back(id);
        (source ? it->second.s : it->second.d).push_back(wrapping_u64(row["h"]));
      }
    };
    add(rs, true);
    add(rd, false);
    long long max = opts_.max_report;
    for (const auto& id : order) {
      Entry& e = by_key[id];
      Json shown = keys_->display(e.key);
      std::string text = keys_->text(e.key);
      auto ns = static_cast<long long>(e.s.size()), nd = static_cast<long long>(e.d.size());
      if (nd == 0) {
        rep_.missing += ns;
        note(rep_.missing_keys, rep_.missing_text, shown, text, max);
        continue;
      }
      if (ns == 0) {
        rep_.extra += nd;
        note(rep_.extra_keys, rep_.extra_text, shown, text, max);
        continue;
      }
      if (nd > ns) {
        ++rep_.duplicated;
        note(rep_.duplicated_keys, rep_.duplicated_text, shown, text, max);
      } else if (ns > nd) {
        rep_.missing += ns - nd;  // the source holds the key more often (a source without a unique key)
        note(rep_.missing_keys, rep_.missing_text, shown, text, max);
      }
      if (std::set<std::uint64_t>(e.s.begin(), e.s.end()) != std::set<std::uint64_t>(e.d.begin(), e.d.end())) {
        ++rep_.changed;
        note(rep_.changed_keys, rep_.changed_text, shown, text, max);
      }
    }
  }

  DiffOptions opts_;
  std::stop_token stop_;
  std::atomic<long long> queries_{0};
  Side src_, dst_;
  std::optional<KeySql> keys_;
  std::string hash_, where_;
  long long limit_ = 1000;
  Feed feed_;
  std::deque<Pending> pending_;
  DiffReport rep_;
};

}  // namespace

DiffReport diff_table(db::Connection& source, db::Connection& destination, const DiffOptions& opts,
                      std::stop_token stop) {
  Differ d(source, destination, opts, std::move(stop));
  return d.run();
}

}  // namespace tc::plugins::checks
