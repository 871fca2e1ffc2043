// Bind phase: the canonical, validated tree → the typed schema::Project. Values are already
// in their long forms, so binding only reads them; each Service/resource keeps its node too.
#include <algorithm>

#include "compose/phases.h"
#include "compose/units.h"

namespace berth::compose {
namespace {

using schema::Node;

std::string str(const Node& m, const char* key) {
  const Node* n = m.find(key);
  return n && n->is_scalar() ? n->scalar() : std::string();
}

// A canonical integer; 0 for a value left as written by --no-interpolate.
int64_t num(const std::string& s) {
  try {
    return parse_int(s);
  } catch (const std::invalid_argument&) {
    return 0;
  }
}

int64_t nanos(const std::string& s) {
  try {
    return parse_duration(s);
  } catch (const std::invalid_argument&) {
    return 0;
  }
}

bool flag(const Node& m, const char* key) {
  const Node* n = m.find(key);
  return n && n->is_scalar() && n->scalar() == "true";
}

std::vector<std::string> strings(const Node* n) {
  std::vector<std::string> out;
  if (n && n->is_seq())
    for (const Node& i : n->items()) out.push_back(i.scalar());
  return out;
}

std::map<std::string, std::string> string_map(const Node* n) {
  std::map<std::string, std::string> out;
  if (n && n->is_map())
    for (const auto& e : n->entries()) out[e.key] = e.value.is_scalar() ? e.value.scalar() : "";
  return out;
}

std::map<std::string, std::optional<std::string>> optional_map(const Node* n) {
  std::map<std::string, std::optional<std::string>> out;
  if (n && n->is_map())
    for (const auto& e : n->entries())
      out[e.key] = e.value.is_null() ? std::nullopt : std::optional<std::string>(e.value.scalar());
  return out;
}

schema::PortConfig bind_port(const Node& p) {
  schema::PortConfig c;
  c.name = str(p, "name");
  c.mode = str(p, "mode");
  c.host_ip = str(p, "host_ip");
  c.target = static_cast<uint32_t>(num(str(p, "target")));
  c.published = str(p, "published");
  c.protocol = str(p, "protocol");
  c.app_protocol = str(p, "app_protocol");
  return c;
}

schema::ServiceVolume bind_volume(const Node& v) {
  schema::ServiceVolume m;
  m.type = str(v, "type");
  m.source = str(v, "source");
  m.target = str(v, "target");
  m.read_only = flag(v, "read_only");
  m.consistency = str(v, "consistency");
  if (const Node* b = v.find("bind"); b && b->is_map()) {
    m.bind_propagation = str(*b, "propagation");
    m.bind_create_host_path = flag(*b, "create_host_path");
    m.bind_selinux = str(*b, "selinux");
  }
  if (const Node* vol = v.find("volume"); vol && vol->is_map()) {
    m.volume_nocopy = flag(*vol, "nocopy");
    m.volume_subpath = str(*vol, "subpath");
  }
  if (const Node* t = v.find("tmpfs"); t && t->is_map()) {
    if (t->find("size")) m.tmpfs_size = num(str(*t, "size"));
    if (t->find("mode")) m.tmpfs_mode = static_cast<uint32_t>(num(str(*t, "mode")));
  }
  return m;
}

std::optional<schema::Healthcheck> bind_healthcheck(const Node* h) {
  if (!h || !h->is_map()) return std::nullopt;
  schema::Healthcheck c;
  c.test = strings(h->find("test"));
  auto dur = [&](const char* k) { return h->find(k) ? nanos(str(*h, k)) : 0; };
  c.interval_ns = dur("interval");
  c.timeout_ns = dur("timeout");
  c.start_period_ns = dur("start_period");
  c.start_interval_ns = dur("start_interval");
  if (h->find("retries")) c.retries = static_cast<uint64_t>(num(str(*h, "retries")));
  c.disable = flag(*h, "disable");
  return c;
}

std::vector<schema::ServiceHook> bind_hooks(const Node* l) {
  std::vector<schema::ServiceHook> out;
  if (!l || !l->is_seq()) return out;
  for (const Node& h : l->items()) {
    schema::ServiceHook k;
    k.image = str(h, "image");
    k.command = strings(h.find("command"));
    k.user = str(h, "user");
    k.privileged = flag(h, "privileged");
    k.working_dir = str(h, "working_dir");
    k.environment = optional_map(h.find("environment"));
    out.push_back(std::move(k));
  }
  return out;
}

std::optional<schema::BuildConfig> bind_build(const Node* b) {
  if (!b || !b->is_map()) return std::nullopt;
  schema::BuildConfig c;
  c.context = str(*b, "context");
  c.dockerfile = str(*b, "dockerfile");
  c.dockerfile_inline = str(*b, "dockerfile_inline");
  c.target = str(*b, "target");
  c.args = optional_map(b->find("args"));
  c.labels = string_map(b->find("labels"));
  c.tags = strings(b->find("tags"));
  c.network = str(*b, "network");
  c.no_cache = flag(*b, "no_cache");
  c.pull = flag(*b, "pull");
  return c;
}

std::vector<schema::FileReference> bind_refs(const Node* n) {
  std::vector<schema::FileReference> out;
  if (!n) return out;
  for (const Node& r : n->items()) {
    if (!r.is_map()) continue;
    schema::FileReference f{str(r, "source"), str(r, "target"), str(r, "uid"), str(r, "gid"), {}};
    if (const Node* m = r.find("mode"); m && m->is_scalar())
      f.mode = static_cast<uint32_t>(std::strtoul(m->scalar().c_str(), nullptr, 0));
    out.push_back(std::move(f));
  }
  return out;
}

void bind_lists(schema::Service& s, const Node& n) {
  s.expose = strings(n.find("expose"));
  s.volumes_from = strings(n.find("volumes_from"));
  s.links = strings(n.find("links"));
  s.profiles = strings(n.find("profiles"));
  s.cap_add = strings(n.find("cap_add"));
  s.cap_drop = strings(n.find("cap_drop"));
  s.dns = strings(n.find("dns"));
  s.dns_search = strings(n.find("dns_search"));
  s.dns_opt = strings(n.find("dns_opt"));
  s.extra_hosts = strings(n.find("extra_hosts"));
  s.tmpfs = strings(n.find("tmpfs"));
  s.security_opt = strings(n.find("security_opt"));
  s.group_add = strings(n.find("group_add"));
  if (const Node* p = n.find("ports"))
    for (const Node& i : p->items())
      if (i.is_map()) s.ports.push_back(bind_port(i));
  if (const Node* v = n.find("volumes"))
    for (const Node& i : v->items())
      if (i.is_map()) s.volumes.push_back(bind_volume(i));
}

void bind_maps(schema::Service& s, const Node& n) {
  s.environment = optional_map(n.find("environment"));
  s.labels = string_map(n.find("labels"));
  s.sysctls = string_map(n.find("sysctls"));
  if (const Node* nets = n.find("networks"))
    for (const auto& e : nets->entries()) {
      schema::ServiceNetwork sn;
      if (e.value.is_map()) {
        sn.aliases = strings(e.value.find("aliases"));
        sn.ipv4_address = str(e.value, "ipv4_address");
        sn.ipv6_address = str(e.value, "ipv6_address");
        if (e.value.find("priority")) sn.priority = static_cast<int>(num(str(e.value, "priority")));
      }
      s.networks[e.key] = std::move(sn);
    }
  if (const Node* deps = n.find("depends_on"))
    for (const auto& e : deps->entries())
      s.depends_on[e.key] = schema::DependsOn{str(e.value, "condition"), flag(e.value, "restart"),
                                              flag(e.value, "required")};
  if (const Node* u = n.find("ulimits"))
    for (const auto& e : u->entries()) {
      if (e.value.is_scalar()) {
        int64_t v = num(e.value.scalar());
        s.ulimits[e.key] = schema::Ulimit{v, v};
      } else {
        s.ulimits[e.key] = schema::Ulimit{num(str(e.value, "soft")), num(str(e.value, "hard"))};
      }
    }
}

schema::Service bind_service(const std::string& name, Node node) {
  schema::Service s;
  const Node& n = node;
  s.name = name;
  s.image = str(n, "image");
  s.build = bind_build(n.find("build"));
  if (const Node* c = n.find("command"); c && c->is_seq()) s.command = strings(c);
  if (const Node* c = n.find("entrypoint"); c && c->is_seq()) s.entrypoint = strings(c);
  bind_lists(s, n);
  bind_maps(s, n);
  s.network_mode = str(n, "network_mode");
  s.healthcheck = bind_healthcheck(n.find("healthcheck"));
  s.pre_start = bind_hooks(n.find("pre_start"));
  s.post_start = bind_hooks(n.find("post_start"));
  s.pre_stop = bind_hooks(n.find("pre_stop"));
  s.secrets = bind_refs(n.find("secrets"));
  s.configs = bind_refs(n.find("configs"));
  s.container_name = str(n, "container_name");
  s.hostname = str(n, "hostname");
  s.domainname = str(n, "domainname");
  s.user = str(n, "user");
  s.working_dir = str(n, "working_dir");
  s.restart = str(n, "restart");
  s.pull_policy = str(n, "pull_policy");
  s.stop_signal = str(n, "stop_signal");
  if (n.find("stop_grace_period")) s.stop_grace_period_ns = nanos(str(n, "stop_grace_period"));
  if (n.find("scale"))
    s.scale = static_cast<int>(num(str(n, "scale")));
  else if (const Node* d = n.find("deploy"); d && d->is_map() && d->find("replicas"))
    s.scale = static_cast<int>(num(str(*d, "replicas")));
  s.tty = flag(n, "tty");
  s.stdin_open = flag(n, "stdin_open");
  s.privileged = flag(n, "privileged");
  s.read_only = flag(n, "read_only");
  if (n.find("init")) s.init = flag(n, "init");
  if (n.find("mem_limit") && str(n, "mem_limit") != "-1") s.mem_limit = num(str(n, "mem_limit"));
  if (n.find("shm_size")) s.shm_size = num(str(n, "shm_size"));
  if (n.find("cpus") && n.find("cpus")->is_number()) s.cpus = std::stod(str(n, "cpus"));
  s.node = std::move(node);
  return s;
}

}  // namespace

schema::Project bind_project(Node doc) {
  schema::Project p;
  if (Node* services = doc.find("services")) {
    // Sorted here, on the light entries, rather than as heavy Services afterwards.
    std::sort(services->entries().begin(), services->entries().end(),
              [](const Node::Entry& a, const Node::Entry& b) { return a.key < b.key; });
    p.services.reserve(services->entries().size());
    for (auto& e : services->entries()) {
      p.services.push_back(bind_service(e.key, std::move(e.value)));
      e.value = Node::null(e.value.mark());
    }
  }
  if (const Node* nets = doc.find("networks"))
    for (const auto& e : nets->entries()) {
      schema::NetworkConfig c{str(e.value, "name"),
                              str(e.value, "driver"),
                              flag(e.value, "external"),
                              flag(e.value, "internal"),
                              flag(e.value, "attachable"),
                              {},
                              string_map(e.value.find("labels")),
                              string_map(e.value.find("driver_opts")),
                              e.value};
      if (e.value.find("enable_ipv6")) c.enable_ipv6 = flag(e.value, "enable_ipv6");
      p.networks[e.key] = std::move(c);
    }
  if (const Node* vols = doc.find("volumes"))
    for (const auto& e : vols->entries())
      p.volumes[e.key] = schema::VolumeConfig{str(e.value, "name"),
                                              str(e.value, "driver"),
                                              flag(e.value, "external"),
                                              string_map(e.value.find("labels")),
                                              string_map(e.value.find("driver_opts")),
                                              e.value};
  for (const char* section : {"secrets", "configs"}) {
    const Node* s = doc.find(section);
    if (!s) continue;
    auto& dst = std::string(section) == "secrets" ? p.secrets : p.configs;
    for (const auto& e : s->entries())
      dst[e.key] = schema::FileObjectConfig{str(e.value, "name"),        str(e.value, "file"),
                                            str(e.value, "environment"), str(e.value, "content"),
                                            flag(e.value, "external"),   e.value};
  }
  p.tree = std::move(doc);
  return p;
}

}  // namespace berth::compose
