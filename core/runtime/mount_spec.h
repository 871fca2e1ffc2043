// MountSpec: one mount of a container as the monitor receives it in RuntimeSpec, fully
// resolved on the host (volumes/ turns -v/--mount/--tmpfs and the image's VOLUMEs into these):
// the monitor and the init never look at a volume name. The init resolves `target` inside the
// container's rootfs (init_mounts.h), never on the host.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace berth::core::runtime {

struct MountSpec {
  enum class Type { kBind, kTmpfs };
  Type type = Type::kBind;
  std::string source;  // kBind: absolute host path (a volume's _data, or the bind source)
  std::string target;  // absolute path in the container
  bool readonly = false;
  // kBind: "rprivate" (default), "private", "rslave", "slave", "rshared", "shared".
  std::string propagation = "rprivate";
  // kTmpfs: the mount(2) data string ("size=65536k,mode=1777") and MS_* flags.
  std::string data;
  unsigned long flags = 0;
  // A volume that belongs to this container alone: deleted with it under --rm.
  std::string anonymous_volume;  // the volume's directory (<root>/volumes/<name>), or ""
};

void to_json(nlohmann::json& j, const MountSpec& m);
void from_json(const nlohmann::json& j, MountSpec& m);

}  // namespace berth::core::runtime
