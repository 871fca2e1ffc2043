// `run`/`create` flags → request::ContainerRequest, through the request library's parsers.
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "cli/request/run_flags.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "common/units.h"
#include "request/hosts.h"
#include "request/mounts.h"
#include "request/ports.h"
#include "request/security.h"
#include "request/supervision.h"
#include "request/ulimits.h"

namespace berth::cli {

namespace {

// Runs parse(value); a syntax error becomes Docker's `invalid argument "V" for "FLAG" flag:
// REASON` (exit 125).
template <typename Parse>
auto flag_value(const char* flag, const std::string& value, Parse parse) {
  try {
    return parse(value);
  } catch (const std::invalid_argument& e) {
    throw Error("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + e.what(), 125);
  }
}

// As flag_value, for the parsers whose reasons are whole messages in Docker already
// ("invalid mount config for type ...", "invalid restart policy 'x'").
template <typename Parse>
auto whole(const std::string& value, Parse parse) {
  try {
    return parse(value);
  } catch (const std::invalid_argument& e) {
    throw Error(e.what(), 125);
  }
}

// -v ./data:/data and -v ~/src:/src: from the working directory and $HOME, as Docker's CLI
// does for the first (the shell usually expands the second).
void absolute_bind_source(request::MountRequest& m) {
  if (m.type != request::MountRequest::Type::kBind || m.source.empty() || m.source[0] == '/')
    return;
  std::filesystem::path base = std::filesystem::current_path();
  std::string rest = m.source;
  if (rest[0] == '~') {
    const auto home = request::process_env("HOME");
    if (!home || (rest.size() > 1 && rest[1] != '/'))
      throw Error("invalid volume specification: '" + m.source + "'", 125);
    base = *home;
    rest = rest.size() > 2 ? rest.substr(2) : "";
  }
  m.source = whole((base / rest).lexically_normal().string(),
                   [](const std::string& p) { return request::clean_absolute(p, "bind source"); });
}

request::Process process_of(const RunFlags& f, const std::vector<std::string>& args) {
  request::Process p;
  if (f.entrypoint_opt->count())
    p.entrypoint =
        f.entrypoint.empty() ? std::vector<std::string>{} : std::vector<std::string>{f.entrypoint};
  if (!args.empty()) p.command = args;
  p.env = resolve_env(f.env_files, f.env);
  if (f.workdir_opt->count()) p.working_dir = f.workdir;
  if (f.user_opt->count()) p.user = f.user;
  p.tty = f.tty;
  p.open_stdin = f.open_stdin;
  return p;
}

request::Networking networking_of(const RunFlags& f) {
  request::Networking n;
  const bool special = f.network == "host" || f.network == "none" || f.network == "bridge" ||
                       f.network.starts_with("container:");
  if (f.network.empty() || special) {
    n.mode = f.network;
    if (!f.aliases.empty() || !f.ip.empty())
      n.networks.push_back({.name = f.network.empty() ? "bridge" : f.network,
                            .aliases = f.aliases,
                            .ipv4_address = f.ip});
  } else {
    n.networks.push_back({.name = f.network, .aliases = f.aliases, .ipv4_address = f.ip});
  }
  for (const auto& d : f.dns)
    flag_value("--dns", d, [](const std::string& v) {
      if (!request::is_ip_address(v)) throw std::invalid_argument("not an IP address");
      return 0;
    });
  for (const auto& h : f.extra_hosts) flag_value("--add-host", h, request::parse_extra_host);
  n.dns = f.dns;
  n.dns_search = f.dns_search;
  n.dns_options = f.dns_options;
  n.extra_hosts = f.extra_hosts;
  return n;
}

std::vector<request::MountRequest> mounts_of(const RunFlags& f) {
  std::vector<request::MountRequest> out;
  for (auto& v : volume_flags(f.volumes)) out.push_back(std::move(v));
  for (const auto& m : f.mounts) out.push_back(whole(m, request::parse_mount_spec));
  for (const auto& t : f.tmpfs) out.push_back(whole(t, request::parse_tmpfs_spec));
  for (auto& m : out) absolute_bind_source(m);
  return out;
}

request::Security security_of(const RunFlags& f) {
  request::Security s;
  s.privileged = f.privileged;
  s.cap_add = f.cap_add;
  s.cap_drop = f.cap_drop;
  s.read_only = f.read_only;
  for (const auto& kv : f.sysctl) {
    auto [key, value] = flag_value("--sysctl", kv, request::parse_sysctl);
    s.sysctls.insert_or_assign(key, value);
  }
  for (const auto& opt : f.security_opt)
    whole(opt, [&s](const std::string& o) {
      request::apply_security_opt(o, s);
      return 0;
    });
  return s;
}

request::Resources resources_of(const RunFlags& f) {
  request::Resources r;
  auto bytes = [](std::string_view v) { return parse_bytes(v); };
  if (!f.memory.empty()) r.memory = flag_value("--memory", f.memory, bytes);
  if (f.memory_swap == "-1")
    r.memory_swap = -1;
  else if (!f.memory_swap.empty())
    r.memory_swap = flag_value("--memory-swap", f.memory_swap, bytes);
  if (!f.cpus.empty()) r.nano_cpus = flag_value("--cpus", f.cpus, request::parse_cpus);
  r.cpu_shares = f.cpu_shares;
  if (!f.cpuset_cpus.empty())
    flag_value("--cpuset-cpus", f.cpuset_cpus, [](const std::string& v) {
      request::validate_cpuset(v);
      return 0;
    });
  r.cpuset_cpus = f.cpuset_cpus;
  if (f.pids_limit) r.pids_limit = *f.pids_limit > 0 ? *f.pids_limit : -1;
  for (const auto& u : f.ulimit)
    request::set_ulimit(r, flag_value("--ulimit", u, request::parse_ulimit));
  return r;
}

// Docker's CLI (opts.go): --no-healthcheck is ["NONE"] and takes no --health-* beside it;
// any --health-* makes a healthcheck whose unset fields the image's fill (--health-cmd is
// CMD-SHELL).
std::optional<request::Healthcheck> healthcheck_of(const RunFlags& f) {
  const bool any = !f.health_cmd.empty() || !f.health_interval.empty() ||
                   !f.health_timeout.empty() || !f.health_start_period.empty() ||
                   !f.health_start_interval.empty() || f.health_retries != 0;
  if (f.no_healthcheck) {
    if (any) throw Error("--no-healthcheck conflicts with --health-* options", 125);
    return request::Healthcheck{.test = {"NONE"}};
  }
  if (!any) return std::nullopt;
  request::Healthcheck h;
  if (!f.health_cmd.empty()) h.test = {"CMD-SHELL", f.health_cmd};
  auto duration = [](const char* flag, const std::string& v) -> int64_t {
    if (v.empty()) return 0;
    const int64_t ns = flag_value(flag, v, [](const std::string& s) { return parse_duration(s); });
    if (ns < 0) throw Error(std::string(flag) + " cannot be negative", 125);
    return ns;
  };
  h.interval_ns = duration("--health-interval", f.health_interval);
  h.timeout_ns = duration("--health-timeout", f.health_timeout);
  h.start_period_ns = duration("--health-start-period", f.health_start_period);
  h.start_interval_ns = duration("--health-start-interval", f.health_start_interval);
  if (f.health_retries < 0) throw Error("--health-retries cannot be negative", 125);
  h.retries = f.health_retries;
  return h;
}

}  // namespace

std::vector<request::EnvPair> resolve_env(const std::vector<std::string>& env_files,
                                          const std::vector<std::string>& env) {
  std::vector<request::EnvPair> out;
  for (const auto& file : env_files) {
    auto text = read_file_if_exists(file);
    if (!text) throw Error("open " + file + ": no such file or directory", 125);
    auto vars = whole(*text, [&file](const std::string& t) {
      return request::parse_env_file(t, file, request::process_env);
    });
    out.insert(out.end(), vars.begin(), vars.end());
  }
  for (const auto& kv : env)
    if (auto v = whole(kv, [](const std::string& s) {
          return request::parse_env_var(s, request::process_env);
        }))
      out.push_back(std::move(*v));
  return out;
}

std::vector<request::MountRequest> volume_flags(const std::vector<std::string>& volumes) {
  std::vector<request::MountRequest> out;
  for (const auto& v : volumes) {
    out.push_back(whole(v, request::parse_volume_spec));
    absolute_bind_source(out.back());
  }
  return out;
}

std::vector<request::PortBinding> publish_flags(const std::vector<std::string>& publish) {
  std::vector<request::PortBinding> out;
  for (const auto& p : publish) {
    auto bindings = flag_value("-p, --publish", p,
                               [](const std::string& s) { return request::parse_port_spec(s); });
    out.insert(out.end(), bindings.begin(), bindings.end());
  }
  return out;
}

request::ContainerRequest to_request(const RunFlags& f, const std::string& image,
                                     const std::vector<std::string>& args) {
  request::ContainerRequest r;
  r.image = image;
  r.name = f.name;
  r.hostname = f.hostname;
  r.process = process_of(f, args);
  for (const auto& l : f.labels) {
    auto [key, value] = whole(l, [](const std::string& v) { return request::parse_label(v); });
    r.labels.insert_or_assign(key, value);
  }
  r.mounts = mounts_of(f);
  for (const auto& v : f.volumes_from)
    r.volumes_from.push_back(whole(v, request::parse_volumes_from));
  r.publish.ports = publish_flags(f.publish);
  r.publish.publish_all = f.publish_all;
  r.network = networking_of(f);
  r.security = security_of(f);
  r.resources = resources_of(f);
  r.supervision.restart = whole(f.restart, request::parse_restart_policy);
  r.supervision.init = f.init;
  r.supervision.stop_signal = f.stop_signal;
  r.supervision.stop_timeout = f.stop_timeout;
  r.healthcheck = healthcheck_of(f);
  r.auto_remove = f.auto_remove;
  return r;
}

}  // namespace berth::cli
