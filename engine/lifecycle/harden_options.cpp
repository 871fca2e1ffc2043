#include "engine/lifecycle/harden_options.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "core/runtime/rootfs_hardening.h"
#include "core/runtime/seccomp_profile.h"
#include "core/state/container_store.h"
#include "network/container_network.h"

namespace berth::engine::lifecycle {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

constexpr const char* kSecurityKey = "security";
constexpr const char* kResourcesKey = "resources";

std::vector<std::string> path_list(const char* const* p) {
  std::vector<std::string> out;
  for (; *p; ++p) out.emplace_back(*p);
  return out;
}

void read_seccomp(const std::string& value, core::runtime::SecuritySpec& s) {
  if (value == "unconfined") {
    s.seccomp = "unconfined";
    return;
  }
  auto text = read_file_if_exists(value);
  if (!text) throw Error("opening seccomp profile (" + value + ") failed: no such file", 125);
  s.seccomp = *text;
  s.seccomp_source = value;
  // Compiled once now so a broken profile fails `create`, not a later `start`.
  core::runtime::compile_seccomp_profile(
      s.seccomp, core::runtime::resolve_capabilities(s.privileged, s.cap_add, s.cap_drop), value);
}

core::runtime::SecuritySpec security_from_request(const request::Security& r) {
  core::runtime::SecuritySpec s;
  s.privileged = r.privileged;
  for (const auto& c : r.cap_add)
    s.cap_add.push_back(core::runtime::normalize_capability(c, "--cap-add"));
  for (const auto& c : r.cap_drop)
    s.cap_drop.push_back(core::runtime::normalize_capability(c, "--cap-drop"));
  s.read_only_rootfs = r.read_only;
  for (const auto& [key, value] : r.sysctls) {
    core::runtime::validate_sysctl(key);
    s.sysctls[key] = value;
  }
  s.no_new_privileges = r.no_new_privileges;
  if (!r.seccomp.empty()) read_seccomp(r.seccomp, s);
  return s;
}

}  // namespace

void apply_harden(const request::Security& security, const request::Resources& resources,
                  core::state::ContainerConfig& cfg) {
  cfg.extensions[kSecurityKey] = core::runtime::to_json(security_from_request(security));
  core::runtime::validate_resources(resources);
  cfg.extensions[kResourcesKey] = core::runtime::to_json(resources);
}

void refuse_host_netns_sysctls(const Paths& paths, const core::state::ContainerConfig& cfg) {
  const auto sysctls = security_of(cfg).sysctls;
  if (sysctls.empty()) return;
  std::string mode = network::network_mode_of(cfg);
  // A chain of container:X joins ends in some container's own mode; bounded against a loop.
  for (int hops = 0; hops < 16 && mode.starts_with("container:"); ++hops) {
    try {
      mode =
          network::network_mode_of(core::state::ContainerStore(paths).load(mode.substr(10)).config);
    } catch (const NotFound&) {
      return;  // checked again at start, against the namespace actually joined
    }
  }
  core::runtime::refuse_sysctls_in_host_netns(sysctls, mode == "host");
}

core::runtime::SecuritySpec security_of(const core::state::ContainerConfig& cfg) {
  return core::runtime::security_from_json(cfg.extensions.value(kSecurityKey, json::object()));
}

core::runtime::ResourceSpec resources_of(const core::state::ContainerConfig& cfg) {
  return core::runtime::resources_from_json(cfg.extensions.value(kResourcesKey, json::object()));
}

ordered_json with_harden_host_config(const core::state::ContainerConfig& cfg, ordered_json hc) {
  const auto s = security_of(cfg);
  const auto r = resources_of(cfg);
  auto list_or_null = [](const std::vector<std::string>& v) {
    return v.empty() ? ordered_json(nullptr) : ordered_json(v);
  };
  std::vector<std::string> opts;
  if (s.no_new_privileges) opts.push_back("no-new-privileges");
  if (s.seccomp == "unconfined") opts.push_back("seccomp=unconfined");
  if (!s.seccomp_source.empty()) opts.push_back("seccomp=" + s.seccomp_source);
  ordered_json ulimits = ordered_json::array();
  for (const auto& u : r.ulimits)
    ulimits.push_back({{"Name", u.name}, {"Hard", u.hard}, {"Soft", u.soft}});
  hc["Privileged"] = s.privileged;
  hc["ReadonlyRootfs"] = s.read_only_rootfs;
  hc["CapAdd"] = list_or_null(s.cap_add);
  hc["CapDrop"] = list_or_null(s.cap_drop);
  hc["SecurityOpt"] = list_or_null(opts);
  hc["Sysctls"] = s.sysctls.empty() ? ordered_json(nullptr) : ordered_json(s.sysctls);
  hc["Memory"] = r.memory;
  hc["MemorySwap"] = r.memory_swap == 0 && r.memory > 0 ? 2 * r.memory : r.memory_swap;
  hc["NanoCpus"] = r.nano_cpus;
  hc["CpuShares"] = r.cpu_shares;
  hc["CpusetCpus"] = r.cpuset_cpus;
  hc["PidsLimit"] = r.pids_limit;
  hc["Ulimits"] = r.ulimits.empty() ? ordered_json(nullptr) : ulimits;
  hc["MaskedPaths"] =
      s.privileged ? ordered_json(nullptr) : ordered_json(path_list(core::runtime::kMaskedPaths));
  hc["ReadonlyPaths"] =
      s.privileged ? ordered_json(nullptr) : ordered_json(path_list(core::runtime::kReadonlyPaths));
  return hc;
}

}  // namespace berth::engine::lifecycle
