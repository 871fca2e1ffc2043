// `berth compose cp` and `compose ls`, as Docker Compose v2 does them. cp copies between the
// host and a service's containers (`SERVICE:PATH` on either side; into every container of the
// service, out of its first) through the engine's copy functions, `berth cp`'s. ls lists the
// projects that have containers, found by their com.docker.compose.project label: it needs no
// compose file. cp's progress lines on stderr are Compose's events:
// ` demo-web-1 copy ./f to demo-web-1:/tmp  Copied`.
#include <unistd.h>

#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>

#include "cli/compose_cmds.h"
#include "cli/compose_targets.h"
#include "cli/format/compose_views.h"
#include "cli/format/tabwriter.h"
#include "cli/request/cp_args.h"
#include "common/error.h"
#include "core/state/container_store.h"
#include "engine/lifecycle/container_cp.h"
#include "orchestrator/labels.h"
#include "orchestrator/observe.h"

namespace berth::cli {
namespace {

namespace lc = engine::lifecycle;
namespace orch = orchestrator;

struct ComposeCpFlags {
  std::vector<std::string> args;  // SRC DEST
  int index = 0;
  bool all = false;
};

// Compose's listContainersTargetedForCopy: the numbered container, or every container of the
// service (one-offs too with --all).
std::vector<orch::ObservedContainer> copy_targets(Globals& g, const std::string& service,
                                                  const ComposeCpFlags& f) {
  const auto current = orch::observe(g.paths, load_compose_project().name);
  if (f.index > 0) return {specified_container(current, OneOff::kExclude, true, service, f.index)};
  auto targets =
      service_containers(current, f.all ? OneOff::kInclude : OneOff::kExclude, true, {service});
  if (targets.empty()) throw Error("no container found for service \"" + service + "\"");
  return targets;
}

void run_compose_cp(Globals& g, const ComposeCpFlags& f) {
  const std::string &src = f.args.at(0), &dst = f.args.at(1);
  const auto from = split_cp_arg(src), to = split_cp_arg(dst);
  if (from && to) throw Error("copying between services is not supported");
  if (!from && !to) throw Error("unknown copy direction");
  auto view = progress_view();
  if (from) {
    const auto target = copy_targets(g, from->first, f).front();
    const std::string what = "copy " + target.name + ":" + from->second + " to " + dst;
    view.event(target.name, what, "Copying");
    if (dst == "-")
      lc::copy_from_container_tar(g.paths, target.id, from->second, STDOUT_FILENO);
    else
      lc::copy_from_container(g.paths, target.id, from->second, dst);
    view.event(target.name, what, "Copied");
    return;
  }
  for (const auto& target : copy_targets(g, to->first, f)) {
    const std::string what = "copy " + src + " to " + target.name + ":" + to->second;
    view.event(target.name, what, "Copying");
    if (src == "-")
      lc::copy_tar_to_container(g.paths, target.id, STDIN_FILENO, to->second);
    else
      lc::copy_to_container(g.paths, target.id, src, to->second);
    view.event(target.name, what, "Copied");
  }
}

struct LsFlags {
  std::string format = "table";
  bool quiet = false, all = false;
  std::vector<std::string> filters;
};

struct Stack {
  std::vector<std::string> states, config_files;
};

// --filter name=REGEX (Docker's filters match a name by regular expression search); any other
// key is refused, as Compose refuses it.
std::vector<std::regex> name_filters(const std::vector<std::string>& filters) {
  std::vector<std::regex> out;
  for (const auto& f : filters) {
    const size_t eq = f.find('=');
    if (eq == std::string::npos) throw Error("bad format of filter (expected name=value)");
    if (f.substr(0, eq) != "name") throw Error("invalid filter '" + f.substr(0, eq) + "'");
    try {
      out.emplace_back(f.substr(eq + 1));
    } catch (const std::regex_error& e) {
      throw Error("invalid filter '" + f + "': " + e.what());
    }
  }
  return out;
}

void run_ls(Globals& g, const LsFlags& f) {
  if (f.format != "table" && f.format != "json")
    throw Error("format value \"" + f.format + "\" could not be parsed: parsing failed");
  const auto filters = name_filters(f.filters);
  std::map<std::string, Stack> stacks;
  for (const auto& c : core::state::ContainerStore(g.paths).list()) {
    const auto& labels = c.config.labels;
    auto project = labels.find(orch::kProjectLabel);
    if (project == labels.end()) continue;
    if (!f.all && !c.running() && !c.state.restarting) continue;
    Stack& s = stacks[project->second];
    s.states.push_back(core::state::docker_status(c.state));
    auto files = labels.find(orch::kConfigFilesLabel);
    s.config_files.push_back(files == labels.end() ? "" : files->second);
  }
  std::erase_if(stacks, [&](const auto& kv) {
    for (const auto& re : filters)
      if (!std::regex_search(kv.first, re)) return true;
    return false;
  });
  if (f.quiet) {
    for (const auto& [name, _] : stacks) std::cout << name << "\n";
    return;
  }
  if (f.format == "json") {
    auto out = nlohmann::ordered_json::array();
    for (const auto& [name, s] : stacks)
      out.push_back({{"Name", name},
                     {"Status", format::combined_status(s.states)},
                     {"ConfigFiles", format::combined_config_files(s.config_files)}});
    std::cout << out.dump() << "\n";
    return;
  }
  std::string text = "NAME\tSTATUS\tCONFIG FILES\n";
  for (const auto& [name, s] : stacks)
    text += name + "\t" + format::combined_status(s.states) + "\t" +
            format::combined_config_files(s.config_files) + "\n";
  std::cout << format::tabwrite(text, 20);
}

void register_compose_cp_ls(CLI::App& app, Globals& g) {
  auto& group = compose_group(app);
  auto cp = std::make_shared<ComposeCpFlags>();
  auto* cmd = group.add_subcommand(
      "cp", "Copy files/folders between a service container and the local filesystem");
  cmd->add_option("--index", cp->index, "Index of the container if service has multiple replicas");
  cmd->add_flag("--all", cp->all, "Include containers created by the run command");
  cmd->add_option("SRC DEST", cp->args, "SERVICE:SRC_PATH DEST_PATH or SRC_PATH SERVICE:DEST_PATH")
      ->required()
      ->expected(2);
  cmd->callback([cp, &g] { run_compose_cp(g, *cp); });

  auto ls = std::make_shared<LsFlags>();
  cmd = group.add_subcommand("ls", "List running compose projects");
  cmd->add_option("--format", ls->format, "Format the output. Values: [table | json]");
  cmd->add_flag("-q,--quiet", ls->quiet, "Only display project names");
  cmd->add_flag("-a,--all", ls->all, "Show all stopped Compose projects");
  cmd->add_option("--filter", ls->filters, "Filter output based on conditions provided");
  cmd->callback([ls, &g] { run_ls(g, *ls); });
}

}  // namespace
BERTH_COMMANDS(register_compose_cp_ls);
}  // namespace berth::cli
