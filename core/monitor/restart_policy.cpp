#include "core/monitor/restart_policy.h"

#include <algorithm>

namespace berth::core::monitor {

bool should_restart(const runtime::RestartPolicy& policy, int exit_code, int restart_count,
                    state::StopRequest request) {
  if (request == state::StopRequest::kStop) return false;
  if (policy.name == "always") return true;
  if (policy.name == "unless-stopped") return request == state::StopRequest::kNone;
  if (policy.name == "on-failure")
    return exit_code != 0 && (policy.max_retries == 0 || restart_count < policy.max_retries);
  return false;
}

std::chrono::milliseconds RestartBackoff::next(std::chrono::steady_clock::duration ran_for) {
  if (ran_for >= kResetAfter) delay_ = std::chrono::milliseconds(0);
  delay_ = delay_.count() == 0 ? kInitial : std::min(delay_ * 2, kMax);
  return delay_;
}

}  // namespace berth::core::monitor
