#include "builder/step_fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <system_error>

#include "common/atomic_file.h"
#include "common/child_process.h"
#include "common/error.h"
#include "common/private_root.h"
#include "common/random_id.h"
#include "common/strings.h"
#include "core/runtime/user.h"
#include "engine/image/archive_unpack.h"
#include "sys/syscalls.h"

namespace berth::builder {

namespace img = berth::engine::image;
using sys::UniqueFd;

StepDir::StepDir(const Paths& paths) : dir_(paths.build_cache() / "tmp" / random_hex(8)) {
  for (const char* d : {"upper", "work", "mnt", "src", "empty"}) make_dirs(dir_ / d, 0755);
}

StepDir::~StepDir() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  if (ec) std::fprintf(stderr, "warning: remove %s: %s\n", dir_.c_str(), ec.message().c_str());
}

UniqueFd StepDir::upper() const {
  UniqueFd fd(::open(sub("upper").c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) throw_errno("open", sub("upper"), errno);
  return fd;
}

namespace {

struct Owner {
  uid_t uid = 0;
  gid_t gid = 0;
};

UniqueFd open_in_root(int root, const std::string& path, uint64_t flags) {
  open_how how{};
  how.flags = flags | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  std::string rel = path;
  while (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
  return UniqueFd(sys::openat2(root, rel.empty() ? "." : rel.c_str(), &how));
}

std::optional<std::string> read_in_root(int root, const char* path) {
  UniqueFd fd = open_in_root(root, path, O_RDONLY);
  if (!fd) return std::nullopt;
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > (4 << 20)) throw Error(std::string(path) + " is too large");
  }
  return out;
}

std::optional<uint32_t> number(std::string_view s) {
  uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// --chown's USER[:GROUP] as Docker reads it: names from the image's /etc/passwd and
// /etc/group, numbers as they are; without a group, the user's own string names the group.
Owner resolve_chown(int root, const std::string& spec) {
  const auto colon = spec.find(':');
  const std::string user = spec.substr(0, colon);
  const std::string group = colon == std::string::npos ? user : spec.substr(colon + 1);
  Owner o;
  if (auto n = number(user)) {
    o.uid = *n;
  } else {
    auto passwd = read_in_root(root, "etc/passwd");
    bool found = false;
    if (passwd)
      for (const auto& e : core::runtime::parse_passwd(*passwd))
        if (e.name == user) o.uid = e.uid, found = true;
    if (!found)
      throw Error(
          "unable to convert uid/gid chown string to host mapping: can't find uid for user " +
          user);
  }
  if (auto n = number(group)) {
    o.gid = *n;
  } else {
    auto groups = read_in_root(root, "etc/group");
    bool found = false;
    if (groups)
      for (const auto& e : core::runtime::parse_group(*groups))
        if (e.name == group) o.gid = e.gid, found = true;
    if (!found)
      throw Error(
          "unable to convert uid/gid chown string to host mapping: can't find gid for group " +
          group);
  }
  return o;
}

// The directory at path (absolute) in root, made with its missing parents (0755, owner).
UniqueFd make_dir_in_root(int root, const std::string& path, const std::optional<Owner>& owner) {
  std::string prefix;
  UniqueFd dir = open_in_root(root, "/", O_PATH | O_DIRECTORY);
  for (const auto& part : split(path, '/')) {
    if (part.empty() || part == ".") continue;
    prefix += "/" + part;
    UniqueFd next = open_in_root(root, prefix, O_PATH | O_DIRECTORY);
    if (!next) {
      if (errno == ENOTDIR) throw Error("mkdir " + prefix + ": not a directory");
      if (errno != ENOENT) throw_errno("open", prefix, errno);
      if (::mkdirat(dir.get(), part.c_str(), 0755) < 0 && errno != EEXIST)
        throw_errno("mkdir", prefix, errno);
      next.reset(::openat(dir.get(), part.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!next) throw_errno("open", prefix, errno);
      if (owner && ::fchownat(next.get(), "", owner->uid, owner->gid, AT_EMPTY_PATH) < 0)
        throw_errno("chown", prefix, errno);
    }
    dir = std::move(next);
  }
  return dir;
}

void copy_bytes(int from, int to, const std::string& name) {
  for (;;) {
    ssize_t n = ::copy_file_range(from, nullptr, to, nullptr, 1 << 30, 0);
    if (n == 0) return;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == EOPNOTSUPP)) break;
    if (n < 0) throw_errno("copy", name, errno);
  }
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(from, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read", name, errno);
    if (n == 0) return;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = ::write(to, buf + off, static_cast<size_t>(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) throw_errno("write", name, errno);
      off += w;
    }
  }
}

// Copies one source tree below a destination directory, entry by entry as SourceTree walks
// it (parents first); a directory's mode, owner and times are set once its entries are in.
class TreeCopier {
 public:
  TreeCopier(const CopySpec& spec, std::optional<Owner> chown) : spec_(spec), chown_(chown) {}

  // Copies the walk of `rel` so that its start lands at dest_dir/dest_name (dest_name empty:
  // the start is a directory whose contents go into dest_dir itself).
  void copy(const SourceTree& tree, const std::string& rel, int dest_dir,
            const std::string& dest_name) {
    stack_.clear();
    tree.walk(rel, [&](const std::string& path, const img::TreeEntry& e) {
      if (path == rel) {
        if (dest_name.empty()) {
          push(path, UniqueFd(::fcntl(dest_dir, F_DUPFD_CLOEXEC, 0)), e, false);
          return;
        }
        return place(path, e, dest_dir, dest_name);
      }
      while (!stack_.empty() &&
             !(path.rfind(stack_.back().path + "/", 0) == 0 || stack_.back().path.empty()))
        pop();
      const std::string name = path.substr(path.rfind('/') + 1);
      place(path, e, stack_.back().fd.get(), name);
    });
    while (!stack_.empty()) pop();
  }

 private:
  struct Open {
    std::string path;
    UniqueFd fd;
    struct stat st;
    bool finish;
  };

  Owner owner_of(const struct stat& st) const {
    if (chown_) return *chown_;
    if (spec_.keep_owners) return {st.st_uid, st.st_gid};
    return {};
  }
  mode_t mode_of(const struct stat& st) const {
    return spec_.chmod ? *spec_.chmod : (st.st_mode & 07777);
  }

  void push(const std::string& path, UniqueFd fd, const img::TreeEntry& e, bool finish) {
    stack_.push_back({path, std::move(fd), e.st, finish});
  }
  void pop() {
    Open o = std::move(stack_.back());
    stack_.pop_back();
    if (!o.finish) return;
    const Owner own = owner_of(o.st);
    if (::fchown(o.fd.get(), own.uid, own.gid) < 0) throw_errno("chown", o.path, errno);
    if (::fchmod(o.fd.get(), mode_of(o.st)) < 0) throw_errno("chmod", o.path, errno);
    const timespec times[2] = {o.st.st_atim, o.st.st_mtim};
    ::futimens(o.fd.get(), times);
  }

  // Removes what is at dir/name unless it is a directory and keep_dir.
  void clear(int dir, const std::string& name, bool keep_dir) {
    struct stat st {};
    if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) return;
    if (S_ISDIR(st.st_mode)) {
      if (keep_dir) return;
      throw Error("cannot replace directory " + name + " with a non-directory");
    }
    if (::unlinkat(dir, name.c_str(), 0) < 0) throw_errno("remove", name, errno);
  }

  void place(const std::string& path, const img::TreeEntry& e, int dir, const std::string& name) {
    const Owner own = owner_of(e.st);
    const timespec times[2] = {e.st.st_atim, e.st.st_mtim};
    if (S_ISDIR(e.st.st_mode)) {
      clear(dir, name, true);
      if (::mkdirat(dir, name.c_str(), 0755) < 0 && errno != EEXIST)
        throw_errno("mkdir", name, errno);
      UniqueFd d(::openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!d) throw_errno("open", name, errno);
      push(path, std::move(d), e, true);
    } else if (S_ISREG(e.st.st_mode)) {
      clear(dir, name, false);
      UniqueFd in = img::open_tree_file(e, path);
      UniqueFd out(
          ::openat(dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
      if (!out) throw_errno("create", name, errno);
      copy_bytes(in.get(), out.get(), path);
      if (::fchown(out.get(), own.uid, own.gid) < 0) throw_errno("chown", name, errno);
      if (::fchmod(out.get(), mode_of(e.st)) < 0) throw_errno("chmod", name, errno);
      ::futimens(out.get(), times);
    } else if (S_ISLNK(e.st.st_mode)) {
      clear(dir, name, false);
      const std::string target = img::read_tree_link(e, path);
      if (::symlinkat(target.c_str(), dir, name.c_str()) < 0) throw_errno("symlink", name, errno);
      ::fchownat(dir, name.c_str(), own.uid, own.gid, AT_SYMLINK_NOFOLLOW);
      ::utimensat(dir, name.c_str(), times, AT_SYMLINK_NOFOLLOW);
    } else if (S_ISFIFO(e.st.st_mode)) {
      clear(dir, name, false);
      if (::mkfifoat(dir, name.c_str(), mode_of(e.st)) < 0) throw_errno("mkfifo", name, errno);
      ::fchownat(dir, name.c_str(), own.uid, own.gid, AT_SYMLINK_NOFOLLOW);
    }
    // Sockets and device nodes are not copied.
  }

  const CopySpec& spec_;
  std::optional<Owner> chown_;
  std::vector<Open> stack_;
};

std::string parent_of(const std::string& p) {
  auto slash = p.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : p.substr(0, slash);
}

std::string base_of(const std::string& p) {
  auto slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

RootLayers step_layers(const StepDir& step, const std::vector<std::string>& layers) {
  RootLayers root;
  root.lower = layers.empty() ? std::vector<std::string>{step.sub("empty")} : layers;
  root.upper = step.sub("upper");
  root.work = step.sub("work");
  return root;
}

}  // namespace

void copy_into_step(const StepDir& step, const std::vector<std::string>& layers,
                    const SourceTree* context,
                    const std::optional<std::vector<std::string>>& from_layers,
                    const CopySpec& spec) {
  run_in_child(
      [&] {
        UniqueFd root = mount_private_root(step_layers(step, layers), step.sub("mnt"));
        std::optional<SourceTree> from_root;
        if (from_layers) {
          RootLayers src;
          src.lower =
              from_layers->empty() ? std::vector<std::string>{step.sub("empty")} : *from_layers;
          UniqueFd src_root = mount_private_root(src, step.sub("src"));
          from_root.emplace(SourceTree::root(src_root.get()));
        }
        const SourceTree& from = from_root ? *from_root : *context;
        std::optional<Owner> chown;
        if (!spec.chown.empty()) chown = resolve_chown(root.get(), spec.chown);
        TreeCopier copier(spec, chown);
        for (const auto& src : spec.sources) {
          // The start's type: a symlink there is followed, within the tree.
          const img::TreeEntry start = from.start(src);
          if (!start.fd) throw Error("\"" + src + "\": not found");
          const bool is_dir = S_ISDIR(start.st.st_mode);
          if (!is_dir && spec.unpack_archives && S_ISREG(start.st.st_mode)) {
            UniqueFd archive = img::open_tree_file(start, src);
            if (img::is_tar_archive(archive.get())) {
              make_dir_in_root(root.get(), spec.dest, chown);
              UniqueFd dw = open_in_root(root.get(), spec.dest, O_RDONLY | O_DIRECTORY);
              if (!dw) throw_errno("open", spec.dest, errno);
              img::UnpackOptions unpack;
              if (chown) unpack.chown = img::TarOwner{chown->uid, chown->gid};
              img::unpack_archive(archive.get(), src, dw.get(), unpack);
              continue;
            }
          }
          if (is_dir) {
            UniqueFd d = make_dir_in_root(root.get(), spec.dest, chown);
            UniqueFd dw = open_in_root(root.get(), spec.dest, O_RDONLY | O_DIRECTORY);
            if (!dw) throw_errno("open", spec.dest, errno);
            copier.copy(from, src, dw.get(), "");
            continue;
          }
          std::string dir = spec.dest, name = base_of(src.empty() ? "." : src);
          UniqueFd existing = open_in_root(root.get(), spec.dest, O_PATH | O_DIRECTORY);
          if (!spec.dest_is_dir && !existing) {
            dir = parent_of(spec.dest);
            name = base_of(spec.dest);
          }
          make_dir_in_root(root.get(), dir, chown);
          UniqueFd dw = open_in_root(root.get(), dir, O_RDONLY | O_DIRECTORY);
          if (!dw) throw_errno("open", dir, errno);
          copier.copy(from, src, dw.get(), name);
        }
      },
      "COPY", "COPY failed");
}

void mkdir_in_step(const StepDir& step, const std::vector<std::string>& layers,
                   const std::string& path) {
  run_in_child(
      [&] {
        UniqueFd root = mount_private_root(step_layers(step, layers), step.sub("mnt"));
        make_dir_in_root(root.get(), path, std::nullopt);
      },
      "WORKDIR", "WORKDIR failed");
}

}  // namespace berth::builder
