// `berth compose kill`, `top`, `port`, `images`, `pause`, `unpause` and `wait`, as Docker
// Compose v2 does them: the project's containers found by label (cli/compose_targets.h), each
// handed to the engine function the single-container command uses, with Compose's progress
// lines on stderr and its tables on stdout.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/compose_cmds.h"
#include "cli/compose_targets.h"
#include "cli/format/compose_views.h"
#include "cli/format/tabwriter.h"
#include "cli/image_format.h"
#include "common/error.h"
#include "core/state/container_store.h"
#include "engine/image/store.h"
#include "engine/lifecycle/container_control.h"
#include "engine/lifecycle/container_pause.h"
#include "engine/lifecycle/container_ports.h"
#include "engine/lifecycle/container_top.h"
#include "engine/lifecycle/signals.h"
#include "orchestrator/converge.h"
#include "orchestrator/dag_runner.h"
#include "orchestrator/observe.h"

namespace berth::cli {
namespace {

namespace lc = engine::lifecycle;
namespace orch = orchestrator;
using core::state::ContainerStore;

// The project with the named services selected: the loader refuses an unknown one ("no such
// service: NAME", exit 15), as Compose's loader does.
schema::Project project_with(const std::vector<std::string>& services) {
  return load_compose_project(services);
}

// Runs fn on each container, one progress line before and after; goes on after a failure and
// throws one Error naming them all.
void for_each_target(const std::vector<orch::ObservedContainer>& targets, const char* doing,
                     const char* done, const std::function<void(const std::string& id)>& fn) {
  auto view = progress_view();
  std::string failures;
  for (const auto& c : targets) {
    try {
      if (doing) view.event("Container", c.name, doing);
      fn(c.id);
      view.event("Container", c.name, done);
    } catch (const std::exception& e) {
      failures += (failures.empty() ? "" : "; ") + std::string(e.what());
    }
  }
  if (!failures.empty()) throw Error(failures);
}

struct KillFlags {
  std::vector<std::string> services;
  std::string signal = "SIGKILL";
  bool remove_orphans = false;
};

void run_kill(Globals& g, const KillFlags& f) {
  const schema::Project project = project_with(f.services);
  const int sig = lc::parse_signal(f.signal);
  auto targets =
      service_containers(orch::observe(g.paths, project.name), OneOff::kInclude, false, f.services);
  if (!f.remove_orphans)
    std::erase_if(targets, [&](const auto& c) { return !project.find_service(c.service); });
  if (targets.empty()) std::fputs("no container to kill", stderr);
  ContainerStore store(g.paths);
  for_each_target(targets, "Killing", "Killed",
                  [&](const std::string& id) { lc::kill_container(store, id, sig); });
}

void run_top(Globals& g, const std::vector<std::string>& services) {
  const std::string project = load_compose_project().name;
  auto targets =
      service_containers(orch::observe(g.paths, project), OneOff::kExclude, false, services);
  std::sort(targets.begin(), targets.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  ContainerStore store(g.paths);
  for (const auto& c : targets) {
    const lc::ProcessTable t = lc::top_container(store, c.id, {});
    std::cout << c.name << "\n" << format::compose_top_table(t.titles, t.processes) << "\n";
  }
}

struct PortFlags {
  std::vector<std::string> args;  // SERVICE PRIVATE_PORT
  std::string protocol = "tcp";
  int index = 0;
};

void run_port(Globals& g, const PortFlags& f) {
  const std::string& text = f.args.at(1);
  uint16_t port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size())
    throw Error("strconv.ParseUint: parsing \"" + text + "\": invalid syntax");
  const std::string project = load_compose_project().name;
  const auto target = specified_container(orch::observe(g.paths, project), OneOff::kInclude, false,
                                          f.args.at(0), f.index);
  const auto bindings = lc::container_ports(ContainerStore(g.paths).load(target.id).config);
  std::string published;
  for (const auto& b : bindings) {
    if (b.container_port == port && b.proto == f.protocol) {
      std::cout << lc::port_endpoint(b) << "\n";
      return;
    }
    published += (published.empty() ? "" : ", ") + std::to_string(b.host_port) + "/" + b.proto;
  }
  throw Error("no port " + text + "/" + f.protocol + " for container " + target.name + ": " +
              published);
}

struct ImagesFlags {
  std::vector<std::string> services;
  std::string format = "table";
  bool quiet = false;
};

struct ImageRow {
  std::string id, container, repository, tag;
  int64_t size = 0;
};

// Compose's repository and tag of the reference the container was created from ("busybox" is
// busybox and latest); an image ID or digest reference has no tag.
std::pair<std::string, std::string> repository_and_tag(std::string ref) {
  if (ref.starts_with("sha256:")) return {"", ""};
  for (const char* prefix : {"docker.io/library/", "docker.io/"})
    if (ref.starts_with(prefix)) ref = ref.substr(std::string(prefix).size());
  if (const size_t at = ref.find('@'); at != std::string::npos) return {ref.substr(0, at), ""};
  const size_t colon = ref.rfind(':'), slash = ref.rfind('/');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash))
    return {ref.substr(0, colon), ref.substr(colon + 1)};
  return {ref, "latest"};
}

