#pragma once
// Small file helpers for the toolkit's state files (atomic JSON writes, tree copies, partial reads).
#include <cstdint>
#include <string>
#include <string_view>

#include "util/json.hpp"

namespace tc {

/// Parsed JSON of a file, or null when it is missing or unreadable.
Json read_json_file(const std::string& path);
/// Writes JSON atomically (temp file + rename) so readers never see half a file.
void write_json_file(const std::string& path, const Json& j);
/// Copies a directory tree (reflink where the file system can, plain copy otherwise).
void copy_tree(const std::string& from, const std::string& to);
/// The bytes of a file from `offset` to its end ("" when missing).
std::string read_file_from(const std::string& path, std::uintmax_t offset = 0);
/// Writes `data` at `offset` without truncating the rest of the file.
void write_at(const std::string& path, std::uintmax_t offset, const std::string& data);

/// SHA-256 of a file's bytes as 64 lowercase hex digits (OpenSSL); throws std::runtime_error when unreadable.
std::string sha256_file(const std::string& path);
/// The same of a text.
std::string sha256_text(std::string_view text);
/// Where an installed tc-run keeps its data: <prefix>/share/tc-run beside the running executable's bin/ (target
/// profiles, TEMPLATE.yaml, the schema, the Debezium jar). "" when the executable cannot be told.
std::string installed_share_dir();

}  // namespace tc
