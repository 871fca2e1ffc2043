// Compose's pulls: what `up`, `create` and `run` pull first by each service's pull_policy
// (schema/pull_policy.h) or the --pull flag, `compose pull` and `compose push`. Images are
// pulled and pushed through registry/pull.h, several at once (COMPOSE_PARALLEL_LIMIT bounds
// them), each distinct image once; events name what changes for the progress display.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/paths.h"
#include "registry/endpoint.h"
#include "registry/pull_record.h"
#include "schema/model.h"
#include "schema/pull_policy.h"

namespace berth::orchestrator {

// A service's policy: `override` (--pull) when not empty, else its pull_policy. Throws Error
// naming the service for a word that is not a policy.
schema::PullPolicy service_pull_policy(const schema::Service& s, const std::string& override);

// The services among `services` (empty: all; with their dependencies unless !with_deps) whose
// image `up`, `create` and `run` pull before
// they create containers. A service without `image:` is built, never pulled; `never` and
// `build` pull nothing; `missing` pulls an image the store does not hold, `always` every time,
// daily, weekly and every_<duration> when the image is absent or was last pulled longer ago
// (or was never pulled: imported, loaded or built).
std::vector<std::string> services_to_pull(const Paths& paths, const schema::Project& project,
                                          const std::vector<std::string>& services,
                                          const std::string& override, bool with_deps = true,
                                          registry::Clock::time_point now = registry::Clock::now());

// The services among `services` whose policy is `build`: built at every `up`.
std::vector<std::string> services_built_by_policy(const schema::Project& project,
                                                  const std::vector<std::string>& services,
                                                  const std::string& override);

// (kind, name, status): "" and a service name, or "Image" and its name (image_events); status
// "Pulling", "Pulled", "Pushing", "Pushed", "Skipped", "Error". Called from several threads.
using PullEventFn = std::function<void(const std::string& kind, const std::string& name,
                                       const std::string& status)>;

struct PullServicesOptions {
  bool ignore_failures = false;  // a failed pull is an event, not an error
  bool image_events = false;     // events name the image ("Image x"), as `up` shows them
  std::string platform;          // "os/arch[/variant]", "" for the host's
  PullEventFn event;             // may be empty
};

struct PullOutcome {
  std::vector<std::string> must_build;  // buildable services whose pull failed
  std::vector<std::string> ignored;     // with ignore_failures: "web: message"
};

// Pulls the images of `services`. A service that can be built (a build section) is not a
// failure when its pull fails: its name is in must_build. Throws Error listing every other
// failure ("web: ...") unless ignore_failures.
PullOutcome pull_services(const Paths& paths, const registry::RegistryContext& ctx,
                          const schema::Project& project, const std::vector<std::string>& services,
                          const PullServicesOptions& opts);

struct ComposePullOptions {
  std::vector<std::string> services;  // empty: all
  bool include_deps = false;          // and what they depend on
  bool ignore_buildable = false;      // skip services with a build section
  std::string policy;                 // --policy: missing or always, over pull_policy
  PullServicesOptions pull;
};
// `compose pull`, as Compose decides: services without `image:` are skipped ("Skipped"), so
// are those whose policy is never or build, those with an explicit missing policy whose image
// is present, and with ignore_buildable those with a build section.
PullOutcome compose_pull(const Paths& paths, const registry::RegistryContext& ctx,
                         const schema::Project& project, const ComposePullOptions& opts);

struct ComposePushOptions {
  std::vector<std::string> services;  // empty: all
  bool ignore_failures = false;
  PullEventFn event;
};

// `compose push`, as Compose: every service with both `build:` and `image:` pushes its image
// and its build.tags; the others are "Skipped". Throws Error listing the failures unless
// ignore_failures (then they are returned).
std::vector<std::string> compose_push(const Paths& paths, const registry::RegistryContext& ctx,
                                      const schema::Project& project,
                                      const ComposePushOptions& opts);

}  // namespace berth::orchestrator
