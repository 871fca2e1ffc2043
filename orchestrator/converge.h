// The converger: runs a plan (plan.h) through the engine. Networks and volumes first, then
// each service's containers once the services it depends on are ready (`service_started`:
// started; `service_healthy`: its healthcheck says healthy; `service_completed_successfully`:
// exited 0; both waited for on the record, never polled), independent services at the same time.
// `down` goes the other way, best effort. It reports progress as events; the CLI prints them
// (Compose's `Container demo-web-1  Started`).
#pragma once

#include <functional>
#include <string>

#include "common/paths.h"
#include "orchestrator/plan.h"
#include "schema/model.h"

namespace berth::orchestrator {

struct Event {
  std::string kind;    // "Network", "Volume", "Container"
  std::string name;    // the object's engine-level name
  std::string status;  // "Creating", "Created", "Started", "Running", "Removed", ...
};

struct ConvergeOptions {
  int parallel_limit = 0;  // services at once; <= 0: no bound
  int timeout_s = -1;      // stop timeout; < 0: each container's own
  bool start = true;       // false (`create`, `up --no-start`): containers are only created
  // `up --wait`: once everything is started, wait for each container to be running, or healthy
  // when it has a healthcheck (or to exit 0 when a service waits for it to complete), as
  // Compose does; fail at once, naming it, when one exits or turns unhealthy.
  bool wait = false;
  int wait_timeout_s = 0;  // <= 0: no bound
  // Called from several threads, one call at a time.
  std::function<void(const Event&)> progress;
};

// Brings the project to the plan of plan_up; each container started runs its service's
// post_start hooks (a failing one fails the service). Throws Error before creating anything when an
// image is missing locally (naming it); otherwise after running what it could, one Error
// naming every service that failed.
void converge_up(const Paths& paths, const schema::Project& project, const Plan& plan,
                 const ConvergeOptions& opts);

// Runs a plan of plan_down (also plan_stop and plan_rm): stops, and removes, containers
// (dependents first), then networks and volumes. Goes on after a failure and throws one
// Error listing all of them. A plan of plan_start is run by converge_up.
// volumes (-v): each container's anonymous volumes go with it. The project's services'
// pre_stop hooks run before their containers stop.
void converge_down(const Paths& paths, const schema::Project& project, const Plan& plan,
                   const ConvergeOptions& opts, bool volumes);

// `down --rmi all|local`: the images of the project's services (`all`), or only those named
// after the project because the file gives no `image:` (`local`, what `build:` makes:
// `<project>-<service>`). One missing is passed over; one still used by another container is
// an error, as Docker's daemon says it. Throws one Error listing every failure.
void remove_images(const Paths& paths, const schema::Project& project, bool all,
                   const ConvergeOptions& opts);

}  // namespace berth::orchestrator
