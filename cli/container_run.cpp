// run, create, start: parse Docker's flags, then engine/lifecycle does the work.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <optional>

#include "cli/container_commands.h"
#include "cli/run_flags_harden.h"
#include "cli/run_flags_mounts.h"
#include "cli/run_flags_network.h"
#include "cli/run_flags_ports.h"
#include "cli/run_flags_supervision.h"
#include "common/error.h"
#include "core/state/container_store.h"
#include "engine/lifecycle/attach.h"
#include "engine/lifecycle/container_create.h"
#include "engine/lifecycle/container_start.h"

namespace berth::cli {

namespace lc = engine::lifecycle;

namespace {

struct CreateFlags {
  lc::CreateOptions opts;
  std::string entrypoint, workdir, user;
  CLI::Option *entrypoint_opt = nullptr, *workdir_opt = nullptr, *user_opt = nullptr;
  bool detach = false;
};

// Options that take one value per occurrence and may repeat (-e A -e B).
CLI::Option* add_repeated(CLI::App* sub, const std::string& name, std::vector<std::string>& v,
                          const std::string& help) {
  return sub->add_option(name, v, help)->allow_extra_args(false)->take_all();
}

void add_create_flags(CLI::App* sub, CreateFlags& f) {
  // IMAGE [COMMAND [ARG...]]: everything from the first positional on belongs to the container.
  sub->prefix_command();
  sub->set_help_flag("--help", "Print help");  // -h is --hostname, as in Docker
  auto& o = f.opts;
  sub->add_option("--name", o.name, "Assign a name to the container");
  add_repeated(sub, "-e,--env", o.env, "Set environment variables");
  add_repeated(sub, "--env-file", o.env_files, "Read in a file of environment variables");
  f.workdir_opt =
      sub->add_option("-w,--workdir", f.workdir, "Working directory inside the container");
  f.user_opt =
      sub->add_option("-u,--user", f.user, "Username or UID (format: <name|uid>[:<group|gid>])");
  f.entrypoint_opt = sub->add_option("--entrypoint", f.entrypoint,
                                     "Overwrite the default ENTRYPOINT of the image");
  sub->add_option("-h,--hostname", o.hostname, "Container host name");
  add_repeated(sub, "-l,--label", o.labels, "Set meta data on a container");
  sub->add_flag("-i,--interactive", o.open_stdin, "Keep STDIN open even if not attached");
  sub->add_flag("-t,--tty", o.tty, "Allocate a pseudo-TTY");
  sub->add_flag("--rm", o.auto_remove, "Automatically remove the container when it exits");
  add_network_flags(sub, o.network);
  add_port_flags(sub, o.ports);
  add_mount_flags(sub, o.mounts);
  add_harden_flags(sub, o.harden);
  add_supervision_flags(sub, o.supervision);
}

lc::CreateOptions finish_options(CLI::App* sub, CreateFlags& f, const std::string& verb) {
  auto rest = sub->remaining();
  if (rest.empty())
    throw Error("\"" + verb + "\" requires at least 1 argument.\nSee 'berth " + verb + " --help'.",
                125);
  lc::CreateOptions o = f.opts;
  o.image = rest[0];
  o.args.assign(rest.begin() + 1, rest.end());
  if (f.entrypoint_opt->count()) o.entrypoint = f.entrypoint;
  if (f.workdir_opt->count()) o.workdir = f.workdir;
  if (f.user_opt->count()) o.user = f.user;
  return o;
}

core::state::Container create(Globals& g, const lc::CreateOptions& o) {
  try {
    return lc::create_container(g.paths, o);
  } catch (const NotFound& e) {
    throw Error(e.what(), 125);  // Docker: a `run` that cannot find its image exits 125
  }
}

// Attached start: the monitor gets our stdio; we forward signals and wait for the exit code.
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

}  // namespace

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
    g.exit_code = run_attached(g, c, o.open_stdin);
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
