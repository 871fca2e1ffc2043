#include "cli/run_flags_harden.h"

namespace berth::cli {

namespace {

CLI::Option* repeated(CLI::App* sub, const std::string& name, std::vector<std::string>& v,
                      const std::string& help) {
  return sub->add_option(name, v, help)->allow_extra_args(false)->take_all();
}

}  // namespace

void add_harden_flags(CLI::App* sub, engine::lifecycle::HardenFlags& f) {
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

}  // namespace berth::cli
