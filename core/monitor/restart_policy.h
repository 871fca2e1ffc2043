// The restart decision the monitor makes when the container's process ends, after Docker's
// restartmanager: always restarts unless stopped; unless-stopped also not after a kill;
// on-failure[:N] on a non-zero exit while fewer than N restarts were made (N = 0: no limit);
// `stop` (state/stop_request.h) cancels every policy. The delay before a restart starts at
// 100 ms and doubles up to 1 min; a process that ran 10 s or longer resets it. Pure logic,
// unit-tested.
#pragma once

#include <chrono>

#include "core/runtime/supervision.h"
#include "core/state/stop_request.h"

namespace berth::core::monitor {

bool should_restart(const runtime::RestartPolicy& policy, int exit_code, int restart_count,
                    state::StopRequest request);

class RestartBackoff {
 public:
  static constexpr std::chrono::milliseconds kInitial{100};
  static constexpr std::chrono::milliseconds kMax{60000};
  static constexpr std::chrono::seconds kResetAfter{10};

  // The delay before the next start, given how long the process that just ended ran.
  std::chrono::milliseconds next(std::chrono::steady_clock::duration ran_for);

 private:
  std::chrono::milliseconds delay_{0};
};

// What the monitor keeps between starts of the container's process.
struct RestartState {
  RestartBackoff backoff;
  int count = 0;  // restarts made (RestartCount)
  std::chrono::steady_clock::time_point launched_at = std::chrono::steady_clock::now();
  void launched() { launched_at = std::chrono::steady_clock::now(); }
};

}  // namespace berth::core::monitor
