#include "common/atomic_file.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <ctime>
#include <random>

#include "common/error.h"
#include "sys/unique_fd.h"
#include "sys/write_all.h"

namespace berth {

namespace {

// Seeded by getrandom(2): std::random_device probes the CPU (cpuid, a trap to the hypervisor
// on these machines) before its first number.
std::string temp_name(const std::filesystem::path& path) {
  static thread_local std::mt19937_64 rng{[] {
    uint64_t seed = 0;
    if (::getrandom(&seed, sizeof seed, GRND_NONBLOCK) != sizeof seed)
      seed = static_cast<uint64_t>(::getpid()) ^ static_cast<uint64_t>(::time(nullptr));
    return seed;
  }()};
  return path.string() + ".tmp-" + std::to_string(::getpid()) + "-" +
         std::to_string(rng() % 1000000);
}

}  // namespace

void write_file_atomic(const std::filesystem::path& path, std::string_view data, mode_t mode,
                       bool durable) {
  const std::string tmp = temp_name(path);
  sys::UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (!fd) throw_errno("create", tmp, errno);
  try {
    if (int rc = sys::write_all(fd.get(), data.data(), data.size()); rc < 0)
      throw_errno("write", tmp, -rc);
    if (durable && ::fsync(fd.get()) < 0) throw_errno("fsync", tmp, errno);
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
  fd.reset();
  if (::rename(tmp.c_str(), path.c_str()) < 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw_errno("rename", path.string(), err);
  }
}

void write_file_if_changed(const std::filesystem::path& path, std::string_view data, mode_t mode) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == mode &&
      static_cast<size_t>(st.st_size) == data.size() && read_file_if_exists(path) == data)
    return;
  write_file_atomic(path, data, mode, false);
}

std::optional<std::string> read_file_if_exists(const std::filesystem::path& path) {
  sys::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return std::nullopt;
    throw_errno("open", path.string(), errno);
  }
  std::string out;
  struct stat st {};
  if (::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode))
    out.reserve(static_cast<size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("read", path.string(), errno);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

std::string read_file(const std::filesystem::path& path) {
  auto content = read_file_if_exists(path);
  if (!content) throw NotFound(errno_message("open", path.string(), ENOENT));
  return std::move(*content);
}

void make_dirs(const std::filesystem::path& path, mode_t mode) {
  // The common case first: the directory, or at least its parent, already exists.
  if (::mkdir(path.c_str(), mode) == 0 || errno == EEXIST) return;
  if (errno != ENOENT) throw_errno("mkdir", path.string(), errno);
  std::filesystem::path cur;
  for (const auto& part : path) {
    cur /= part;
    if (part == "/" || part.empty()) continue;
    if (::mkdir(cur.c_str(), mode) < 0 && errno != EEXIST)
      throw_errno("mkdir", cur.string(), errno);
  }
}

}  // namespace berth
