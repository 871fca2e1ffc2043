// Names and labels as Docker Compose gives them, so that tools reading Compose's labels (and
// `docker compose ps` habits) find berth's objects: containers `<project>-<service>-<n>` with
// the com.docker.compose.* labels, networks and volumes labelled with their project and key.
// Used by the planner (to find what exists) and by the converger (to create it).
#pragma once

#include <map>
#include <string>

#include "request/container_request.h"
#include "schema/model.h"

namespace berth::orchestrator {

inline constexpr const char* kProjectLabel = "com.docker.compose.project";
inline constexpr const char* kServiceLabel = "com.docker.compose.service";
inline constexpr const char* kNumberLabel = "com.docker.compose.container-number";
inline constexpr const char* kOneoffLabel = "com.docker.compose.oneoff";
inline constexpr const char* kConfigHashLabel = "com.docker.compose.config-hash";
inline constexpr const char* kDependsOnLabel = "com.docker.compose.depends_on";
inline constexpr const char* kWorkingDirLabel = "com.docker.compose.project.working_dir";
inline constexpr const char* kConfigFilesLabel = "com.docker.compose.project.config_files";
inline constexpr const char* kVersionLabel = "com.docker.compose.version";
inline constexpr const char* kNetworkLabel = "com.docker.compose.network";
inline constexpr const char* kVolumeLabel = "com.docker.compose.volume";

// The Compose version berth's labels claim to be written by (what Compose writes in
// com.docker.compose.version: the file format berth follows).
inline constexpr const char* kComposeVersion = "2.29.0";

// `<project>-<service>-<n>`, or the service's container_name.
std::string container_name(const schema::Project& project, const schema::Service& service,
                           int number);

// com.docker.compose.depends_on: "db:service_started:false,..." (name:condition:restart),
// sorted by name, as Compose writes it.
std::string depends_on_label(const schema::Service& service);

// The `service:NAME` references compose::service_request leaves in a request (network_mode,
// volumes_from) made the name of that service's first container, as Compose does. Throws
// Error naming `service` and the reference for a service the project does not have.
void resolve_service_references(const schema::Project& project, const std::string& service,
                                request::ContainerRequest& r);

// Every com.docker.compose.* label of one container of the service.
std::map<std::string, std::string> container_labels(const schema::Project& project,
                                                    const schema::Service& service, int number,
                                                    const std::string& config_hash);

// The labels of a network or volume the project creates under `key`.
std::map<std::string, std::string> network_labels(const schema::Project& project,
                                                  const std::string& key);
std::map<std::string, std::string> volume_labels(const schema::Project& project,
                                                 const std::string& key);

}  // namespace berth::orchestrator
