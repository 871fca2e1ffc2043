// bench/net.sh's stand-in for a container start until the lifecycle calls the firewall:
// applies berth's rules for one network and one container's published ports in the current
// network namespace. Usage: net_firewall BRIDGE SUBNET CONTAINER_IP -p SPEC [-p SPEC...]
#include <cstdio>
#include <string>
#include <vector>

#include "common/error.h"
#include "network/firewall.h"
#include "network/port_spec.h"

int main(int argc, char** argv) {
  using namespace berth::network;
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s BRIDGE SUBNET CONTAINER_IP [-p SPEC]...\n", argv[0]);
    return 2;
  }
  try {
    std::vector<PortBinding> ports;
    for (int i = 4; i + 1 < argc; i += 2) {
      auto b = parse_publish(argv[i + 1]);
      ports.insert(ports.end(), b.begin(), b.end());
    }
    Firewall fw;
    fw.add_network({argv[1], parse_cidr(argv[2]), false});
    fw.add_container_ports("bench", parse_ipv4_or_throw(argv[3]), ports);
  } catch (const berth::Error& e) {
    std::fprintf(stderr, "Error: %s\n", e.what());
    return 1;
  }
  return 0;
}
