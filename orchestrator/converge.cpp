#include "orchestrator/converge.h"

#include <time.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include "common/error.h"
#include "compose/render.h"
#include "compose/service_request.h"
#include "core/state/container_store.h"
#include "engine/image/remove.h"
#include "engine/image/store.h"
#include "engine/lifecycle/container_control.h"
#include "engine/lifecycle/container_create.h"
#include "engine/lifecycle/container_exec.h"
#include "engine/lifecycle/container_logs.h"
#include "engine/lifecycle/container_start.h"
#include "network/network_store.h"
#include "network/networks.h"
#include "orchestrator/config_record.h"
#include "orchestrator/dag_runner.h"
#include "orchestrator/labels.h"
#include "volumes/volume_ops.h"
#include "volumes/volume_store.h"

namespace berth::orchestrator {

namespace lc = engine::lifecycle;

namespace {

// What the service tasks share: the engine's handles, the progress sink, and the containers
// each finished service left running (for the services that wait for them to exit).
class Run {
 public:
  Run(const Paths& paths, const schema::Project* project, const ConvergeOptions& opts)
      : paths_(paths), project_(project), opts_(opts), store_(paths) {}

  void emit(const std::string& kind, const std::string& name, const std::string& status) {
    if (!opts_.progress) return;
    std::lock_guard g(mu_);
    opts_.progress({kind, name, status});
  }

  void up_service(const std::string& name, const std::vector<Action>& actions);
  void down_container(const Action& a, bool volumes);
  // up --wait: every container the plan left for `service` ready.
  // up --wait: the containers left for each of `services`, waited for at once. One that is
  // ready by running is watched until all are ready: dying meanwhile fails the wait too.
  // The first failure ends the other waits and is thrown.
  void wait_ready(const std::vector<std::string>& services, long deadline_ms);

 private:
  void wait_dependencies(const schema::Service& s);
  // Returns once the container is healthy (or, with no healthcheck and running_enough,
  // running); throws Compose's "dependency failed to start" error when it cannot be, and
  // on reaching deadline (a CLOCK_MONOTONIC time in ms; < 0: none).
  void wait_healthy(const std::string& id, bool running_enough = false, long deadline_ms = -1);
  void wait_completed(const std::string& dep, const std::string& id, long deadline_ms = -1);
  void wait_container_ready(const std::string& service, const std::string& id, long deadline_ms);
  struct Aborted {};  // thrown by a wait once aborted_ is set
  std::string create_and_start(const schema::Service& s, const Action& a, bool pre_start = false);
  void run_pre_start(const schema::Service& s, const Action& a, const std::string& target);
  void start(const schema::Service* s, const std::string& id);
  void run_hooks(const char* kind, const std::vector<schema::ServiceHook>& hooks,
                 const std::string& id);
  void stop_container(const schema::Service* s, const std::string& id);
  void stop(const Action& a);
  void stop_and_remove(const Action& a);

  const Paths& paths_;
  const schema::Project* project_;
  const ConvergeOptions& opts_;
  core::state::ContainerStore store_;
  // How long one wait on the record may block before aborted_ and the deadline are looked at.
  int slice(long deadline_ms) const;

