#include "orchestrator/labels.h"

#include "common/error.h"

namespace berth::orchestrator {

std::string container_name(const schema::Project& project, const schema::Service& service,
                           int number) {
  if (!service.container_name.empty()) return service.container_name;
  return project.name + "-" + service.name + "-" + std::to_string(number);
}

std::string depends_on_label(const schema::Service& service) {
  std::string out;
  for (const auto& [name, d] : service.depends_on) {
    if (!out.empty()) out += ",";
    out += name + ":" + d.condition + ":" + (d.restart ? "true" : "false");
  }
  return out;
}

std::map<std::string, std::string> container_labels(const schema::Project& project,
                                                    const schema::Service& service, int number,
                                                    const std::string& config_hash) {
  std::string files;
  for (const auto& f : project.config_files) files += (files.empty() ? "" : ",") + f;
  return {
      {kProjectLabel, project.name},           {kServiceLabel, service.name},
      {kNumberLabel, std::to_string(number)},  {kOneoffLabel, "False"},
      {kConfigHashLabel, config_hash},         {kDependsOnLabel, depends_on_label(service)},
      {kWorkingDirLabel, project.working_dir}, {kConfigFilesLabel, files},
      {kVersionLabel, kComposeVersion},
  };
}

std::map<std::string, std::string> network_labels(const schema::Project& project,
                                                  const std::string& key) {
  std::map<std::string, std::string> labels;
  if (auto it = project.networks.find(key); it != project.networks.end())
    labels = it->second.labels;
  labels[kProjectLabel] = project.name;
  labels[kNetworkLabel] = key;
  labels[kVersionLabel] = kComposeVersion;
  return labels;
}

std::map<std::string, std::string> volume_labels(const schema::Project& project,
                                                 const std::string& key) {
  std::map<std::string, std::string> labels;
  if (auto it = project.volumes.find(key); it != project.volumes.end()) labels = it->second.labels;
  labels[kProjectLabel] = project.name;
  labels[kVolumeLabel] = key;
  labels[kVersionLabel] = kComposeVersion;
  return labels;
}

void resolve_service_references(const schema::Project& project, const std::string& service,
                                request::ContainerRequest& r) {
  auto first_container = [&](const std::string& ref, const char* key) {
    const std::string dep = ref.substr(8);
    const schema::Service* d = project.find_service(dep);
    if (!d) throw Error("service \"" + service + "\": " + key + ": no such service: " + dep);
    return container_name(project, *d, 1);
  };
  if (r.network.mode.starts_with("service:"))
    r.network.mode = "container:" + first_container(r.network.mode, "network_mode");
  for (auto& f : r.volumes_from)
    if (f.container.starts_with("service:"))
      f.container = first_container(f.container, "volumes_from");
}

}  // namespace berth::orchestrator
