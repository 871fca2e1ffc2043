#include "compose/service_request.h"

#include <charconv>
#include <stdexcept>

#include "request/mounts.h"
#include "request/resources.h"
#include "request/ulimits.h"

namespace berth::compose {

namespace {

uint16_t port_number(std::string_view text) {
  unsigned v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v > 65535)
    throw std::invalid_argument("invalid published port \"" + std::string(text) + "\"");
  return static_cast<uint16_t>(v);
}

request::PortBinding port_binding(const schema::PortConfig& p) {
  request::PortBinding b;
  b.host_ip = p.host_ip;
  b.container_port = static_cast<uint16_t>(p.target);
  b.proto = p.protocol;
  if (const size_t dash = p.published.find('-'); dash != std::string::npos) {
    b.host_port = port_number(std::string_view(p.published).substr(0, dash));
    b.host_port_end = port_number(std::string_view(p.published).substr(dash + 1));
  } else if (!p.published.empty()) {
    b.host_port = port_number(p.published);
  }
  return b;
}

std::string volume_name(const schema::Project& project, const std::string& key) {
  auto it = project.volumes.find(key);
  return it != project.volumes.end() && !it->second.name.empty() ? it->second.name : key;
}

request::MountRequest mount(const schema::Project& project, const schema::ServiceVolume& v) {
  using Type = request::MountRequest::Type;
  if (v.type == "tmpfs")
    return request::tmpfs_mount(v.target, v.tmpfs_size, v.tmpfs_mode, v.read_only);
  request::MountRequest m;
  m.target = request::clean_absolute(v.target, "mount target");
  m.readonly = v.read_only;
  m.consistency = v.consistency;
  if (v.type == "bind") {
    m.type = Type::kBind;
    m.source = request::clean_absolute(v.source, "bind source");
    m.propagation = v.bind_propagation;
    m.selinux = v.bind_selinux;
    m.from_v = v.bind_create_host_path;
  } else if (v.type == "volume") {
    m.type = Type::kVolume;
    m.source = v.source.empty() ? "" : volume_name(project, v.source);
    m.nocopy = v.volume_nocopy;
  } else {
    throw std::invalid_argument("volume type \"" + v.type + "\" is not supported");
  }
  // Docker's "Mode" in inspect, as -v would give it.
  m.mode = m.type == Type::kVolume ? "z" : "";
  if (m.readonly) m.mode = m.mode.empty() ? "ro" : m.mode + ",ro";
  return m;
}

request::Networking networking(const schema::Project& project, const schema::Service& s) {
  request::Networking n;
  n.mode = s.network_mode;
  for (const auto& [key, sn] : s.networks) {
    auto it = project.networks.find(key);
    request::NetworkAttachment a;
    a.name = it != project.networks.end() && !it->second.name.empty() ? it->second.name : key;
    a.aliases = sn.aliases;
    a.ipv4_address = sn.ipv4_address;
    a.ipv6_address = sn.ipv6_address;
    n.networks.push_back(std::move(a));
  }
  n.dns = s.dns;
  n.dns_search = s.dns_search;
  n.dns_options = s.dns_opt;
  n.extra_hosts = s.extra_hosts;
  return n;
}

}  // namespace

namespace {

// Compose's `volumes_from` entry: `SERVICE[:ro|rw]` (kept as `service:SERVICE` for the
// orchestrator to name its first container) or `container:NAME[:ro|rw]`.
request::VolumesFrom volumes_from(const std::string& spec) {
  const bool container = spec.starts_with("container:");
  request::VolumesFrom f = request::parse_volumes_from(container ? spec.substr(10) : spec);
  if (!container) f.container = "service:" + f.container;
  return f;
}

}  // namespace

request::ContainerRequest service_request(const schema::Project& project,
                                          const schema::Service& s) {
  request::ContainerRequest r;
  r.image = schema::service_image(project, s);
  r.name = s.container_name;
  r.hostname = s.hostname;
  r.process.entrypoint = s.entrypoint;
  r.process.command = s.command;
  for (const auto& [k, v] : s.environment)
    if (v) r.process.env.emplace_back(k, *v);  // unset without a value: dropped, as Docker
  if (!s.user.empty()) r.process.user = s.user;
  if (!s.working_dir.empty()) r.process.working_dir = s.working_dir;
  r.process.tty = s.tty;
  r.process.open_stdin = s.stdin_open;
  r.labels = s.labels;
  for (const auto& v : s.volumes) r.mounts.push_back(mount(project, v));
  for (const auto& t : s.tmpfs) r.mounts.push_back(request::parse_tmpfs_spec(t));
  for (const auto& f : s.volumes_from) r.volumes_from.push_back(volumes_from(f));
  for (const auto& p : s.ports) r.publish.ports.push_back(port_binding(p));
  r.network = networking(project, s);
  r.security.privileged = s.privileged;
  r.security.cap_add = s.cap_add;
  r.security.cap_drop = s.cap_drop;
  r.security.read_only = s.read_only;
  r.security.sysctls = s.sysctls;
  for (const auto& opt : s.security_opt) request::apply_security_opt(opt, r.security);
  if (s.mem_limit) r.resources.memory = *s.mem_limit;
  if (s.cpus) r.resources.nano_cpus = request::nano_cpus(*s.cpus);
  for (const auto& [name, u] : s.ulimits) {
    request::Ulimit limit{name, u.soft, u.hard};
    request::validate_ulimit(limit);
    request::set_ulimit(r.resources, limit);
  }
  r.supervision.restart = request::parse_restart_policy(s.restart);
  r.supervision.init = s.init.value_or(false);
  r.supervision.stop_signal = s.stop_signal;
  if (s.stop_grace_period_ns)
    r.supervision.stop_timeout = static_cast<int>(*s.stop_grace_period_ns / 1'000'000'000);
  // disable: true is Docker Compose's ["NONE"]: the image's HEALTHCHECK is off too.
  if (s.healthcheck && s.healthcheck->disable)
    r.healthcheck = request::Healthcheck{.test = {"NONE"}};
  if (s.healthcheck && !s.healthcheck->disable) {
    request::Healthcheck h;
    h.test = s.healthcheck->test;
    h.interval_ns = s.healthcheck->interval_ns;
    h.timeout_ns = s.healthcheck->timeout_ns;
    h.start_period_ns = s.healthcheck->start_period_ns;
    h.start_interval_ns = s.healthcheck->start_interval_ns;
    h.retries = static_cast<int>(s.healthcheck->retries.value_or(0));
    r.healthcheck = std::move(h);
  }
  return r;
}

}  // namespace berth::compose
