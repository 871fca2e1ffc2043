// The canonical phase's per-attribute canonicalisers (one per attribute, compose-go style),
// each turning a short syntax into the long form `docker compose config` prints. Each takes
// the value node and its key path, replaces the value in place and throws
// schema::ComposeError naming file:line:col and the path. Internal to compose/.
#pragma once

#include <string>

#include "compose/phases.h"
#include "schema/node.h"

namespace berth::compose {

// canonical_ports.cpp: ports (short "[ip:][host[-range]:]container[-range][/proto]" with
// IPv6, numbers, and the long form) → list of {mode, host_ip, target, published, protocol}.
void canonical_ports(schema::Node& ports, const std::string& path);

// canonical_volumes.cpp: service volumes ("[src:]dst[:mode,...]" and the long form) →
// list of {type, source, target, read_only, bind|volume|tmpfs}.
void canonical_volumes(schema::Node& volumes, const std::string& path);

// canonical_service.cpp: every other service attribute.
void canonical_service(schema::Node& svc, const std::string& path, const LoadContext& ctx);

// A scalar of an integer attribute ("3" or 3) → plain integer node. Throws.
void canonical_int(schema::Node& n, const std::string& path);
void canonical_bool(schema::Node& n, const std::string& path);
void canonical_duration(schema::Node& n, const std::string& path);
void canonical_bytes(schema::Node& n, const std::string& path);
// A list-or-dict → mapping of strings (null kept for "KEY" without a value).
void canonical_dict(schema::Node& n, const std::string& path, char sep = '=');
// A string or list of strings → list of strings.
void canonical_string_list(schema::Node& n, const std::string& path);

}  // namespace berth::compose
