// Records for unit tests of code that formats or filters containers: one container with every
// field a ps row shows, and port bindings from `-p` specs. Shared by the engine's and the CLI's
// tests, which format the same records.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "core/state/container.h"
#include "network/port_spec.h"
#include "request/ports.h"

namespace berth::test {

// "web", busybox running `httpd -f -p 8080`, created 2026-11-30T00:53:15Z, started 2 s later,
// finished at :18 with exit code 3, labels tier=web and env=prod; in state `s`.
inline core::state::Container sample_container(core::state::Status s) {
  core::state::Container c;
  c.config.id = std::string(64, 'a');
  c.config.name = "web";
  c.config.image = "busybox";
  c.config.created = "2026-11-30T00:53:15Z";
  c.config.path = "httpd";
  c.config.args = {"-f", "-p", "8080"};
  c.config.labels = {{"tier", "web"}, {"env", "prod"}};
  c.state.status = s;
  c.state.started_at = "2026-11-30T00:53:17Z";
  c.state.finished_at = "2026-11-30T00:53:18Z";
  c.state.exit_code = 3;
  return c;
}

// The bindings of the given `-p` specs, in order.
inline std::vector<network::PortBinding> published_ports(std::initializer_list<const char*> specs) {
  std::vector<network::PortBinding> out;
  for (const char* s : specs) {
    auto b = request::parse_port_spec(s);
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

}  // namespace berth::test
