// libFuzzer target for the layer extractor (engine/image/layer_extract.h), which unpacks
// whatever tar an image or `cp -` brings: any bytes must extract or fail with berth::Error,
// never crash, and never write outside the directory they are extracted into. Each input is
// extracted into a fresh `root/` inside a sandbox directory that also holds a canary file;
// afterwards the sandbox must hold exactly `root` and the unchanged canary. Run as root, the
// fuzzer chroots into the sandbox first, so an escape by an absolute path lands there too and
// is seen (crash inputs are then written into the sandbox, which a crash leaves in place; its
// path is printed at start). The first byte picks the entry point: a layer (whiteouts become
// overlay whiteouts) or `cp -` (extract_tar_at).
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "common/crypto_lib.h"
#include "common/error.h"
#include "engine/image/archive_lib.h"
#include "engine/image/layer_extract.h"

namespace {

namespace fs = std::filesystem;

constexpr char kCanary[] = "canary: nothing may change me";

// The sandbox: <TMPDIR>/berth-layer-fuzz-XXXXXX/{canary, root/}, or "/" once chrooted into
// it. Removed at a normal exit (not after a crash); the name is in a plain array, which
// outlives every exit handler.
char g_dir[4096];
bool g_chrooted = false;
int g_parent = -1;  // the sandbox's parent, to remove the sandbox from inside the chroot

const fs::path& sandbox() {
  static const fs::path dir = [] {
    const std::string tmpl = (fs::temp_directory_path() / "berth-layer-fuzz-XXXXXX").string();
    std::snprintf(g_dir, sizeof g_dir, "%s", tmpl.c_str());
    if (!::mkdtemp(g_dir)) std::abort();
    std::ofstream(fs::path(g_dir) / "canary") << kCanary;
    std::fprintf(stderr, "layer_extract_fuzz: sandbox %s\n", g_dir);
    // Loaded from the host before any chroot: libarchive, and libcrypto for the diff_id.
    berth::engine::image::archive_lib();
    berth::crypto_lib();
    g_parent = ::open(fs::path(g_dir).parent_path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (::geteuid() == 0 && g_parent >= 0 && ::chroot(g_dir) == 0 && ::chdir("/") == 0)
      g_chrooted = true;
    std::atexit([] {
      std::error_code ec;
      if (!g_chrooted) {
        fs::remove_all(g_dir, ec);
        return;
      }
      for (const auto& e : fs::directory_iterator("/", ec)) fs::remove_all(e.path(), ec);
      ::unlinkat(g_parent, fs::path(g_dir).filename().c_str(), AT_REMOVEDIR);
    });
    return g_chrooted ? fs::path("/") : fs::path(g_dir);
  }();
  return dir;
}

std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "layer_extract_fuzz: %s\n", what);
  std::abort();
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const fs::path& box = sandbox();
  const fs::path root = box / "root";
  fs::create_directory(root);
  const int fd = memfd_of(data + 1, size - 1);
  try {
    if (data[0] & 1) {
      int dirfd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      check(dirfd >= 0, "open root");
      try {
        berth::engine::image::extract_tar_at(fd, dirfd);
      } catch (...) {
        ::close(dirfd);
        throw;
      }
      ::close(dirfd);
    } else {
      berth::engine::image::extract_layer(fd, root);
    }
  } catch (const berth::Error& e) {
    // A refused layer: the caller removes root, as below.
    if (std::getenv("LAYER_FUZZ_VERBOSE")) std::fprintf(stderr, "refused: %s\n", e.what());
  }
  ::close(fd);
  check(names_in(box) == std::set<std::string>{"canary", "root"}, "an entry left root");
  std::ifstream in(box / "canary");
  const std::string canary((std::istreambuf_iterator<char>(in)), {});
  check(canary == kCanary, "the canary changed");
  std::error_code ec;
  fs::remove_all(root, ec);
  check(!ec, "remove root");
  return 0;
}
