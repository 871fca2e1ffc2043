// The typed compose model: a Project of Services, Networks, Volumes, Secrets and Configs in
// their canonical long forms (compose-spec), as built by compose::load_project. The fields
// the orchestrator needs are typed; every attribute (typed or not) is also kept in `node`,
// the canonical tree that `berth compose config` prints, so nothing is dropped.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "schema/node.h"

namespace berth::schema {

struct PortConfig {
  std::string name;
  std::string mode = "ingress";
  std::string host_ip;
  uint32_t target = 0;
  std::string published;  // "8080", "8000-8010" or "" (ephemeral)
  std::string protocol = "tcp";
  std::string app_protocol;
};

struct ServiceVolume {
  std::string type;  // bind, volume, tmpfs, npipe, cluster, image
  std::string source;
  std::string target;
  bool read_only = false;
  std::string consistency;
  // bind
  std::string bind_propagation;
  bool bind_create_host_path = false;
  std::string bind_selinux;  // "z", "Z" or ""
  // volume
  bool volume_nocopy = false;
  std::string volume_subpath;
  // tmpfs
  int64_t tmpfs_size = 0;
  uint32_t tmpfs_mode = 0;
};

struct ServiceNetwork {
  std::vector<std::string> aliases;
  std::string ipv4_address;
  std::string ipv6_address;
  int priority = 0;
};

struct DependsOn {
  std::string condition = "service_started";  // service_healthy, service_completed_successfully
  bool restart = false;
  bool required = true;
};

struct Healthcheck {
  std::vector<std::string> test;  // ["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"]
  int64_t interval_ns = 0, timeout_ns = 0, start_period_ns = 0, start_interval_ns = 0;
  std::optional<uint64_t> retries;
  bool disable = false;
};

// A lifecycle hook (post_start, pre_stop): a command exec'd in the service's container right
// after it starts or right before it stops, with its own user, privileges, working directory
// and environment (compose-go's ServiceHook). pre_start: the command of an init container run
// to completion before the service's containers start, from `image` (default: the service's).
struct ServiceHook {
  std::string image;  // pre_start only
  std::vector<std::string> command;
  std::string user;         // "": the container's
  bool privileged = false;  // all capabilities, no seccomp, as `exec --privileged`
  std::string working_dir;  // "": the container's
  std::map<std::string, std::optional<std::string>> environment;  // null: from the host
};

struct BuildConfig {
  std::string context;  // absolute path or URL
  std::string dockerfile;
  std::string dockerfile_inline;
  std::string target;
  std::map<std::string, std::optional<std::string>> args;
  std::map<std::string, std::string> labels;
  std::vector<std::string> tags;
  std::string network;
  bool no_cache = false;
  bool pull = false;
};

struct FileReference {  // a service's secret/config reference
  std::string source;
  std::string target;
  std::string uid, gid;
  std::optional<uint32_t> mode;
};

struct Ulimit {
  int64_t soft = 0, hard = 0;
};

struct Service {
  std::string name;
  std::string image;
  std::optional<BuildConfig> build;
  std::optional<std::vector<std::string>> command;     // nullopt: image default
  std::optional<std::vector<std::string>> entrypoint;  // nullopt: image default
  std::map<std::string, std::optional<std::string>> environment;
  std::map<std::string, std::string> labels;
  std::vector<PortConfig> ports;
  std::vector<std::string> expose;
  std::vector<ServiceVolume> volumes;
  std::vector<std::string> volumes_from;
  std::map<std::string, ServiceNetwork> networks;  // empty when network_mode is set
  std::string network_mode;
  std::map<std::string, DependsOn> depends_on;
  std::vector<std::string> links;
  std::optional<Healthcheck> healthcheck;
  std::vector<ServiceHook> pre_start, post_start, pre_stop;
  std::vector<FileReference> secrets, configs;
  std::vector<std::string> profiles;
  std::string container_name, hostname, domainname, user, working_dir;
  std::string restart;  // no, always, on-failure[:N], unless-stopped
  std::string pull_policy;
  std::string stop_signal;
  std::optional<int64_t> stop_grace_period_ns;
  int scale = 1;
  bool tty = false, stdin_open = false, privileged = false, read_only = false;
  std::optional<bool> init;
  std::vector<std::string> cap_add, cap_drop, dns, dns_search, dns_opt, extra_hosts;
  std::vector<std::string> tmpfs, security_opt, group_add;
  std::map<std::string, std::string> sysctls;
  std::map<std::string, Ulimit> ulimits;
  std::optional<int64_t> mem_limit, shm_size;
  std::optional<double> cpus;
  Node node;  // the canonical service mapping: every attribute, typed above or not
};

struct NetworkConfig {
  std::string name;  // the engine-level name ("proj_default" or `name:`)
  std::string driver;
  bool external = false, internal = false, attachable = false;
  std::optional<bool> enable_ipv6;
  std::map<std::string, std::string> labels, driver_opts;
  Node node;
};

struct VolumeConfig {
  std::string name;
  std::string driver;
  bool external = false;
  std::map<std::string, std::string> labels, driver_opts;
  Node node;
};

struct FileObjectConfig {  // top-level secrets and configs
  std::string name;
  std::string file;         // absolute path
  std::string environment;  // variable name
  std::string content;      // configs only
  bool external = false;
  Node node;
};

struct Project {
  std::string name;
  std::string working_dir;                         // absolute
  std::vector<std::string> config_files;           // absolute, "-" for stdin
  std::map<std::string, std::string> environment;  // variables used for interpolation
  std::vector<Service> services;                   // enabled, sorted by name
  std::vector<std::string> disabled_services;      // filtered out by profiles
  std::vector<std::string> all_profiles;           // declared by any service, sorted
  std::map<std::string, NetworkConfig> networks;
  std::map<std::string, VolumeConfig> volumes;
  std::map<std::string, FileObjectConfig> secrets, configs;
  // The canonical document without the service bodies (each is in Service::node, moved
  // there to avoid a copy); compose::project_document() puts them back together.
  Node tree;

  // The enabled service of that name, or nullptr.
  const Service* find_service(std::string_view name) const;
};

// The image a service's containers run: its `image`, else the one its `build` makes,
// PROJECT-SERVICE as Compose names it.
inline std::string service_image(const Project& p, const Service& s) {
  return s.image.empty() ? p.name + "-" + s.name : s.image;
}

}  // namespace berth::schema
