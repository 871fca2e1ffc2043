#include "core/state/container_store.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/file_lock.h"
#include "common/random_id.h"
#include "common/timestamps.h"
#include "core/state/events.h"
#include "core/state/names.h"
#include "sys/syscalls.h"
#include "sys/unique_fd.h"

namespace berth::core::state {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

bool is_hex_id(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// config.json parsed once per version of the file and process: a compose `up` reads every
// record at each create (names, addresses) and at each DNS table write, from many threads, and
// parsing them was most of the time those spent under the network lock. A version is the
// inode with its size and times, taken from the fd the text is read from (a record is only
// ever replaced by rename, so a new text is a new inode).
struct CachedConfig {
  ino_t ino = 0;
  off_t size = 0;
  timespec mtime{}, ctime{};
  std::shared_ptr<const ContainerConfig> config;
};

bool same_version(const CachedConfig& c, const struct stat& st) {
  return c.ino == st.st_ino && c.size == st.st_size && c.mtime.tv_sec == st.st_mtim.tv_sec &&
         c.mtime.tv_nsec == st.st_mtim.tv_nsec && c.ctime.tv_sec == st.st_ctim.tv_sec &&
         c.ctime.tv_nsec == st.st_ctim.tv_nsec;
}

std::mutex config_cache_mu;
std::unordered_map<std::string, CachedConfig> config_cache;

// The parsed config.json at file; nullptr when there is none. Throws Error naming the file
// when it does not parse.
std::shared_ptr<const ContainerConfig> read_config(const fs::path& file) {
  sys::UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno != ENOENT) throw_errno("open", file.string(), errno);
    std::lock_guard lock(config_cache_mu);
    config_cache.erase(file.string());
    return nullptr;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0) throw_errno("stat", file.string(), errno);
  {
    std::lock_guard lock(config_cache_mu);
    auto it = config_cache.find(file.string());
    if (it != config_cache.end() && same_version(it->second, st)) return it->second.config;
  }
  std::string text;
  text.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < text.size()) {
    const ssize_t n = ::read(fd.get(), text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read", file.string(), errno);
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  text.resize(got);
  std::shared_ptr<const ContainerConfig> config;
  try {
    config = std::make_shared<const ContainerConfig>(config_from_json(json::parse(text)));
  } catch (const json::exception& e) {
    throw Error("parse `" + file.string() + "`: " + e.what());
  }
  std::lock_guard lock(config_cache_mu);
  config_cache[file.string()] = {st.st_ino, st.st_size, st.st_mtim, st.st_ctim, config};
  return config;
}

}  // namespace

ContainerStore::ContainerStore(const Paths& paths) : paths_(paths) {}

std::vector<std::string> ContainerStore::ids() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(paths_.containers(), ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (is_hex_id(name)) out.push_back(name);
  }
  return out;
}

std::map<std::string, std::string> ContainerStore::names_locked() const {
  std::map<std::string, std::string> out;
  for (const auto& id : ids()) {
    try {
      // Absent: being created or removed right now.
      if (auto c = read_config(dir(id) / "config.json")) out.emplace(c->name, id);
    } catch (const Error&) {
      // An unreadable record holds no name (list() shows it as dead).
    }
  }
  return out;
}

Container ContainerStore::create(ContainerConfig config) const {
  paths_.ensure();
  make_dirs(paths_.containers());
  FileLock lock(global_lock());
  // Only the names: loading every container (its state, its monitor's liveness) under the
  // global lock made each create cost ~0.17 ms more per container already there, and the
  // creates of a compose `up` wait for each other on that lock.
  const auto names = names_locked();
  auto in_use = [&](const std::string& name) -> const std::string* {
    auto it = names.find(name);
    return it == names.end() ? nullptr : &it->second;
  };
  if (config.name.empty()) {
    for (int attempt = 0; config.name.empty() || in_use(config.name); ++attempt) {
      config.name = random_name();
      if (attempt > 8) config.name += std::to_string(attempt);
    }
  } else {
    config.name = validate_name(config.name);
    if (auto* other = in_use(config.name)) {
      throw Error("Conflict. The container name \"/" + config.name +
                      "\" is already in use by container \"" + *other +
                      "\". You have to remove (or rename) that container to be able to reuse "
                      "that name.",
                  125);
    }
  }
  config.id = random_hex(32);
  if (config.hostname.empty()) config.hostname = config.id.substr(0, 12);
  config.created = format_rfc3339_nano(now());
  const fs::path d = dir(config.id);
  make_dirs(d);
  Container c{std::move(config), ContainerState{}};
  try {
    write_file_atomic(d / "state.json", to_json(c.state).dump(), 0600, false);
    // config.json is written last: a directory without it is not a container (see list()).
    write_file_atomic(d / "config.json", to_json(c.config).dump(), 0600, false);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(d, ec);
    throw;
  }
  return c;
}

