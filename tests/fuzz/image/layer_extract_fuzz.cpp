// libFuzzer target for the layer extractor (engine/image/layer_extract.h), which unpacks
// whatever tar an image or `cp -` brings: any bytes must extract or fail with berth::Error,
// never crash, and never write outside the directory they are extracted into. Each input is
// extracted into a fresh `root/` two levels down a sandbox, `box/cage/root`, where `box` and
// `cage` each hold a canary file; afterwards both must hold exactly what they held before, with
// the canaries unchanged, so an entry or link that climbs out of root by one or two levels (the
// way any escape through "..", a relative symlink or a hardlink would go) is caught. The first
// byte picks the entry point: a layer (whiteouts become overlay whiteouts), `cp -`
// (extract_tar_at) or Dockerfile `ADD` of a local archive (is_tar_archive, then
// unpack_archive with bzip2 and --chown).
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "common/error.h"
#include "engine/image/archive_unpack.h"
#include "engine/image/layer_extract.h"

namespace {

namespace fs = std::filesystem;

constexpr char kCanary[] = "canary: nothing may change me";

// The sandbox, <TMPDIR>/berth-layer-fuzz-XXXXXX. Removed at a normal exit (a crash leaves it
// for a look); the name is in a plain array, which outlives every exit handler.
char g_box[4096];

const fs::path& box() {
  static const fs::path dir = [] {
    const std::string tmpl = (fs::temp_directory_path() / "berth-layer-fuzz-XXXXXX").string();
    std::snprintf(g_box, sizeof g_box, "%s", tmpl.c_str());
    if (!::mkdtemp(g_box)) std::abort();
    fs::create_directory(fs::path(g_box) / "cage");
    std::ofstream(fs::path(g_box) / "canary") << kCanary;
    std::ofstream(fs::path(g_box) / "cage" / "canary") << kCanary;
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(g_box, ec);
    });
    return fs::path(g_box);
  }();
  return dir;
}

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "layer_extract_fuzz: %s (sandbox %s)\n", what, g_box);
  std::abort();
}

void check_level(const fs::path& dir, const std::set<std::string>& expected) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  check(names == expected, "an entry left root");
  std::ifstream in(dir / "canary");
  const std::string canary((std::istreambuf_iterator<char>(in)), {});
  check(canary == kCanary, "a canary changed");
}

// The input as a file descriptor, as the extractor reads it.
int memfd_of(const uint8_t* data, size_t size) {
  int fd = ::memfd_create("layer", MFD_CLOEXEC);
  check(fd >= 0, "memfd_create");
  for (size_t done = 0; done < size;) {
    ssize_t n = ::write(fd, data + done, size - done);
    check(n > 0, "write memfd");
    done += static_cast<size_t>(n);
  }
  check(::lseek(fd, 0, SEEK_SET) == 0, "lseek");
  return fd;
}

void extract(uint8_t mode, int fd, const fs::path& root) {
  if (!(mode & 1)) {
    berth::engine::image::extract_layer(fd, root);
    return;
  }
  int dirfd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  check(dirfd >= 0, "open root");
  try {
    namespace image = berth::engine::image;
    if (!(mode & 2)) {
      image::extract_tar_at(fd, dirfd);
    } else if (image::is_tar_archive(fd)) {
      image::unpack_archive(fd, "fuzz.tar", dirfd, {image::TarOwner{::getuid(), ::getgid()}});
    }
  } catch (...) {
    ::close(dirfd);
    throw;
  }
  ::close(dirfd);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const fs::path cage = box() / "cage";
  const fs::path root = cage / "root";
  fs::create_directory(root);
  const int fd = memfd_of(data + 1, size - 1);
  try {
    extract(data[0], fd, root);
  } catch (const berth::Error& e) {
    // A refused layer: the caller removes root, as below.
    if (std::getenv("LAYER_FUZZ_VERBOSE")) std::fprintf(stderr, "refused: %s\n", e.what());
  }
  ::close(fd);
  check_level(cage, {"canary", "root"});
  check_level(box(), {"canary", "cage"});
  std::error_code ec;
  fs::remove_all(root, ec);
  check(!ec, "remove root");
  return 0;
}
