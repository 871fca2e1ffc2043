// A stand-in for the hidden `berth __dns` command until the CLI wires it: runs
// berth::network::run_dns_server on a table file. Used by bench/dns.sh only.
// Usage: dns_server TABLE PORT [LISTEN_ADDR...]
#include <cstdlib>
#include <string>

#include "network/dns_server.h"

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  berth::network::DnsServerOptions o;
  o.table = argv[1];
  o.port = static_cast<uint16_t>(std::atoi(argv[2]));
  for (int i = 3; i < argc; ++i) o.listen.push_back(argv[i]);
  return berth::network::run_dns_server(o);
}
