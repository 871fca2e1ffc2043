#include "cli/run_flags_mounts.h"

namespace berth::cli {

void add_mount_flags(CLI::App* sub, volumes::MountOptions& o) {
  auto repeated = [sub](const std::string& name, std::vector<std::string>& v,
                        const std::string& help) {
    sub->add_option(name, v, help)->allow_extra_args(false)->take_all();
  };
  repeated("-v,--volume", o.volumes, "Bind mount a volume");
  repeated("--mount", o.mounts, "Attach a filesystem mount to the container");
  repeated("--tmpfs", o.tmpfs, "Mount a tmpfs directory");
  repeated("--volumes-from", o.volumes_from, "Mount volumes from the specified container(s)");
}

}  // namespace berth::cli
