// `berth compose config`: validates the project and prints its canonical model (YAML or
// JSON), or one of its lists (--services, --volumes, --networks, --profiles, --images), or
// config hashes (--hash). -q validates only.
#include <cstdio>
#include <set>

#include "cli/compose_cmds.h"
#include "compose/render.h"

namespace berth::cli {
namespace {

struct ConfigFlags {
  std::string format = "yaml";
  bool services = false, volumes = false, networks = false, profiles = false, images = false;
  bool quiet = false, no_interpolate = false;
  std::string hash;
  std::vector<std::string> names;
};

void print_lines(const std::vector<std::string>& lines) {
  for (const auto& l : lines) std::printf("%s\n", l.c_str());
}

void print_hashes(const schema::Project& p, const std::string& which) {
  for (const auto& s : p.services)
    if (which == "*" || which == s.name)
      std::printf("%s %s\n", s.name.c_str(), compose::service_config_hash(s).c_str());
}

// Every profile any service declares, enabled or not.
std::vector<std::string> all_profiles(const schema::Project& p) {
  std::set<std::string> out(p.all_profiles.begin(), p.all_profiles.end());
  return {out.begin(), out.end()};
}

void run_config(const ConfigFlags& f) {
  // Never freed: the process ends after printing, and freeing a large project's tens of
  // thousands of small objects would cost more than a tenth of the command (perf).
  const schema::Project& p = *new schema::Project(load_compose_project(f.names, !f.no_interpolate));
  if (f.quiet) return;
  std::vector<std::string> lines;
  if (f.services) {
    for (const auto& s : p.services) lines.push_back(s.name);
  } else if (f.volumes) {
    for (const auto& [k, _] : p.volumes) lines.push_back(k);
  } else if (f.networks) {
    for (const auto& [k, _] : p.networks) lines.push_back(k);
  } else if (f.profiles) {
    lines = all_profiles(p);
  } else if (f.images) {
    for (const auto& s : p.services) lines.push_back(schema::service_image(p, s));
  } else if (!f.hash.empty()) {
    return print_hashes(p, f.hash);
  } else {
    std::string out = f.format == "json" ? compose::render_json(compose::project_document(p)) + "\n"
                                         : compose::render_yaml(compose::project_document(p));
    std::fwrite(out.data(), 1, out.size(), stdout);
    return;
  }
  print_lines(lines);
}

void register_config(CLI::App& app, Globals&) {
  auto flags = std::make_shared<ConfigFlags>();
  auto* cmd = compose_group(app).add_subcommand(
      "config", "Parse, resolve and render compose file in canonical format");
  cmd->add_option("--format", flags->format, "Format the output: yaml or json")
      ->check(CLI::IsMember({"yaml", "json"}));
  cmd->add_flag("--services", flags->services, "Print the service names, one per line");
  cmd->add_flag("--volumes", flags->volumes, "Print the volume names, one per line");
  cmd->add_flag("--networks", flags->networks, "Print the network names, one per line");
  cmd->add_flag("--profiles", flags->profiles, "Print the profile names, one per line");
  cmd->add_flag("--images", flags->images, "Print the image names, one per line");
  cmd->add_option("--hash", flags->hash,
                  "Print the service config hash, one per line ('*' for all)");
  cmd->add_flag("--no-interpolate", flags->no_interpolate,
                "Don't interpolate environment variables");
  cmd->add_flag("-q,--quiet", flags->quiet,
                "Only validate the configuration, don't print anything");
  cmd->add_option("service", flags->names, "Services to include (and their dependencies)");
  cmd->callback([flags] { run_config(*flags); });
}

}  // namespace
BERTH_COMMANDS(register_config);
}  // namespace berth::cli
