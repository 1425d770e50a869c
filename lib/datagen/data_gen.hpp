#pragma once
// Random users rows and fast bulk inserts of them over one connection (LOAD DATA LOCAL or prepared INSERTs).
#include <cstdint>
#include <random>
#include <stop_token>
#include <string>

#include "db/connection.hpp"

namespace tc::toolkit {

/// One random user (name, email, status), as the reference's generate-data makes them.
struct UserRow {
  std::string name, email, status;
};

/// Makes random users; deterministic for a given seed. Each email carries a counter (first, first+step, ...), so
/// fakers given distinct `first` values below a common `step` never make the same email.
class UserFaker {
 public:
  explicit UserFaker(std::uint64_t seed = std::random_device{}(), std::uint64_t first = 1, std::uint64_t step = 1);
  UserRow next();
  /// Appends the next user as one LOAD DATA line (name TAB email TAB status LF), without building a UserRow.
  void append_tsv(std::string& out);

 private:
  std::uint64_t take();
  std::mt19937_64 rng_;
  std::uint64_t n_, step_;
};

/// How rows travel to the server. Both produce ordinary row-based binlog events (Write_rows) per statement.
enum class InsertMethod {
  insert,  // prepared multi-row INSERTs, `batch` rows per statement
  load,    // LOAD DATA LOCAL INFILE streamed from memory through a FIFO, `batch` rows per statement;
           // falls back to `insert` when the client or server refuses LOCAL INFILE
};

/// Inserts rows into a users-like table, `batch` rows per statement, each statement its own autocommit
/// transaction (unless the caller opened one). Stops between statements when `stop` is requested.
class UserInserter {
 public:
  UserInserter(db::Connection& conn, const std::string& table, int batch = 1000,
               InsertMethod method = InsertMethod::insert);
  ~UserInserter();
  /// Inserts up to `count` rows; returns how many were inserted.
  long long insert(long long count, UserFaker& faker, std::stop_token stop = {});
  /// The method in use (load turns into insert after a refusal).
  InsertMethod method() const;
  /// Rows the last insert() stored, also when it threw (whole statements: a failed one is rolled back).
  long long last_stored() const;

 private:
  struct Impl;
  Impl* impl_;
};

/// True for a plain table name ([A-Za-z0-9_$], 1..64 chars): safe to use without further quoting.
bool valid_table_name(const std::string& name);

}  // namespace tc::toolkit
