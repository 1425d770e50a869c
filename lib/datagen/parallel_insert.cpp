#include "datagen/parallel_insert.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <mutex>
#include <random>
#include <thread>

namespace tc::toolkit {

namespace {
// Fewer rows than this per session are not worth another session (connect, FIFO, commit).
constexpr long long kMinRowsPerSession = 10000;
}  // namespace

struct ParallelInserter::Worker {
  std::unique_ptr<db::Connection> conn;
  UserFaker faker;
  std::unique_ptr<UserInserter> ins;
};

ParallelInserter::ParallelInserter(ConnectionFactory connect, std::string table, int connections, int batch,
                                   InsertMethod method)
    : connect_(std::move(connect)),
      table_(std::move(table)),
      connections_(std::max(connections, 1)),
      batch_(batch),
      method_(method),
      seed_(std::random_device{}()) {}

ParallelInserter::~ParallelInserter() = default;

ParallelInserter::Worker& ParallelInserter::worker(size_t i) {
  while (workers_.size() <= i) {
    size_t k = workers_.size();
    // Counters k+1, k+1+N, ...: the emails of different workers never meet.
    auto w = std::unique_ptr<Worker>(
        new Worker{connect_(), UserFaker(seed_ + k, k + 1, static_cast<std::uint64_t>(connections_)), nullptr});
    w->ins = std::make_unique<UserInserter>(*w->conn, table_, batch_, method_);
    workers_.push_back(std::move(w));
  }
  return *workers_[i];
}

InsertMethod ParallelInserter::method() const {
  for (const auto& w : workers_)
    if (w->ins->method() == InsertMethod::insert) return InsertMethod::insert;
  return method_;
}

long long ParallelInserter::insert(long long count, std::stop_token stop) {
  long long statements = (count + batch_ - 1) / batch_;
  // Several statements: whole statements per session. One statement's worth: split its rows evenly (one
  // statement per session) when each session gets at least kMinRowsPerSession; smaller batches stay on one.
  bool whole = statements >= 2;
  int n = static_cast<int>(std::clamp<long long>(whole ? statements : count / kMinRowsPerSession, 1, connections_));
  // Sessions are opened here, in this thread (the connector's connect is not thread-safe); each worker thread
  // then uses only its own connection, which libmariadb allows.
  for (int i = 0; i < n; ++i) worker(static_cast<size_t>(i));
  used_ = std::max(used_, n);
  if (n == 1) return workers_[0]->ins->insert(count, workers_[0]->faker, stop);

  // Whole statements: the first `statements % n` workers take one more. Split rows: the first `count % n` one more.
  std::vector<long long> share(static_cast<size_t>(n));
  long long left = count;
  for (int i = 0; i < n; ++i) {
    long long want = whole ? (statements / n + (i < statements % n ? 1 : 0)) * batch_ : count / n + (i < count % n);
    share[static_cast<size_t>(i)] = std::min(left, want);
    left -= share[static_cast<size_t>(i)];
  }
  std::stop_source halt;  // set by the caller's stop or by the first failure
  std::stop_callback forward(stop, [&] { halt.request_stop(); });
  std::exception_ptr first_error;
  std::mutex m;
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        auto& w = *workers_[static_cast<size_t>(i)];
        try {
          w.ins->insert(share[static_cast<size_t>(i)], w.faker, halt.get_token());
        } catch (...) {
          std::lock_guard lock(m);
          if (!first_error) first_error = std::current_exception();
          halt.request_stop();
        }
      });
    }
  }  // joined
  long long total = 0;
  for (int i = 0; i < n; ++i) total += workers_[static_cast<size_t>(i)]->ins->last_stored();  // failed ones too
  if (first_error) {
    try {
      std::rethrow_exception(first_error);
    } catch (const db::Error& e) {
      throw db::Error(e.code(), e.sqlstate(),
                      fmt::format("{} ({} rows stored by {} sessions in all)", e.what(), total, n));
    }
  }
  return total;
}

int default_insert_connections(db::Connection& conn) {
  try {
    auto mode = conn.scalar("SELECT @@innodb_autoinc_lock_mode");
    if (!mode.is_number_integer() || mode.get<long long>() < 2) return 1;
  } catch (const db::Error&) {
    return 1;
  }
  unsigned cores = std::thread::hardware_concurrency();
  return static_cast<int>(std::clamp(cores, 1u, 4u));
}

}  // namespace tc::toolkit
