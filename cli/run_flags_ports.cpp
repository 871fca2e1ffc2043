#include "cli/run_flags_ports.h"

namespace berth::cli {

void add_port_flags(CLI::App* sub, engine::lifecycle::PortOptions& o) {
  sub->add_option("-p,--publish", o.publish, "Publish a container's port(s) to the host")
      ->allow_extra_args(false)
      ->take_all();
  sub->add_flag("-P,--publish-all", o.publish_all, "Publish all exposed ports to random ports");
}

}  // namespace berth::cli
