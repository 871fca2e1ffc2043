#include "cli/run_flags_network.h"

namespace berth::cli {

void add_network_flags(CLI::App* sub, network::NetworkRequest& r) {
  auto repeated = [&](const std::string& name, std::vector<std::string>& v, const char* help) {
    sub->add_option(name, v, help)->allow_extra_args(false)->take_all();
  };
  sub->add_option("--network,--net", r.network,
                  "Connect a container to a network (NAME, host, none, container:ID)");
  repeated("--network-alias,--net-alias", r.aliases, "Add network-scoped alias for the container");
  sub->add_option("--ip", r.ip, "IPv4 address (e.g., 172.30.100.104)");
  repeated("--dns", r.dns, "Set custom DNS servers");
  repeated("--add-host", r.extra_hosts, "Add a custom host-to-IP mapping (host:ip)");
}

}  // namespace berth::cli
