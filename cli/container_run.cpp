// run, create, start: parse Docker's flags, then engine/lifecycle does the work.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <optional>

#include "cli/container_commands.h"
#include "cli/request/run_flags.h"
#include "common/error.h"
#include "core/state/container_store.h"
#include "engine/lifecycle/attach.h"
#include "engine/lifecycle/container_create.h"
#include "engine/lifecycle/container_start.h"

namespace berth::cli {

namespace lc = engine::lifecycle;

namespace {

struct CreateFlags {
  RunFlags flags;
  bool detach = false;
};

void add_create_flags(CLI::App* sub, CreateFlags& f) {
  add_run_flags(sub, f.flags);
}

request::ContainerRequest finish_options(CLI::App* sub, CreateFlags& f, const std::string& verb) {
  auto rest = sub->remaining();
  if (rest.empty())
    throw Error("\"" + verb + "\" requires at least 1 argument.\nSee 'berth " + verb + " --help'.",
                125);
  return to_request(f.flags, rest[0], std::vector<std::string>(rest.begin() + 1, rest.end()));
}

core::state::Container create(Globals& g, const request::ContainerRequest& o) {
  try {
    return lc::create_container(g.paths, o);
  } catch (const NotFound& e) {
    throw Error(e.what(), 125);  // Docker: a `run` that cannot find its image exits 125
  }
}

}  // namespace

int run_attached(Globals& g, const core::state::Container& c, bool with_stdin) {
  lc::Attach a;
  a.fds[0] = with_stdin ? 0 : -1;
  a.fds[1] = 1;
  a.fds[2] = 2;
  std::cout.flush();
  lc::RawTerminal raw(c.config.tty && with_stdin ? 0 : -1);
  std::optional<lc::SignalProxy> proxy;
  std::optional<lc::MonitorProcess> m;
  {
    // Signals that arrive while the container starts wait for the proxy, then go to it.
    lc::BlockForwardedSignals blocked;
    m.emplace(lc::start_container(g.paths, c, a));
    proxy.emplace(m->container_pid(), m->monitor_pid());
  }
  return m->wait_exit();
}

CLI::App* add_run(CLI::App& parent, Globals& g) {
  auto* sub = parent.add_subcommand("run", "Create and run a new container from an image");
  auto f = std::make_shared<CreateFlags>();
  add_create_flags(sub, *f);
  sub->add_flag("-d,--detach", f->detach, "Run container in background and print container ID");
  sub->callback([sub, f, &g] {
    auto o = finish_options(sub, *f, "run");
    auto c = create(g, o);
    if (f->detach) {
      lc::start_container(g.paths, c);
      std::cout << c.id() << "\n";
      return;
    }
    g.exit_code = run_attached(g, c, o.process.open_stdin);
  });
  return sub;
}

CLI::App* add_create(CLI::App& parent, Globals& g) {
  auto* sub = parent.add_subcommand("create", "Create a new container");
  auto f = std::make_shared<CreateFlags>();
  add_create_flags(sub, *f);
  sub->callback([sub, f, &g] {
    auto c = create(g, finish_options(sub, *f, "create"));
    std::cout << c.id() << "\n";
  });
  return sub;
}

CLI::App* add_start(CLI::App& parent, Globals& g) {
  auto* sub = parent.add_subcommand("start", "Start one or more stopped containers");
  auto names = std::make_shared<std::vector<std::string>>();
  auto attach = std::make_shared<bool>(false);
  auto interactive = std::make_shared<bool>(false);
  sub->add_flag("-a,--attach", *attach, "Attach STDOUT/STDERR and forward signals");
  sub->add_flag("-i,--interactive", *interactive, "Attach container's STDIN");
  sub->add_option("CONTAINER", *names, "Containers")->required();
  sub->callback([names, attach, interactive, &g] {
    core::state::ContainerStore store(g.paths);
    if (*attach || *interactive) {
      if (names->size() != 1)
        throw Error("you cannot start and attach multiple containers at once", 125);
      auto c = store.find(names->front());
      g.exit_code = run_attached(g, c, *interactive && c.config.open_stdin);
      return;
    }
    for_each_container(g, *names, [&](const std::string& name) {
      auto c = store.find(name);
      if (!c.running()) lc::start_container(g.paths, c);
      std::cout << name << "\n";
    });
  });
  return sub;
}

}  // namespace berth::cli
