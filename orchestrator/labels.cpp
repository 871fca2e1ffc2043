#include "orchestrator/labels.h"

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

}  // namespace berth::orchestrator
