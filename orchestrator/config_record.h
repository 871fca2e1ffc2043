// Why a container is recreated, which Compose cannot say: next to each container it creates,
// the converger keeps the service configuration its config hash was taken of
// (<container dir>/compose-config.json); `up --dry-run` compares it with the file's now and
// names the fields that differ.
#pragma once

#include <string>
#include <vector>

#include "common/paths.h"

namespace berth::orchestrator {

// Writes `config_json` (compose::service_config_json) next to the container's record.
void record_config(const Paths& paths, const std::string& container_id,
                   const std::string& config_json);

// The dotted paths of the fields that differ between two service configurations
// (`environment.FOO`, `ports`, `image`), sorted; a list differs as a whole. Both are JSON
// texts; an unparsable one differs as a whole ("*").
std::vector<std::string> changed_fields(const std::string& old_json, const std::string& new_json);

// changed_fields against what record_config kept for the container; {"(not recorded)"} when
// nothing was (a container made by another tool or an older berth).
std::vector<std::string> changed_since_created(const Paths& paths, const std::string& container_id,
                                               const std::string& new_json);

}  // namespace berth::orchestrator
