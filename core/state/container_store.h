// ContainerStore: the container records on disk and the rules that keep them consistent
// between concurrent berth commands and monitors (no daemon, so files and locks are the only
// coordination):
//   * create/remove hold the global lock <runroot>/locks/containers.lock, so names stay unique
//     and 20 parallel `run -d` lose nothing;
//   * each running container's monitor holds <runroot>/containers/<id>/monitor.lock for its
//     whole life. A reader that can take it knows the monitor is gone: a record still saying
//     "running" is then rewritten as exited (255), error "monitor lost" — never stuck running.
// Used by the lifecycle verbs, and read-only by networking, volumes and compose.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/paths.h"
#include "core/state/container.h"

namespace berth::core::state {

class ContainerStore {
 public:
  explicit ContainerStore(const Paths& paths);

  // Makes the container's directory and writes config.json and state.json ("created").
  // Fills config.id (random), config.name (random when empty; validated otherwise),
  // config.hostname (the short ID when empty) and config.created. Throws Error (exit 125)
  // "Conflict. The container name ..." for a name in use.
  Container create(ContainerConfig config) const;

  // Full ID, name (with or without "/"), or unique ID prefix → full ID. Throws NotFound
  // "No such container: REF", or Error when a prefix is ambiguous.
  std::string resolve(const std::string& ref) const;

  // Reads both records; a running record whose monitor is gone is marked "monitor lost" first.
  // Throws NotFound when the container does not exist.
  Container load(const std::string& id) const;
  // resolve + load.
  Container find(const std::string& ref) const { return load(resolve(ref)); }

  // Renames the container under the global lock (names stay unique). Throws Error (exit 1)
  // with Docker's messages for an invalid, unchanged or taken name.
  void rename(const std::string& id, const std::string& new_name) const;

  // Every container, newest first. Unreadable records come back with status kDead.
  std::vector<Container> list() const;
  // What every container asked for, from config.json alone (no state, no monitor check), in
  // no order; unreadable records are left out. For what depends on records only (addresses).
  std::vector<ContainerConfig> configs() const;

  ContainerState read_state(const std::string& id) const;
  // Atomic replace of state.json. Not fsynced unless durable: a running state is worthless
  // after a crash, and the fsync would dominate `run` latency.
  void write_state(const std::string& id, const ContainerState& s, bool durable = false) const;

  // read_state, change, write_state under <run_dir>/state.lock: writers of different fields
  // of a running container's record (the monitor's health results, pause and unpause) do not
  // lose each other's changes. Returns the state written.
  ContainerState update_state(const std::string& id,
                              const std::function<void(ContainerState&)>& change) const;

  // True while the container's monitor process holds its lock.
  bool monitor_alive(const std::string& id) const;

  // Blocks until state.json no longer says running (or the monitor is found lost), up to
  // timeout_ms (< 0: forever). Returns the container then, nullopt on timeout. Uses inotify on
  // the record and a pidfd on the monitor: no polling. Throws NotFound when the container is
  // (or goes) away.
  std::optional<Container> wait_not_running(const std::string& id, int timeout_ms = -1) const;

  // Blocks until the container's health status (State.Health.Status, "" when it has none) is
  // no longer `from`, or the container no longer runs, up to timeout_ms (< 0: forever); as
  // wait_not_running, by inotify and the monitor's pidfd. Returns the container then, nullopt
  // on timeout. For readiness (compose's service_healthy, `up --wait`).
  std::optional<Container> wait_health_change(const std::string& id, const std::string& from,
                                              int timeout_ms = -1) const;

  // Blocks until the container's monitor (if any) has ended: its lock is free.
  void wait_monitor_gone(const std::string& id) const;

  // Deletes the records and the runtime dir: retire() then purge(). Best effort: carries on
  // after a failure and throws one Error listing all of them at the end.
  void remove(const std::string& id) const;

  // Makes the container vanish at once: under the global lock, its two directories are
  // renamed into a ".trash" directory beside them (one rename each, no file deleted), so its
  // name and ID are free when this returns. Deleting files is slow on some disks (~10 ms for
  // a container's small tree here), so `run --rm` reports the exit first and purges after.
  // Returns the renamed directories. All or nothing: when a rename fails, those made are
  // moved back (a container that stays keeps its running monitor's lock file) and it throws
  // Error naming what failed.
  std::vector<std::filesystem::path> retire(const std::string& id) const;
  // Deletes what retire() returned. Returns "" or the failures, "; "-separated.
  static std::string purge(const std::vector<std::filesystem::path>& retired);

  std::filesystem::path dir(const std::string& id) const { return paths_.container(id); }
  std::filesystem::path run_dir(const std::string& id) const {
    return paths_.runroot / "containers" / id;
  }
  std::filesystem::path monitor_lock(const std::string& id) const {
    return run_dir(id) / "monitor.lock";
  }
  const Paths& paths() const { return paths_; }

 private:
  // Name → id of every container, from config.json alone (create, under the global lock).
  std::map<std::string, std::string> names_locked() const;
  std::filesystem::path global_lock() const { return paths_.locks() / "containers.lock"; }
  std::vector<std::string> ids() const;
  void mark_lost_if_dead(Container& c) const;
  // The loop of the waits: load, done(c) or not running → c; else inotify/pidfd, again.
  std::optional<Container> wait_until(const std::string& id,
                                      const std::function<bool(const Container&)>& done,
                                      int timeout_ms) const;

  Paths paths_;
};

}  // namespace berth::core::state
