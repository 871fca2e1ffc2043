// `logs`: reads a container's json-file log (monitor/log_writer.h) back, filtered by --since,
// --until and --tail, optionally with timestamps, and with --follow keeps reading as the monitor
// appends (inotify on the log and on state.json) until the container is no longer running.
#pragma once

#include <time.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/state/container_store.h"

namespace berth::engine::lifecycle {

struct LogOptions {
  bool follow = false;
  bool timestamps = false;
  long tail = -1;  // -1: all
  std::optional<timespec> since;
  std::optional<timespec> until;
};

struct LogEntry {
  bool is_stderr = false;
  std::string time;  // RFC3339Nano, as stored
  std::string text;  // with its "\n" when the line had one
};

// Parses one log line; nullopt for a torn or foreign line.
std::optional<LogEntry> parse_log_line(std::string_view line);

// Calls out(entry) for each selected entry, in order. Throws NotFound for an unknown container.
void read_logs(const core::state::ContainerStore& store, const std::string& id,
               const LogOptions& opts, const std::function<void(const LogEntry&)>& out);

}  // namespace berth::engine::lifecycle
