#include "engine/lifecycle/container_logs.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <deque>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/timestamps.h"
#include "sys/syscalls.h"
#include "sys/unique_fd.h"

namespace berth::engine::lifecycle {

namespace {

bool before(const timespec& a, const timespec& b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

bool selected(const LogEntry& e, const LogOptions& o) {
  if (!o.since && !o.until) return true;
  auto t = berth::parse_rfc3339(e.time);
  if (!t) return true;
  if (o.since && before(*t, *o.since)) return false;
  if (o.until && !before(*t, *o.until)) return false;
  return true;
}

// Reads what was appended since offset; returns complete lines, advances offset past them.
std::string read_more(int fd, off_t& offset) {
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::pread(fd, buf, sizeof buf, offset + static_cast<off_t>(out.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  size_t end = out.rfind('\n');
  out.resize(end == std::string::npos ? 0 : end + 1);
  offset += static_cast<off_t>(out.size());
  return out;
}

template <typename Fn>
void each_line(const std::string& text, Fn fn) {
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) break;
    fn(std::string_view(text).substr(start, nl - start));
    start = nl + 1;
  }
}

}  // namespace

std::optional<LogEntry> parse_log_line(std::string_view line) {
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  LogEntry e;
  e.is_stderr = j.value("stream", "") == "stderr";
  e.time = j.value("time", "");
  e.text = j.value("log", "");
  return e;
}

void read_logs(const core::state::ContainerStore& store, const std::string& id,
               const LogOptions& opts, const std::function<void(const LogEntry&)>& out) {
  const auto dir = store.dir(id);
  const auto path = dir / "log.json";
  sys::UniqueFd in(opts.follow ? ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK) : -1);
  if (opts.follow) {
    if (!in) throw_errno("inotify_init1", "", errno);
    // The directory: log.json being created and state.json being replaced both show there.
    ::inotify_add_watch(in.get(), dir.c_str(), IN_MODIFY | IN_CREATE | IN_MOVED_TO);
  }
  sys::UniqueFd fd;
  off_t offset = 0;
  auto open_log = [&] {
    if (!fd) fd.reset(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  };
  open_log();
  if (!fd && !store.dir(id).empty() && !std::filesystem::exists(dir / "config.json"))
    throw NotFound("No such container: " + id);

  std::deque<LogEntry> initial;
  if (fd) {
    each_line(read_more(fd.get(), offset), [&](std::string_view l) {
      auto e = parse_log_line(l);
      if (!e || !selected(*e, opts)) return;
      initial.push_back(std::move(*e));
      if (opts.tail >= 0 && static_cast<long>(initial.size()) > opts.tail) initial.pop_front();
    });
  }
  if (opts.tail == 0) initial.clear();
  for (const auto& e : initial) out(e);
  if (!opts.follow) return;

  for (;;) {
    // Check before draining: output written before the exit is read in this round.
    bool running = store.load(id).running();
    open_log();
    if (fd) {
      each_line(read_more(fd.get(), offset), [&](std::string_view l) {
        auto e = parse_log_line(l);
        if (e && selected(*e, opts)) out(*e);
      });
    }
    if (!running) return;
    core::state::Container c = store.load(id);
    sys::UniqueFd monitor(c.state.monitor_pid > 0 ? sys::pidfd_open(c.state.monitor_pid, 0) : -1);
    pollfd fds[2] = {{in.get(), POLLIN, 0}, {monitor.get(), POLLIN, 0}};
    if (::poll(fds, monitor ? 2 : 1, 1000) < 0 && errno != EINTR) throw_errno("poll", "", errno);
    char buf[4096];
    while (::read(in.get(), buf, sizeof buf) > 0) {
    }
  }
}

}  // namespace berth::engine::lifecycle
