#include "builder/run_step.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "common/error.h"
#include "common/random_id.h"
#include "core/state/container_store.h"
#include "engine/lifecycle/container_control.h"
#include "engine/lifecycle/container_create.h"
#include "engine/lifecycle/container_start.h"
#include "sys/unique_fd.h"

namespace berth::builder {

namespace lc = berth::engine::lifecycle;
using sys::UniqueFd;

bool Cancel::check() {
  if (cancelled) return true;
  if (signal_fd < 0) return false;
  signalfd_siginfo si{};
  if (::read(signal_fd, &si, sizeof si) == static_cast<ssize_t>(sizeof si)) cancelled = true;
  return cancelled;
}

BuildContainer::BuildContainer(const Paths& paths, const RunSpec& spec) : paths_(paths) {
  request::ContainerRequest req;
  req.image = spec.image;
  req.name = "berth-build-" + random_hex(6);
  req.process.entrypoint = std::vector<std::string>{};
  req.process.command = spec.argv;
  req.process.env = spec.env;
  req.labels["io.berth.build"] = "true";
  req.mounts = spec.mounts;
  if (spec.network == "none" || spec.network == "host") {
    req.network.mode = spec.network;
  } else if (!spec.network.empty() && spec.network != "default") {
    req.network.networks.push_back({.name = spec.network});
  }
  id_ = lc::create_container(paths, req).id();
  for (const auto& m : spec.mounts) targets_.push_back(m.target);
}

void BuildContainer::remove_mount_stubs(const std::vector<std::string>& lower_dirs) const {
  const std::string upper = (paths_.container(id_) / "upper").string();
  auto in_image = [&](const std::string& path) {
    struct stat st {};
    for (const auto& l : lower_dirs)
      if (::lstat((l + path).c_str(), &st) == 0) return true;
    return false;
  };
  for (std::string path : targets_) {
    while (path.size() > 1 && !in_image(path)) {
      const std::string full = upper + path;
      struct stat st {};
      if (::lstat(full.c_str(), &st) < 0) break;
      // An empty directory or file is a stub; anything the RUN put there stays.
      if (S_ISDIR(st.st_mode)) {
        if (::rmdir(full.c_str()) < 0) break;
      } else if (S_ISREG(st.st_mode) && st.st_size == 0) {
        if (::unlink(full.c_str()) < 0) break;
      } else {
        break;
      }
      path = path.substr(0, path.rfind('/'));
    }
  }
}

namespace {
void remove_build_container(const Paths& paths, const std::string& id) {
  try {
    core::state::ContainerStore store(paths);
    lc::remove_container(store, id, true);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "warning: remove build container %s: %s\n", id.c_str(), e.what());
  }
}
}  // namespace

BuildContainer::~BuildContainer() {
  if (!released_) remove_build_container(paths_, id_);
}

std::thread BuildContainer::release_later() {
  released_ = true;
  return std::thread([paths = paths_, id = id_] { remove_build_container(paths, id); });
}

int BuildContainer::run(Progress::Vertex& v, Cancel& cancel) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) < 0) throw_errno("pipe2", "build output", errno);
  UniqueFd out_r(p[0]), out_w(p[1]);
  core::state::ContainerStore store(paths_);
  lc::Attach attach;
  attach.fds[1] = out_w.get();
  attach.fds[2] = out_w.get();
  lc::MonitorProcess m = lc::start_container(paths_, store.find(id_), attach);
  out_w.reset();
  bool killed = false;
  char buf[16384];
  for (;;) {
    pollfd fds[2] = {{out_r.get(), POLLIN, 0}, {cancel.signal_fd, POLLIN, 0}};
    const int n = ::poll(fds, cancel.signal_fd >= 0 ? 2 : 1, 200);
    if (n < 0 && errno != EINTR) throw_errno("poll", "build output", errno);
    if (!killed && cancel.check()) {
      killed = true;
      try {
        lc::kill_container(store, id_, SIGKILL);
      } catch (const lc::NotRunning&) {
        // It ended on its own meanwhile: nothing to kill.
      }
    }
    if (n <= 0 || !(fds[0].revents & (POLLIN | POLLHUP))) continue;
    ssize_t r = ::read(out_r.get(), buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    v.output(std::string_view(buf, static_cast<size_t>(r)));
  }
  const int code = m.wait_exit();
  if (killed || cancel.check()) throw Error("build cancelled", 130);
  return code;
}

}  // namespace berth::builder
