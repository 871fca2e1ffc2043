// Registers the container verbs twice: at the top level (`berth run`, `berth ps`, ...) and in
// the `container` group with Docker's aliases (`berth container ls|list|ps`, `rm|remove`, ...).
#include <algorithm>
#include <iostream>
#include <iterator>

#include "cli/container_commands.h"
#include "cli/container_exec_cmds.h"
#include "common/error.h"

namespace berth::cli {

void for_each_container(Globals& g, const std::vector<std::string>& names,
                        const std::function<void(const std::string&)>& fn) {
  for (const auto& name : names) {
    try {
      fn(name);
    } catch (const Error& e) {
      std::cerr << "Error: " << e.what() << "\n";
      g.exit_code = 1;
    }
  }
}

namespace {

// The verbs add_exec_commands adds (one unit: they are cheap to build).
constexpr const char* kExecVerbs[] = {"exec", "pause", "unpause", "top", "stats", "rename", "cp"};

// Adds every verb, or only `only` (a top-level word this group claimed).
void add_all(CLI::App& parent, Globals& g, bool top_level, const std::string& only = {}) {
  auto want = [&](const char* verb) { return only.empty() || only == verb; };
  if (want("run")) add_run(parent, g);
  if (want("create")) add_create(parent, g);
  if (want("start")) add_start(parent, g);
  if (want("stop")) add_stop(parent, g);
  if (want("restart")) add_restart(parent, g);
  if (want("kill")) add_kill(parent, g);
  if (want("rm")) {
    auto* rm = add_rm(parent, g);
    if (!top_level) rm->alias("remove");
  }
  if (want("wait")) add_wait(parent, g);
  if (want("ps")) {
    auto* ps = add_ps(parent, g);
    if (!top_level) {
      ps->alias("ls");
      ps->alias("list");
    }
  }
  if (want("logs")) add_logs(parent, g);
  if (want("port")) add_port(parent, g);
  if (want("inspect")) add_container_inspect(parent, g, top_level);
  if (want("commit")) add_commit(parent, g);
  if (only.empty() ||
      std::find(std::begin(kExecVerbs), std::end(kExecVerbs), only) != std::end(kExecVerbs))
    add_exec_commands(parent, g);
}

void register_containers(CLI::App& app, Globals& g) {
  // `berth run ...` builds only `run`; `berth container ...` only the group.
  if (g.verb.empty() || g.verb != "container") add_all(app, g, true, g.verb);
  if (!g.verb.empty() && g.verb != "container") return;
  auto* group = app.add_subcommand("container", "Manage containers");
  group->require_subcommand(1);
  add_all(*group, g, false);
}

BERTH_COMMANDS(register_containers, "run", "create", "start", "stop", "restart", "kill", "rm",
               "wait", "ps", "logs", "port", "inspect", "exec", "pause", "unpause", "top", "stats",
               "rename", "cp", "commit", "container");

}  // namespace
}  // namespace berth::cli