  std::mutex mu_;
  std::atomic<bool> aborted_{false};
  std::atomic<int> waits_pending_{0};
  std::map<std::string, std::vector<std::string>> ids_;  // service → its containers' ids
};

// The service's request for one container: Compose's name, labels and DNS aliases (the
// service name and the container name on every network, before the configured ones).
request::ContainerRequest container_request(const schema::Project& project,
                                            const schema::Service& s, const Action& a) {
  request::ContainerRequest r = compose::service_request(project, s);
  r.name = a.name;
  resolve_service_references(project, s.name, r);
  for (auto& [k, v] : container_labels(project, s, a.number, a.config_hash)) r.labels[k] = v;
  for (auto& n : r.network.networks) {
    std::vector<std::string> aliases{s.name, a.name};
    for (auto& alias : n.aliases)
      if (std::find(aliases.begin(), aliases.end(), alias) == aliases.end())
        aliases.push_back(alias);
    n.aliases = std::move(aliases);
  }
  return r;
}

long now_ms() {
  timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

int Run::slice(long deadline_ms) const {
  constexpr long kSliceMs = 250;
  if (aborted_) throw Aborted{};
  if (deadline_ms < 0) return kSliceMs;
  const long left = deadline_ms - now_ms();
  if (left <= 0) throw Error("timeout waiting for the services to be ready");
  return static_cast<int>(std::min(left, kSliceMs));
}

// service_healthy: until the container's healthcheck says healthy, waited for on the record
// (ContainerStore::wait_health_change), never polled. Compose's messages when it cannot be.
void Run::wait_healthy(const std::string& id, bool running_enough, long deadline_ms) {
  for (;;) {
    const core::state::Container c = store_.load(id);
    const std::string& name = c.config.name;
    if (!c.running())
      throw Error("dependency failed to start: container " + name + " exited (" +
                  std::to_string(c.state.exit_code) + ")");
    if (!c.state.health) {
      if (running_enough) return;
      throw Error("dependency failed to start: container " + name +
                  " has no healthcheck configured");
    }
    const std::string status = c.state.health->status;
    if (status == core::state::kHealthHealthy) return;
    if (status == core::state::kHealthUnhealthy)
      throw Error("dependency failed to start: container " + name + " is unhealthy");
    store_.wait_health_change(id, status, slice(deadline_ms));
  }
}

void Run::wait_completed(const std::string& dep, const std::string& id, long deadline_ms) {
  for (;;) {
    auto c = store_.wait_not_running(id, slice(deadline_ms));
    if (!c) continue;
    if (c->state.exit_code != 0)
      throw Error("service \"" + dep + "\" didn't complete successfully: exit " +
                  std::to_string(c->state.exit_code));
    return;
  }
}

void Run::wait_dependencies(const schema::Service& s) {
  for (const auto& [dep, d] : s.depends_on) {
    if (d.condition != "service_completed_successfully" && d.condition != "service_healthy")
      continue;
    std::vector<std::string> ids;
    {
      std::lock_guard g(mu_);
      ids = ids_[dep];
    }
    for (const auto& id : ids) {
      const std::string cname = store_.load(id).config.name;
      emit("Container", cname, "Waiting");
      if (d.condition == "service_healthy") {
        wait_healthy(id);
        emit("Container", cname, "Healthy");
        continue;
      }
      wait_completed(dep, id);
      emit("Container", cname, "Exited");
    }
  }
}

// Lifecycle hooks (post_start, pre_stop), as Compose runs them: one exec after another in the
// container, each with its own user, privileges, working directory and environment, waited
// for; their output is not shown (Compose's detached `up`). The first that fails ends the
// list: "post_start hook exited with status N" (the caller's error names the service in
// front, "app: "); a command that cannot be run counts as its exit status (126, 127), as
// Docker's exec reports it.
void Run::run_hooks(const char* kind, const std::vector<schema::ServiceHook>& hooks,
                    const std::string& id) {
  for (const auto& h : hooks) {
    lc::ExecOptions o;
    o.argv = h.command;
    for (const auto& [k, v] : h.environment)
      if (v) o.env.emplace_back(k, *v);  // unset without a value: dropped, as the service's own
    if (!h.user.empty()) o.user = h.user;
    if (!h.working_dir.empty()) o.workdir = h.working_dir;
    o.privileged = h.privileged;
    o.discard_output = true;
    int status = 0;
    try {
      status = lc::exec_container(paths_, id, o);
    } catch (const Error& e) {
      if (e.exit_code() != 126 && e.exit_code() != 127)
        throw Error(std::string(kind) + " hook: " + e.what(), e.exit_code());
      status = e.exit_code();
    }
    if (status != 0)
      throw Error(std::string(kind) + " hook exited with status " + std::to_string(status));
  }
}

// Starts the container, then runs the service's post_start hooks in it.
void Run::start(const schema::Service* s, const std::string& id) {
  lc::start_container(paths_, store_.load(id));
  if (s) run_hooks("post_start", s->post_start, id);
}

// As Compose's --wait: a service another one waits for to complete must exit 0; any other
// must run, and be healthy when it has a healthcheck.
void Run::wait_container_ready(const std::string& service, const std::string& id,
                               long deadline_ms) {
  bool completes = false;
  for (const auto& other : project_->services)
    for (const auto& [dep, d] : other.depends_on)
      if (dep == service && d.condition == "service_completed_successfully") completes = true;
  const std::string cname = store_.load(id).config.name;
  emit("Container", cname, "Waiting");
  if (completes) {
    wait_completed(service, id, deadline_ms);
    emit("Container", cname, "Exited");
    --waits_pending_;
    return;
  }
  wait_healthy(id, true, deadline_ms);
  emit("Container", cname, "Healthy");
  --waits_pending_;
  while (waits_pending_ > 0) {
    if (auto c = store_.wait_not_running(id, slice(deadline_ms)))
      throw Error("container " + cname + " exited (" + std::to_string(c->state.exit_code) + ")");
  }
}

void Run::wait_ready(const std::vector<std::string>& services, long deadline_ms) {
  std::vector<std::string> nodes;  // "service/id"
  {
    std::lock_guard g(mu_);
    for (const auto& s : services)
      for (const auto& id : ids_[s]) nodes.push_back(s + "/" + id);
  }
  waits_pending_ = static_cast<int>(nodes.size());
  std::string first;
  run_dag(nodes, {},
          [&](const std::string& node) {
            const size_t slash = node.find('/');
            try {
              wait_container_ready(node.substr(0, slash), node.substr(slash + 1), deadline_ms);
            } catch (const Aborted&) {
              return;
            } catch (const std::exception& e) {
              aborted_ = true;
              std::lock_guard g(mu_);
              if (first.empty()) first = e.what();
            }
          },
          {});
  if (!first.empty()) throw Error(first);
}

// Creates the container under `name` (the action's own name but for a recreate) and starts
// it under the action's name. A recreate, as Compose does it, makes the new container first
// under a temporary name (`<old id prefix>_<name>`), so a create that fails (a bad mount, a
// taken address) leaves the old one running; only then is the old one stopped and removed
// and the new one renamed and started.
// pre_start, as Compose runs it: each hook in turn is a container of its own (the hook's image,
// else the service's; its command, user, working directory, privileges and environment over
// the service's), on the service's networks without its aliases or fixed addresses, with the
// volumes of the service's first new container (volumes_from), run to completion before any of
// the service's containers starts. One that succeeds is removed; one that fails stops the
// service (and what depends on it) with its exit code and last lines, and stays for inspection,
// labelled com.docker.compose.hook=pre_start (the next `up` replaces it).
void Run::run_pre_start(const schema::Service& s, const Action& a, const std::string& target) {
  for (size_t i = 0; i < s.pre_start.size(); ++i) {
    const schema::ServiceHook& h = s.pre_start[i];
    request::ContainerRequest r = container_request(*project_, s, a);
    r.name = project_->name + "-" + s.name + "-pre_start-" + std::to_string(i + 1);
    if (!h.image.empty()) r.image = h.image;
    r.process.entrypoint.reset();
    r.process.command = h.command;
    r.process.tty = r.process.open_stdin = false;
    if (!h.user.empty()) r.process.user = h.user;
    if (!h.working_dir.empty()) r.process.working_dir = h.working_dir;
    for (const auto& [k, v] : h.environment)
      if (v) r.process.env.emplace_back(k, *v);
    r.security.privileged = r.security.privileged || h.privileged;
    r.mounts.clear();
    r.volumes_from = {{target, std::nullopt}};
    r.publish = {};
    r.healthcheck = request::Healthcheck{.test = {"NONE"}};
    r.supervision.restart = {};
    r.hostname.clear();
    for (auto& n : r.network.networks) {
      n.aliases.clear();
      n.ipv4_address.clear();
      n.ipv6_address.clear();
      n.mac_address.clear();
    }
    r.labels[kOneoffLabel] = "True";
    r.labels["com.docker.compose.hook"] = "pre_start";
    try {
      lc::remove_container(store_, store_.resolve(r.name), true);
    } catch (const NotFound&) {
      // The usual case: no hook container kept by a failed `up` to replace.
    }
    emit("Container", r.name, "Starting");
    core::state::Container c;
    try {
      c = lc::create_container(paths_, r);
      lc::start_container(paths_, c);
    } catch (const Error& e) {
      throw Error("pre_start hook " + r.name + ": " + e.what(), e.exit_code());
    }
    const auto done = store_.wait_not_running(c.id());
    const int code = done ? done->state.exit_code : 255;
    if (code != 0) {
      emit("Container", r.name, "Error");
      std::string tail;  // its last lines, on one line
      try {
        lc::read_logs(store_, c.id(), {.tail = 5}, [&tail](const lc::LogEntry& e) {
          std::string line = e.text;
          while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
          tail += (tail.empty() ? "" : " | ") + line;
        });
      } catch (const Error&) {
        tail.clear();  // no log to quote: the status says it
      }
      throw Error("pre_start hook " + r.name + " exited with status " + std::to_string(code) +
                  (tail.empty() ? "" : ": " + tail));
    }
    emit("Container", r.name, "Exited");
    lc::remove_container(store_, c.id(), true);
  }
}

std::string Run::create_and_start(const schema::Service& s, const Action& a, bool pre_start) {
  const bool recreate = a.kind == ActionKind::kRecreateContainer;
  auto req = container_request(*project_, s, a);
  if (recreate) req.name = a.container_id.substr(0, 12) + "_" + a.name;
  core::state::Container c;
  try {
    c = lc::create_container(paths_, req);
  } catch (const Error& e) {
    throw Error("create container " + a.name + ": " + e.what(), e.exit_code());
  }
  record_config(paths_, c.id(), compose::service_config_json(s));
  if (recreate) {
    stop_container(&s, a.container_id);
    lc::remove_container(store_, a.container_id, true);
    store_.rename(c.id(), a.name);
    c = store_.load(c.id());
  }
  emit("Container", a.name, recreate ? "Recreated" : "Created");
  if (!opts_.start) return c.id();
  if (pre_start) run_pre_start(s, a, c.id());
  emit("Container", a.name, "Starting");
  start(&s, c.id());
  emit("Container", a.name, "Started");
  return c.id();
}

// Runs the service's pre_stop hooks in the container while it still runs (Compose skips them
// for a container that does not, and for one whose service the project no longer has), then
// stops it.
void Run::stop_container(const schema::Service* s, const std::string& id) {
  if (s && !s->pre_stop.empty() && store_.load(id).running())
    run_hooks("pre_stop", s->pre_stop, id);
  lc::stop_container(store_, id, opts_.timeout_s);
}

void Run::stop(const Action& a) {
  emit("Container", a.name, "Stopping");
  stop_container(project_ ? project_->find_service(a.service) : nullptr, a.container_id);
  emit("Container", a.name, "Stopped");
}

void Run::stop_and_remove(const Action& a) {
  if (store_.load(a.container_id).running()) stop(a);
  emit("Container", a.name, "Removing");
  lc::remove_container(store_, a.container_id, true);
  emit("Container", a.name, "Removed");
}

void Run::up_service(const std::string& name, const std::vector<Action>& actions) {
  const schema::Service* s = project_->find_service(name);
  if (s && opts_.start) wait_dependencies(*s);
  std::vector<std::string> ids;
  // pre_start runs once, at the first new container, when no container of the service stays
  // running (its first `up`, a recreate, --force-recreate); not when it is scaled up.
  bool pre_start = s && !s->pre_start.empty() &&
                   std::none_of(actions.begin(), actions.end(), [](const Action& a) {
                     return a.kind == ActionKind::kKeepContainer;
                   });
  for (const auto& a : actions) {
    if (!opts_.start && a.kind != ActionKind::kCreateContainer &&
        a.kind != ActionKind::kRecreateContainer && a.kind != ActionKind::kRemoveContainer) {
      ids.push_back(a.container_id);
      continue;
    }
    switch (a.kind) {
      case ActionKind::kCreateContainer:
        emit("Container", a.name, "Creating");
        ids.push_back(create_and_start(*s, a, std::exchange(pre_start, false)));
        break;
      case ActionKind::kRecreateContainer:
        emit("Container", a.name, "Recreate");
        ids.push_back(create_and_start(*s, a, std::exchange(pre_start, false)));
        break;
      case ActionKind::kStartContainer:
        emit("Container", a.name, "Starting");
        start(s, a.container_id);
        emit("Container", a.name, "Started");
        ids.push_back(a.container_id);
        break;
      case ActionKind::kRestartContainer:
        emit("Container", a.name, "Restarting");
        stop_container(s, a.container_id);
        start(s, a.container_id);
        emit("Container", a.name, "Started");
        ids.push_back(a.container_id);
        break;
      case ActionKind::kKeepContainer:
        emit("Container", a.name, "Running");
        ids.push_back(a.container_id);
        break;
      case ActionKind::kRemoveContainer:
        stop_and_remove(a);
        break;
      default:
        break;
    }
  }
  std::lock_guard g(mu_);
  ids_[name] = std::move(ids);
}

void Run::down_container(const Action& a, bool volumes) {
  if (a.kind == ActionKind::kStopContainer) return stop(a);
  std::optional<core::state::ContainerConfig> config;
  if (volumes) config = store_.load(a.container_id).config;
  stop_and_remove(a);
  if (config) {
    if (auto err = volumes::release_container_volumes(paths_, *config); !err.empty())
      throw Error("remove volumes of " + a.name + ": " + err);
  }
}

// One image per service that will create a container, checked before anything is made.
void check_images(const Paths& paths, const schema::Project& project, const Plan& plan) {
  engine::image::Store images(paths);
  for (const auto& name : plan.order) {
    const schema::Service* s = project.find_service(name);
    if (!s) continue;
    const auto& actions = plan.containers.at(name);
    const bool creates = std::any_of(actions.begin(), actions.end(), [](const Action& a) {
      return a.kind == ActionKind::kCreateContainer || a.kind == ActionKind::kRecreateContainer;
    });
    if (!creates) continue;
    std::vector<std::string> wanted = {schema::service_image(project, *s)};
    for (const auto& h : s->pre_start)
      if (!h.image.empty()) wanted.push_back(h.image);
    for (const auto& image : wanted)
      if (!images.find(image)) throw Error("service \"" + name + "\": No such image: " + image);
  }
}

// The first IPv4 `ipam.config` entry's subnet and gateway, when the file gives them: a
// service's fixed ipv4_address must fall in the network's subnet.
void apply_ipam(const schema::NetworkConfig& n, network::NetworkCreateOptions& o) {
  const schema::Node* ipam = n.node.find("ipam");
  const schema::Node* config = ipam ? ipam->find("config") : nullptr;
  if (!config || !config->is_seq()) return;
  for (const auto& c : config->items()) {
    const schema::Node* subnet = c.find("subnet");
    if (!subnet || !subnet->is_scalar() || subnet->scalar().find(':') != std::string::npos)
      continue;
    o.subnet = subnet->scalar();
    if (const schema::Node* gw = c.find("gateway"); gw && gw->is_scalar()) o.gateway = gw->scalar();
    if (const schema::Node* r = c.find("ip_range"); r && r->is_scalar()) o.ip_range = r->scalar();
    return;
  }
}

std::vector<std::string> key_values(const std::map<std::string, std::string>& m) {
  std::vector<std::string> out;
  for (const auto& [k, v] : m) out.push_back(k + "=" + v);
  return out;
}

void create_resources(const Paths& paths, const schema::Project& project, const Plan& plan,
                      Run& run) {
  for (const auto& a : plan.resources) {
    if (a.kind == ActionKind::kCreateNetwork) {
      const auto& n = project.networks.at(a.key);
      run.emit("Network", a.name, "Creating");
      network::NetworkCreateOptions o;
      o.name = a.name;
      o.internal = n.internal;
      o.labels = key_values(network_labels(project, a.key));
      o.options = key_values(n.driver_opts);
      apply_ipam(n, o);
      network::create_network(paths, o);
      run.emit("Network", a.name, "Created");
    } else if (a.kind == ActionKind::kCreateVolume) {
      const auto& v = project.volumes.at(a.key);
      run.emit("Volume", a.name, "Creating");
      volumes::VolumeStore store(paths);
      auto lock = store.lock();
      store.create(a.name, volume_labels(project, a.key), v.driver_opts);
      run.emit("Volume", a.name, "Created");
    }
  }
}

// A `up` killed while it created a network can leave the network's bridge (and its firewall
// rules) without the record that names it: the record is written last (network/networks.h).
// The planner sees only records, so `down` would never remove that bridge, and only a later
// network verb would (reconcile_links, the sweep of this root's bridges without a record).
// `down` sweeps too, under the network lock so that a network being created now is left alone.
void remove_unrecorded_bridges(const Paths& paths) {
  network::NetworkStore store(paths);
  FileLock lock = store.lock();
  network::reconcile_links(paths);
}

std::string joined(const std::vector<std::string>& failures) {
  std::string out;
  for (const auto& f : failures) out += (out.empty() ? "" : "; ") + f;
  return out;
}

}  // namespace

void converge_up(const Paths& paths, const schema::Project& project, const Plan& plan,
                 const ConvergeOptions& opts) {
  check_images(paths, project, plan);
  Run run(paths, &project, opts);
  create_resources(paths, project, plan, run);
  auto failures =
      run_dag(plan.order, plan.after,
              [&](const std::string& name) { run.up_service(name, plan.containers.at(name)); },
              {.limit = opts.parallel_limit});
  if (!failures.empty()) throw Error(joined(failures));
  if (opts.wait && opts.start)
    run.wait_ready(plan.order,
                   opts.wait_timeout_s > 0 ? now_ms() + opts.wait_timeout_s * 1000L : -1);
}

void converge_down(const Paths& paths, const schema::Project& project, const Plan& plan,
                   const ConvergeOptions& opts, bool volumes) {
  Run run(paths, &project, opts);
  std::vector<std::string> failures =
      run_dag(plan.order, plan.after,
              [&](const std::string& name) {
                // The containers of one service come down together: one grace period, not their
                // sum.
                const auto& actions = plan.containers.at(name);
                std::vector<std::string> errors(actions.size());
                std::vector<std::thread> threads;
                for (size_t i = 0; i < actions.size(); ++i)
                  threads.emplace_back([&, i] {
                    try {
                      run.down_container(actions[i], volumes);
                    } catch (const std::exception& e) {
                      errors[i] = e.what();
                    }
                  });
                for (auto& t : threads) t.join();
                std::erase(errors, std::string());
                if (!errors.empty()) throw Error(joined(errors));
              },
              {.limit = opts.parallel_limit, .run_after_failure = true});
  for (const auto& a : plan.resources) {
    const bool net = a.kind == ActionKind::kRemoveNetwork;
    const char* kind = net ? "Network" : "Volume";
    try {
      run.emit(kind, a.name, "Removing");
      if (net)
        network::remove_network(paths, a.name);
      else
        volumes::remove_volume(paths, a.name, false);
      run.emit(kind, a.name, "Removed");
    } catch (const std::exception& e) {
      failures.push_back(std::string(e.what()));
    }
  }
  remove_unrecorded_bridges(paths);
  if (!failures.empty()) throw Error(joined(failures));
}

void remove_images(const Paths& paths, const schema::Project& project, bool all,
                   const ConvergeOptions& opts) {
  Run run(paths, &project, opts);
  engine::image::Store images(paths);
  std::set<std::string> refs;
  for (const auto& s : project.services) {
    if (!s.image.empty() && !all) continue;
    refs.insert(schema::service_image(project, s));
  }
  std::vector<std::string> failures;
  for (const auto& ref : refs) {
    if (!images.find(ref)) continue;
    try {
      run.emit("Image", ref, "Removing");
      engine::image::remove_image(images, ref, false);
      run.emit("Image", ref, "Removed");
    } catch (const std::exception& e) {
      failures.push_back(e.what());
    }
  }
  if (!failures.empty()) throw Error(joined(failures));
}

}  // namespace berth::orchestrator
