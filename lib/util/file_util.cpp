#include "util/file_util.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <vector>

#include "util/process.hpp"

namespace fs = std::filesystem;

namespace tc {

Json read_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return nullptr;
  Json j = Json::parse(in, nullptr, false);
  return j.is_discarded() ? Json(nullptr) : j;
}

void write_json_file(const std::string& path, const Json& j) {
  fs::create_directories(fs::path(path).parent_path());
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump(2) << "\n";
    if (!out) throw std::runtime_error("cannot write " + tmp);
  }
  fs::rename(tmp, path);
}

void copy_tree(const std::string& from, const std::string& to) {
  // cp knows reflinks and sparse files; fs::copy does neither.
  auto r = run_process({"cp", "-a", "--reflink=auto", from, to});
  if (r.exit_code != 0) throw std::runtime_error("cannot copy " + from + " to " + to + ": " + r.err);
}

std::string read_file_from(const std::string& path, std::uintmax_t offset) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(static_cast<std::streamoff>(offset));
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_at(const std::string& path, std::uintmax_t offset, const std::string& data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open " + path + " for writing: " + std::strerror(errno));
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::pwrite(fd, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
    if (n <= 0) {
      int e = errno;
      ::close(fd);
      throw std::runtime_error("cannot write " + path + ": " + std::strerror(e));
    }
    done += static_cast<size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
}

namespace {
// SHA-256 of whatever `feed` passes to its callback, as lowercase hex.
std::string sha256_of(const std::function<void(const std::function<void(const void*, size_t)>&)>& feed) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 is not available");
  feed([&](const void* p, size_t n) { EVP_DigestUpdate(ctx.get(), p, n); });
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &n);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) out += {hex[md[i] >> 4], hex[md[i] & 15]};
  return out;
}
}  // namespace

std::string sha256_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return sha256_of([&](const auto& update) {
    std::vector<char> buf(1 << 16);
    while (in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      if (in.gcount() > 0) update(buf.data(), static_cast<size_t>(in.gcount()));
    }
  });
}

std::string installed_share_dir() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  return (exe.parent_path().parent_path() / "share" / "tc-run").string();
}

std::string sha256_text(std::string_view text) {
  return sha256_of([&](const auto& update) { update(text.data(), text.size()); });
}

}  // namespace tc
