// A RUN step: its command in a real berth container made from the step's image (its Env,
// User and WorkingDir; the ARGs in scope added to the environment), on the default bridge
// (outbound through berth's NAT, so apt-get and npm install work) unless --network says
// otherwise, with RUN --mount's cache directories, secrets and binds. Its output goes to the
// build's progress; when it ends, its upper directory is the step's layer (the caller takes
// it), and the container is removed whatever happened. Ctrl-C (the build's Cancel) kills it.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "builder/progress.h"
#include "common/paths.h"
#include "request/mounts.h"

namespace berth::builder {

// A build's cancellation: the signals (SIGINT, SIGTERM, SIGHUP) read from a signalfd made by
// the caller's main thread; whichever step reads one marks the build cancelled.
struct Cancel {
  int signal_fd = -1;
  std::atomic<bool> cancelled{false};
  // Reads a pending signal (nonblocking); true when the build is cancelled.
  bool check();
};

struct RunSpec {
  std::string image;  // the step image's ID
  std::vector<std::string> argv;
  std::vector<std::pair<std::string, std::string>> env;
  std::string network;  // "" (default bridge), "none", "host" or a network's name
  std::vector<request::MountRequest> mounts;
};

class BuildContainer {
 public:
  // Creates the container (not started). Throws Error.
  BuildContainer(const Paths& paths, const RunSpec& spec);
  // Removes it (force), warning when it cannot: at once, or in the background after
  // release_later() (its monitor's teardown then overlaps the next steps).
  ~BuildContainer();
  // Hands the removal to a thread the caller joins (so a build still ends with its
  // containers gone); the destructor then does nothing.
  std::thread release_later();
  BuildContainer(const BuildContainer&) = delete;
  BuildContainer& operator=(const BuildContainer&) = delete;

  // Runs it to its end, its output to v. Returns its exit code; throws Error(130) when the
  // build was cancelled meanwhile.
  int run(Progress::Vertex& v, Cancel& cancel);
  // Takes out of its upper directory the mount points made for spec's mounts (as BuildKit
  // does): each target that is still an empty file or directory, and the parents made for it
  // that are empty now, unless the image's layers (lower_dirs) had them. A RUN's secrets and
  // caches leave no trace in its layer.
  void remove_mount_stubs(const std::vector<std::string>& lower_dirs) const;
  const std::string& id() const { return id_; }

 private:
  const Paths& paths_;
  std::string id_;
  std::vector<std::string> targets_;
  bool released_ = false;
};

}  // namespace berth::builder
