// The logs of a project's containers together (see compose_log_streams.h).
#include "cli/compose_log_streams.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "common/error.h"
#include "common/timestamps.h"
#include "core/state/container_store.h"

namespace berth::cli {

namespace lc = engine::lifecycle;

namespace {

std::vector<std::string> shown_names(const std::string& project,
                                     const std::vector<StreamedContainer>& containers) {
  std::vector<std::string> names;
  for (const auto& s : containers)
    if (s.shown)
      names.push_back(
          format::log_name(s.container.name, project, s.container.service, s.container.number));
  return names;
}

bool log_time_before(const timespec& a, const timespec& b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

timespec log_time_after(timespec t) {
  if (++t.tv_nsec == 1000000000) {
    t.tv_nsec = 0;
    ++t.tv_sec;
  }
  return t;
}

struct TimedLogEntry {
  timespec time;
  size_t container;
  lc::LogEntry entry;
};

}  // namespace

LogStreams::LogStreams(const Paths& paths, const std::string& project,
                       std::vector<StreamedContainer> containers, LogStreamOptions opts)
    : paths_(paths),
      containers_(std::move(containers)),
      opts_(std::move(opts)),
      prefixer_(shown_names(project, containers_), opts_.colour, opts_.prefix) {
  size_t n = 0;
  for (const auto& s : containers_) line_index_.push_back(s.shown ? n++ : 0);
}

LogStreams::~LogStreams() {
  for (auto& t : followers_)
    if (t.joinable()) t.join();
}

void LogStreams::print(size_t i, const lc::LogEntry& e) {
  if (!containers_[i].shown) return;
  const std::string line =
      prefixer_.line(line_index_[i], e.text, opts_.log.timestamps ? e.time : std::string_view());
  FILE* out = opts_.stderr_apart && e.is_stderr ? stderr : stdout;
  std::lock_guard lock(out_mu_);
  if (muted_) return;
  std::fwrite(line.data(), 1, line.size(), out);
  if (opts_.log.follow) std::fflush(out);
}

void LogStreams::print_status(size_t i, const std::string& message) {
  if (!containers_[i].shown) return;
  const std::string line = prefixer_.status(line_index_[i], message);
  std::lock_guard lock(out_mu_);
  if (muted_) return;
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

void LogStreams::mute() {
  std::lock_guard lock(out_mu_);
  muted_ = true;
}

void LogStreams::start(std::function<void(size_t, int)> on_exit) {
  on_exit_ = std::move(on_exit);
  core::state::ContainerStore store(paths_);
  lc::LogOptions backlog = opts_.log;
  backlog.follow = false;
  std::vector<TimedLogEntry> entries;
  std::vector<std::optional<timespec>> since(containers_.size(), opts_.log.since);
  for (size_t i = 0; i < containers_.size(); ++i) {
    const timespec read_at = berth::now();
    bool any = false;
    lc::read_logs(store, containers_[i].container.id, backlog, [&](const lc::LogEntry& e) {
      const timespec t = berth::parse_rfc3339(e.time).value_or(read_at);
      entries.push_back({t, i, e});
      since[i] = log_time_after(t);
      any = true;
    });
    // --tail 0 shows nothing of what is there: the followers start from now.
    if (!any && backlog.tail == 0) since[i] = read_at;
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const TimedLogEntry& a, const TimedLogEntry& b) {
                     return log_time_before(a.time, b.time);
                   });
  for (const auto& e : entries) print(e.container, e.entry);
  std::fflush(stdout);
  if (!opts_.log.follow) return;
  for (size_t i = 0; i < containers_.size(); ++i) {
    if (!opts_.follow_stopped && !containers_[i].container.running) continue;
    followers_.emplace_back([this, i, s = since[i]] { follow(i, s); });
  }
}

void LogStreams::follow(size_t i, std::optional<timespec> since) {
  const std::string& id = containers_[i].container.id;
  core::state::ContainerStore store(paths_);
  int code = -1;
  try {
    for (;;) {
      lc::LogOptions o = opts_.log;
      o.tail = -1;
      o.since = since;
      lc::read_logs(store, id, o, [&](const lc::LogEntry& e) {
        print(i, e);
        if (auto t = berth::parse_rfc3339(e.time)) since = log_time_after(*t);
      });
      auto c = store.load(id);
      code = c.state.exit_code;
      print_status(i, "exited with code " + std::to_string(code));
      // A restart policy brings it back: follow the next run, as Compose does. The next run
      // may be over by the time we look again: the restart count tells that it happened.
      const int runs = c.state.restart_count;
      while (c.state.restarting && c.state.restart_count == runs) {
        ::usleep(50 * 1000);
        c = store.load(id);
      }
      if (c.state.restart_count == runs) break;
    }
  } catch (const NotFound&) {
    // Removed meanwhile (`down` from another terminal, --rm): it has stopped for good.
  } catch (const std::exception& e) {
    std::lock_guard lock(out_mu_);
    errors_.push_back(containers_[i].container.name + ": " + e.what());
    code = -1;
  }
  if (on_exit_) on_exit_(i, code);
}

void LogStreams::wait() {
  for (auto& t : followers_)
    if (t.joinable()) t.join();
  std::lock_guard lock(out_mu_);
  if (errors_.empty()) return;
  std::string all;
  for (const auto& e : errors_) all += (all.empty() ? "" : "; ") + e;
  throw Error("logs of " + all);
}

}  // namespace berth::cli
