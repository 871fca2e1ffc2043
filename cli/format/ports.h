// How the CLI prints a container's published ports: the PORTS column of `ps` and the lines of
// `port CONTAINER [PRIVATE_PORT[/PROTO]]`, from the bindings engine/lifecycle/container_ports.h
// reads out of the record.
#pragma once

#include <string>
#include <vector>

#include "network/port_spec.h"

namespace berth::cli::format {

// "0.0.0.0:8000-8001->80-81/tcp, 127.0.0.1:5353->53/udp"; "" when not running.
std::string ports_text(const std::vector<network::PortBinding>& b, bool running);

// "80/tcp -> 0.0.0.0:18080" lines, or with a filter only "0.0.0.0:18080". Throws Error
// "No public port '81/tcp' published for NAME" for a filter that matches nothing, Error (125)
// for a malformed filter.
std::vector<std::string> port_lines(const std::vector<network::PortBinding>& b,
                                    const std::string& filter, const std::string& name);

}  // namespace berth::cli::format
