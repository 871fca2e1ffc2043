#include "engine/lifecycle/container_commit.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "common/error.h"
#include "core/runtime/freezer.h"
#include "core/runtime/health_config.h"
#include "core/runtime/init.h"
#include "core/state/container_store.h"
#include "engine/image/change.h"
#include "engine/image/image_writer.h"
#include "engine/image/layer_diff.h"
#include "engine/lifecycle/container_pause.h"
#include "engine/lifecycle/container_ports.h"
#include "engine/lifecycle/supervision_config.h"
#include "sys/unique_fd.h"

namespace berth::engine::lifecycle {

namespace {

using json = nlohmann::json;
namespace img = berth::engine::image;

// The image's run config with the container's own settings over it: what `docker commit`
// keeps (the container's Config, which `create` merged from the image and the flags).
json commit_config(json cfg, const core::state::ContainerConfig& c) {
  auto set_or_erase = [&](const char* key, const auto& value, bool present) {
    if (present) {
      cfg[key] = value;
    } else {
      cfg.erase(key);
    }
  };
  set_or_erase("Env", c.env, !c.env.empty());
  set_or_erase("Cmd", c.cmd, !c.cmd.empty());
  set_or_erase("Entrypoint", c.entrypoint, !c.entrypoint.empty());
  set_or_erase("WorkingDir", c.working_dir, !c.working_dir.empty());
  set_or_erase("User", c.user, !c.user.empty());
  set_or_erase("Labels", c.labels, !c.labels.empty());
  if (!c.stop_signal.empty()) cfg["StopSignal"] = c.stop_signal;
  if (auto h = healthcheck_of(c)) cfg["Healthcheck"] = core::runtime::to_docker_json(*h);
  // Docker's container Config.ExposedPorts holds the published ports too.
  for (const auto& p : container_ports(c)) {
    if (!cfg["ExposedPorts"].is_object()) cfg["ExposedPorts"] = json::object();
    cfg["ExposedPorts"][std::to_string(p.container_port) + "/" + p.proto] = json::object();
  }
  return cfg;
}

// Freezes a running container for the guard's lifetime (unless it was frozen already).
class PauseGuard {
 public:
  PauseGuard(const core::state::ContainerStore& store, const core::state::Container& c, bool want)
      : store_(store), id_(c.id()) {
    if (!want || !c.running() || core::runtime::frozen(core::runtime::Cgroups{}, id_)) return;
    pause_container(store_, id_);
    paused_ = true;
  }
  ~PauseGuard() {
    if (!paused_) return;
    try {
      unpause_if_paused(store_, id_);
    } catch (const Error& e) {
      spdlog::error("commit: unpause container {}: {}", id_, e.what());
    }
  }
  PauseGuard(const PauseGuard&) = delete;
  PauseGuard& operator=(const PauseGuard&) = delete;

 private:
  const core::state::ContainerStore& store_;
  std::string id_;
  bool paused_ = false;
};

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

sys::UniqueFd open_upper(const Paths& paths, const std::string& id) {
  const std::string upper = (paths.container(id) / "upper").string();
  // A container never started has no upper directory yet: its diff is empty.
  if (::mkdir(upper.c_str(), 0755) < 0 && errno != EEXIST) throw_errno("mkdir", upper, errno);
  sys::UniqueFd fd(::open(upper.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) throw_errno("open", upper, errno);
  return fd;
}

}  // namespace

img::LayerTarOptions container_layer_options(std::optional<int64_t> source_date_epoch) {
  img::LayerTarOptions opts;
  opts.clamp_mtime = source_date_epoch;
  for (const char* target : core::runtime::kEtcMountTargets) opts.placeholders.push_back(target);
  return opts;
}

img::NewLayer container_layer(const Paths& paths, img::Store& store, const std::string& id,
                              const std::string& parent_chain,
                              std::optional<int64_t> source_date_epoch) {
  sys::UniqueFd upper = open_upper(paths, id);
  return img::add_layer_diff(store, upper.get(), parent_chain,
                             container_layer_options(source_date_epoch));
}

img::Image commit_container(const Paths& paths, const std::string& ref, const CommitOptions& opts) {
  {
    json probe = json::object();  // a bad --change fails before any work
    img::apply_changes(probe, opts.changes);
  }
  core::state::ContainerStore containers(paths);
  const core::state::Container c = containers.find(ref);
  img::Store store(paths);
  img::NewImage spec;
  spec.parent = store.resolve(c.config.image_id);
  spec.config = commit_config(img::parent_run_config(spec.parent), c.config);
  img::apply_changes(spec.config, opts.changes);
  spec.author = opts.author;
  spec.comment = opts.message;
  spec.source_date_epoch = opts.source_date_epoch;
  if (opts.reference) spec.tags.push_back(*opts.reference);

  FileLock content = store.content_lock();
  img::NewLayer layer;
  {
    PauseGuard frozen(containers, c, opts.pause);
    const std::string parent_chain =
        spec.parent->chain_ids.empty() ? "" : spec.parent->chain_ids.back();
    layer = container_layer(paths, store, c.id(), parent_chain, opts.source_date_epoch);
  }
  // Docker's commit: a container that changed nothing adds a history entry, not a layer.
  const bool empty = layer.digest.empty();
  if (!empty) spec.layers.push_back(layer);
  spec.history.push_back({.created_by = join(c.config.cmd),
                          .author = opts.author,
                          .comment = opts.message,
                          .empty_layer = empty});
  return img::write_image(store, spec);
}

}  // namespace berth::engine::lifecycle
