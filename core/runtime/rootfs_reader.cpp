#include "core/runtime/rootfs_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "common/error.h"
#include "sys/syscalls.h"
#include "sys/unique_fd.h"

namespace berth::core::runtime {

namespace {

constexpr size_t kMaxSize = 4 << 20;

sys::UniqueFd open_in_root(int root, const std::string& rel, uint64_t flags) {
  open_how how{};
  how.flags = flags | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  return sys::UniqueFd(sys::openat2(root, rel.c_str(), &how));
}

// True when the layer hides `rel` from the layers below (an OCI whiteout "dir/.wh.name").
bool whited_out(int root, const std::string& rel) {
  size_t slash = rel.rfind('/');
  std::string wh = slash == std::string::npos
                       ? ".wh." + rel
                       : rel.substr(0, slash + 1) + ".wh." + rel.substr(slash + 1);
  return open_in_root(root, wh, O_PATH).valid();
}

}  // namespace

std::optional<std::string> read_in_layers(const std::vector<std::filesystem::path>& top_first,
                                          const std::string& path) {
  std::string rel = path;
  while (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
  for (const auto& layer : top_first) {
    sys::UniqueFd root(::open(layer.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root && errno == ENOENT) continue;  // e.g. an upper dir not made yet
    if (!root) throw_errno("open layer", layer.string(), errno);
    sys::UniqueFd fd = open_in_root(root.get(), rel, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    if (!fd) {
      // ELOOP: the final component is a symlink; follow it, still inside the layer.
      if (-fd.get() == ELOOP) fd = open_in_root(root.get(), rel, O_RDONLY | O_NONBLOCK);
    }
    if (!fd) {
      if (whited_out(root.get(), rel)) return std::nullopt;
      continue;
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) < 0) throw_errno("stat", layer.string() + path, errno);
    if (!S_ISREG(st.st_mode)) return std::nullopt;
    if (static_cast<size_t>(st.st_size) > kMaxSize)
      throw Error("read `" + path + "` from the image: larger than 4 MiB");
    std::string out(static_cast<size_t>(st.st_size), '\0');
    size_t got = 0;
    while (got < out.size()) {
      ssize_t n = ::pread(fd.get(), out.data() + got, out.size() - got, static_cast<off_t>(got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw_errno("read", layer.string() + path, errno);
      if (n == 0) break;
      got += static_cast<size_t>(n);
    }
    out.resize(got);
    return out;
  }
  return std::nullopt;
}

}  // namespace berth::core::runtime
