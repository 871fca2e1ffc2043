// The planner: what `compose up` and `down` must do, as data. Pure: it compares the desired
// state (the Project: its services, networks and volumes) with the current state (the
// containers, networks and volumes found by their com.docker.compose.* labels, observe.h)
// and returns actions, each with its reason. The converger (converge.h) runs them.
// A second `up` of an unchanged project plans only kKeep actions.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "schema/model.h"

namespace berth::orchestrator {

// A container of the project, as its record and labels say.
struct ObservedContainer {
  std::string id;
  std::string name;
  std::string service;
  int number = 0;
  std::string config_hash;
  std::string image_id;  // the image it was created from
  bool running = false;
  bool oneoff = false;
};

struct CurrentState {
  std::vector<ObservedContainer> containers;  // labelled with the project
  // Existing networks and volumes by engine-level name → their project label ("" if none).
  std::map<std::string, std::string> networks;
  std::map<std::string, std::string> volumes;
  // The services' images (schema::service_image) → their IDs now (observe_images); a
  // container of another image is recreated.
  std::map<std::string, std::string> images;
};

enum class ActionKind {
  kCreateNetwork,
  kCreateVolume,
  kCreateContainer,
  kRecreateContainer,
  kStartContainer,
  kKeepContainer,  // running with the same config: nothing to do
  kStopContainer,
  kRestartContainer,  // a dependency with `restart: true` was recreated
  kRemoveContainer,
  kRemoveNetwork,
  kRemoveVolume,
};
const char* action_name(ActionKind k);

struct Action {
  ActionKind kind;
  std::string name;          // engine-level name of the network, volume or container
  std::string key;           // the network's or volume's key in the project
  std::string service;       // container actions
  int number = 0;            // container actions: com.docker.compose.container-number
  std::string container_id;  // the existing container (recreate, start, keep, remove)
  std::string config_hash;   // the desired one (create, recreate)
  std::string reason;
};

struct Plan {
  std::vector<Action> resources;  // networks and volumes to create, or to remove
  // Container actions of each service; `order` has every service the plan touches,
  // dependencies first (`up`) or dependents first (`down`).
  std::map<std::string, std::vector<Action>> containers;
  std::vector<std::string> order;
  // Service → the services it waits for (up) or that wait for it (down), within `order`.
  std::map<std::string, std::set<std::string>> after;
  std::vector<ObservedContainer> orphans;  // of services the project no longer has
};

struct UpOptions {
  std::vector<std::string> services;  // empty: all; else these and their dependencies
  bool force_recreate = false;
  bool no_recreate = false;
  bool remove_orphans = false;
  bool no_deps = false;  // --no-deps: the services named, not what they depend on
};

// Throws Error (exit 1, Compose's messages) for an unknown service, a missing external
// network or volume, and what berth cannot run yet (service_healthy, a build without image).
Plan plan_up(const schema::Project& project, const CurrentState& current, const UpOptions& opts);

struct DownOptions {
  bool volumes = false;  // -v: the project's named volumes too
  bool remove_orphans = false;
};

// Every container of the project (orphans with remove_orphans), dependents first; then the
// project's networks and (with volumes) its volumes that exist and carry its label; never
// external ones.
Plan plan_down(const schema::Project& project, const CurrentState& current,
               const DownOptions& opts);

// `compose stop [SERVICE...]`: the running containers, dependents first.
Plan plan_stop(const schema::Project& project, const CurrentState& current,
               const std::vector<std::string>& services);
// `compose start [SERVICE...]`: the containers that exist and do not run, dependencies first.
Plan plan_start(const schema::Project& project, const CurrentState& current,
                const std::vector<std::string>& services);
// `compose rm [SERVICE...]`: the stopped containers (running ones too with stopped_too, -s).
Plan plan_rm(const schema::Project& project, const CurrentState& current,
             const std::vector<std::string>& services, bool stopped_too);
// `compose restart [SERVICE...]`: every container of the services (running or not; all
// services when none is named), restarted in dependency order.
Plan plan_restart(const schema::Project& project, const CurrentState& current,
                  const std::vector<std::string>& services);
// All four throw Error "no such service: NAME" for a service the project does not have.

}  // namespace berth::orchestrator
