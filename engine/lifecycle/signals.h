// Signal names as Docker accepts them (`kill -s`, `stop`'s StopSignal): "SIGTERM", "TERM",
// "term" or "15".
#pragma once

#include <string>

namespace berth::engine::lifecycle {

// Throws Error (exit 1) "invalid signal: X".
int parse_signal(const std::string& text);

}  // namespace berth::engine::lifecycle
