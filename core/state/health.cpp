#include "core/state/health.h"

namespace berth::core::state {

using nlohmann::json;

void record_health_result(Health& h, HealthResult r, bool in_start_period, int retries) {
  if (r.output.size() > kHealthOutputMax) r.output.resize(kHealthOutputMax);
  const bool ok = r.exit_code == 0;
  h.log.push_back(std::move(r));
  if (h.log.size() > kHealthLogEntries)
    h.log.erase(h.log.begin(), h.log.end() - static_cast<long>(kHealthLogEntries));
  if (ok) {
    h.failing_streak = 0;
    h.status = kHealthHealthy;
    return;
  }
  if (h.status == kHealthStarting && in_start_period) return;
  if (++h.failing_streak >= retries) h.status = kHealthUnhealthy;
}

json to_json(const Health& h) {
  json log = json::array();
  for (const auto& r : h.log)
    log.push_back(
        {{"Start", r.start}, {"End", r.end}, {"ExitCode", r.exit_code}, {"Output", r.output}});
  return {{"Status", h.status}, {"FailingStreak", h.failing_streak}, {"Log", log}};
}

Health health_from_json(const json& j) {
  Health h;
  if (!j.is_object()) return h;
  h.status = j.value("Status", std::string(kHealthStarting));
  h.failing_streak = j.value("FailingStreak", 0);
  for (const auto& r : j.value("Log", json::array())) {
    if (!r.is_object()) continue;
    h.log.push_back(
        {r.value("Start", ""), r.value("End", ""), r.value("ExitCode", 0), r.value("Output", "")});
  }
  return h;
}

}  // namespace berth::core::state
