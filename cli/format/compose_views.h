// The text of `compose ls` and `compose top` as Compose (v2.29) prints it: a project's combined
// status ("exited(1), running(2)") and config files, found from its containers' labels; and
// one container's process table in Compose's tabwriter layout. Pure, unit-tested; the
// commands are cli/compose_service_verbs.cpp.
#pragma once

#include <string>
#include <vector>

namespace berth::cli::format {

// Each Docker state ("running", "exited", "paused", ...) with its count, states in name order,
// joined by ", ".
std::string combined_status(const std::vector<std::string>& states);

// The containers' com.docker.compose.project.config_files labels split at ',', each file once
// in the order met, joined by ','.
std::string combined_config_files(const std::vector<std::string>& labels);

// The titles, then each process's cells, through a tabwriter of minimum width 5 and padding 3;
// each process row ends in a tab (Compose's printer), so its last column is padded too.
std::string compose_top_table(const std::vector<std::string>& titles,
                              const std::vector<std::vector<std::string>>& rows);

}  // namespace berth::cli::format
