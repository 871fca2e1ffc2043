// `compose build` and the builds of `up`: each service's `build:` section through the
// Dockerfile builder (builder/builder.h), tagged with the service's image
// (schema::service_image: `image`, else PROJECT-SERVICE) and build.tags. Independent services
// build at once (COMPOSE_PARALLEL_LIMIT bounds them), their progress lines prefixed with the
// service's name.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "builder/run_step.h"
#include "common/paths.h"
#include "schema/model.h"

namespace berth::orchestrator {

struct BuildServicesOptions {
  bool no_cache = false;
  bool quiet = false;                             // no progress lines
  std::map<std::string, std::string> build_args;  // --build-arg, over build.args
};

// The services among `names` (empty: all) and what they depend on that have a build section.
std::vector<std::string> services_with_build(const schema::Project& project,
                                             const std::vector<std::string>& names);

// Those of them whose image is not in the store (what `up` builds without --build).
std::vector<std::string> services_missing_image(const Paths& paths, const schema::Project& project,
                                                const std::vector<std::string>& services);

// Builds the services. Throws Error listing every failed service ("web: Dockerfile:3: ...");
// Error(130) when cancelled.
void build_services(const Paths& paths, const schema::Project& project,
                    const std::vector<std::string>& services, const BuildServicesOptions& opts,
                    builder::Cancel& cancel);

}  // namespace berth::orchestrator
