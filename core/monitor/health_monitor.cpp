#include "core/monitor/health_monitor.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "common/error.h"
#include "common/timestamps.h"
#include "common/units.h"
#include "core/runtime/exec_plan.h"
#include "core/runtime/exec_spawn.h"
#include "core/runtime/freezer.h"
#include "core/state/events.h"
#include "sys/fd_passing.h"
#include "sys/syscalls.h"

namespace berth::core::monitor {

using runtime::ExecMessage;

namespace {

std::string now_text() {
  return berth::format_rfc3339_nano(berth::now());
}

std::chrono::nanoseconds ns(int64_t v) {
  return std::chrono::nanoseconds(v);
}

// The check's plan: the container's own process settings (RuntimeSpec), the probe's argv.
std::string make_plan(const runtime::RuntimeSpec& s) {
  runtime::ExecPlan p;
  p.argv = runtime::probe_argv(*s.health);
  p.env = s.env;
  p.cwd = s.cwd.empty() ? "/" : s.cwd;
  p.uid = s.uid;
  p.gid = s.gid;
  p.groups = s.groups;
  p.privileged = s.security.privileged;
  p.security = s.security;
  p.ulimits = s.resources.ulimits;
  p.seccomp_cache = s.runroot + "/seccomp";
  return runtime::to_json(p).dump();
}

void reap_pid(pid_t pid) {
  while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

HealthMonitor::HealthMonitor(const runtime::RuntimeSpec& spec, const state::ContainerStore& store,
                             const runtime::Cgroups& cgroups, Note note)
    : spec_(spec),
      store_(store),
      cgroups_(cgroups),
      note_(std::move(note)),
      plan_(make_plan(spec)) {}

void HealthMonitor::start(int init_pidfd, int self_fd) {
  stop();
  init_pidfd_ = init_pidfd;
  self_fd_ = self_fd;
  active_ = true;
  started_ = Clock::now();
  last_status_ = state::kHealthStarting;
  schedule_next();
}

void HealthMonitor::stop() {
  active_ = false;
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    reap_pid(pid_);
  }
  pid_ = 0;
  pidfd_.reset();
  out_.reset();
}

// Docker's timer: every start_interval while starting inside the start period, else every
// interval.
void HealthMonitor::schedule_next() {
  const auto& h = *spec_.health;
  const bool early =
      last_status_ == state::kHealthStarting && Clock::now() - started_ < ns(h.start_period_ns);
  next_ = Clock::now() + ns(early ? h.start_interval_ns : h.interval_ns);
}

int HealthMonitor::timeout_ms() const {
  if (!active_) return -1;
  const auto at = pid_ > 0 ? deadline_ : next_;
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(at - Clock::now()).count();
  return static_cast<int>(std::clamp<long>(left, 0, 1'000'000'000));
}

bool HealthMonitor::service(bool output_ready, bool process_ready) {
  if (!active_) return false;
  bool recorded = false;
  if (output_ready) read_output();
  if (pid_ > 0 && process_ready) {
    siginfo_t info{};
    if (::waitid(P_PIDFD, static_cast<id_t>(pidfd_.get()), &info, WEXITED | WNOHANG) == 0 &&
        info.si_pid != 0) {
      pid_ = 0;
      read_output();
      const int code = info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
      finish_check(code, std::move(output_));
      recorded = true;
    }
  }
  if (pid_ > 0 && Clock::now() >= deadline_) {
    // The whole process group: the exec'd process leads its own session (exec_helper.h).
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    reap_pid(pid_);
    pid_ = 0;
    finish_check(-1, "Health check exceeded timeout (" +
                         berth::format_duration(spec_.health->timeout_ns) + ")");
    recorded = true;
  }
  if (pid_ == 0 && Clock::now() >= next_) launch();
  return recorded;
}

// Keeps the first kHealthOutputMax bytes; the rest is read and dropped. Non-blocking: a
// process the check left behind may hold the pipe open.
void HealthMonitor::read_output() {
  if (!out_) return;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(out_.get(), buf, sizeof buf);
    if (n > 0) {
      const size_t room =
          state::kHealthOutputMax - std::min(output_.size(), state::kHealthOutputMax);
      output_.append(buf, std::min(room, static_cast<size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) out_.reset();
    return;
  }
}

void HealthMonitor::finish_check(int exit_code, std::string output) {
  pidfd_.reset();
  out_.reset();
  output_.clear();
  record({check_start_, now_text(), exit_code, std::move(output)});
  schedule_next();
}

void HealthMonitor::record(state::HealthResult r) {
  const auto& h = *spec_.health;
  const bool in_start_period = check_at_ - started_ < ns(h.start_period_ns);
  const std::string before = last_status_;
  try {
    store_.update_state(spec_.id, [&](state::ContainerState& st) {
      state::Health health = st.health.value_or(state::Health{});
      state::record_health_result(health, std::move(r), in_start_period, h.retries);
      last_status_ = health.status;
      st.health = std::move(health);
    });
    noted_failure_ = false;
    // Docker's event at each change of status (the first result included).
    if (last_status_ != before && last_status_ != "starting")
      state::record_event(store_.paths(), state::container_event(store_.load(spec_.id).config,
                                                                 "health_status: " + last_status_));
  } catch (const Error& e) {
    // The container goes on; the next result is tried again. Said once until one succeeds.
    if (!noted_failure_) note_("record the health of container " + spec_.id + ": " + e.what());
    noted_failure_ = true;
  }
}

// Starts the check: the helper joins the container's cgroups and namespaces and clones the
// process as our child (CLONE_PARENT), then exits. A check that cannot start is a result of
// its own (exit code -1 or the helper's, its reason as output), as Docker's.
void HealthMonitor::launch() {
  check_start_ = now_text();
  check_at_ = Clock::now();
  if (runtime::frozen(cgroups_, spec_.id)) {
    finish_check(-1, "container " + spec_.id + " is paused, unpause the container before exec");
    return;
  }
  int pipe_fds[2], sv[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) < 0)
    return finish_check(-1, errno_message("pipe2", "health check", errno));
  sys::UniqueFd out_r(pipe_fds[0]), out_w(pipe_fds[1]);
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    return finish_check(-1, errno_message("socketpair", "health check", errno));
  sys::UniqueFd sync(sv[0]), child_sync(sv[1]);
  sys::UniqueFd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!null) return finish_check(-1, errno_message("open", "/dev/null", errno));
  const int fds[6] = {null.get(),       out_w.get(), out_w.get(),
                      child_sync.get(), init_pidfd_, self_fd_};
  const pid_t helper = runtime::spawn_exec_helper(fds);
  if (helper < 0) return finish_check(-1, errno_message("spawn", "exec helper", -helper));
  child_sync.reset();
  out_w.reset();
  std::string failure;
  int failure_code = -1;
  try {
    if (::send(sync.get(), plan_.data(), plan_.size(), MSG_NOSIGNAL) < 0)
      throw_errno("send exec plan", spec_.id, errno);
    cgroups_.add_pid(spec_.id, helper);
    if (::send(sync.get(), "g", 1, MSG_NOSIGNAL) != 1)
      throw_errno("start exec helper", spec_.id, errno);
  } catch (const Error& e) {
    failure = e.what();
    ::kill(helper, SIGKILL);
  }
  pid_t pid = 0;
  for (;;) {
    ExecMessage m;
    int received = -1;
    const ssize_t n = sys::recv_with_fd(sync.get(), &m, sizeof m, &received);
    sys::UniqueFd fd(received);
    if (n == 0) break;
    if (n < 0) {
      if (failure.empty())
        failure = errno_message("read from exec helper", "sync", static_cast<int>(-n));
      break;
    }
    m.text[sizeof m.text - 1] = '\0';
    if (m.kind == ExecMessage::kPid) pid = m.pid;
    if (m.kind == ExecMessage::kError && failure.empty()) {
      failure = m.text;
      failure_code = m.exit_code;
    }
  }
  reap_pid(helper);
  if (failure.empty() && pid <= 0) failure = "exec helper ended without starting the check";
  if (!failure.empty()) {
    if (pid > 0) reap_pid(pid);
    return finish_check(failure_code, failure);
  }
  pid_ = pid;
  pidfd_.reset(sys::pidfd_open(pid, 0));
  out_ = std::move(out_r);
  ::fcntl(out_.get(), F_SETFL, O_NONBLOCK);
  deadline_ = Clock::now() + ns(spec_.health->timeout_ns);
}

}  // namespace berth::core::monitor
