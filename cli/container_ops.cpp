// stop, restart, kill, rm, wait: one line per container named, Docker's messages.
#include <iostream>
#include <memory>

#include "cli/container_commands.h"
#include "common/error.h"
#include "engine/lifecycle/container_control.h"
#include "engine/lifecycle/signals.h"
#include "volumes/volume_ops.h"

namespace berth::cli {

namespace lc = engine::lifecycle;
using core::state::ContainerStore;

namespace {

struct Targets {
  std::vector<std::string> names;
};

CLI::App* verb(CLI::App& parent, const std::string& name, const std::string& help,
               std::shared_ptr<Targets>& t) {
  t = std::make_shared<Targets>();
  auto* sub = parent.add_subcommand(name, help);
  sub->add_option("CONTAINER", t->names, "Containers")->required();
  return sub;
}

}  // namespace

CLI::App* add_stop(CLI::App& parent, Globals& g) {
  std::shared_ptr<Targets> t;
  auto* sub = verb(parent, "stop", "Stop one or more running containers", t);
  auto timeout = std::make_shared<int>(-1);
  sub->add_option("-t,--time", *timeout, "Seconds to wait before killing the container");
  sub->callback([t, timeout, &g] {
    ContainerStore store(g.paths);
    for_each_container(g, t->names, [&](const std::string& name) {
      lc::stop_container(store, store.resolve(name), *timeout);
      std::cout << name << "\n";
    });
  });
  return sub;
}

CLI::App* add_restart(CLI::App& parent, Globals& g) {
  std::shared_ptr<Targets> t;
  auto* sub = verb(parent, "restart", "Restart one or more containers", t);
  auto timeout = std::make_shared<int>(-1);
  sub->add_option("-t,--time", *timeout, "Seconds to wait before killing the container");
  sub->callback([t, timeout, &g] {
    ContainerStore store(g.paths);
    for_each_container(g, t->names, [&](const std::string& name) {
      lc::restart_container(g.paths, store.resolve(name), *timeout);
      std::cout << name << "\n";
    });
  });
  return sub;
}

CLI::App* add_kill(CLI::App& parent, Globals& g) {
  std::shared_ptr<Targets> t;
  auto* sub = verb(parent, "kill", "Kill one or more running containers", t);
  auto signal = std::make_shared<std::string>("KILL");
  sub->add_option("-s,--signal", *signal, "Signal to send to the container");
  sub->callback([t, signal, &g] {
    ContainerStore store(g.paths);
    int sig = lc::parse_signal(*signal);
    for_each_container(g, t->names, [&](const std::string& name) {
      lc::kill_container(store, store.resolve(name), sig);
      std::cout << name << "\n";
    });
  });
  return sub;
}

CLI::App* add_rm(CLI::App& parent, Globals& g) {
  std::shared_ptr<Targets> t;
  auto* sub = verb(parent, "rm", "Remove one or more containers", t);
  auto force = std::make_shared<bool>(false);
  sub->add_flag("-f,--force", *force, "Force the removal of a running container (uses SIGKILL)");
  auto volumes = std::make_shared<bool>(false);
  sub->add_flag("-v,--volumes", *volumes, "Remove anonymous volumes associated with the container");
  sub->callback([t, force, volumes, &g] {
    ContainerStore store(g.paths);
    for_each_container(g, t->names, [&](const std::string& name) {
      std::string id;
      try {
        id = store.resolve(name);
      } catch (const NotFound&) {
        if (*force) return;  // Docker: rm -f of a missing container is not an error
        throw;
      }
      const auto config = store.load(id).config;
      lc::remove_container(store, id, *force);
      if (*volumes) {
        if (auto err = berth::volumes::release_container_volumes(g.paths, config); !err.empty())
          throw Error("remove volumes of " + name + ": " + err);
      }
      std::cout << name << "\n";
    });
  });
  return sub;
}

CLI::App* add_wait(CLI::App& parent, Globals& g) {
  std::shared_ptr<Targets> t;
  auto* sub = verb(parent, "wait",
                   "Block until one or more containers stop, then print their exit codes", t);
  sub->callback([t, &g] {
    ContainerStore store(g.paths);
    for_each_container(g, t->names, [&](const std::string& name) {
      std::cout << lc::wait_container(store, store.resolve(name)) << std::endl;
    });
  });
  return sub;
}

}  // namespace berth::cli
