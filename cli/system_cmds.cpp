// `info`, `system info`, `system df`, `system prune`: what berth holds and where, and the
// one command that reclaims what nothing uses (engine/lifecycle/disk_usage.h and
// system_prune.h do the work; this file asks and prints).
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/container_exec_cmds.h"
#include "cli/format/template.h"
#include "cli/image_format.h"
#include "cli/version.h"
#include "common/error.h"
#include "core/runtime/cgroups.h"
#include "core/state/container_store.h"
#include "engine/image/store.h"
#include "engine/lifecycle/disk_usage.h"
#include "engine/lifecycle/system_prune.h"
#include "volumes/volume_store.h"

namespace berth::cli {
namespace {

namespace fs = std::filesystem;
using core::state::Status;

// Entries in a directory that holds one child per object (volumes/, networks/*.json).
int count_entries(const fs::path& dir, const std::string& suffix = "") {
  std::error_code ec;
  int n = 0;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (!suffix.empty() && !name.ends_with(suffix)) continue;
    ++n;
  }
  return n;
}

std::string os_name() {
  std::FILE* f = std::fopen("/etc/os-release", "re");
  if (!f) return "Linux";
  char line[512];
  std::string name = "Linux";
  while (std::fgets(line, sizeof line, f)) {
    std::string s(line);
    if (s.rfind("PRETTY_NAME=", 0) == 0) {
      name = s.substr(12);
      while (!name.empty() && (name.back() == '\n' || name.back() == '"')) name.pop_back();
      if (!name.empty() && name.front() == '"') name.erase(0, 1);
    }
  }
  std::fclose(f);
  return name;
}

nlohmann::json collect_info(const Globals& g) {
  core::state::ContainerStore containers(g.paths);
  engine::image::Store images(g.paths);
  // Docker's counts: a paused container is paused, not running.
  int running = 0, paused = 0, stopped = 0;
  auto list = containers.list();
  for (const auto& c : list)
    (c.state.status != Status::kRunning ? stopped : c.state.paused ? paused : running)++;
  utsname u{};
  ::uname(&u);
  struct sysinfo si {};
  ::sysinfo(&si);
  core::runtime::Cgroups cg;
  nlohmann::json j;
  j["ID"] = "";
  j["Containers"] = list.size();
  j["ContainersRunning"] = running;
  j["ContainersPaused"] = paused;
  j["ContainersStopped"] = stopped;
  j["Images"] = images.list().size();
  j["Volumes"] = volumes::VolumeStore(g.paths).list().size();
  j["Networks"] = count_entries(g.paths.networks(), ".json");
  j["Driver"] = "overlayfs";
  j["LoggingDriver"] = "json-file";
  j["CgroupDriver"] = "cgroupfs";
  j["CgroupVersion"] = cg.version() == core::runtime::Cgroups::Version::kV2 ? "2" : "1";
  j["KernelVersion"] = u.release;
  j["OperatingSystem"] = os_name();
  j["OSType"] = "linux";
  j["Architecture"] = u.machine;
  j["NCPU"] = ::sysconf(_SC_NPROCESSORS_ONLN);
  j["MemTotal"] = static_cast<int64_t>(si.totalram) * si.mem_unit;
  j["Name"] = u.nodename;
  j["ServerVersion"] = BERTH_VERSION;
  j["BerthRootDir"] = g.paths.root.string();
  j["BerthRunDir"] = g.paths.runroot.string();
  // The isolation every container gets, whatever its flags.
  j["Isolation"] = {"namespaces=pid,mount,uts,ipc,net", "rootfs=overlay+pivot_root",
                    "sys=read-only", "fds=0,1,2 only at exec"};
  return j;
}

void print_info(const nlohmann::json& j) {
  std::printf("Client:\n Version:    %s\n\nServer:\n", BERTH_VERSION);
  std::printf(" Containers: %d\n  Running: %d\n  Paused: %d\n  Stopped: %d\n",
              j["Containers"].get<int>(), j["ContainersRunning"].get<int>(),
              j["ContainersPaused"].get<int>(), j["ContainersStopped"].get<int>());
  std::printf(" Images: %d\n Volumes: %d\n Networks: %d\n", j["Images"].get<int>(),
              j["Volumes"].get<int>(), j["Networks"].get<int>());
  std::printf(" Server Version: %s\n Storage Driver: %s\n Logging Driver: %s\n",
              j["ServerVersion"].get<std::string>().c_str(), j["Driver"].get<std::string>().c_str(),
              j["LoggingDriver"].get<std::string>().c_str());
  std::printf(" Cgroup Driver: %s\n Cgroup Version: %s\n",
              j["CgroupDriver"].get<std::string>().c_str(),
              j["CgroupVersion"].get<std::string>().c_str());
  std::printf(" Isolation:\n");
  for (const auto& s : j["Isolation"]) std::printf("  %s\n", s.get<std::string>().c_str());
  std::printf(" Kernel Version: %s\n Operating System: %s\n OSType: %s\n Architecture: %s\n",
              j["KernelVersion"].get<std::string>().c_str(),
              j["OperatingSystem"].get<std::string>().c_str(),
              j["OSType"].get<std::string>().c_str(), j["Architecture"].get<std::string>().c_str());
  std::printf(" CPUs: %d\n Total Memory: %s\n Name: %s\n", j["NCPU"].get<int>(),
              human_size(static_cast<double>(j["MemTotal"].get<int64_t>())).c_str(),
              j["Name"].get<std::string>().c_str());
  std::printf(" Berth Root Dir: %s\n Berth Run Dir: %s\n",
              j["BerthRootDir"].get<std::string>().c_str(),
              j["BerthRunDir"].get<std::string>().c_str());
}

void add_info(CLI::App& parent, Globals& g, const std::string& name) {
  auto* cmd = parent.add_subcommand(name, "Display system-wide information");
  auto format = std::make_shared<std::string>();
  cmd->add_option("-f,--format", *format, "Format the output: json or a Go template");
  cmd->callback([&g, format] {
    auto j = collect_info(g);
    if (format->empty()) {
      print_info(j);
      return;
    }
    const std::string tmpl = *format == "json" ? "{{json .}}" : *format;
    std::cout << format::render_template(tmpl, nlohmann::ordered_json(j)) << "\n";
  });
}

void system_df(const Globals& g) {
  const engine::lifecycle::DiskUsage u = engine::lifecycle::disk_usage(g.paths);
  auto size = [](int64_t bytes) { return human_size(static_cast<double>(bytes)); };
  auto row = [&](const char* type, const engine::lifecycle::UsageRow& r) {
    return std::vector<std::string>{
        type, std::to_string(r.total), std::to_string(r.active), size(r.size),
        size(r.reclaimable) + " (" + std::to_string(r.size > 0 ? r.reclaimable * 100 / r.size : 0) +
            "%)"};
  };
  auto cache = row("Build Cache", u.build_cache);
  cache[4] = size(u.build_cache.reclaimable);
  print_table({{"TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"},
               row("Images", u.images),
               row("Containers", u.containers),
               row("Local Volumes", u.volumes),
               cache});
}

bool confirm_system_prune(const std::string& what) {
  std::cout << "WARNING! This will remove:\n"
            << what << "\nAre you sure you want to continue? [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

void system_prune(Globals& g, bool all, bool force, bool volumes) {
  std::string what =
      "  - all stopped containers\n  - all networks not used by at least one container\n";
  if (volumes) what += "  - all anonymous volumes not used by at least one container\n";
  what += all ? "  - all images without at least one container associated to them\n"
              : "  - all dangling images\n";
  what += "  - unused build cache\n";
  if (!force && !confirm_system_prune(what)) return;
  const auto r = engine::lifecycle::prune_system(g.paths, {all, volumes});
  auto section = [](const char* title, const std::vector<std::string>& lines) {
    if (lines.empty()) return;
    std::cout << title << "\n";
    for (const auto& l : lines) std::cout << l << "\n";
    std::cout << "\n";
  };
  section("Deleted Containers:", r.containers);
  section("Deleted Networks:", r.networks);
  section("Deleted Volumes:", r.volumes);
  section("Deleted Images:", r.images);
  std::cout << "Total reclaimed space: " << human_size(static_cast<double>(r.reclaimed)) << "\n";
  if (!r.failures.empty()) {
    std::string msg;
    for (const auto& f : r.failures) msg += (msg.empty() ? "" : "; ") + f;
    throw berth::Error(msg);
  }
}

void register_system(CLI::App& app, Globals& g) {
  add_info(app, g, "info");
  auto* sys = app.add_subcommand("system", "Manage berth");
  sys->require_subcommand(1);
  add_info(*sys, g, "info");
  auto* df = sys->add_subcommand("df", "Show berth disk usage");
  df->callback([&g] { system_df(g); });
  auto* prune = sys->add_subcommand("prune", "Remove unused data");
  auto all = std::make_shared<bool>(false), force = std::make_shared<bool>(false),
       volumes = std::make_shared<bool>(false);
  prune->add_flag("-a,--all", *all, "Remove all unused images, not just dangling ones");
  prune->add_flag("-f,--force", *force, "Do not prompt for confirmation");
  prune->add_flag("--volumes", *volumes, "Prune anonymous volumes");
  prune->callback([&g, all, force, volumes] { system_prune(g, *all, *force, *volumes); });
  add_system_restore(*sys, g);
}

}  // namespace
BERTH_COMMANDS(register_system);
}  // namespace berth::cli