void ContainerStore::rename(const std::string& id, const std::string& new_name) const {
  paths_.ensure();
  FileLock lock(global_lock());
  const std::string name = validate_name(new_name.starts_with('/') ? new_name.substr(1) : new_name);
  Container c = load(id);
  if (c.config.name == name)
    throw Error("Renaming a container with the same name as its current name");
  for (const auto& other : list()) {
    if (other.id() != id && other.config.name == name) {
      throw Error("Conflict. The container name \"/" + name +
                  "\" is already in use by container \"" + other.id() +
                  "\". You have to remove (or rename) that container to be able to reuse that "
                  "name.");
    }
  }
  const std::string old_name = c.config.name;
  c.config.name = name;
  write_file_atomic(dir(id) / "config.json", to_json(c.config).dump(), 0600, true);
  Event e = container_event(c.config, "rename");
  e.attributes["oldName"] = "/" + old_name;
  record_event(paths_, std::move(e));
}

std::string ContainerStore::resolve(const std::string& ref) const {
  if (ref.empty()) throw NotFound("No such container: " + ref);
  if (is_hex_id(ref) && fs::exists(dir(ref) / "config.json")) return ref;
  const std::string name = ref.starts_with('/') ? ref.substr(1) : ref;
  std::vector<std::string> prefixed;
  for (const auto& id : ids()) {
    auto text = read_file_if_exists(dir(id) / "config.json");
    if (!text) continue;
    json j = json::parse(*text, nullptr, false);
    if (!j.is_discarded() && j.value("name", "") == name) return id;
    if (id.starts_with(ref)) prefixed.push_back(id);
  }
  if (prefixed.size() == 1) return prefixed[0];
  if (prefixed.size() > 1) throw Error("multiple IDs found with provided prefix: " + ref);
  throw NotFound("No such container: " + ref);
}

