#include "engine/lifecycle/supervision_config.h"

#include "common/error.h"
#include "core/runtime/init_binary.h"
#include "engine/lifecycle/signals.h"

namespace berth::engine::lifecycle {

namespace {

constexpr const char* kKey = "supervision";
constexpr const char* kHealthKey = "healthcheck";

// Docker's daemon checks (daemon/container.go validateHealthCheck).
void validate_healthcheck(const request::Healthcheck& h) {
  const std::pair<const char*, int64_t> durations[] = {{"Interval", h.interval_ns},
                                                       {"Timeout", h.timeout_ns},
                                                       {"StartPeriod", h.start_period_ns},
                                                       {"StartInterval", h.start_interval_ns}};
  for (const auto& [name, ns] : durations)
    if (ns != 0 && ns < 1'000'000)
      throw Error(std::string(name) + " in Healthcheck cannot be less than 1ms", 125);
  if (h.retries < 0) throw Error("Retries in Healthcheck cannot be negative", 125);
  if (core::runtime::healthcheck_enabled(h) && core::runtime::probe_argv(h).empty())
    throw Error("unknown Healthcheck test type: " + h.test[0], 125);
}

}  // namespace

void apply_healthcheck(const std::optional<request::Healthcheck>& o,
                       const nlohmann::json& image_config, core::state::ContainerConfig& c) {
  std::optional<request::Healthcheck> image;
  if (image_config.is_object() && image_config.contains("Healthcheck") &&
      image_config["Healthcheck"].is_object())
    image = core::runtime::healthcheck_from_docker_json(image_config["Healthcheck"]);
  if (!o && !image) return;
  request::Healthcheck h = o ? (image ? core::runtime::merge_healthcheck(*o, *image) : *o) : *image;
  validate_healthcheck(h);
  c.extensions[kHealthKey] = core::runtime::to_docker_json(h);
}

std::optional<core::runtime::Healthcheck> healthcheck_of(const core::state::ContainerConfig& c) {
  if (!c.extensions.is_object() || !c.extensions.contains(kHealthKey)) return std::nullopt;
  return core::runtime::healthcheck_from_docker_json(c.extensions[kHealthKey]);
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
  if (auto h = healthcheck_of(c); h && core::runtime::healthcheck_enabled(*h))
    spec.health = core::runtime::with_defaults(*h);
  if (spec.supervision.init)
    spec.argv.insert(spec.argv.begin(), {core::runtime::kInitPath, "--init", "--"});
}

}  // namespace berth::engine::lifecycle
