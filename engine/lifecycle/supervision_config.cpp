#include "engine/lifecycle/supervision_config.h"

#include "common/error.h"
#include "core/runtime/init_binary.h"
#include "engine/lifecycle/signals.h"

namespace berth::engine::lifecycle {

namespace {
constexpr const char* kKey = "supervision";
}

void apply_supervision(const request::Supervision& o, core::state::ContainerConfig& c) {
  if (!o.stop_signal.empty()) {
    try {
      parse_signal(o.stop_signal);
    } catch (const Error& e) {
      throw Error(e.what(), 125);  // a bad request, not a failed kill
    }
    c.stop_signal = o.stop_signal;
  }
  if (o.stop_timeout) c.stop_timeout = *o.stop_timeout;
  core::runtime::Supervision s;
  s.restart = o.restart;
  s.init = o.init;
  if (c.auto_remove && s.restart.name != "no")
    throw Error("Conflicting options: --restart and --rm", 125);
  if (s.restart.name == "no" && !s.init) return;
  c.extensions[kKey] = core::runtime::to_json(s);
}

core::runtime::Supervision supervision_of(const core::state::ContainerConfig& c) {
  if (!c.extensions.is_object() || !c.extensions.contains(kKey)) return {};
  return core::runtime::supervision_from_json(c.extensions[kKey]);
}

void supervise_spec(const core::state::ContainerConfig& c, core::runtime::RuntimeSpec& spec) {
  spec.supervision = supervision_of(c);
  if (spec.supervision.init)
    spec.argv.insert(spec.argv.begin(), {core::runtime::kInitPath, "--init", "--"});
}

}  // namespace berth::engine::lifecycle