bool ContainerStore::monitor_alive(const std::string& id) const {
  sys::UniqueFd fd(::open(monitor_lock(id).c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return false;
  if (::flock(fd.get(), LOCK_SH | LOCK_NB) == 0) return false;
  return errno == EWOULDBLOCK;
}

void ContainerStore::wait_monitor_gone(const std::string& id) const {
  sys::UniqueFd fd(::open(monitor_lock(id).c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return;
  while (::flock(fd.get(), LOCK_SH) < 0 && errno == EINTR) {
  }
}

void ContainerStore::mark_lost_if_dead(Container& c) const {
  if ((c.state.status != Status::kRunning && !c.state.restarting) || monitor_alive(c.id())) return;
  make_dirs(run_dir(c.id()));
  FileLock lock = FileLock::try_lock(monitor_lock(c.id()));
  if (!lock.held()) return;  // a monitor (re)appeared meanwhile
  // Re-read under the lock: the monitor may have written the exit just before it ended.
  c.state = read_state(c.id());
  if (c.state.status != Status::kRunning) {
    // A monitor that died while waiting out a restart backoff: the last exit stands.
    if (c.state.restarting) {
      c.state.restarting = false;
      write_state(c.id(), c.state, true);
    }
    return;
  }
  c.state.status = Status::kExited;
  c.state.exit_code = 255;
  c.state.error = "monitor lost";
  c.state.pid = 0;
  c.state.finished_at = format_rfc3339_nano(now());
  write_state(c.id(), c.state, true);
}

ContainerState ContainerStore::read_state(const std::string& id) const {
  auto text = read_file_if_exists(dir(id) / "state.json");
  if (!text) return ContainerState{};
  json j = json::parse(*text, nullptr, false);
  if (j.is_discarded()) {
    ContainerState s;
    s.status = Status::kDead;
    s.error = "unreadable state.json";
    return s;
  }
  return state_from_json(j);
}

void ContainerStore::write_state(const std::string& id, const ContainerState& s,
                                 bool durable) const {
  write_file_atomic(dir(id) / "state.json", to_json(s).dump(), 0600, durable);
}

ContainerState ContainerStore::update_state(
    const std::string& id, const std::function<void(ContainerState&)>& change) const {
  make_dirs(run_dir(id));
  FileLock lock(run_dir(id) / "state.lock");
  ContainerState s = read_state(id);
  change(s);
  write_state(id, s);
  return s;
}

Container ContainerStore::load(const std::string& id) const {
  auto config = read_config(dir(id) / "config.json");
  if (!config) throw NotFound("No such container: " + id);
  Container c;
  c.config = *config;
  c.state = read_state(id);
  mark_lost_if_dead(c);
  return c;
}

std::vector<Container> ContainerStore::list() const {
  std::vector<Container> out;
  for (const auto& id : ids()) {
    try {
      out.push_back(load(id));
    } catch (const NotFound&) {
      // Being created or removed right now.
    } catch (const Error& e) {
      Container c;
      c.config.id = id;
      c.state.status = Status::kDead;
      c.state.error = e.what();
      out.push_back(std::move(c));
    }
  }
  std::sort(out.begin(), out.end(), [](const Container& a, const Container& b) {
    return a.config.created > b.config.created;
  });
  return out;
}

std::vector<ContainerConfig> ContainerStore::configs() const {
  std::vector<ContainerConfig> out;
  for (const auto& id : ids()) {
    try {
      // Absent: being created or removed right now.
      if (auto c = read_config(dir(id) / "config.json")) out.push_back(*c);
    } catch (const Error&) {
      // list() reports it as dead; it holds no address anyone can use.
    }
  }
  return out;
}

std::optional<Container> ContainerStore::wait_not_running(const std::string& id,
                                                          int timeout_ms) const {
  return wait_until(
      id, [](const Container& c) { return !c.running(); }, timeout_ms);
}

std::optional<Container> ContainerStore::wait_health_change(const std::string& id,
                                                            const std::string& from,
                                                            int timeout_ms) const {
  return wait_until(
      id,
      [&from](const Container& c) {
        return !c.running() || (c.state.health ? c.state.health->status : "") != from;
      },
      timeout_ms);
}

std::optional<Container> ContainerStore::wait_until(
    const std::string& id, const std::function<bool(const Container&)>& done,
    int timeout_ms) const {
  sys::UniqueFd in(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
  if (!in) throw_errno("inotify_init1", "", errno);
  if (::inotify_add_watch(in.get(), dir(id).c_str(), IN_MOVED_TO | IN_DELETE_SELF) < 0) {
    if (errno == ENOENT) throw NotFound("No such container: " + id);
    throw_errno("inotify_add_watch", dir(id).string(), errno);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    Container c = load(id);
    if (done(c) || !c.running()) return c;
    sys::UniqueFd monitor(c.state.monitor_pid > 0 ? sys::pidfd_open(c.state.monitor_pid, 0) : -1);
    if (!monitor.valid() && !monitor_alive(id)) continue;  // load() marks it lost next round
    // The inotify watch and the pidfd wake us; the 1 s cap only bounds a race where the
    // monitor dies and its pid is reused between load() and pidfd_open().
    int wait = 1000;
    if (timeout_ms >= 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      if (left <= 0) return std::nullopt;
      wait = static_cast<int>(std::min<long>(left, wait));
    }
    pollfd fds[2] = {{in.get(), POLLIN, 0}, {monitor.get(), POLLIN, 0}};
    if (::poll(fds, monitor.valid() ? 2 : 1, wait) < 0 && errno != EINTR)
      throw_errno("poll", "", errno);
    char buf[4096];
    while (::read(in.get(), buf, sizeof buf) > 0) {
    }
    if (!fs::exists(dir(id))) throw NotFound("No such container: " + id);
  }
}

void ContainerStore::remove(const std::string& id) const {
  std::string errors = purge(retire(id));
  if (!errors.empty()) throw Error(errors);
}

std::vector<fs::path> ContainerStore::retire(const std::string& id) const {
  paths_.ensure();
  FileLock lock(global_lock());
  // Each directory moved: where it went, where it was.
  std::vector<std::pair<fs::path, fs::path>> moved;
  std::string error;
  const std::string unique = id + "-" + random_hex(4);
  for (const fs::path& p : {dir(id), run_dir(id)}) {
    const fs::path trash = p.parent_path() / ".trash";
    if (::access(p.c_str(), F_OK) < 0 && errno == ENOENT) continue;  // e.g. never started
    if (::mkdir(trash.c_str(), 0700) < 0 && errno != EEXIST) {
      error = errno_message("mkdir", trash.string(), errno);
      break;
    }
    const fs::path target = trash / unique;
    if (::rename(p.c_str(), target.c_str()) == 0) {
      moved.emplace_back(target, p);
    } else if (errno != ENOENT) {
      error = errno_message("rename", p.string(), errno);
      break;
    }
  }
  std::vector<fs::path> retired;
  for (const auto& [target, origin] : moved) retired.push_back(target);
  if (error.empty()) return retired;
  // All or nothing: a container that stays keeps both directories (its running monitor holds
  // the lock file in the second one).
  for (const auto& [target, origin] : moved) {
    if (::rename(target.c_str(), origin.c_str()) < 0)
      error += "; " + errno_message("move back", target.string(), errno);
  }
  throw Error(error);
}

std::string ContainerStore::purge(const std::vector<fs::path>& retired) {
  std::string errors;
  for (const fs::path& p : retired) {
    std::error_code ec;
    fs::remove_all(p, ec);
    if (ec)
      errors += (errors.empty() ? "" : "; ") + ("remove `" + p.string() + "`: " + ec.message());
  }
  return errors;
}

}  // namespace berth::core::state
