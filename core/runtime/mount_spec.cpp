#include "core/runtime/mount_spec.h"

namespace berth::core::runtime {

void to_json(nlohmann::json& j, const MountSpec& m) {
  j = {{"type", m.type == MountSpec::Type::kTmpfs ? "tmpfs" : "bind"},
       {"source", m.source},
       {"target", m.target},
       {"readonly", m.readonly},
       {"propagation", m.propagation},
       {"data", m.data},
       {"flags", m.flags},
       {"anonymous_volume", m.anonymous_volume}};
}

void from_json(const nlohmann::json& j, MountSpec& m) {
  m.type = j.at("type") == "tmpfs" ? MountSpec::Type::kTmpfs : MountSpec::Type::kBind;
  j.at("source").get_to(m.source);
  j.at("target").get_to(m.target);
  j.at("readonly").get_to(m.readonly);
  j.at("propagation").get_to(m.propagation);
  j.at("data").get_to(m.data);
  j.at("flags").get_to(m.flags);
  j.at("anonymous_volume").get_to(m.anonymous_volume);
}

}  // namespace berth::core::runtime
