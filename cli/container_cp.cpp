// rename and cp: Docker's arguments and messages over engine/lifecycle and core/state.
#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli/container_commands.h"
#include "cli/container_exec_cmds.h"
#include "cli/request/cp_args.h"
#include "common/error.h"
#include "core/state/container_store.h"
#include "engine/lifecycle/container_cp.h"

namespace berth::cli {

namespace lc = engine::lifecycle;

CLI::App* add_rename(CLI::App& parent, Globals& g) {
  auto* sub = parent.add_subcommand("rename", "Rename a container");
  auto names = std::make_shared<std::vector<std::string>>();
  sub->add_option("CONTAINER NEW_NAME", *names, "Container and its new name")->expected(2);
  sub->callback([names, &g] {
    if (names->size() != 2)
      throw Error("\"rename\" requires exactly 2 arguments.\nSee 'berth rename --help'.", 125);
    core::state::ContainerStore store(g.paths);
    store.rename(store.resolve((*names)[0]), (*names)[1]);
  });
  return sub;
}

CLI::App* add_cp(CLI::App& parent, Globals& g) {
  auto* sub = parent.add_subcommand(
      "cp", "Copy files/folders between a container and the local filesystem");
  auto args = std::make_shared<std::vector<std::string>>();
  sub->add_option("SRC DEST", *args, "CONTAINER:SRC_PATH DEST_PATH or SRC_PATH CONTAINER:DEST_PATH")
      ->expected(2);
  sub->callback([args, &g] {
    if (args->size() != 2)
      throw Error("\"cp\" requires exactly 2 arguments.\nSee 'berth cp --help'.", 125);
    auto from = split_cp_arg((*args)[0]), to = split_cp_arg((*args)[1]);
    if (from && to) throw Error("copying between containers is not supported");
    if (!from && !to) throw Error("must specify at least one container source");
    // "-": a tar stream on stdout or from stdin, as Docker's.
    if (from && (*args)[1] == "-") {
      lc::copy_from_container_tar(g.paths, from->first, from->second, STDOUT_FILENO);
    } else if (to && (*args)[0] == "-") {
      lc::copy_tar_to_container(g.paths, to->first, STDIN_FILENO, to->second);
    } else if (from) {
      lc::copy_from_container(g.paths, from->first, from->second, (*args)[1]);
    } else {
      lc::copy_to_container(g.paths, to->first, (*args)[0], to->second);
    }
  });
  return sub;
}

}  // namespace berth::cli
