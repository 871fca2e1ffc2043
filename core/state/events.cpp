#include "core/state/events.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/timestamps.h"

namespace berth::core::state {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr off_t kRotateBytes = 4 << 20;

fs::path events_file(const Paths& paths) {
  return paths.runroot / "events.jsonl";
}

void parse_lines(std::string_view text, std::vector<Event>& out) {
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    const json j = json::parse(line, nullptr, false);
    if (!j.is_discarded())
      if (auto e = event_from_json(j)) out.push_back(std::move(*e));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

}  // namespace

Event container_event(const ContainerConfig& c, std::string action) {
  Event e;
  e.action = std::move(action);
  e.id = c.id;
  e.attributes.insert(c.labels.begin(), c.labels.end());
  e.attributes["image"] = c.image.empty() ? c.image_id : c.image;
  e.attributes["name"] = c.name;
  return e;
}

json event_json(const Event& e) {
  json j;
  // Docker's deprecated fields first (status, id, from), kept by every client that reads them.
  if (e.type == "container") {
    j["status"] = e.action;
    j["id"] = e.id;
    if (auto it = e.attributes.find("image"); it != e.attributes.end()) j["from"] = it->second;
  }
  j["Type"] = e.type;
  j["Action"] = e.action;
  j["Actor"] = {{"ID", e.id}, {"Attributes", e.attributes}};
  j["scope"] = "local";
  j["time"] = e.time_nano / 1'000'000'000;
  j["timeNano"] = e.time_nano;
  return j;
}

std::optional<Event> event_from_json(const json& j) {
  try {
    Event e;
    e.type = j.at("Type").get<std::string>();
    e.action = j.at("Action").get<std::string>();
    e.id = j.at("Actor").at("ID").get<std::string>();
    e.attributes = j.at("Actor").value("Attributes", std::map<std::string, std::string>{});
    e.time_nano = j.at("timeNano").get<int64_t>();
    return e;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

bool record_event(const Paths& paths, Event e) {
  if (e.time_nano == 0) {
    const timespec t = berth::now();
    e.time_nano = int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec;
  }
  const std::string line = event_json(e).dump() + "\n";
  const fs::path file = events_file(paths);
  sys::UniqueFd fd(::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600));
  if (!fd) return false;
  const ssize_t n = ::write(fd.get(), line.data(), line.size());
  struct stat st {};
  if (::fstat(fd.get(), &st) == 0 && st.st_size > kRotateBytes) {
    // Whoever crosses the limit first moves it aside; a writer that opened the old file just
    // before appends its line there, still read as the rotated file.
    fs::path old = file;
    old += ".1";
    ::rename(file.c_str(), old.c_str());
  }
  return n == static_cast<ssize_t>(line.size());
}

std::vector<Event> read_events(const Paths& paths) {
  std::vector<Event> out;
  fs::path old = events_file(paths);
  old += ".1";
  for (const auto& f : {old, events_file(paths)})
    if (auto text = read_file_if_exists(f)) parse_lines(*text, out);
  return out;
}

EventFollower::EventFollower(const Paths& paths) : file_(events_file(paths)) {
  make_dirs(paths.runroot);
  inotify_.reset(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
  if (!inotify_) throw_errno("inotify_init1", "", errno);
  if (::inotify_add_watch(inotify_.get(), paths.runroot.c_str(),
                          IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM) < 0)
    throw_errno("inotify_add_watch", paths.runroot.string(), errno);
  // Made when missing, so that the follower holds the stream's first file from the start: all
  // of it is read even when it is rotated before the first next().
  stream_.reset(::open(file_.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0600));
  if (!stream_) throw_errno("open", file_.string(), errno);
  struct stat st {};
  if (::fstat(stream_.get(), &st) == 0) {
    ino_ = st.st_ino;
    ::lseek(stream_.get(), 0, SEEK_END);
  }
}

std::vector<Event> EventFollower::drain() {
  std::vector<Event> out;
  for (int round = 0; round < 2; ++round) {
    if (stream_) {
      char buf[65536];
      ssize_t n;
      while ((n = ::read(stream_.get(), buf, sizeof buf)) > 0) partial_.append(buf, n);
      const size_t last = partial_.rfind('\n');
      if (last != std::string::npos) {
        parse_lines(std::string_view(partial_).substr(0, last + 1), out);
        partial_.erase(0, last + 1);
      }
    }
    // Rotated (or made) since it was opened: the rest of the old file is read above, then the
    // new one from its start.
    struct stat st {};
    if (::stat(file_.c_str(), &st) != 0 || st.st_ino == ino_) break;
    stream_.reset(::open(file_.c_str(), O_RDONLY | O_CLOEXEC));
    ino_ = stream_ && ::fstat(stream_.get(), &st) == 0 ? st.st_ino : 0;
    partial_.clear();
  }
  return out;
}

std::vector<Event> EventFollower::next(int timeout_ms) {
  for (;;) {
    std::vector<Event> out = drain();
    if (!out.empty()) return out;
    pollfd p{inotify_.get(), POLLIN, 0};
    const int r = ::poll(&p, 1, timeout_ms);
    if (r < 0 && errno != EINTR) throw_errno("poll", "events", errno);
    if (r == 0) return {};
    char buf[4096];
    while (::read(inotify_.get(), buf, sizeof buf) > 0) {
    }
  }
}

}  // namespace berth::core::state
