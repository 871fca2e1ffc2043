// The attached part of `compose up` (see compose_attach.h): one loop on the main thread waits
// on the signalfd and on an eventfd the followers raise when a container stops; the stop runs
// on a thread of its own so that a second signal is still heard while it waits.
#include "cli/compose_attach.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>

#include "cli/compose_log_streams.h"
#include "common/error.h"
#include "common/timestamps.h"
#include "core/state/container_store.h"
#include "engine/lifecycle/container_control.h"
#include "orchestrator/observe.h"

namespace berth::cli {

namespace orch = orchestrator;

namespace {

bool names_contain(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::vector<std::string> project_service_names(const schema::Project& project) {
  std::vector<std::string> names;
  for (const auto& s : project.services) names.push_back(s.name);
  return names;
}

// The project's containers of the followed services, by name (Compose's colour order).
std::vector<StreamedContainer> attached_containers(const orch::CurrentState& current,
                                                   const std::vector<std::string>& followed,
                                                   const std::vector<std::string>& attached) {
  std::vector<StreamedContainer> out;
  for (const auto& c : current.containers)
    if (!c.oneoff && names_contain(followed, c.service))
      out.push_back({c, names_contain(attached, c.service)});
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.container.name < b.container.name; });
  return out;
}

// The exits the followers report, handed to the main loop through an eventfd.
class ExitQueue {
 public:
  ExitQueue() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (!fd_) throw_errno("eventfd", "", errno);
  }
  int fd() const { return fd_.get(); }
  void push(size_t container, int code) {
    {
      std::lock_guard lock(mu_);
      exits_.push_back({container, code});
    }
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(fd_.get(), &one, sizeof one);
  }
  std::deque<std::pair<size_t, int>> take() {
    uint64_t count = 0;
    [[maybe_unused]] ssize_t n = ::read(fd_.get(), &count, sizeof count);
    std::lock_guard lock(mu_);
    return std::exchange(exits_, {});
  }

 private:
  sys::UniqueFd fd_;
  std::mutex mu_;
  std::deque<std::pair<size_t, int>> exits_;
};

// SIGKILL to every running container a stop of the stack would stop; those already gone are
// skipped. Returns the failures.
std::vector<std::string> kill_stack(const Paths& paths, const schema::Project& project,
                                    const std::vector<std::string>& services) {
  std::vector<std::string> errors;
  core::state::ContainerStore store(paths);
  const auto plan = orch::plan_stop(project, orch::observe(paths, project.name), services);
  for (const auto& [service, actions] : plan.containers) {
    for (const auto& a : actions) {
      try {
        engine::lifecycle::kill_container(store, a.container_id, SIGKILL);
      } catch (const engine::lifecycle::NotRunning&) {
        // Stopped meanwhile: nothing left to kill.
      } catch (const NotFound&) {
        // Removed meanwhile (--rm, a `down` elsewhere): nothing left to kill.
      } catch (const Error& e) {
        errors.push_back(a.name + ": " + e.what());
      }
    }
  }
  return errors;
}

// One attached `up` once its containers are followed: what the signals and the exits do.
class UpSession {
 public:
  UpSession(const Paths& paths, const schema::Project& project, const orch::ConvergeOptions& stop,
            const std::vector<std::string>& stopped, const AttachFlags& flags, LogStreams& streams)
      : paths_(paths),
        project_(project),
        stop_(stop),
        stopped_(stopped),
        flags_(flags),
        streams_(streams) {}
  ~UpSession() {
    if (stopper_.joinable()) stopper_.join();
  }

  // Until every followed container has stopped for good; returns the exit code.
  int run(SignalFd& signals) {
    size_t live = streams_.size();
    streams_.start([this](size_t i, int code) { exits_.push(i, code); });
    while (live > 0) {
      pollfd fds[2] = {{signals.fd(), POLLIN, 0}, {exits_.fd(), POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        throw_errno("poll", "", errno);
      }
      while (signals.next() != 0) on_signal();
      for (const auto& [i, code] : exits_.take()) {
        --live;
        on_exit(streams_.container(i).service, code);
      }
    }
    if (stopper_.joinable()) stopper_.join();
    streams_.wait();
    if (!errors_.empty()) {
      std::string all;
      for (const auto& e : errors_) all += (all.empty() ? "" : "\n") + e;
      throw Error(all);
    }
    if (!canceled_) return exit_code_;
    std::fprintf(stderr, "canceled\n");
    return 130;
  }

 private:
  // The first: a graceful stop; the second: SIGKILL.
  void on_signal() {
    if (!canceled_) {
      canceled_ = true;
      streams_.mute();
      std::fprintf(stderr, "Gracefully stopping... (press Ctrl+C again to force)\n");
      stop_stack();
    } else if (!killed_) {
      killed_ = true;
      auto failed = kill_stack(paths_, project_, stopped_);
      std::lock_guard lock(errors_mu_);
      errors_.insert(errors_.end(), failed.begin(), failed.end());
    }
  }

  // Compose's rules: with --abort-on-container-exit (or -failure and a failure) the first exit
  // stops the stack and gives the exit code; --exit-code-from takes its service's first exit.
  void on_exit(const std::string& service, int code) {
    const bool cascade = flags_.abort_on_exit || (flags_.abort_on_failure && code != 0);
    if (cascade && !aborting_ && !canceled_) {
      aborting_ = true;
      exit_code_ = code;
      streams_.mute();
      std::printf("Aborting on container exit...\n");
      std::fflush(stdout);
      stop_stack();
    }
    if (!code_taken_ && !flags_.exit_code_from.empty() && service == flags_.exit_code_from) {
      code_taken_ = true;
      exit_code_ = code;
    }
  }

  // On a thread of its own, so that a second signal is heard while it waits.
  void stop_stack() {
    if (stopper_.joinable()) return;
    stopper_ = std::thread([this] {
      try {
        FileLock lock = orch::lock_project(paths_, project_.name);
        const auto current = orch::observe(paths_, project_.name);
        orch::converge_down(paths_, project_, orch::plan_stop(project_, current, stopped_), stop_,
                            false);
      } catch (const std::exception& e) {
        std::lock_guard lock(errors_mu_);
        errors_.push_back(e.what());
      }
    });
  }

  const Paths& paths_;
  const schema::Project& project_;
  const orch::ConvergeOptions& stop_;
  const std::vector<std::string>& stopped_;
  const AttachFlags& flags_;
  LogStreams& streams_;
  ExitQueue exits_;
  std::mutex errors_mu_;
  std::vector<std::string> errors_;
  std::thread stopper_;
  bool canceled_ = false, killed_ = false, aborting_ = false, code_taken_ = false;
  int exit_code_ = 0;
};

}  // namespace

