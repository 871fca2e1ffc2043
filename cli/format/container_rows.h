// `ps` rows as Docker prints them: the status words ("Up 3 seconds", "Exited (0) 2 seconds
// ago", "Created"), the quoted and shortened COMMAND, "5 seconds ago", and the one list of
// fields (docker/cli's ContainerContext) that feeds --format json, templates and the table.
// Pure functions over records and "now", so they are unit-tested.
#pragma once

#include <time.h>

#include <string>

#include "cli/format/list.h"
#include "core/state/container.h"

namespace berth::cli::format {

// "Up 3 seconds", "Exited (0) 2 seconds ago", "Created", "Dead".
std::string status_text(const core::state::Container& c, const timespec& now);
// "5 seconds ago".
std::string running_for(const core::state::Container& c, const timespec& now);
// "\"httpd -f -p 8080\"", truncated to 20 characters with "…" unless no_trunc.
std::string command_text(const core::state::ContainerConfig& c, bool no_trunc = false);

// Command, CreatedAt, ID, Image, Labels, LocalVolumes, Mounts, Names, Networks, Ports,
// RunningFor, Size, State, Status; the ID, Command and Mounts shortened unless no_trunc.
Row ps_row(const core::state::Container& c, const timespec& now, bool no_trunc = false);

// Docker's ps headers and default table (ID, IMAGE, COMMAND, CREATED, STATUS, PORTS, NAMES).
const Columns& ps_columns();

}  // namespace berth::cli::format
