#pragma once
// One batch of generated users split across several sessions that insert at the same time.
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "datagen/data_gen.hpp"
#include "db/connection.hpp"

namespace tc::toolkit {

/// Opens one more session on the source (each worker owns its own).
using ConnectionFactory = std::function<std::unique_ptr<db::Connection>()>;

/// Inserts generated users through up to `connections` sessions at once, each with its own UserInserter and
/// UserFaker (emails stay distinct across them). A batch of several statements is split between the workers
/// in whole statements; a batch that fits one statement is split evenly, one statement per session, when each
/// gets at least 10,000 rows, and otherwise goes through one session exactly like a plain UserInserter.
/// Sessions are opened when first needed and kept for later batches.
class ParallelInserter {
 public:
  ParallelInserter(ConnectionFactory connect, std::string table, int connections, int batch, InsertMethod method);
  ~ParallelInserter();
  /// Inserts `count` rows (fewer when stopped); returns how many went in. When a worker fails, the others stop
  /// after their current statement and the first error is rethrown, naming the rows stored by all of them.
  long long insert(long long count, std::stop_token stop = {});
  /// load, unless a worker's server refused LOCAL INFILE and it fell back to INSERTs.
  InsertMethod method() const;
  /// The most sessions used by one batch so far.
  int connections_used() const { return used_; }

 private:
  struct Worker;
  Worker& worker(size_t i);
  ConnectionFactory connect_;
  std::string table_;
  int connections_, batch_;
  InsertMethod method_;
  std::uint64_t seed_;
  std::vector<std::unique_ptr<Worker>> workers_;
  int used_ = 0;
};

/// How many sessions `generate-data` uses when not told: one per core (at most 4), but one when the server
/// would serialise concurrent bulk inserts anyway (InnoDB's table-level AUTO-INC lock: innodb_autoinc_lock_mode
/// below 2) or when the server's answer is unknown.
int default_insert_connections(db::Connection& conn);

}  // namespace tc::toolkit
