// Printing a canonical compose document the way `docker compose config` does: YAML with
// two-space indents and indented sequences, or JSON; keys sorted (top level: name, services,
// networks, volumes, secrets, configs first) so that the output is stable and diffable.
// Also the config hash of a service (what `config --hash` prints and the orchestrator
// stores in the com.docker.compose.config-hash label).
#pragma once

#include <string>

#include "schema/model.h"
#include "schema/node.h"

namespace berth::compose {

// The whole canonical document of a project: its tree with the service bodies put back.
schema::Node project_document(const schema::Project& project);

std::string render_yaml(const schema::Node& doc);
std::string render_json(const schema::Node& doc);

// The service's canonical JSON (compact) without the keys that do not change the container
// (build, pull_policy, scale, deploy.replicas, depends_on, profiles): what the hash is of.
std::string service_config_json(const schema::Service& service);

// sha256 (hex) of service_config_json: the service's canonical JSON without the keys that do not
// change the container (build, pull_policy, scale, deploy.replicas, depends_on, profiles), like
// compose's ServiceHash.
std::string service_config_hash(const schema::Service& service);

}  // namespace berth::compose
