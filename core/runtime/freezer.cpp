#include "core/runtime/freezer.h"

#include <unistd.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "core/runtime/cgroup_file.h"

namespace berth::core::runtime {

namespace fs = std::filesystem;

namespace {

std::string read_value(const fs::path& file) {
  auto text = read_file_if_exists(file);
  return text ? *text : std::string();
}

bool v2(const Cgroups& cg) {
  return cg.version() == Cgroups::Version::kV2;
}

fs::path dir_of(const Cgroups& cg, const std::string& id) {
  return cg.path_for(id, v2(cg) ? "pids" : "freezer");
}

bool reports_frozen(const Cgroups& cg, const fs::path& dir) {
  if (v2(cg)) return read_value(dir / "cgroup.events").find("frozen 1") != std::string::npos;
  return read_value(dir / "freezer.state").starts_with("FROZEN");
}

}  // namespace

void freeze(const Cgroups& cg, const std::string& id) {
  const fs::path dir = dir_of(cg, id);
  // v1: a write of FROZEN can leave the cgroup FREEZING while a task is in an uninterruptible
  // sleep; writing it again retries.
  for (int attempt = 0; attempt < 400; ++attempt) {
    if (attempt % 20 == 0)
      write_cgroup_file(dir / (v2(cg) ? "cgroup.freeze" : "freezer.state"),
                        v2(cg) ? "1" : "FROZEN");
    if (reports_frozen(cg, dir)) return;
    ::usleep(5000);
  }
  thaw(cg, id);
  throw Error("freeze `" + dir.string() + "`: processes did not stop within 2 s");
}

void thaw(const Cgroups& cg, const std::string& id) {
  const fs::path dir = dir_of(cg, id);
  write_cgroup_file(dir / (v2(cg) ? "cgroup.freeze" : "freezer.state"), v2(cg) ? "0" : "THAWED");
}

bool frozen(const Cgroups& cg, const std::string& id) {
  try {
    const fs::path dir = dir_of(cg, id);
    if (v2(cg)) return read_value(dir / "cgroup.freeze").starts_with("1");
    std::string s = read_value(dir / "freezer.state");
    return s.starts_with("FROZEN") || s.starts_with("FREEZING");
  } catch (const Error&) {
    return false;
  }
}

}  // namespace berth::core::runtime