void run_compose_images(Globals& g, const ImagesFlags& f) {
  if (f.format != "table" && f.format != "json")
    throw Error("format value \"" + f.format + "\" could not be parsed: parsing failed");
  const std::string project = load_compose_project().name;
  ContainerStore store(g.paths);
  engine::image::Store images(g.paths);
  std::vector<ImageRow> rows;
  for (const auto& c :
       service_containers(orch::observe(g.paths, project), OneOff::kInclude, true, f.services)) {
    const auto config = store.load(c.id).config;
    auto img = images.find(config.image_id);
    if (!img) continue;
    auto [repository, tag] = repository_and_tag(config.image);
    rows.push_back({img->id, c.name, repository, tag, img->size});
  }
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.container < b.container; });
  if (f.quiet) {
    std::vector<std::string> seen;
    for (const auto& r : rows) {
      const std::string id = r.id.substr(r.id.find(':') + 1);
      if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
      seen.push_back(id);
      std::cout << id << "\n";
    }
    return;
  }
  if (f.format == "json") {
    auto out = nlohmann::ordered_json::array();
    for (const auto& r : rows)
      out.push_back({{"ID", r.id},
                     {"ContainerName", r.container},
                     {"Repository", r.repository},
                     {"Tag", r.tag},
                     {"Size", r.size}});
    std::cout << out.dump() << "\n";
    return;
  }
  std::string text = "CONTAINER\tREPOSITORY\tTAG\tIMAGE ID\tSIZE\n";
  for (const auto& r : rows)
    text += r.container + "\t" + (r.repository.empty() ? "<none>" : r.repository) + "\t" +
            (r.tag.empty() ? "<none>" : r.tag) + "\t" + r.id.substr(r.id.find(':') + 1, 12) + "\t" +
            human_size(double(r.size)) + "\n";
  std::cout << format::tabwrite(text, 20);
}

void run_pause(Globals& g, const std::vector<std::string>& services, bool pause) {
  const schema::Project project = project_with(services);
  const auto targets =
      service_containers(orch::observe(g.paths, project.name), OneOff::kExclude, false, services);
  ContainerStore store(g.paths);
  for_each_target(targets, nullptr, pause ? "Paused" : "Unpaused", [&](const std::string& id) {
    if (pause)
      lc::pause_container(store, id);
    else
      lc::unpause_container(store, id);
  });
}

struct WaitFlags {
  std::vector<std::string> services;
  bool down_project = false;
};