void add_attach_flags(CLI::App& up, AttachFlags& f) {
  up.add_flag("--abort-on-container-exit", f.abort_on_exit,
              "Stops all containers if any container was stopped. Incompatible with -d");
  up.add_flag("--abort-on-container-failure", f.abort_on_failure,
              "Stops all containers if any container exited with failure. Incompatible with -d");
  up.add_option("--exit-code-from", f.exit_code_from,
                "Return the exit code of the selected service container. Implies "
                "--abort-on-container-exit");
  up.add_option("--attach", f.attach, "Restrict attaching to the specified services");
  up.add_option("--no-attach", f.no_attach,
                "Do not attach (stream logs) to the specified services");
  up.add_flag("--no-color", f.no_color, "Produce monochrome output");
  up.add_flag("--no-log-prefix", f.no_prefix, "Don't print prefix in logs");
  up.add_flag("--timestamps", f.timestamps, "Show timestamps");
}

void check_attach_flags(const AttachFlags& f, bool detach, bool wait) {
  const bool abort_on_exit = f.abort_on_exit || (!f.exit_code_from.empty() && !f.abort_on_failure);
  if (abort_on_exit && f.abort_on_failure)
    throw Error("--abort-on-container-failure cannot be combined with --abort-on-container-exit");
  if (wait && (abort_on_exit || !f.attach.empty()))
    throw Error(
        "--wait cannot be combined with --abort-on-container-exit, --attach or "
        "--attach-dependencies");
  if ((detach || wait) && (abort_on_exit || f.abort_on_failure || !f.attach.empty()))
    throw Error(
        "--detach cannot be combined with --abort-on-container-exit, "
        "--abort-on-container-failure, --attach, --attach-dependencies or --watch");
}

AttachedUp::AttachedUp(const AttachFlags& f, const schema::Project& project,
                       const std::vector<std::string>& services)
    : flags_(f), signals_({SIGINT, SIGTERM}), since_(berth::now()) {
  if (!flags_.exit_code_from.empty() && !flags_.abort_on_failure) flags_.abort_on_exit = true;
  if (!flags_.exit_code_from.empty() && !project.find_service(flags_.exit_code_from))
    throw Error("no such service: " + flags_.exit_code_from);
  const auto all = project_service_names(project);
  if (!flags_.attach.empty()) {
    std::string unknown;
    for (const auto& s : flags_.attach)
      if (!names_contain(all, s)) unknown += (unknown.empty() ? "" : ", ") + s;
    if (!unknown.empty()) throw Error("cannot attach to services not included in up: " + unknown);
    attached_ = flags_.attach;
  } else {
    attached_ = services.empty() ? all : services;
  }
  std::erase_if(attached_,
                [&](const std::string& s) { return names_contain(flags_.no_attach, s); });
  // Compose waits for the services `up` names, or else for the attached ones.
  followed_ = services.empty() ? attached_ : services;
  for (const auto& s : attached_)
    if (!names_contain(followed_, s)) followed_.push_back(s);
  // A stop (or kill) reaches every container `up` waits for, or it would wait forever.
  if (!services.empty()) stopped_ = followed_;
}

int AttachedUp::run(const Paths& paths, const schema::Project& project,
                    const orch::ConvergeOptions& stop) {
  auto targets = attached_containers(orch::observe(paths, project.name), followed_, attached_);
  std::string names;
  for (const auto& t : targets)
    if (t.shown)
      names +=
          (names.empty() ? "" : ", ") +
          format::log_name(t.container.name, project.name, t.container.service, t.container.number);
  if (!names.empty()) {
    std::printf("Attaching to %s\n", names.c_str());
    std::fflush(stdout);
  }
  LogStreamOptions o;
  o.log.follow = true;
  o.log.timestamps = flags_.timestamps;
  o.log.since = since_;
  o.colour = !flags_.no_color && ::isatty(STDOUT_FILENO);
  o.prefix = !flags_.no_prefix;
  o.stderr_apart = true;
  o.follow_stopped = true;
  LogStreams streams(paths, project.name, std::move(targets), o);
  return UpSession(paths, project, stop, stopped_, flags_, streams).run(signals_);
}

}  // namespace berth::cli
