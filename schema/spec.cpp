// Tables of the compose specification (see spec.h).
#include "schema/spec.h"

#include <algorithm>

namespace berth::schema {
namespace {

constexpr unsigned kStrNum = kString | kNumber;
constexpr unsigned kStrBool = kString | kBool;
constexpr unsigned kListOrDict = kArray | kMapping;
constexpr unsigned kStrOrList = kString | kArray;

const char* const kWindows = "berth runs Linux containers only";

const std::vector<Attr> kHealthcheck = {
    {"disable", kStrBool},       {"interval", kString},     {"retries", kStrNum},
    {"start_interval", kString}, {"start_period", kString}, {"test", kStrOrList},
    {"timeout", kString},
};

const std::vector<Attr> kBuild = {
    {"context", kString},
    {"dockerfile", kString},
    {"dockerfile_inline", kString},
    {"entitlements", kArray},
    {"args", kListOrDict},
    {"ssh", kListOrDict},
    {"labels", kListOrDict},
    {"cache_from", kArray},
    {"cache_to", kArray},
    {"no_cache", kStrBool},
    {"additional_contexts", kListOrDict},
    {"network", kString},
    {"provenance", kStrBool},
    {"sbom", kStrBool},
    {"pull", kStrBool},
    {"target", kString},
    {"shm_size", kStrNum},
    {"extra_hosts", kListOrDict},
    {"isolation", kString},
    {"privileged", kStrBool},
    {"secrets", kArray},
    {"tags", kArray},
    {"ulimits", kMapping},
    {"platforms", kArray},
};

const std::vector<Attr> kLogging = {{"driver", kString}, {"options", kMapping | kNull}};

const std::vector<Attr> kExtends = {{"service", kString}, {"file", kString}};

const std::vector<Attr> kDeploy = {
    // Swarm-only keys are carried and ignored, as `docker compose` does.
    {"endpoint_mode", kString},   {"labels", kListOrDict},       {"mode", kString},
    {"placement", kMapping},      {"replicas", kStrNum},         {"resources", kMapping},
    {"restart_policy", kMapping}, {"rollback_config", kMapping}, {"update_config", kMapping},
};

const std::vector<Attr> kIpam = {{"driver", kString}, {"config", kArray}, {"options", kMapping}};

const std::vector<Attr> kNetwork = {
    {"name", kString},
    {"driver", kString},
    {"driver_opts", kMapping},
    {"ipam", kMapping, nullptr, &kIpam},
    {"external", kBool | kMapping | kString},
    {"internal", kStrBool},
    {"enable_ipv4", kStrBool},
    {"enable_ipv6", kStrBool},
    {"attachable", kStrBool},
    {"labels", kListOrDict},
};

const std::vector<Attr> kVolume = {
    {"name", kString},         {"driver", kString},
    {"driver_opts", kMapping}, {"external", kBool | kMapping | kString},
    {"labels", kListOrDict},
};

const std::vector<Attr> kSecret = {
    {"name", kString},
    {"environment", kString},
    {"file", kString},
    {"external", kBool | kMapping | kString},
    {"labels", kListOrDict},
    {"driver", kString, "secret drivers are a swarm feature; berth reads `file` or `environment`"},
    {"driver_opts", kMapping,
     "secret drivers are a swarm feature; berth reads `file` or `environment`"},
    {"template_driver", kString, "secret templating is a swarm feature"},
};

const std::vector<Attr> kConfig = {
    {"name", kString},
    {"content", kString},
    {"environment", kString},
    {"file", kString},
    {"external", kBool | kMapping | kString},
    {"labels", kListOrDict},
    {"template_driver", kString, "config templating is a swarm feature"},
};

const std::vector<Attr> kService = {
    {"annotations", kListOrDict},
    {"attach", kStrBool},
    {"blkio_config", kMapping},
    {"build", kString | kMapping, nullptr, &kBuild},
    {"cap_add", kArray},
    {"cap_drop", kArray},
    {"cgroup", kString},
    {"cgroup_parent", kString},
    {"command", kStrOrList | kNull},
    {"configs", kArray},
    {"container_name", kString},
    {"cpu_count", kStrNum},
    {"cpu_percent", kStrNum},
    {"cpu_period", kStrNum},
    {"cpu_quota", kStrNum},
    {"cpu_rt_period", kStrNum},
    {"cpu_rt_runtime", kStrNum},
    {"cpu_shares", kStrNum},
    {"cpus", kStrNum},
    {"cpuset", kString},
    {"credential_spec", kMapping, kWindows},
    {"depends_on", kListOrDict},
    {"deploy", kMapping | kNull, nullptr, &kDeploy},
    {"develop", kMapping | kNull, "`develop` (compose watch) is not supported by berth"},
    {"device_cgroup_rules", kArray},
    {"devices", kArray},
    {"dns", kStrOrList},
    {"dns_opt", kArray},
    {"dns_search", kStrOrList},
    {"domainname", kString},
    {"entrypoint", kStrOrList | kNull},
    {"env_file", kStrOrList},
    {"environment", kListOrDict},
    {"expose", kArray},
    {"extends", kString | kMapping, nullptr, &kExtends},
    {"external_links", kArray},
    {"extra_hosts", kListOrDict},
    {"gpus", kString | kArray, "GPU devices are not supported by berth"},
    {"group_add", kArray},
    {"healthcheck", kMapping, nullptr, &kHealthcheck},
    {"hostname", kString},
    {"image", kString},
    {"init", kStrBool},
    {"ipc", kString},
    {"isolation", kString, kWindows},
    {"label_file", kStrOrList},
    {"labels", kListOrDict},
    {"links", kArray},
    {"logging", kMapping, nullptr, &kLogging},
    {"mac_address", kString},
    {"mem_limit", kStrNum},
    {"mem_reservation", kStrNum},
    {"mem_swappiness", kStrNum},
    {"memswap_limit", kStrNum},
    {"models", kListOrDict, "AI models (`models`) are not supported by berth"},
    {"network_mode", kString},
    {"networks", kListOrDict | kNull},
    {"oom_kill_disable", kStrBool},
    {"oom_score_adj", kStrNum},
    {"pid", kString | kNull},
    {"pids_limit", kStrNum},
    {"platform", kString},
    {"ports", kArray},
    {"pre_start", kArray},
    {"post_start", kArray},
    {"pre_stop", kArray},
    {"privileged", kStrBool},
    {"profiles", kArray},
    {"provider", kMapping, "service providers (`provider`) are not supported by berth"},
    {"pull_policy", kString},
    {"pull_refresh_after", kString},
    {"read_only", kStrBool},
    {"restart", kString},
    {"runtime", kString, "berth is its own runtime; `runtime` cannot select another"},
    {"scale", kStrNum},
    {"secrets", kArray},
    {"security_opt", kArray},
    {"shm_size", kStrNum},
    {"stdin_open", kStrBool},
    {"stop_grace_period", kString},
    {"stop_signal", kString},
    {"storage_opt", kMapping, "`storage_opt` needs a storage driver with quotas; berth has none"},
    {"sysctls", kListOrDict},
    {"tmpfs", kStrOrList},
    {"tty", kStrBool},
    {"ulimits", kMapping},
    {"use_api_socket", kBool, "berth has no API socket to mount (`use_api_socket`)"},
    {"user", kString},
    {"userns_mode", kString},
    {"uts", kString},
    {"volumes", kArray},
    {"volumes_from", kArray},
    {"working_dir", kString},
};

const std::vector<Attr> kTopLevel = {
    {"version", kString | kNumber},
    {"name", kString},
    {"include", kArray},
    {"services", kMapping | kNull},
    {"models", kMapping, "AI models (`models`) are not supported by berth"},
    {"networks", kMapping | kNull},
    {"volumes", kMapping | kNull},
    {"secrets", kMapping | kNull},
    {"configs", kMapping | kNull},
};

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

const std::vector<Attr>& top_level_attrs() {
  return kTopLevel;
}
const std::vector<Attr>& service_attrs() {
  return kService;
}
const std::vector<Attr>& network_attrs() {
  return kNetwork;
}
const std::vector<Attr>& volume_attrs() {
  return kVolume;
}
const std::vector<Attr>& secret_attrs() {
  return kSecret;
}
const std::vector<Attr>& config_attrs() {
  return kConfig;
}

const Attr* find_attr(const std::vector<Attr>& attrs, std::string_view name) {
  for (const Attr& a : attrs)
    if (name == a.name) return &a;
  return nullptr;
}

std::string describe_types(unsigned types) {
  static const std::pair<unsigned, const char*> kNames[] = {
      {kString, "a string"}, {kNumber, "a number"},   {kBool, "a boolean"},
      {kArray, "a list"},    {kMapping, "a mapping"}, {kNull, "null"}};
  std::vector<std::string> parts;
  for (auto& [bit, name] : kNames)
    if (types & bit) parts.push_back(name);
  std::string s;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) s += (i + 1 == parts.size()) ? " or " : ", ";
    s += parts[i];
  }
  return s;
}

std::string suggest(std::string_view name, const std::vector<Attr>& attrs) {
  std::string best;
  size_t best_d = 3;
  for (const Attr& a : attrs) {
    size_t d = edit_distance(name, a.name);
    if (d < best_d) {
      best_d = d;
      best = a.name;
    }
  }
  return best;
}

}  // namespace berth::schema
