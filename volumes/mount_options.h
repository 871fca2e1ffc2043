// MountOptions: the mount flags of `run`/`create` as the user typed them (one sub-struct of
// engine/lifecycle CreateOptions); volumes/container_mounts.h resolves them.
#pragma once

#include <string>
#include <vector>

namespace berth::volumes {

struct MountOptions {
  std::vector<std::string> volumes;       // -v SRC:DST[:OPTS] | -v DST
  std::vector<std::string> mounts;        // --mount type=...,source=...,target=...
  std::vector<std::string> tmpfs;         // --tmpfs PATH[:OPTS]
  std::vector<std::string> volumes_from;  // --volumes-from CONTAINER[:ro|rw]
};

}  // namespace berth::volumes
