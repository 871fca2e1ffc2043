// Supervision as asked: Docker's restart policy (`--restart no|on-failure[:N]|always|
// unless-stopped`, compose's `restart:`), --init, and the stop signal and timeout.
#pragma once

#include <optional>
#include <string>

namespace berth::request {

struct RestartPolicy {
  std::string name = "no";  // no, on-failure, always, unless-stopped
  int max_retries = 0;      // on-failure:N (0 = unlimited)
  bool operator==(const RestartPolicy&) const = default;
};

// "no", "always", "unless-stopped", "on-failure", "on-failure:3" ("" is "no"). Throws
// std::invalid_argument with Docker's messages for anything else.
RestartPolicy parse_restart_policy(const std::string& text);

struct Supervision {
  RestartPolicy restart;
  bool init = false;
  std::string stop_signal;          // "" = the image's StopSignal, else SIGTERM
  std::optional<int> stop_timeout;  // seconds; nullopt = 10
  bool operator==(const Supervision&) const = default;
};

}  // namespace berth::request
