#include "core/runtime/cgroups.h"

#include <linux/magic.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <set>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/strings.h"
#include "core/runtime/cgroup_file.h"

namespace berth::core::runtime {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSubtree = "berth";

// Hierarchies berth has no use for: those that hold no resource controller (systemd's named
// one, a hybrid host's unified mount) and controllers whose limits and statistics berth does
// not offer (net_cls, perf_event, hugetlb, ...). Each one used costs every container a cgroup
// made, joined and removed.
bool ignored_hierarchy(const std::string& name) {
  for (const char* used :
       {"blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "memory", "pids"})
    if (name.find(used) != std::string::npos) return false;
  return true;
}

}  // namespace

fs::path default_cgroup_root() {
  const char* env = std::getenv("BERTH_CGROUP_ROOT");
  return env && *env ? fs::path(env) : fs::path("/sys/fs/cgroup");
}

Cgroups::Cgroups(fs::path root) : root_(std::move(root)) {
  std::error_code ec;
  if (fs::exists(root_ / "cgroup.controllers", ec)) {
    version_ = Version::kV2;
    return;
  }
  // "cpu" and "cpuacct" may be symlinks to one "cpu,cpuacct" mount: real directories first,
  // then links to a hierarchy not seen yet.
  std::vector<fs::path> dirs, links;
  for (fs::directory_iterator it(root_, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (ignored_hierarchy(name) || !fs::exists(it->path() / "cgroup.procs")) continue;
    (it->is_symlink() ? links : dirs).push_back(it->path());
  }
  // A link names its target in this directory ("cpu" -> "cpu,cpuacct"): one readlink each,
  // not a canonical() walk of every path component (the monitor does this at every start).
  std::set<std::string> seen;
  for (const auto& d : dirs) seen.insert(d.filename().string());
  for (const auto& l : links) {
    fs::path target = fs::read_symlink(l, ec);
    if (ec) continue;
    const std::string name = target.is_absolute() && target.parent_path() != root_
                                 ? target.string()
                                 : target.filename().string();
    if (seen.insert(name).second)
      dirs.push_back(l);
    else if (name.find('/') == std::string::npos)
      aliases_.emplace_back(l.filename().string(), name);
  }
  for (const auto& d : dirs) controllers_.push_back(d.filename().string());
  std::sort(controllers_.begin(), controllers_.end());
  std::sort(aliases_.begin(), aliases_.end());
}

std::vector<fs::path> Cgroups::paths(const std::string& id) const {
  if (version_ == Version::kV2) return {root_ / kSubtree / id};
  std::vector<fs::path> out;
  for (const auto& c : controllers_) out.push_back(root_ / c / kSubtree / id);
  return out;
}

fs::path Cgroups::path_for(const std::string& id, const std::string& controller) const {
  if (version_ == Version::kV2) return root_ / kSubtree / id;
  for (const auto& c : controllers_) {
    // "cpu,cpuacct" serves both names.
    std::string list = "," + c + ",";
    if (c == controller || list.find("," + controller + ",") != std::string::npos)
      return root_ / c / kSubtree / id;
  }
  throw Error("cgroup controller `" + controller + "` is not mounted under " + root_.string());
}

void Cgroups::prepare_parent(const fs::path& controller_root, const std::string& controller) const {
  const fs::path parent = controller_root / kSubtree;
  if (::mkdir(parent.c_str(), 0755) < 0 && errno != EEXIST)
    throw_errno("mkdir", parent.string(), errno);
  if (version_ == Version::kV2) {
    // Delegate the usual controllers to berth's subtree; a controller the host lacks is skipped.
    for (const fs::path& dir : {controller_root, parent}) {
      auto available = read_file_if_exists(controller_root / "cgroup.controllers");
      for (const char* c : {"cpu", "memory", "pids", "io", "cpuset"}) {
        if (!available || available->find(c) == std::string::npos) continue;
        try {
          write_cgroup_file(dir / "cgroup.subtree_control", std::string("+") + c);
        } catch (const Error&) {
          // Not delegated (e.g. EBUSY: a nested host whose cgroup holds processes), so its
          // files are missing in the container's cgroup, and a limit asked for that needs them
          // fails there, naming the flag and the file (resources.cpp).
        }
      }
    }
    return;
  }
  if (controller.find("cpuset") != std::string::npos) {
    // A v1 cpuset cgroup takes no task until cpus and mems are set: inherit the root's.
    for (const char* f : {"cpuset.cpus", "cpuset.mems"}) {
      auto mine = read_file_if_exists(parent / f);
      if (mine && !trim_end(*mine, " \n").empty()) continue;
      auto from = read_file_if_exists(controller_root / f);
      if (from && !trim_end(*from, " \n").empty())
        write_cgroup_file(parent / f, std::string(trim_end(*from, " \n")));
    }
  }
}

void Cgroups::create(const std::string& id) const {
  auto dirs = paths(id);
  for (const auto& dir : dirs) {
    const fs::path controller_root = dir.parent_path().parent_path();
    prepare_parent(controller_root, controller_root.filename().string());
    if (::mkdir(dir.c_str(), 0755) < 0 && errno != EEXIST) {
      int err = errno;
      remove(id);
      throw_errno("create cgroup", dir.string(), err);
    }
    if (version_ == Version::kV1 &&
        controller_root.filename().string().find("cpuset") != std::string::npos) {
      for (const char* f : {"cpuset.cpus", "cpuset.mems"}) {
        auto from = read_file_if_exists(dir.parent_path() / f);
        if (from && !trim_end(*from, " \n").empty())
          write_cgroup_file(dir / f, std::string(trim_end(*from, " \n")));
      }
    }
  }
}

void Cgroups::add_pid(const std::string& id, pid_t pid) const {
  if (version_ == Version::kV2) return;
  for (const auto& dir : paths(id)) write_cgroup_file(dir / "cgroup.procs", std::to_string(pid));
}

void Cgroups::kill_all(const std::string& id) const {
  for (const auto& dir : paths(id)) {
    if (version_ == Version::kV2 && fs::exists(dir / "cgroup.kill")) {
      try {
        write_cgroup_file(dir / "cgroup.kill", "1");
        continue;
      } catch (const Error&) {
        // An older kernel's refusal: signal each process below instead.
      }
    }
    auto procs = read_file_if_exists(dir / "cgroup.procs");
    if (!procs) continue;
    size_t pos = 0;
    while (pos < procs->size()) {
      size_t end = procs->find('\n', pos);
      if (end == std::string::npos) end = procs->size();
      const long pid = std::strtol(procs->c_str() + pos, nullptr, 10);
      if (pid > 0) ::kill(static_cast<pid_t>(pid), SIGKILL);
      pos = end + 1;
    }
  }
}

std::string Cgroups::remove(const std::string& id) const {
  std::string errors;
  for (const auto& dir : paths(id)) {
    if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) continue;
    int err = errno;
    // A fake cgroupfs (unit tests) is a plain directory with files in it.
    struct statfs sfs {};
    std::error_code ec;
    if (err == ENOTEMPTY && ::statfs(dir.c_str(), &sfs) == 0 && sfs.f_type != CGROUP_SUPER_MAGIC &&
        sfs.f_type != CGROUP2_SUPER_MAGIC && fs::remove_all(dir, ec) > 0 && !ec)
      continue;
    errors += errno_message("remove cgroup", dir.string(), err) + "\n";
  }
  return errors;
}

}  // namespace berth::core::runtime
