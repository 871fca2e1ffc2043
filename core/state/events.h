// The engine's event stream, as `docker events` shows it: one JSON line per event in
// <runroot>/events.jsonl, in Docker's message shape ({"status","id","from","Type","Action",
// "Actor":{"ID","Attributes"},"scope","time","timeNano"}). Writers are whoever makes the
// change — the CLI's container verbs (create, start, kill, stop, pause, unpause, destroy,
// rename) and the monitor (die, restart, health_status) — each line appended with O_APPEND in
// one write(2), so concurrent writers never interleave. Like Docker's in-memory log the
// stream lives until reboot (runroot is a tmpfs); the file is rotated to events.jsonl.1 past
// 4 MiB. Readers (`berth events`, `compose events`) read it and follow it with inotify.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/paths.h"
#include "core/state/container.h"
#include "sys/unique_fd.h"

namespace berth::core::state {

struct Event {
  std::string type = "container";
  std::string action;  // "create", "start", "die", "health_status: healthy", ...
  std::string id;
  std::map<std::string, std::string> attributes;  // image, name, the labels, exitCode, signal
  int64_t time_nano = 0;                          // set by record_event when 0
};

// An event about container c: its image and name and its labels as attributes, as Docker's.
Event container_event(const ContainerConfig& c, std::string action);

// Appends e (time set to now when 0). Best effort: an event that cannot be written is lost,
// never the operation's failure; returns whether it was written.
bool record_event(const Paths& paths, Event e);

// Docker's JSON message of an event, and back (nullopt for a line that is not one).
nlohmann::json event_json(const Event& e);
std::optional<Event> event_from_json(const nlohmann::json& j);

// Every event still kept, oldest first (the rotated file's, then the current one's).
std::vector<Event> read_events(const Paths& paths);

// New events as they are written, from the end of the stream when it was made.
class EventFollower {
 public:
  explicit EventFollower(const Paths& paths);
  // The events written since the last call, waiting up to timeout_ms (-1: forever) for one.
  // An empty result means the time ran out. Throws Error.
  std::vector<Event> next(int timeout_ms);
  // The inotify fd, to poll together with others (readable when the stream may have grown).
  int fd() const { return inotify_.get(); }

 private:
  std::vector<Event> drain();
  std::filesystem::path file_;
  sys::UniqueFd inotify_;
  sys::UniqueFd stream_;
  ino_t ino_ = 0;
  std::string partial_;
};

}  // namespace berth::core::state
