#include "engine/image/inspect.h"

namespace berth::engine::image {

namespace {

// Docker's container config as the image carries it: every key present, null when unset.
nlohmann::ordered_json docker_config(const nlohmann::json& cfg) {
  auto get = [&](const char* key, nlohmann::json fallback) {
    return cfg.is_object() && cfg.contains(key) ? cfg[key] : fallback;
  };
  return {{"Hostname", ""},
          {"Domainname", ""},
          {"User", get("User", "")},
          {"AttachStdin", false},
          {"AttachStdout", false},
          {"AttachStderr", false},
          {"ExposedPorts", get("ExposedPorts", nullptr)},
          {"Tty", false},
          {"OpenStdin", false},
          {"StdinOnce", false},
          {"Env", get("Env", nullptr)},
          {"Cmd", get("Cmd", nullptr)},
          {"Healthcheck", get("Healthcheck", nullptr)},
          {"Image", ""},
          {"Volumes", get("Volumes", nullptr)},
          {"WorkingDir", get("WorkingDir", "")},
          {"Entrypoint", get("Entrypoint", nullptr)},
          {"OnBuild", get("OnBuild", nullptr)},
          {"Labels", get("Labels", nullptr)},
          {"StopSignal", get("StopSignal", nullptr)}};
}

}  // namespace

nlohmann::ordered_json inspect_json(const Image& img) {
  const auto& c = img.config;
  nlohmann::json layers = nlohmann::json::array();
  if (c.contains("rootfs")) layers = c["rootfs"].value("diff_ids", nlohmann::json::array());
  return {{"Id", img.id},
          {"RepoTags", img.repo_tags},
          {"RepoDigests", img.repo_digests},
          {"Parent", ""},
          {"Comment", c.value("comment", "")},
          {"Created", img.created},
          {"DockerVersion", c.value("docker_version", "")},
          {"Author", c.value("author", "")},
          {"Config", docker_config(c.value("config", nlohmann::json::object()))},
          {"Architecture", c.value("architecture", "")},
          {"Variant", c.value("variant", "")},
          {"Os", c.value("os", "")},
          {"Size", img.size},
          {"GraphDriver", {{"Name", "overlay2"}, {"Data", nullptr}}},
          {"RootFS", {{"Type", "layers"}, {"Layers", layers}}},
          {"Metadata", {{"LastTagTime", "0001-01-01T00:00:00Z"}}}};
}

}  // namespace berth::engine::image
