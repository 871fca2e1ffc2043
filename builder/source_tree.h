// Where COPY and ADD read from: the build context (a directory of the user's; .dockerignore
// applies, and no path may lead out of it: a symlink pointing outside is an error, never a
// host file in the image) or a stage's or image's root (COPY --from; paths resolve inside it
// as in a container). Sources are expanded (wildcards), hashed for the cache key and walked
// for the copy by the same code, so what is hashed is what is copied.
#pragma once

#include <sys/stat.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dockerfile/dockerignore.h"
#include "engine/image/digest.h"
#include "engine/image/tree_entry.h"
#include "sys/unique_fd.h"

namespace berth::builder {

class SourceTree {
 public:
  // The build context at dir; ignore: the .dockerignore patterns. dir empty: an empty context
  // (`build -` with the Dockerfile on stdin). Throws Error when dir cannot be opened.
  static SourceTree context(const std::string& dir, const std::vector<std::string>& ignore);
  // A root filesystem open at root_fd (a stage's mounted root): paths resolve in it.
  static SourceTree root(int root_fd);

  // Expands one source as written (relative to the root; "/x" too): the matching paths,
  // cleaned and sorted, wildcards (Go's filepath.Match per path segment) included. Throws
  // Error("... not found") when nothing matches (or all of it is .dockerignored), and
  // Error("... outside the build context") for a path leading out of the context.
  std::vector<std::string> expand(const std::string& source) const;

  // One entry met by walk(): its path relative to the root ("" for the root itself), the
  // entry (an O_PATH fd and its stat; a symlink not followed, except the walk's starting
  // point, which is resolved as Docker does).
  using Visitor = std::function<void(const std::string& rel, const engine::image::TreeEntry&)>;
  // Visits rel and, for a directory, everything below it (parents first, names sorted),
  // skipping what .dockerignore excludes. Throws Error for a path leading out of the context.
  void walk(const std::string& rel, const Visitor& visit) const;

  // Feeds what a copy of rel takes into h: each entry's relative name, type, permission
  // bits, and its content or link target (not times, not owners).
  void hash(const std::string& rel, engine::image::Sha256& h) const;

  int fd() const { return fd_.get(); }

  // The entry at rel, a symlink followed (inside the tree); an invalid fd with errno set
  // when there is none. Throws Error for a path leading out of the context.
  engine::image::TreeEntry start(const std::string& rel) const;

 private:
  SourceTree() = default;
  bool excluded(const std::string& rel) const;
  sys::UniqueFd fd_;
  bool in_root_ = false;
  std::optional<dockerfile::PatternMatcher> ignore_;
};

}  // namespace berth::builder
