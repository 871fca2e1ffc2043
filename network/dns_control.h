// Keeping the embedded DNS process in step with the records (ARCHITECTURE.md §2, §5): the
// table (dns_table.h) is derived from network records and running containers, written
// atomically, then the running server gets SIGHUP; when a network that needs DNS appears and
// no server runs, `berth __dns` is started detached (own session, like the monitor) and waited
// for until its sockets are bound. The server exits by itself once the table has listed no
// network for kDnsIdleGrace (exit_when_idle, idle_grace): only networks with a running
// container go in; and within a second once its root or runroot is deleted (state_dirs).
// Call with the network lock.
#pragma once

#include <chrono>
#include <string>

#include "common/paths.h"
#include "network/dns_table.h"

namespace berth::network {

// How long the DNS process stays after the last container on a user network is gone: the next
// `run` on a user network then finds it running (starting it costs ~19 ms; docs/PERFORMANCE.md).
inline constexpr std::chrono::milliseconds kDnsIdleGrace{5000};

// The table for this root. `starting`: a container about to start, counted as running.
DnsTable derive_dns_table(const Paths& paths, const std::string& starting = "");

// Writes the table and signals (or starts) the server. Throws Error when a needed server could
// not be started.
void refresh_dns(const Paths& paths, const std::string& starting = "");

// Stops the server of this runroot, if any, and waits for it to be gone.
void stop_dns(const Paths& paths);

// Body of the hidden `berth __dns` command: detaches (fork; the parent exits 0 at once) and
// runs the server on <runroot>/dns/table.json; fd 3, when open, is the ready pipe.
int dns_command_main(const Paths& paths);

}  // namespace berth::network
