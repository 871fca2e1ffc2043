// The embedded DNS server process (`berth __dns`, ARCHITECTURE.md §2 and §5): UDP and TCP on
// port 53 of every user network's gateway, answering from the record store (dns_records.h) and
// forwarding the rest (dns_forwarder.h). One thread, one Asio io_context. SIGHUP re-reads the
// table and opens or closes listeners for networks that appeared or went, without touching the
// others; SIGTERM and SIGINT stop it.
#pragma once

#include <sys/types.h>
#include <chrono>
#include <cstdint>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace berth::network {

struct DnsServerOptions {
  // The JSON table (format in dns_records.h), usually <runroot>/dns/table.json.
  std::filesystem::path table;
  // Addresses to listen on besides every network gateway in the table (IPv4 literals).
  std::vector<std::string> listen;
  uint16_t port = 53;
  // Deadline of one upstream attempt; a query tries each upstream in turn.
  std::chrono::milliseconds forward_timeout{2000};
  // Forwarded queries in flight at most; beyond, clients get SERVFAIL at once.
  size_t max_forwards = 1024;
  // TCP connections at most, and how long an idle one is kept.
  size_t max_tcp_connections = 256;
  std::chrono::milliseconds tcp_idle_timeout{10000};
  // When >= 0: "1" is written to it and it is closed once the first sockets are bound, so
  // whoever started the process knows when queries will be answered. Owned by the server.
  int ready_fd = -1;
  // Exit (status 0) when a reload leaves nothing to listen on: the last user network is gone.
  bool exit_when_idle = false;
  // With exit_when_idle: stay this long after a reload left nothing to listen on (a SIGHUP
  // with networks again cancels the exit), so that a loop of `run --rm` on a user network
  // does not start the process each time. 0: exit at once.
  std::chrono::milliseconds idle_grace{0};
  // With idle_grace: the lock whoever writes the table holds while writing it and signalling
  // (the network lock). The server takes it, re-reads the table and gives up its pid_file
  // lock before it exits, so a writer never signals a server that is on its way out.
  std::filesystem::path idle_lock;
  // Directories the server's state lives in (the root and runroot): once one of them is gone or
  // replaced by another directory (checked every state_check_interval), the server exits
  // (status 0), since nothing could ever stop it or hand it a table again.
  std::vector<std::filesystem::path> state_dirs;
  std::chrono::milliseconds state_check_interval{1000};
  // When set (usually dns_pid_path(runroot)): the server holds an exclusive flock on
  // "<pid_file>.lock" while it runs, so a second server exits 1 ("already running"), and
  // writes its pid to pid_file once its sockets are bound. See running_dns_server().
  std::filesystem::path pid_file;
};

// <runroot>/dns/pid.
std::filesystem::path dns_pid_path(const std::filesystem::path& runroot);

// The pid of the DNS server that owns pid_file, when one runs: its lock is held and the pid
// is written. nullopt otherwise. Decided by the lock, never by whether the pid is alive, so a
// recycled pid cannot pass for the server. The engine sends it SIGHUP after writing the table.
std::optional<pid_t> running_dns_server(const std::filesystem::path& pid_file);

// Runs the server until SIGTERM/SIGINT (returns 0) or until it is idle with exit_when_idle
// (returns 0). Returns 1, after logging the error, when the table cannot be loaded or a socket
// cannot be bound at start. A table that fails to load on SIGHUP is logged and the old one
// kept; a listener that fails to bind after a reload is logged and retried on the next SIGHUP.
// Blocks SIGHUP/SIGTERM/SIGINT handling into the io_context: call it from the process's main
// thread, in a process of its own.
int run_dns_server(const DnsServerOptions& options);

}  // namespace berth::network