// Every running container of the services, waited for at once; each prints its line as it
// exits, and the command exits with the status of the last one (Compose's Wait).
void run_wait(Globals& g, const WaitFlags& f) {
  const schema::Project project = project_with(f.services);
  const auto targets =
      service_containers(orch::observe(g.paths, project.name), OneOff::kInclude, false, f.services);
  if (targets.empty()) throw Error("no containers for project \"" + project.name + "\"");
  ContainerStore store(g.paths);
  std::mutex mu;
  std::string failures;
  std::vector<std::thread> threads;
  for (const auto& c : targets)
    threads.emplace_back([&, id = c.id] {
      try {
        const int code = lc::wait_container(store, id);
        std::lock_guard lock(mu);
        std::cout << "container \"" << id << "\" exited with status code " << code << std::endl;
        g.exit_code = code;
      } catch (const std::exception& e) {
        std::lock_guard lock(mu);
        failures += (failures.empty() ? "" : "; ") + std::string(e.what());
      }
    });
  for (auto& t : threads) t.join();
  if (!failures.empty()) throw Error(failures);
  if (!f.down_project) return;
  FileLock lock = orch::lock_project(g.paths, project.name);
  const auto plan =
      orch::plan_down(project, orch::observe(g.paths, project.name), {.remove_orphans = true});
  auto view = progress_view();
  orch::converge_down(g.paths, project, plan, converge_options(-1, view), false);
}

void add_kill_top_port(CLI::App& group, Globals& g) {
  auto kill = std::make_shared<KillFlags>();
  auto* cmd = group.add_subcommand("kill", "Force stop service containers");
  cmd->add_option("-s,--signal", kill->signal, "SIGNAL to send to the container");
  cmd->add_flag("--remove-orphans", kill->remove_orphans,
                "Remove containers for services not defined in the Compose file");
  cmd->add_option("service", kill->services, "Services");
  cmd->callback([kill, &g] { run_kill(g, *kill); });

  auto top = std::make_shared<std::vector<std::string>>();
  cmd = group.add_subcommand("top", "Display the running processes");
  cmd->add_option("service", *top, "Services");
  cmd->callback([top, &g] { run_top(g, *top); });

  auto port = std::make_shared<PortFlags>();
  cmd = group.add_subcommand("port", "Print the public port for a port binding");
  cmd->add_option("--protocol", port->protocol, "tcp or udp");
  cmd->add_option("--index", port->index,
                  "Index of the container if service has multiple replicas");
  cmd->add_option("SERVICE PRIVATE_PORT", port->args, "Service and private port")
      ->required()
      ->expected(2);
  cmd->callback([port, &g] { run_port(g, *port); });
}

void add_images_pause_wait(CLI::App& group, Globals& g) {
  auto images = std::make_shared<ImagesFlags>();
  auto* cmd = group.add_subcommand("images", "List images used by the created containers");
  cmd->add_option("--format", images->format, "Format the output. Values: [table | json]");
  cmd->add_flag("-q,--quiet", images->quiet, "Only display IDs");
  cmd->add_option("service", images->services, "Services");
  cmd->callback([images, &g] { run_compose_images(g, *images); });

  for (const bool pause : {true, false}) {
    auto services = std::make_shared<std::vector<std::string>>();
    cmd = group.add_subcommand(pause ? "pause" : "unpause",
                               pause ? "Pause services" : "Unpause services");
    cmd->add_option("service", *services, "Services");
    cmd->callback([services, pause, &g] { run_pause(g, *services, pause); });
  }

  auto wait = std::make_shared<WaitFlags>();
  cmd = group.add_subcommand("wait", "Block until containers of all (or specified) services stop.");
  cmd->add_flag("--down-project", wait->down_project,
                "Drops project when the first container stops");
  cmd->add_option("service", wait->services, "Services")->required();
  cmd->callback([wait, &g] { run_wait(g, *wait); });
}

void register_compose_service_verbs(CLI::App& app, Globals& g) {
  add_kill_top_port(compose_group(app), g);
  add_images_pause_wait(compose_group(app), g);
}

}  // namespace
BERTH_COMMANDS(register_compose_service_verbs);
}  // namespace berth::cli
