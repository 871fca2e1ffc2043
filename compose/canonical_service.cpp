// Canonical service attributes other than ports and volumes (canonical_ports.cpp,
// canonical_volumes.cpp): build, command/entrypoint, environment + env_file, labels +
// label_file, depends_on, networks, healthcheck, post_start/pre_stop, secrets/configs, ulimits,
// durations, byte sizes, booleans, integers, string-or-list values, extra_hosts, restart and
// pull_policy.
#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

#include "compose/canonical.h"
#include "compose/dotenv.h"
#include "compose/project_options.h"
#include "compose/units.h"
#include "request/hosts.h"
#include "request/supervision.h"
#include "request/ulimits.h"
#include "schema/pull_policy.h"

namespace berth::compose {
namespace {

using schema::Node;
using Fn = std::function<void(Node& value, const std::string& path, Node& svc, const LoadContext&)>;

void canonical_command(Node& n, const std::string& path) {
  if (n.is_null()) return;
  if (n.is_scalar()) {
    Node l = Node::seq(n.mark());
    try {
      for (auto& w : shell_split(n.scalar())) l.push(Node::str(w, n.mark()));
    } catch (const std::invalid_argument& e) {
      schema::fail_at(n.mark(), path, e.what());
    }
    n = std::move(l);
    return;
  }
  canonical_string_list(n, path);
}

void canonical_build(Node& b, const std::string& path) {
  if (b.is_scalar()) {
    Node m = Node::map(b.mark());
    m.set("context", Node::str(b.scalar(), b.mark()));
    b = std::move(m);
  }
  if (!b.find("context")) b.set("context", Node::str(".", b.mark()));
  if (!b.find("dockerfile") && !b.find("dockerfile_inline"))
    b.set("dockerfile", Node::str("Dockerfile", b.mark()));
  for (const char* k : {"args", "labels", "additional_contexts", "ssh"})
    if (Node* n = b.find(k)) canonical_dict(*n, path + "." + k);
  for (const char* k : {"no_cache", "pull", "privileged"})
    if (Node* n = b.find(k)) canonical_bool(*n, path + "." + k);
  for (const char* k : {"cache_from", "cache_to", "tags", "platforms", "entitlements"})
    if (Node* n = b.find(k)) canonical_string_list(*n, path + "." + k);
  if (Node* n = b.find("shm_size")) canonical_bytes(*n, path + ".shm_size");
}

// env_file entries → [{path, required, format?}].
void canonical_env_file(Node& n, const std::string& path) {
  if (n.is_scalar()) {
    Node l = Node::seq(n.mark());
    l.push(n);
    n = std::move(l);
  }
  for (size_t i = 0; i < n.items().size(); ++i) {
    Node& f = n.items()[i];
    std::string sub = schema::path_index(path, i);
    if (f.is_scalar()) {
      Node m = Node::map(f.mark());
      m.set("path", Node::str(f.scalar(), f.mark()));
      f = std::move(m);
    }
    if (!f.is_map() || !f.find("path")) schema::fail_at(f.mark(), sub, "env_file requires `path`");
    if (!f.find("required")) f.set("required", Node::plain("true", f.mark()));
    canonical_bool(*f.find("required"), sub + ".required");
  }
}

// The variables of the service's env_file entries, in order (later files win).
EnvList read_env_files(const Node& files, const LoadContext& ctx, const std::string& path) {
  EnvList out;
  for (size_t i = 0; i < files.items().size(); ++i) {
    const Node& f = files.items()[i];
    const std::string& p = f.find("path")->scalar();
    auto text = read_regular_file(p);
    if (!text) {
      if (f.find("required")->scalar() == "true")
        schema::fail_at(f.mark(), schema::path_index(path, i), "env file " + p + " not found");
      continue;
    }
    const Node* fmt = f.find("format");
    bool raw = fmt && fmt->is_scalar() && fmt->scalar() == "raw";
    for (auto& kv : parse_dotenv(*text, p, ctx.lookup(), raw)) out.push_back(kv);
  }
  return out;
}

void canonical_environment(Node& svc, const std::string& path, const LoadContext& ctx) {
  Node* env = svc.find("environment");
  Node* files = svc.find("env_file");
  if (files) canonical_env_file(*files, path + ".env_file");
  if (!env && !files) return;
  Node merged = Node::map(svc.mark());
  if (files)
    for (auto& [k, v] : read_env_files(*files, ctx, path + ".env_file"))
      merged.set(k, Node::str(v, files->mark()));
  if (env) {
    canonical_dict(*env, path + ".environment");
    for (auto& e : env->entries()) {
      Node v = e.value;
      if (v.is_null()) {  // `KEY` alone takes the value of the project's environment
        auto it = ctx.env.find(e.key);
        if (it != ctx.env.end()) v = Node::str(it->second, v.mark());
      }
      merged.set(e.key, std::move(v), e.key_mark);
    }
  }
  svc.set("environment", std::move(merged));
}

void canonical_labels(Node& svc, const std::string& path, const LoadContext& ctx) {
  Node* labels = svc.find("labels");
  Node* files = svc.find("label_file");
  if (files) canonical_string_list(*files, path + ".label_file");
  if (!labels && !files) return;
  Node merged = Node::map(svc.mark());
  if (files) {
    for (const Node& f : files->items()) {
      auto text = read_regular_file(f.scalar());
      if (!text)
        schema::fail_at(f.mark(), path + ".label_file", "label file " + f.scalar() + " not found");
      for (auto& [k, v] : parse_dotenv(*text, f.scalar(), ctx.lookup()))
        merged.set(k, Node::str(v, f.mark()));
    }
  }
  if (labels) {
    canonical_dict(*labels, path + ".labels");
    for (auto& e : labels->entries())
      merged.set(e.key, e.value.is_null() ? Node::str("", e.value.mark()) : e.value, e.key_mark);
  }
  svc.set("labels", std::move(merged));
}

void canonical_depends_on(Node& n, const std::string& path) {
  static const std::set<std::string> kConditions = {"service_started", "service_healthy",
                                                    "service_completed_successfully"};
  Node m = Node::map(n.mark());
  if (n.is_seq()) {
    for (const Node& i : n.items()) m.set(i.scalar(), Node::null(i.mark()), i.mark());
  } else if (n.is_map()) {
    m = n;
  }
  for (auto& e : m.entries()) {
    std::string sub = path + "." + e.key;
    Node d = e.value.is_map() ? e.value : Node::map(e.value.mark());
    if (!d.find("condition")) d.set("condition", Node::str("service_started", d.mark()));
    const Node* c = d.find("condition");
    if (!c->is_scalar() || !kConditions.count(c->scalar()))
      schema::fail_at(c->mark(), sub + ".condition",
                      "\"" + c->scalar() +
                          "\" is not a valid condition (service_started, "
                          "service_healthy or service_completed_successfully)");
    if (!d.find("required")) d.set("required", Node::plain("true", d.mark()));
    canonical_bool(*d.find("required"), sub + ".required");
    if (Node* r = d.find("restart")) canonical_bool(*r, sub + ".restart");
    for (const auto& k : d.entries())
      if (k.key != "condition" && k.key != "required" && k.key != "restart")
        schema::fail_at(k.key_mark, sub, "additional property \"" + k.key + "\" is not allowed");
    e.value = std::move(d);
  }
  n = std::move(m);
}

void canonical_networks(Node& n, const std::string& path) {
  if (n.is_null()) {
    n = Node::map(n.mark());
    return;
  }
  if (n.is_seq()) {
    Node m = Node::map(n.mark());
    for (const Node& i : n.items()) m.set(i.scalar(), Node::null(i.mark()), i.mark());
    n = std::move(m);
  }
  for (auto& e : n.entries()) {
    if (e.value.is_null()) continue;
    if (!e.value.is_map())
      schema::fail_at(e.value.mark(), path + "." + e.key, "must be a mapping or null");
    static const std::set<std::string> kKeys = {"aliases",      "interface_name", "ipv4_address",
                                                "ipv6_address", "link_local_ips", "mac_address",
                                                "driver_opts",  "priority",       "gw_priority"};
    for (const auto& k : e.value.entries())
      if (!kKeys.count(k.key) && k.key.rfind("x-", 0) != 0)
        schema::fail_at(k.key_mark, path + "." + e.key,
                        "additional property \"" + k.key + "\" is not allowed");
    if (Node* a = e.value.find("aliases"))
      canonical_string_list(*a, path + "." + e.key + ".aliases");
    if (Node* p = e.value.find("priority")) canonical_int(*p, path + "." + e.key + ".priority");
  }
}

void canonical_healthcheck(Node& h, const std::string& path) {
  if (Node* t = h.find("test")) {
    if (t->is_scalar()) {
      Node l = Node::seq(t->mark());
      l.push(Node::str("CMD-SHELL", t->mark()));
      l.push(Node::str(t->scalar(), t->mark()));
      *t = std::move(l);
    }
    canonical_string_list(*t, path + ".test");
    if (t->items().empty()) schema::fail_at(t->mark(), path + ".test", "must not be empty");
    const std::string& first = t->items()[0].scalar();
    if (first != "CMD" && first != "CMD-SHELL" && first != "NONE")
      schema::fail_at(t->mark(), path + ".test",
                      "must start with \"CMD\", \"CMD-SHELL\" or \"NONE\"");
  }
  for (const char* k : {"interval", "timeout", "start_period", "start_interval"})
    if (Node* d = h.find(k)) canonical_duration(*d, path + "." + k);
  if (Node* r = h.find("retries")) canonical_int(*r, path + ".retries");
  if (Node* d = h.find("disable")) canonical_bool(*d, path + ".disable");
}

// post_start / pre_stop: a list of {command, user, privileged, working_dir, environment}; the
// command's string form is split as a shell would (compose-go's ShellCommand), the environment
// becomes a mapping.
void canonical_hooks(Node& n, const std::string& path) {
  if (!n.is_seq()) schema::fail_at(n.mark(), path, "must be a list");
  // pre_start hooks are containers of their own: they may name an image.
  const bool pre_start = path.ends_with(".pre_start");
  static const std::set<std::string> kKeys = {"command", "user", "privileged", "working_dir",
                                              "environment"};
  for (size_t i = 0; i < n.items().size(); ++i) {
    Node& h = n.items()[i];
    const std::string sub = schema::path_index(path, i);
    if (!h.is_map()) schema::fail_at(h.mark(), sub, "must be a mapping");
    for (const auto& e : h.entries())
      if (!kKeys.count(e.key) && e.key.rfind("x-", 0) != 0 && !(pre_start && e.key == "image"))
        schema::fail_at(e.key_mark, sub, "additional property \"" + e.key + "\" is not allowed");
    Node* command = h.find("command");
    if (!command || command->is_null()) schema::fail_at(h.mark(), sub, "requires `command`");
    canonical_command(*command, sub + ".command");
    if (command->items().empty()) schema::fail_at(command->mark(), sub + ".command", "is empty");
    for (const char* k : {"user", "working_dir", "image"})
      if (Node* v = h.find(k); v && !v->is_scalar())
        schema::fail_at(v->mark(), sub + "." + k, "must be a string");
    if (Node* p = h.find("privileged")) canonical_bool(*p, sub + ".privileged");
    if (Node* env = h.find("environment")) canonical_dict(*env, sub + ".environment", '=');
  }
}

void canonical_file_refs(Node& n, const std::string& path) {
  for (size_t i = 0; i < n.items().size(); ++i) {
    Node& r = n.items()[i];
    std::string sub = schema::path_index(path, i);
    if (r.is_scalar()) {
      Node m = Node::map(r.mark());
      m.set("source", Node::str(r.scalar(), r.mark()));
      r = std::move(m);
    }
    if (!r.is_map() || !r.find("source")) schema::fail_at(r.mark(), sub, "requires `source`");
    for (const auto& e : r.entries())
      if (e.key != "source" && e.key != "target" && e.key != "uid" && e.key != "gid" &&
          e.key != "mode")
        schema::fail_at(e.key_mark, sub, "additional property \"" + e.key + "\" is not allowed");
    for (const char* k : {"uid", "gid"})
      if (Node* v = r.find(k)) v->set_quoted(true);
  }
  // Merged files may name the same mount twice: the later one wins, in the first's place.
  auto key = [](const Node& r) {
    const Node* t = r.find("target");
    return t ? t->scalar() : r.find("source")->scalar();
  };
  Node unique = Node::seq(n.mark());
  for (Node& r : n.items()) {
    auto& items = unique.items();
    auto same =
        std::find_if(items.begin(), items.end(), [&](const Node& o) { return key(o) == key(r); });
    if (same != items.end())
      *same = std::move(r);
    else
      unique.push(std::move(r));
  }
  n = std::move(unique);
}

void canonical_ulimits(Node& n, const std::string& path) {
  for (auto& e : n.entries()) {
    std::string sub = path + "." + e.key;
    if (e.value.is_scalar()) {
      canonical_int(e.value, sub);
      const int64_t v = parse_int(e.value.scalar());
      try {
        request::validate_ulimit({e.key, v, v});
      } catch (const std::invalid_argument& err) {
        schema::fail_at(e.value.mark(), sub, err.what());
      }
      continue;
    }
    if (!e.value.is_map() || !e.value.find("soft") || !e.value.find("hard"))
      schema::fail_at(e.value.mark(), sub, "must be an integer or {soft, hard}");
    canonical_int(*e.value.find("soft"), sub + ".soft");
    canonical_int(*e.value.find("hard"), sub + ".hard");
    try {  // the checks `--ulimit` gets (request/ulimits.h)
      request::validate_ulimit({e.key, parse_int(e.value.find("soft")->scalar()),
                                parse_int(e.value.find("hard")->scalar())});
    } catch (const std::invalid_argument& err) {
      schema::fail_at(e.value.mark(), sub, err.what());
    }
  }
}

void canonical_extra_hosts(Node& n, const std::string& path) {
  canonical_dict(n, path, ':');
  Node l = Node::seq(n.mark());
  for (const auto& e : n.entries()) {
    if (e.value.is_null())
      schema::fail_at(e.value.mark(), path, "\"" + e.key + "\" needs an address");
    const std::string entry = e.key + "=" + e.value.scalar();
    try {  // the parser `--add-host` uses (request/hosts.h)
      request::parse_extra_host(entry);
    } catch (const std::invalid_argument& err) {
      schema::fail_at(e.value.mark(), path,
                      "\"" + entry + "\" is not a valid host entry: " + err.what());
    }
    l.push(Node::str(entry, e.value.mark()));
  }
  n = std::move(l);
}

// The parser `--restart` uses (request/supervision.h).
bool valid_restart(const std::string& s) {
  try {
    return !s.empty() && (request::parse_restart_policy(s), true);
  } catch (const std::invalid_argument&) {
    return false;  // check_value names the file, line and key
  }
}

bool valid_pull_policy(const std::string& s) {
  try {
    return (schema::parse_pull_policy(s), true);
  } catch (const std::invalid_argument&) {
    return false;  // check_value names the file, line and key
  }
}

void check_value(const Node& n, const std::string& path, bool (*valid)(const std::string&),
                 const char* what) {
  if (!n.is_scalar() || !valid(n.scalar()))
    schema::fail_at(n.mark(), path, "\"" + n.scalar() + "\" is not a valid " + what);
}

const std::map<std::string, Fn>& canonicalisers() {
  auto on = [](void (*f)(Node&, const std::string&)) -> Fn {
    return [f](Node& v, const std::string& p, Node&, const LoadContext&) { f(v, p); };
  };
  static const std::map<std::string, Fn> table = [&] {
    std::map<std::string, Fn> t;
    t["build"] = on(canonical_build);
    t["command"] = t["entrypoint"] = on(canonical_command);
    t["ports"] = on(canonical_ports);
    t["volumes"] = on(canonical_volumes);
    t["depends_on"] = on(canonical_depends_on);
    t["networks"] = on(canonical_networks);
    t["healthcheck"] = on(canonical_healthcheck);
    t["pre_start"] = t["post_start"] = t["pre_stop"] = on(canonical_hooks);
    t["secrets"] = t["configs"] = on(canonical_file_refs);
    t["ulimits"] = on(canonical_ulimits);
    t["extra_hosts"] = on(canonical_extra_hosts);
    t["annotations"] = t["sysctls"] =
        on([](Node& v, const std::string& p) { canonical_dict(v, p); });
    t["stop_grace_period"] = on(canonical_duration);
    for (const char* k : {"mem_limit", "mem_reservation", "memswap_limit", "shm_size"})
      t[k] = on(canonical_bytes);
    for (const char* k :
         {"tty", "stdin_open", "privileged", "read_only", "init", "oom_kill_disable", "attach"})
      t[k] = on(canonical_bool);
    for (const char* k :
         {"scale", "pids_limit", "cpu_shares", "cpu_period", "cpu_quota", "mem_swappiness",
          "oom_score_adj", "cpu_count", "cpu_percent", "cpu_rt_period", "cpu_rt_runtime"})
      t[k] = on(canonical_int);
    for (const char* k : {"dns", "dns_search", "dns_opt", "tmpfs", "cap_add", "cap_drop", "expose",
                          "group_add", "security_opt", "links", "volumes_from", "external_links",
                          "profiles", "device_cgroup_rules"})
      t[k] = on(canonical_string_list);
    t["restart"] = [](Node& v, const std::string& p, Node&, const LoadContext&) {
      check_value(v, p, valid_restart,
                  "restart policy (no, always, on-failure[:N], unless-stopped)");
    };
    t["pull_policy"] = [](Node& v, const std::string& p, Node&, const LoadContext&) {
      check_value(
          v, p, valid_pull_policy,
          "pull policy (always, never, missing, build, if_not_present, refresh, daily, weekly, "
          "every_<duration>)");
    };
    return t;
  }();
  return table;
}

bool has_template(const Node& n) {
  if (n.is_scalar()) return n.scalar().find('$') != std::string::npos;
  for (const Node& i : n.items())
    if (has_template(i)) return true;
  for (const auto& e : n.entries())
    if (has_template(e.value)) return true;
  return false;
}

void canonical_deploy(Node& d, const std::string& path) {
  if (d.is_null()) return;
  if (Node* r = d.find("replicas")) canonical_int(*r, path + ".replicas");
  if (Node* l = d.find("labels")) canonical_dict(*l, path + ".labels");
  Node* res = d.find("resources");
  if (!res || !res->is_map()) return;
  for (const char* k : {"limits", "reservations"}) {
    Node* part = res->find(k);
    if (!part || !part->is_map()) continue;
    if (Node* m = part->find("memory")) canonical_bytes(*m, path + ".resources." + k + ".memory");
    if (Node* p = part->find("pids")) canonical_int(*p, path + ".resources." + k + ".pids");
  }
}

}  // namespace

void canonical_service(Node& svc, const std::string& path, const LoadContext& ctx) {
  const auto& table = canonicalisers();
  for (auto& e : svc.entries()) {
    auto it = table.find(e.key);
    if (it == table.end()) continue;
    // With --no-interpolate a `${VAR}` stays as written: it cannot be parsed yet.
    if (!ctx.interpolate && e.key != "command" && e.key != "entrypoint" && has_template(e.value))
      continue;
    it->second(e.value, path + "." + e.key, svc, ctx);
  }
  bool raw = !ctx.interpolate;
  if (Node* d = svc.find("deploy"); d && !(raw && has_template(*d)))
    canonical_deploy(*d, path + ".deploy");
  if (Node* l = svc.find("logging"); l && l->is_map())
    if (Node* o = l->find("options"); o && o->is_map())
      for (auto& e : o->entries()) e.value.set_quoted(true);
  if (Node* c = svc.find("cpus"); c && !c->is_number() && !(raw && has_template(*c))) {
    try {
      std::stod(c->scalar());
      if (!Node::plain(c->scalar()).is_number()) throw std::invalid_argument("not a number");
      *c = Node::plain(c->scalar(), c->mark());
    } catch (const std::exception&) {
      schema::fail_at(c->mark(), path + ".cpus", "\"" + c->scalar() + "\" is not a number");
    }
  }
  canonical_environment(svc, path, ctx);
  canonical_labels(svc, path, ctx);
}

}  // namespace berth::compose
