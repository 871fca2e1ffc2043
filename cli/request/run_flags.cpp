#include "cli/request/run_flags.h"

namespace berth::cli {

namespace {

// Options that take one value per occurrence and may repeat (-e A -e B).
CLI::Option* repeated(CLI::App* sub, const std::string& name, std::vector<std::string>& v,
                      const std::string& help) {
  return sub->add_option(name, v, help)->allow_extra_args(false)->take_all();
}

void add_process_flags(CLI::App* sub, RunFlags& f) {
  sub->add_option("--name", f.name, "Assign a name to the container");
  repeated(sub, "-e,--env", f.env, "Set environment variables");
  repeated(sub, "--env-file", f.env_files, "Read in a file of environment variables");
  f.workdir_opt =
      sub->add_option("-w,--workdir", f.workdir, "Working directory inside the container");
  f.user_opt =
      sub->add_option("-u,--user", f.user, "Username or UID (format: <name|uid>[:<group|gid>])");
  f.entrypoint_opt = sub->add_option("--entrypoint", f.entrypoint,
                                     "Overwrite the default ENTRYPOINT of the image");
  sub->add_option("-h,--hostname", f.hostname, "Container host name");
  repeated(sub, "-l,--label", f.labels, "Set meta data on a container");
  sub->add_flag("-i,--interactive", f.open_stdin, "Keep STDIN open even if not attached");
  sub->add_flag("-t,--tty", f.tty, "Allocate a pseudo-TTY");
  sub->add_flag("--rm", f.auto_remove, "Automatically remove the container when it exits");
}

void add_network_flags(CLI::App* sub, RunFlags& f) {
  sub->add_option("--network,--net", f.network,
                  "Connect a container to a network (NAME, host, none, container:ID)");
  repeated(sub, "--network-alias,--net-alias", f.aliases,
           "Add network-scoped alias for the container");
  sub->add_option("--ip", f.ip, "IPv4 address (e.g., 172.30.100.104)");
  repeated(sub, "--dns", f.dns, "Set custom DNS servers");
  repeated(sub, "--dns-search", f.dns_search, "Set custom DNS search domains");
  repeated(sub, "--dns-option,--dns-opt", f.dns_options, "Set DNS options");
  repeated(sub, "--add-host", f.extra_hosts, "Add a custom host-to-IP mapping (host:ip)");
  repeated(sub, "-p,--publish", f.publish, "Publish a container's port(s) to the host");
  sub->add_flag("-P,--publish-all", f.publish_all, "Publish all exposed ports to random ports");
}

void add_mount_flags(CLI::App* sub, RunFlags& f) {
  repeated(sub, "-v,--volume", f.volumes, "Bind mount a volume");
  repeated(sub, "--mount", f.mounts, "Attach a filesystem mount to the container");
  repeated(sub, "--tmpfs", f.tmpfs, "Mount a tmpfs directory");
  repeated(sub, "--volumes-from", f.volumes_from, "Mount volumes from the specified container(s)");
}

void add_harden_flags(CLI::App* sub, RunFlags& f) {
  repeated(sub, "--cap-add", f.cap_add, "Add Linux capabilities");
  repeated(sub, "--cap-drop", f.cap_drop, "Drop Linux capabilities");
  sub->add_flag("--privileged", f.privileged, "Give extended privileges to this container");
  repeated(sub, "--security-opt", f.security_opt, "Security Options");
  sub->add_flag("--read-only", f.read_only, "Mount the container's root filesystem as read only");
  repeated(sub, "--sysctl", f.sysctl, "Sysctl options");
  sub->add_option("-m,--memory", f.memory, "Memory limit");
  sub->add_option("--memory-swap", f.memory_swap,
                  "Swap limit equal to memory plus swap: '-1' to enable unlimited swap");
  sub->add_option("--cpus", f.cpus, "Number of CPUs");
  sub->add_option("-c,--cpu-shares", f.cpu_shares, "CPU shares (relative weight)");
  sub->add_option("--cpuset-cpus", f.cpuset_cpus, "CPUs in which to allow execution (0-3, 0,1)");
  sub->add_option_function<int64_t>(
      "--pids-limit", [&f](const int64_t& v) { f.pids_limit = v; },
      "Tune container pids limit (set -1 for unlimited)");
  repeated(sub, "--ulimit", f.ulimit, "Ulimit options");
}

void add_supervision_flags(CLI::App* sub, RunFlags& f) {
  sub->add_option("--restart", f.restart,
                  "Restart policy to apply when a container exits (no, on-failure[:max-retries], "
                  "always, unless-stopped)");
  sub->add_flag("--init", f.init,
                "Run an init inside the container that forwards signals and reaps processes");
  sub->add_option("--stop-signal", f.stop_signal, "Signal to stop the container");
  sub->add_option_function<int>(
      "--stop-timeout", [&f](const int& v) { f.stop_timeout = v; },
      "Timeout (in seconds) to stop a container");
}

void add_health_flags(CLI::App* sub, RunFlags& f) {
  sub->add_option("--health-cmd", f.health_cmd, "Command to run to check health");
  sub->add_option("--health-interval", f.health_interval,
                  "Time between running the check (ms|s|m|h) (default 0s)");
  sub->add_option("--health-timeout", f.health_timeout,
                  "Maximum time to allow one check to run (ms|s|m|h) (default 0s)");
  sub->add_option("--health-retries", f.health_retries,
                  "Consecutive failures needed to report unhealthy");
  sub->add_option("--health-start-period", f.health_start_period,
                  "Start period for the container to initialize before starting health-retries "
                  "countdown (ms|s|m|h) (default 0s)");
  sub->add_option("--health-start-interval", f.health_start_interval,
                  "Time between running the check during the start period (ms|s|m|h) (default "
                  "0s)");
  sub->add_flag("--no-healthcheck", f.no_healthcheck,
                "Disable any container-specified HEALTHCHECK");
}

}  // namespace

void add_run_flags(CLI::App* sub, RunFlags& f) {
  // IMAGE [COMMAND [ARG...]]: everything from the first positional on belongs to the container.
  sub->prefix_command();
  sub->set_help_flag("--help", "Print help");  // -h is --hostname, as in Docker
  add_process_flags(sub, f);
  add_network_flags(sub, f);
  add_mount_flags(sub, f);
  add_harden_flags(sub, f);
  add_supervision_flags(sub, f);
  add_health_flags(sub, f);
}

}  // namespace berth::cli
