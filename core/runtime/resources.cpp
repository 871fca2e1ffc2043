#include "core/runtime/resources.h"

#include <linux/magic.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/rounding.h"
#include "core/runtime/cgroup_file.h"
#include "core/runtime/device_bpf.h"
#include "core/runtime/device_rules.h"

namespace berth::core::runtime {

namespace fs = std::filesystem;
using nlohmann::json;
using Version = Cgroups::Version;

json to_json(const ResourceSpec& r) {
  json ulimits = json::array();
  for (const auto& u : r.ulimits) ulimits.push_back(to_json(u));
  return {
      {"memory", r.memory},         {"memory_swap", r.memory_swap}, {"nano_cpus", r.nano_cpus},
      {"cpu_shares", r.cpu_shares}, {"cpuset_cpus", r.cpuset_cpus}, {"pids_limit", r.pids_limit},
      {"ulimits", ulimits}};
}

ResourceSpec resources_from_json(const json& j) {
  ResourceSpec r;
  if (!j.is_object()) return r;
  r.memory = j.value("memory", int64_t{0});
  r.memory_swap = j.value("memory_swap", int64_t{0});
  r.nano_cpus = j.value("nano_cpus", int64_t{0});
  r.cpu_shares = j.value("cpu_shares", int64_t{0});
  r.cpuset_cpus = j.value("cpuset_cpus", "");
  r.pids_limit = j.value("pids_limit", kDefaultPidsLimit);
  for (const auto& u : j.value("ulimits", json::array())) r.ulimits.push_back(ulimit_from_json(u));
  return r;
}

void validate_resources(const ResourceSpec& r) {
  constexpr int64_t kMinMemory = 6 * 1024 * 1024;
  if (r.memory > 0 && r.memory < kMinMemory)
    throw Error("Minimum memory limit allowed is 6MB", 125);
  if (r.memory_swap > 0 && r.memory == 0)
    throw Error("You should always set the Memory limit when using Memoryswap limit, see usage",
                125);
  if (r.memory_swap > 0 && r.memory_swap < r.memory)
    throw Error("Minimum memoryswap limit should be larger than memory limit, see usage", 125);
  long ncpu = ::sysconf(_SC_NPROCESSORS_ONLN);
  if (r.nano_cpus > 0 && (r.nano_cpus < 10'000'000 || r.nano_cpus > ncpu * 1'000'000'000L)) {
    char range[96];
    std::snprintf(range, sizeof range,
                  "range of CPUs is from 0.01 to %ld.00, as there are only "
                  "%ld CPUs available",
                  ncpu, ncpu);
    throw Error(range, 125);
  }
  if (r.cpu_shares < 0) throw Error("invalid --cpu-shares: must be positive", 125);
  if (!r.cpuset_cpus.empty()) {
    try {
      request::validate_cpuset(r.cpuset_cpus);
    } catch (const std::invalid_argument& e) {
      throw Error("invalid cpuset \"" + r.cpuset_cpus + "\": " + e.what(), 125);
    }
  }
}

namespace {

// A limit that the kernel refuses is the user's error (125), named after the flag.
void write_value(const fs::path& file, const std::string& value, const char* what) {
  try {
    write_cgroup_file(file, value);
  } catch (const Error& e) {
    throw Error(std::string(what) + ": " + e.what(), 125);
  }
}

// The file of `controller` (throws when that controller is missing).
fs::path file_of(const Cgroups& cg, const std::string& id, const char* controller,
                 const char* name) {
  return cg.path_for(id, controller) / name;
}

bool has_controller(const Cgroups& cg, const std::string& id, const char* controller) {
  try {
    return fs::exists(cg.path_for(id, controller));
  } catch (const Error&) {
    return false;
  }
}

void apply_devices_v1(const Cgroups& cg, const std::string& id, bool privileged) {
  if (!has_controller(cg, id, "devices")) return;
  if (privileged) return;  // a new v1 devices cgroup inherits its parent's "a *:* rwm"
  write_value(file_of(cg, id, "devices", "devices.deny"), "a", "device allow-list");
  std::vector<std::string> rules;
  for (const auto& rule : default_device_rules()) rules.push_back(v1_rule_text(rule));
  try {
    write_cgroup_values(file_of(cg, id, "devices", "devices.allow"), rules);
  } catch (const Error& e) {
    throw Error(std::string("device allow-list: ") + e.what(), 125);
  }
}

// v2: a BPF program on the container's cgroup. A fake cgroupfs (unit tests) has no kernel
// behind it to attach to.
void apply_devices_v2(const Cgroups& cg, const std::string& id, bool privileged) {
  if (privileged) return;
  const fs::path dir = cg.path_for(id, "devices");
  struct statfs sfs {};
  if (::statfs(dir.c_str(), &sfs) == 0 && sfs.f_type != CGROUP2_SUPER_MAGIC) return;
  attach_device_filter(dir, default_device_rules());
}

void apply_memory(const Cgroups& cg, const std::string& id, const ResourceSpec& r) {
  if (r.memory <= 0) return;
  const bool v2 = cg.version() == Version::kV2;
  write_value(file_of(cg, id, "memory", v2 ? "memory.max" : "memory.limit_in_bytes"),
              std::to_string(r.memory), "--memory");
  // Docker: unset swap means as much swap as memory (total 2 × memory).
  const int64_t total = r.memory_swap == 0 ? 2 * r.memory : r.memory_swap;
  const fs::path swap =
      file_of(cg, id, "memory", v2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes");
  if (!fs::exists(swap)) {
    if (r.memory_swap != 0)
      throw Error("--memory-swap: this kernel does not support swap limits (" +
                      swap.filename().string() + " is missing)",
                  125);
    return;
  }
  std::string value =
      total < 0 ? (v2 ? "max" : "-1") : std::to_string(v2 ? total - r.memory : total);
  write_value(swap, value, "--memory-swap");
}

void apply_cpu(const Cgroups& cg, const std::string& id, const ResourceSpec& r) {
  const bool v2 = cg.version() == Version::kV2;
  constexpr int64_t kPeriod = 100000;
  if (r.nano_cpus > 0) {
    const int64_t quota = r.nano_cpus * kPeriod / 1'000'000'000;
    if (v2) {
      write_value(file_of(cg, id, "cpu", "cpu.max"),
                  std::to_string(quota) + " " + std::to_string(kPeriod), "--cpus");
    } else {
      write_value(file_of(cg, id, "cpu", "cpu.cfs_period_us"), std::to_string(kPeriod), "--cpus");
      write_value(file_of(cg, id, "cpu", "cpu.cfs_quota_us"), std::to_string(quota), "--cpus");
    }
  }
  if (r.cpu_shares > 0) {
    // v2 weight from shares, as runc converts: [2, 262144] → [1, 10000].
    const int64_t shares = std::clamp<int64_t>(r.cpu_shares, 2, 262144);
    const int64_t weight = 1 + ((shares - 2) * 9999) / 262142;
    write_value(file_of(cg, id, "cpu", v2 ? "cpu.weight" : "cpu.shares"),
                std::to_string(v2 ? weight : shares), "--cpu-shares");
  }
  if (!r.cpuset_cpus.empty())
    write_value(file_of(cg, id, "cpuset", "cpuset.cpus"), r.cpuset_cpus, "--cpuset-cpus");
}

}  // namespace

void apply_resources(const Cgroups& cg, const std::string& id, const ResourceSpec& r,
                     bool privileged) {
  apply_memory(cg, id, r);
  apply_cpu(cg, id, r);
  const bool asked = r.pids_limit != kDefaultPidsLimit;
  if (asked || has_controller(cg, id, "pids")) {
    if (cg.version() == Version::kV2 && !fs::exists(cg.path_for(id, "pids") / "pids.max")) {
      if (asked) throw Error("--pids-limit: the pids cgroup controller is not available", 125);
    } else {
      write_value(file_of(cg, id, "pids", "pids.max"),
                  r.pids_limit > 0 ? std::to_string(r.pids_limit) : "max", "--pids-limit");
    }
  }
  if (cg.version() == Version::kV1)
    apply_devices_v1(cg, id, privileged);
  else
    apply_devices_v2(cg, id, privileged);
}

bool oom_killed(const Cgroups& cg, const std::string& id) {
  try {
    const bool v2 = cg.version() == Version::kV2;
    auto text =
        read_file_if_exists(file_of(cg, id, "memory", v2 ? "memory.events" : "memory.oom_control"));
    if (!text) return false;
    auto pos = text->find("oom_kill ");
    return pos != std::string::npos && std::atoll(text->c_str() + pos + 9) > 0;
  } catch (...) {
    return false;
  }
}

}  // namespace berth::core::runtime
