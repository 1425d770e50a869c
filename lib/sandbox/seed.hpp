#pragma once
// The seeded source database, as the reference toolkit defines it: users, grants, testdb.users, _toolkit_meta.
#include <string>
#include <vector>

namespace tc::toolkit {

inline constexpr const char* kAdminUser = "root";
inline constexpr const char* kAdminPassword = "rootpassword";
inline constexpr const char* kEtlUser = "hevo";
inline constexpr const char* kEtlPassword = "hevopassword";
inline constexpr const char* kDatabase = "testdb";
inline constexpr const char* kToolkitVersion = "1.0.0";
inline constexpr int kSeedRows = 5;

/// CREATE TABLE text of testdb.users (`table` lets generators make look-alikes).
std::string users_table_ddl(const std::string& table = "users");
/// Every statement that turns a freshly installed MariaDB into the seeded source (run as root).
std::vector<std::string> seed_statements();

}  // namespace tc::toolkit
