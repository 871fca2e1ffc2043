// Keeping the embedded DNS process in step with the records (ARCHITECTURE.md §2, §5): the
// table (dns_table.h) is derived from network records and running containers, written
// atomically, then the running server gets SIGHUP; when a network that needs DNS appears and
// no server runs, `berth __dns` is started detached (own session, like the monitor) and waited
// for until its sockets are bound. The server exits by itself once the table has listed no
// network for kDnsIdleGrace (exit_when_idle, idle_grace): only networks with a running
// container go in; and within a second once its root or runroot is deleted (state_dirs).
// Call with the network lock.
//
// Containers being started count as running: each start holds a marker (DnsStarting) from
// before its first table write until its record says running, so that a table written by
// another start meanwhile keeps it. That lets the starts of a compose `up` share table writes
// (refresh_dns_since): a start whose container some write already counted skips its own, and
// no start needs a second write once running.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/file_lock.h"
#include "common/paths.h"
#include "network/dns_table.h"

namespace berth::network {

// How long the DNS process stays after the last container on a user network is gone: the next
// `run` on a user network then finds it running (starting it costs ~19 ms; docs/PERFORMANCE.md).
inline constexpr std::chrono::milliseconds kDnsIdleGrace{5000};

// <runroot>/dns/starting/<id>, flock'ed by the starting berth for this object's life: a berth
// killed mid-start leaves a file nobody holds, which the next table write ignores and removes.
class DnsStarting {
 public:
  DnsStarting() = default;
  // Call with the network lock (a table write never sees the file before it is locked).
  DnsStarting(const Paths& paths, const std::string& id);
  DnsStarting(DnsStarting&& o) noexcept : path_(std::move(o.path_)), lock_(std::move(o.lock_)) {
    o.lock_.reset();
  }
  DnsStarting& operator=(DnsStarting&&) noexcept;
  ~DnsStarting();
  bool held() const { return lock_.has_value(); }
  // Removes the marker; the container now counts by its record.
  void release();

 private:
  std::filesystem::path path_;
  std::optional<FileLock> lock_;
};

using DnsClock = std::chrono::steady_clock;

// The table for this root: networks with DNS and the containers on them that run or start.
DnsTable derive_dns_table(const Paths& paths);

// Writes the table and signals (or starts) the server. Throws Error when a needed server could
// not be started.
void refresh_dns(const Paths& paths);

// Takes the network lock, then writes the table unless a write that began after `since` is
// already done (it saw every change made before `since`).
void refresh_dns_since(const Paths& paths, DnsClock::time_point since);

// Stops the server of this runroot, if any, and waits for it to be gone.
void stop_dns(const Paths& paths);

// Body of the hidden `berth __dns` command: detaches (fork; the parent exits 0 at once) and
// runs the server on <runroot>/dns/table.json; fd 3, when open, is the ready pipe.
int dns_command_main(const Paths& paths);

}  // namespace berth::network
