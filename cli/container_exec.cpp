// exec, pause, unpause: Docker's flags and messages; engine/lifecycle does the work.
#include <iostream>
#include <memory>

#include "cli/container_commands.h"
#include "cli/container_exec_cmds.h"
#include "cli/request/run_flags.h"
#include "common/error.h"
#include "core/state/container_store.h"
#include "engine/lifecycle/container_exec.h"
#include "engine/lifecycle/container_pause.h"

namespace berth::cli {

namespace lc = engine::lifecycle;
using core::state::ContainerStore;

namespace {

struct ExecFlags {
  lc::ExecOptions opts;
  std::vector<std::string> env, env_files;
  std::string user, workdir;
  CLI::Option *user_opt = nullptr, *workdir_opt = nullptr;
};

}  // namespace

CLI::App* add_exec(CLI::App& parent, Globals& g) {
  auto* sub = parent.add_subcommand("exec", "Execute a command in a running container");
  auto f = std::make_shared<ExecFlags>();
  // CONTAINER COMMAND [ARG...]: everything from the first positional on is not ours.
  sub->prefix_command();
  auto& o = f->opts;
  sub->add_flag("-d,--detach", o.detach, "Detached mode: run command in the background");
  sub->add_flag("-i,--interactive", o.interactive, "Keep STDIN open even if not attached");
  sub->add_flag("-t,--tty", o.tty, "Allocate a pseudo-TTY");
  sub->add_option("-e,--env", f->env, "Set environment variables")
      ->allow_extra_args(false)
      ->take_all();
  sub->add_option("--env-file", f->env_files, "Read in a file of environment variables")
      ->allow_extra_args(false)
      ->take_all();
  f->user_opt = sub->add_option("-u,--user", f->user,
                                "Username or UID (format: \"<name|uid>[:<group|gid>]\")");
  f->workdir_opt =
      sub->add_option("-w,--workdir", f->workdir, "Working directory inside the container");
  sub->add_flag("--privileged", o.privileged, "Give extended privileges to the command");
  sub->callback([sub, f, &g] {
    auto rest = sub->remaining();
    if (rest.size() < 2)
      throw Error("\"exec\" requires at least 2 arguments.\nSee 'berth exec --help'.", 125);
    lc::ExecOptions o = f->opts;
    o.argv.assign(rest.begin() + 1, rest.end());
    o.env = resolve_env(f->env_files, f->env);
    if (f->user_opt->count()) o.user = f->user;
    if (f->workdir_opt->count()) o.workdir = f->workdir;
    try {
      g.exit_code = lc::exec_container(g.paths, rest[0], o);
    } catch (const NotFound& e) {
      throw Error(e.what(), 125);
    }
  });
  return sub;
}

namespace {

CLI::App* freeze_verb(CLI::App& parent, Globals& g, const std::string& name,
                      const std::string& help, bool pause) {
  auto* sub = parent.add_subcommand(name, help);
  auto names = std::make_shared<std::vector<std::string>>();
  sub->add_option("CONTAINER", *names, "Containers")->required();
  sub->callback([names, pause, &g] {
    ContainerStore store(g.paths);
    for_each_container(g, *names, [&](const std::string& name) {
      const std::string id = store.resolve(name);
      if (pause)
        lc::pause_container(store, id);
      else
        lc::unpause_container(store, id);
      std::cout << name << "\n";
    });
  });
  return sub;
}

}  // namespace

CLI::App* add_pause(CLI::App& parent, Globals& g) {
  return freeze_verb(parent, g, "pause", "Pause all processes within one or more containers", true);
}

CLI::App* add_unpause(CLI::App& parent, Globals& g) {
  return freeze_verb(parent, g, "unpause", "Unpause all processes within one or more containers",
                     false);
}

void add_exec_commands(CLI::App& parent, Globals& g) {
  add_exec(parent, g);
  add_pause(parent, g);
  add_unpause(parent, g);
  add_top(parent, g);
  add_stats(parent, g);
  add_rename(parent, g);
  add_cp(parent, g);
}

}  // namespace berth::cli
