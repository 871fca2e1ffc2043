// A build step's file system work done outside a container: COPY/ADD and WORKDIR's mkdir.
// A forked child mounts the step's root — the parent image's layers under a fresh upper
// directory — in a private mount namespace (common/private_root.h), and for COPY --from the
// source stage's root read-only beside it; every path in the roots resolves inside them
// (openat2 RESOLVE_IN_ROOT), so an image's symlink never leads to a host file. What the step
// changed is then its upper directory, which becomes the step's layer (image/layer_diff.h).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "builder/source_tree.h"
#include "common/paths.h"
#include "sys/unique_fd.h"

namespace berth::builder {

// <root>/build/tmp/<random>: upper, work and mount points of one step; removed with it.
class StepDir {
 public:
  explicit StepDir(const Paths& paths);
  ~StepDir();
  StepDir(const StepDir&) = delete;
  StepDir& operator=(const StepDir&) = delete;
  const std::filesystem::path& path() const { return dir_; }
  std::string sub(const char* name) const { return (dir_ / name).string(); }
  // An fd on the upper directory (for the layer diff).
  sys::UniqueFd upper() const;

 private:
  std::filesystem::path dir_;
};

struct CopySpec {
  std::vector<std::string> sources;  // expanded (SourceTree::expand), relative to the source
  std::string dest;                  // absolute in the image, cleaned
  bool dest_is_dir = false;          // written with a final '/' (or several sources)
  std::string chown;                 // "user[:group]", expanded; "" keeps the owners' rule
  std::optional<mode_t> chmod;
  bool keep_owners = false;      // --from: the source's owners; the context's files get 0:0
  bool unpack_archives = false;  // ADD: a local tar archive is unpacked into dest instead
};

// Copies into the step's root (layers top-most first; none: an empty root). from_layers:
// the source stage's layers for --from (nullopt: the context tree). Throws Error naming the
// path.
void copy_into_step(const StepDir& step, const std::vector<std::string>& layers,
                    const SourceTree* context,
                    const std::optional<std::vector<std::string>>& from_layers,
                    const CopySpec& spec);

// mkdir -p path (absolute) in the step's root, 0755 root:root for what it creates.
void mkdir_in_step(const StepDir& step, const std::vector<std::string>& layers,
                   const std::string& path);

}  // namespace berth::builder
