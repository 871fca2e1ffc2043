// A compose service → the engine's typed container request (request/container_request.h), as
// compose's getCreateConfigs() builds Docker's Config/HostConfig: the same structure the
// command line builds from `run` flags, so `ports: ["127.0.0.1::53/udp"]` and
// `-p 127.0.0.1::53/udp` reach the engine as the same entries. The canonical phase has parsed
// every short syntax already (with the request library's parsers); this maps typed to typed.
#pragma once

#include "request/container_request.h"
#include "schema/model.h"

namespace berth::compose {

// The request for one container of `service` in `project` (named volumes and networks become
// their engine-level names, `<project>_<key>` unless the file names them). A reference to
// another service's container stays `service:NAME` (network_mode, and volumes_from's
// container) for the orchestrator, which knows container names, to resolve. Throws
// std::invalid_argument for a value the engine request cannot express (a port published as a
// range of host ports for several container ports).
request::ContainerRequest service_request(const schema::Project& project,
                                          const schema::Service& service);

}  // namespace berth::compose
