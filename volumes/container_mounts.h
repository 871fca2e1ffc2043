// A container's mounts, from the typed request to records to the runtime:
//   create: MountPlanner takes the request's mounts and --volumes-from and the image's VOLUMEs,
//           creates the volumes they name (anonymous ones with random names) and returns the
//           records stored in config.json extensions["mounts"] (Docker's inspect shape plus
//           berth's keys), holding the volumes lock until the container record exists;
//   start:  runtime_mounts() turns the records into RuntimeSpec mounts, filling empty volumes
//           from the image first (copy_up.h);
//   inspect/rm -v: inspect_mounts(), anonymous_volumes().
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/file_lock.h"
#include "common/paths.h"
#include "core/runtime/mount_spec.h"
#include "core/state/container.h"
#include "request/container_request.h"

namespace berth::volumes {

class MountPlanner {
 public:
  // Checks the mounts (Error 125, nothing created yet): absolute bind sources, one mount per
  // target. image_config is the image config's "config" object (its "Volumes" become
  // anonymous volumes where no mount covers them).
  MountPlanner(const Paths& paths, const std::vector<request::MountRequest>& mounts,
               const std::vector<request::VolumesFrom>& volumes_from,
               const nlohmann::json& image_config);
  ~MountPlanner();
  MountPlanner(const MountPlanner&) = delete;
  MountPlanner& operator=(const MountPlanner&) = delete;

  // Takes the volumes lock (when any volume is involved), creates the volumes and missing -v
  // bind sources, and returns the records. Throws Error.
  nlohmann::json acquire();
  // The container record that references the volumes is written: keep them, drop the lock.
  // Without commit(), the destructor deletes the volumes acquire() created.
  void commit();

 private:
  Paths paths_;
  std::vector<request::MountRequest> requests_;
  nlohmann::json inherited_ = nlohmann::json::array();  // --volumes-from records
  std::optional<FileLock> lock_;
  std::vector<std::string> created_;
  bool committed_ = false;
};

// Start: the records of `c` as RuntimeSpec mounts. layers_top_first are the overlay lower
// dirs as the container sees them (its upper dir first when it exists), for copy-up.
std::vector<core::runtime::MountSpec> runtime_mounts(
    const Paths& paths, const core::state::ContainerConfig& c,
    const std::vector<std::filesystem::path>& layers_top_first);

// Docker's "Mounts" of `inspect` for the container.
nlohmann::ordered_json inspect_mounts(const core::state::ContainerConfig& c);

// Directories of the container's anonymous volumes (for `rm -v`).
std::vector<std::filesystem::path> anonymous_volumes(const Paths& paths,
                                                     const core::state::ContainerConfig& c);

}  // namespace berth::volumes
