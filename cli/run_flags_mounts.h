// The mount flags of `run`/`create`: -v, --mount, --tmpfs, --volumes-from (volumes/).
#pragma once

#include <CLI/CLI.hpp>

#include "volumes/mount_options.h"

namespace berth::cli {

void add_mount_flags(CLI::App* sub, volumes::MountOptions& o);

}  // namespace berth::cli
