// Paths: where berth keeps state (ARCHITECTURE.md §3). `root` is persistent
// (--root, BERTH_ROOT, default /var/lib/berth); `runroot` is runtime state on tmpfs
// (--runroot, BERTH_RUNROOT, default /run/berth) whose absence means "rebooted".
#pragma once

#include <filesystem>

namespace berth {

struct Paths {
  std::filesystem::path root = "/var/lib/berth";
  std::filesystem::path runroot = "/run/berth";

  std::filesystem::path images() const { return root / "images"; }
  std::filesystem::path layers() const { return root / "layers"; }
  std::filesystem::path containers() const { return root / "containers"; }
  std::filesystem::path container(const std::string& id) const { return containers() / id; }
  std::filesystem::path volumes() const { return root / "volumes"; }
  std::filesystem::path networks() const { return root / "networks"; }
  std::filesystem::path build_cache() const { return root / "build"; }
  std::filesystem::path locks() const { return runroot / "locks"; }

  // Creates root and runroot (0700) if missing. Throws Error.
  void ensure() const;
};

}  // namespace berth
