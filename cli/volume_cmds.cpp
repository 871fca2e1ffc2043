// `volume create|ls|inspect|rm|prune`: Docker's flags, output and exit codes; the work is
// volumes/ (VolumeStore and the verbs that need the container records).
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/format/list.h"
#include "cli/image_format.h"
#include "common/error.h"
#include "core/state/container_store.h"
#include "core/state/volume_refs.h"
#include "volumes/volume_ops.h"
#include "volumes/volume_store.h"

namespace berth::cli {
namespace {

using volumes::Volume;
using volumes::VolumeStore;

std::map<std::string, std::string> key_values(const std::vector<std::string>& items,
                                              const std::string& flag) {
  std::map<std::string, std::string> out;
  for (const auto& kv : items) {
    const size_t eq = kv.find('=');
    if (eq == 0 || kv.empty())
      throw Error("invalid argument \"" + kv + "\" for \"" + flag + "\"", 125);
    out[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
  }
  return out;
}

nlohmann::ordered_json volume_inspect_json(const Volume& v) {
  return {{"CreatedAt", v.created_at},
          {"Driver", "local"},
          {"Labels",
           v.labels.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v.labels)},
          {"Mountpoint", v.mountpoint.string()},
          {"Name", v.name},
          {"Options",
           v.options.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v.options)},
          {"Scope", "local"}};
}

// docker/cli's VolumeContext fields: what --format json prints and templates read.
format::Row volume_row(const Volume& v) {
  return {{{"Availability", "N/A"},
           {"Driver", "local"},
           {"Group", "N/A"},
           {"Labels", format::labels_text(v.labels)},
           {"Links", "N/A"},
           {"Mountpoint", v.mountpoint.string()},
           {"Name", v.name},
           {"Scope", "local"},
           {"Size", "N/A"},
           {"Status", "N/A"}},
          v.labels};
}

const format::Columns& volume_columns() {
  static const format::Columns k{{{"Name", "VOLUME NAME"},
                                  {"Driver", "DRIVER"},
                                  {"Scope", "SCOPE"},
                                  {"Mountpoint", "MOUNTPOINT"},
                                  {"Labels", "LABELS"},
                                  {"Links", "LINKS"},
                                  {"Size", "SIZE"},
                                  {"Group", "GROUP"},
                                  {"Availability", "AVAILABILITY"},
                                  {"Status", "STATUS"}},
                                 "table {{.Driver}}\\t{{.Name}}"};
  return k;
}

void add_volume_create(CLI::App& vol, Globals& g) {
  auto* cmd = vol.add_subcommand("create", "Create a volume");
  struct Flags {
    std::string name, driver = "local";
    std::vector<std::string> labels, opts;
  };
  auto f = std::make_shared<Flags>();
  cmd->add_option("VOLUME", f->name, "Volume name");
  cmd->add_option("--name", f->name, "Specify volume name");
  cmd->add_option("-d,--driver", f->driver, "Specify volume driver name");
  cmd->add_option("--label", f->labels, "Set metadata for a volume")->allow_extra_args(false);
  cmd->add_option("-o,--opt", f->opts, "Set driver specific options")->allow_extra_args(false);
  cmd->callback([f, &g] {
    if (f->driver != "local")
      throw Error("create " + f->name + ": driver " + f->driver + " not found", 125);
    VolumeStore store(g.paths);
    auto lock = store.lock();
    Volume v =
        store.create(f->name, key_values(f->labels, "--label"), key_values(f->opts, "--opt"));
    std::cout << v.name << "\n";
  });
}

void add_volume_ls(CLI::App& vol, Globals& g) {
  auto* cmd = vol.add_subcommand("ls", "List volumes");
  cmd->alias("list");
  auto quiet = std::make_shared<bool>(false);
  auto filters = std::make_shared<std::vector<std::string>>();
  auto format = std::make_shared<std::string>();
  cmd->add_flag("-q,--quiet", *quiet, "Only display volume names");
  cmd->add_option("-f,--filter", *filters, "Provide filter values (e.g. \"dangling=true\")")
      ->allow_extra_args(false);
  cmd->add_option("--format", *format,
                  "Format output: table, json, a Go template ({{.Name}}) or table TEMPLATE");
  cmd->callback([&g, quiet, filters, format] {
    std::vector<std::string> labels;
    std::string dangling, name;
    for (const auto& f : *filters) {
      const size_t eq = f.find('=');
      const std::string key = f.substr(0, eq),
                        value = eq == std::string::npos ? "" : f.substr(eq + 1);
      if (key == "label")
        labels.push_back(value);
      else if (key == "dangling")
        dangling = value;
      else if (key == "name")
        name = value;
      else if (key != "driver")
        throw Error("invalid filter '" + key + "'", 125);
    }
    const auto used = core::state::volumes_in_use(core::state::ContainerStore(g.paths));
    std::vector<format::Row> rows;
    for (const auto& v : VolumeStore(g.paths).list()) {
      const bool in_use = std::find(used.begin(), used.end(), v.name) != used.end();
      if ((dangling == "true" || dangling == "1") && in_use) continue;
      if ((dangling == "false" || dangling == "0") && !in_use) continue;
      if (!name.empty() && v.name.find(name) == std::string::npos) continue;
      if (!volumes::matches_labels(v.labels, labels)) continue;
      if (*quiet)
        std::cout << v.name << "\n";
      else
        rows.push_back(volume_row(v));
    }
    if (!*quiet) format::print_list(std::cout, *format, volume_columns(), rows);
  });
}

void add_volume_inspect(CLI::App& vol, Globals& g) {
  auto* cmd = vol.add_subcommand("inspect", "Display detailed information on one or more volumes");
  auto names = std::make_shared<std::vector<std::string>>();
  auto format = std::make_shared<std::string>();
  cmd->add_option("VOLUME", *names, "Volumes")->required();
  cmd->add_option("-f,--format", *format, "Format output using a Go template ({{.Mountpoint}})");
  cmd->callback([&g, names, format] {
    auto out = nlohmann::ordered_json::array();
    std::string errors;
    for (const auto& n : *names) {
      try {
        out.push_back(volume_inspect_json(VolumeStore(g.paths).get(n)));
      } catch (const Error& e) {
        errors += (errors.empty() ? "" : "\n") + std::string(e.what());
      }
    }
    if (format->empty())
      std::cout << go_json_escape(out.dump(4)) << "\n";
    else
      for (const auto& item : out) std::cout << format::render_template(*format, item) << "\n";
    if (!errors.empty()) throw NotFound(errors);
  });
}

void add_volume_rm(CLI::App& vol, Globals& g) {
  auto* cmd = vol.add_subcommand("rm", "Remove one or more volumes");
  cmd->alias("remove");
  auto names = std::make_shared<std::vector<std::string>>();
  auto force = std::make_shared<bool>(false);
  cmd->add_option("VOLUME", *names, "Volumes")->required();
  cmd->add_flag("-f,--force", *force, "Force the removal of one or more volumes");
  cmd->callback([&g, names, force] {
    for (const auto& n : *names) {
      try {
        volumes::remove_volume(g.paths, n, *force);
        std::cout << n << "\n";
      } catch (const Error& e) {
        std::cerr << "Error: " << e.what() << "\n";
        g.exit_code = 1;
      }
    }
  });
}

void add_volume_prune(CLI::App& vol, Globals& g) {
  auto* cmd = vol.add_subcommand("prune", "Remove unused local volumes");
  auto all = std::make_shared<bool>(false), force = std::make_shared<bool>(false);
  auto filters = std::make_shared<std::vector<std::string>>();
  cmd->add_flag("-a,--all", *all, "Remove all unused volumes, not just anonymous ones");
  cmd->add_flag("-f,--force", *force, "Do not prompt for confirmation");
  cmd->add_option("--filter", *filters, "Provide filter values (e.g. \"label=<label>\")")
      ->allow_extra_args(false);
  cmd->callback([&g, all, force, filters] {
    std::vector<std::string> labels;
    for (const auto& f : *filters) {
      if (!f.starts_with("label="))
        throw Error("invalid filter '" + f.substr(0, f.find('=')) + "'", 125);
      labels.push_back(f.substr(6));
    }
    if (!*force) {
      std::cout << "WARNING! This will remove " << (*all ? "all" : "anonymous")
                << " local volumes not used by at least one container.\n"
                   "Are you sure you want to continue? [y/N] "
                << std::flush;
      std::string answer;
      if (!std::getline(std::cin, answer) || (answer != "y" && answer != "Y" && answer != "yes"))
        return;
    }
    auto r = volumes::prune_volumes(g.paths, *all, labels);
    if (!r.removed.empty()) {
      std::cout << "Deleted Volumes:\n";
      for (const auto& n : r.removed) std::cout << n << "\n";
      std::cout << "\n";
    }
    std::cout << "Total reclaimed space: " << human_size(static_cast<double>(r.reclaimed)) << "\n";
  });
}

void register_volume(CLI::App& app, Globals& g) {
  auto* vol = app.add_subcommand("volume", "Manage volumes");
  vol->require_subcommand(1);
  add_volume_create(*vol, g);
  add_volume_ls(*vol, g);
  add_volume_inspect(*vol, g);
  add_volume_rm(*vol, g);
  add_volume_prune(*vol, g);
}

}  // namespace
BERTH_COMMANDS(register_volume);
}  // namespace berth::cli
