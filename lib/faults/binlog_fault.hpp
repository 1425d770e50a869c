#pragma once
// Binlog file corruption and its correct undo, as plain file operations (no server needed).
#include <cstdint>
#include <random>
#include <string>

#include "util/json.hpp"

namespace tc::toolkit {

/// The binlog magic number every binlog file starts with.
inline constexpr unsigned char kBinlogMagic[4] = {0xfe, 'b', 'i', 'n'};

/// Checks a binlog file name given by a user: a plain name of an existing file in `dir` (no paths, not
/// the index). Returns the full path; throws std::runtime_error naming the problem.
std::string binlog_file_path(const std::string& dir, const std::string& name);

/// Decides what a corruption will change, without touching the file: {type, path, size_before, and
/// truncate: truncate_to, removed_bytes | random-bytes / magic-number: changes [{offset, before, after}] (hex)}.
/// random-bytes picks `count` distinct offsets past the magic number and the format description event.
Json plan_corruption(const std::string& path, const std::string& type, int percentage, int count, std::mt19937_64& rng);
/// Applies a plan made by plan_corruption (truncate, or pwrite of each change).
void apply_corruption(const Json& plan);

/// Copies the first `size` bytes of `path` (its whole content at the time) to `backup`.
void backup_binlog(const std::string& path, const std::string& backup, std::uintmax_t size);
/// The correct restore: writes the backup's bytes over the start of the file and keeps everything the server
/// wrote after them. Returns {bytes_restored, size_before, size_after, kept_after_backup}.
Json restore_binlog(const std::string& path, const std::string& backup);

std::string to_hex(const std::string& bytes);
std::string from_hex(const std::string& hex);

}  // namespace tc::toolkit
