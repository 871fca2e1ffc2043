// The networking flags of `run` and `create` (network/container_network.h NetworkRequest).
#pragma once

#include <CLI/CLI.hpp>

#include "network/container_network.h"

namespace berth::cli {

void add_network_flags(CLI::App* sub, network::NetworkRequest& req);

}  // namespace berth::cli
