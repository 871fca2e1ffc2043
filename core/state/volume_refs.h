// Which containers use a volume — derived from the container records (ARCHITECTURE.md §3),
// never stored twice. A container's config.json holds its mounts under extensions["mounts"]
// as Docker shows them in `inspect` (Type, Name, Source, Destination, ...), plus berth's
// "Anonymous" flag; volumes/ writes them, the monitor and volumes/ read them here.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/state/container_store.h"

namespace berth::core::state {

// The lock that serialises volume creation/removal against containers taking a reference.
std::filesystem::path volumes_lock(const Paths& paths);

// IDs of the containers (running or not) whose records mount volume `name`.
std::vector<std::string> containers_using_volume(const ContainerStore& store,
                                                 const std::string& name);

// Names of every volume some container mounts.
std::vector<std::string> volumes_in_use(const ContainerStore& store);

// Deletes the given anonymous volume directories (<root>/volumes/<name>) that no container
// record mounts any more, under the volumes lock. Best effort: returns the failures, "; "-
// separated ("" when none). Used by the monitor of a --rm container and by `rm -v`.
std::string release_anonymous_volumes(const ContainerStore& store,
                                      const std::vector<std::filesystem::path>& dirs);

}  // namespace berth::core::state
