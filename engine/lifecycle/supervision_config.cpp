#include "engine/lifecycle/supervision_config.h"

#include "common/error.h"
#include "engine/runtime/init_binary.h"

namespace berth::engine::lifecycle {

namespace {
constexpr const char* kKey = "supervision";
}

void apply_supervision(const SupervisionOptions& o, state::ContainerConfig& c) {
  runtime::Supervision s;
  s.restart = runtime::parse_restart_policy(o.restart);
  s.init = o.init;
  if (c.auto_remove && s.restart.name != "no")
    throw Error("Conflicting options: --restart and --rm", 125);
  if (s.restart.name == "no" && !s.init) return;
  c.extensions[kKey] = runtime::to_json(s);
}

runtime::Supervision supervision_of(const state::ContainerConfig& c) {
  if (!c.extensions.is_object() || !c.extensions.contains(kKey)) return {};
  return runtime::supervision_from_json(c.extensions[kKey]);
}

void supervise_spec(const state::ContainerConfig& c, runtime::RuntimeSpec& spec) {
  spec.supervision = supervision_of(c);
  if (spec.supervision.init)
    spec.argv.insert(spec.argv.begin(), {runtime::kInitPath, "--init", "--"});
}

}  // namespace berth::engine::lifecycle
