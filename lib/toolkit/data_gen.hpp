#pragma once
// Random users rows and fast multi-row inserts of them (prepared statements over one connection).
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

/// Makes random users; deterministic for a given seed.
class UserFaker {
 public:
  explicit UserFaker(std::uint64_t seed = std::random_device{}());
  UserRow next();

 private:
  std::mt19937_64 rng_;
  std::uint64_t n_ = 0;
};

/// Inserts rows into a users-like table with prepared multi-row INSERTs, `batch` rows per statement,
/// each statement its own autocommit transaction. Stops between batches when `stop` is requested.
class UserInserter {
 public:
  UserInserter(db::Connection& conn, const std::string& table, int batch = 1000);
  ~UserInserter();
  /// Inserts up to `count` rows; returns how many were inserted.
  long long insert(long long count, UserFaker& faker, std::stop_token stop = {});

 private:
  struct Impl;
  Impl* impl_;
};

/// True for a plain table name ([A-Za-z0-9_$], 1..64 chars): safe to use without further quoting.
bool valid_table_name(const std::string& name);

}  // namespace tc::toolkit
