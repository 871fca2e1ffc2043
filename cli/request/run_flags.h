// The flags of `run` and `create` as typed, and their translation into the engine's typed
// request (request/container_request.h) by the request library's parsers, one per short
// syntax, shared with compose. Errors name the flag: `invalid argument "80:abc" for
// "-p, --publish" flag: invalid containerPort: abc` (exit 125).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "request/container_request.h"
#include "request/env.h"

namespace berth::cli {

struct RunFlags {
  std::string name, hostname;
  std::vector<std::string> env, env_files, labels;
  std::string entrypoint, workdir, user;
  CLI::Option *entrypoint_opt = nullptr, *workdir_opt = nullptr, *user_opt = nullptr;
  bool tty = false, open_stdin = false, auto_remove = false;
  // Networking.
  std::string network, ip;
  std::vector<std::string> aliases, dns, dns_search, dns_options, extra_hosts;
  // Ports and mounts.
  std::vector<std::string> publish;
  bool publish_all = false;
  std::vector<std::string> volumes, mounts, tmpfs, volumes_from;
  // Isolation and limits.
  std::vector<std::string> cap_add, cap_drop, security_opt, sysctl, ulimit;
  bool privileged = false, read_only = false;
  std::string memory, memory_swap, cpus, cpuset_cpus;
  int64_t cpu_shares = 0;
  std::optional<int64_t> pids_limit;
  // Supervision.
  std::string restart, stop_signal;
  std::optional<int> stop_timeout;
  bool init = false;
  // Healthcheck (durations as Go's: "30s", "1m30s").
  std::string health_cmd, health_interval, health_timeout, health_start_period,
      health_start_interval;
  int health_retries = 0;
  bool no_healthcheck = false;
};

// Registers every flag of `run`/`create` on sub; IMAGE [COMMAND [ARG...]] and all after it stay
// unparsed (sub->remaining()), and -h is --hostname (help is --help only), as in Docker.
void add_run_flags(CLI::App* sub, RunFlags& f);

// The request for IMAGE and its arguments. Reads --env-file files; a relative bind source
// (-v ./dir:/dst) is taken from the working directory, as Docker does. Throws Error (125)
// naming the flag.
request::ContainerRequest to_request(const RunFlags& f, const std::string& image,
                                     const std::vector<std::string>& args);

// -v values (a relative bind source from the working directory) and -p values, parsed as
// `run` parses them; `compose run` adds them to its service's. Throw Error (125) naming the flag.
std::vector<request::MountRequest> volume_flags(const std::vector<std::string>& volumes);
std::vector<request::PortBinding> publish_flags(const std::vector<std::string>& publish);

// --env-file files, then -e, resolved against this process's environment (also `exec`'s).
std::vector<request::EnvPair> resolve_env(const std::vector<std::string>& env_files,
                                          const std::vector<std::string>& env);

}  // namespace berth::cli
