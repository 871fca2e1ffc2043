#include "builder/source_tree.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

#include "common/error.h"
#include "common/strings.h"
#include "sys/syscalls.h"

namespace berth::builder {

namespace img = berth::engine::image;
using sys::UniqueFd;

namespace {

bool has_wildcard(std::string_view s) {
  return s.find_first_of("*?[") != std::string_view::npos;
}

// "/a/./b/" → "a/b"; "/" and "." → "".
std::string relative(const std::string& path) {
  std::string c = dockerfile::clean_path("/" + path);
  return c == "/" ? "" : c.substr(1);
}

std::string join(const std::string& dir, const std::string& name) {
  return dir.empty() ? name : dir + "/" + name;
}

}  // namespace

SourceTree SourceTree::context(const std::string& dir, const std::vector<std::string>& ignore) {
  SourceTree t;
  if (!dir.empty()) {
    t.fd_.reset(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!t.fd_) throw Error(errno_message("open build context", dir, errno));
  }
  t.ignore_.emplace(ignore);
  return t;
}

SourceTree SourceTree::root(int root_fd) {
  SourceTree t;
  t.fd_.reset(::fcntl(root_fd, F_DUPFD_CLOEXEC, 0));
  if (!t.fd_) throw_errno("dup", "root", errno);
  t.in_root_ = true;
  return t;
}

bool SourceTree::excluded(const std::string& rel) const {
  return ignore_ && !rel.empty() && ignore_->matches(rel);
}

img::TreeEntry SourceTree::start(const std::string& rel) const {
  img::TreeEntry e;
  if (!fd_) {
    errno = ENOENT;
    return e;
  }
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC;
  how.resolve = RESOLVE_NO_MAGICLINKS | (in_root_ ? RESOLVE_IN_ROOT : RESOLVE_BENEATH);
  e.fd.reset(sys::openat2(fd_.get(), rel.empty() ? "." : rel.c_str(), &how));
  if (!e.fd) {
    if (errno == EXDEV) throw Error("\"" + rel + "\" points outside the build context");
    return e;
  }
  if (::fstat(e.fd.get(), &e.st) < 0) throw_errno("stat", rel, errno);
  return e;
}

std::vector<std::string> SourceTree::expand(const std::string& source) const {
  const std::string rel = relative(source);
  auto not_found = [&] {
    return Error("\"/" + rel + "\": not found" +
                 (in_root_ ? "" : " in the build context or excluded by .dockerignore"));
  };
  if (!has_wildcard(rel)) {
    img::TreeEntry e = start(rel);
    if (!e.fd || excluded(rel)) throw not_found();
    return {rel};
  }
  // Segment by segment: each wildcard segment matched against the names in the directories
  // matched so far.
  std::vector<std::string> found = {""};
  for (const auto& seg : split(rel, '/')) {
    std::vector<std::string> next;
    for (const auto& dir : found) {
      if (!has_wildcard(seg)) {
        const std::string p = join(dir, seg);
        if (start(p).fd) next.push_back(p);
        continue;
      }
      img::TreeEntry d = start(dir);
      if (!d.fd || !S_ISDIR(d.st.st_mode)) continue;
      UniqueFd dfd = img::open_tree_dir(d, dir);
      for (const auto& name : img::list_tree_dir(dfd.get()))
        if (::fnmatch(seg.c_str(), name.c_str(), 0) == 0) next.push_back(join(dir, name));
    }
    found = std::move(next);
  }
  std::erase_if(found, [&](const std::string& p) { return excluded(p); });
  if (found.empty()) throw not_found();
  std::sort(found.begin(), found.end());
  return found;
}

void SourceTree::walk(const std::string& rel, const Visitor& visit) const {
  img::TreeEntry first = start(rel);
  if (!first.fd) throw Error(errno_message("stat", rel.empty() ? "." : rel, errno));
  std::function<void(const std::string&, const img::TreeEntry&)> go = [&](const std::string& path,
                                                                          const img::TreeEntry& e) {
    visit(path, e);
    if (!S_ISDIR(e.st.st_mode)) return;
    UniqueFd dir = img::open_tree_dir(e, path);
    for (const auto& name : img::list_tree_dir(dir.get())) {
      const std::string child = join(path, name);
      img::TreeEntry c = img::open_tree_entry(dir.get(), name);
      if (!c.fd) throw_errno("lstat", child, errno);
      if (excluded(child) && !(S_ISDIR(c.st.st_mode) && ignore_->must_descend(child))) continue;
      go(child, c);
    }
  };
  go(rel, first);
}

void SourceTree::hash(const std::string& rel, img::Sha256& h) const {
  walk(rel, [&](const std::string& path, const img::TreeEntry& e) {
    const std::string name = path.size() > rel.size() ? path.substr(rel.size()) : "";
    char head[64];
    std::snprintf(head, sizeof head, "\n%o ", static_cast<unsigned>(e.st.st_mode));
    h.update(head);
    h.update(name);
    h.update("\n");
    if (S_ISLNK(e.st.st_mode)) {
      h.update(img::read_tree_link(e, path));
    } else if (S_ISREG(e.st.st_mode)) {
      UniqueFd f = img::open_tree_file(e, path);
      char buf[65536];
      for (;;) {
        ssize_t n = ::read(f.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno("read", path, errno);
        if (n == 0) break;
        h.update(buf, static_cast<size_t>(n));
      }
    }
  });
}

}  // namespace berth::builder
