// The monitor's restart policy (restart_policy.h): the part of Monitor that runs after the
// container's process ended and before finish() records the final exit.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "common/error.h"
#include "common/timestamps.h"
#include "core/monitor/code_pages.h"
#include "core/monitor/monitor.h"
#include "core/state/stop_request.h"

namespace berth::core::monitor {

void Monitor::mark_running(const Started& c) {
  try {
    state::ContainerState st = store_.read_state(spec_.id);
    st.status = state::Status::kRunning;
    st.pid = c.pid;
    st.monitor_pid = ::getpid();
    st.exit_code = 0;
    st.error.clear();
    st.started_at = berth::format_rfc3339_nano(berth::now());
    st.finished_at = std::string(berth::kZeroTime);
    st.restart_count = restart_.count;
    st.paused = false;
    st.restarting = false;
    if (spec_.health) {  // each start begins unproven, its log kept (Docker's)
      st.health = st.health.value_or(state::Health{});
      st.health->status = state::kHealthStarting;
      st.health->failing_streak = 0;
    }
    store_.write_state(spec_.id, st, false);
  } catch (const Error& e) {
    // A container that `ps` cannot show as running is out of reach of stop and kill: it does
    // not run, and the start fails.
    ::kill(c.pid, SIGKILL);
    siginfo_t info{};
    ::waitid(P_PIDFD, static_cast<id_t>(c.pidfd.get()), &info, WEXITED);
    throw Error("record container " + spec_.id + " as running: " + e.what(), 125);
  }
  restart_.launched();
}

// Sleeps delay in short slices; false as soon as a stop (or removal) is requested.
bool Monitor::wait_for_restart(std::chrono::milliseconds delay) {
  constexpr auto kSlice = std::chrono::milliseconds(50);
  for (auto left = delay; left.count() > 0; left -= kSlice) {
    if (state::read_stop_request(store_, spec_.id) == state::StopRequest::kStop) return false;
    std::this_thread::sleep_for(std::min(left, kSlice));
  }
  return state::read_stop_request(store_, spec_.id) != state::StopRequest::kStop;
}

bool Monitor::restart(Started& c, int& code) {
  for (;;) {
    const auto request = state::read_stop_request(store_, spec_.id);
    if (!should_restart(spec_.supervision.restart, code, restart_.count, request)) return false;
    const auto delay =
        restart_.backoff.next(std::chrono::steady_clock::now() - restart_.launched_at);
    try {
      state::ContainerState st = store_.read_state(spec_.id);
      st.status = state::Status::kExited;
      st.exit_code = code;
      st.pid = 0;
      st.finished_at = berth::format_rfc3339_nano(berth::now());
      st.restarting = true;  // `ps`/`inspect`: "restarting" until launch() or finish()
      store_.write_state(spec_.id, st, false);
    } catch (const Error& e) {
      note_in_log("record the exit (code " + std::to_string(code) + ") of container " + spec_.id +
                  " before its restart: " + e.what());
    }
    emit("die", {{"exitCode", std::to_string(code)}});
    // An attached `run` ends with the first exit, as Docker's does; the restarts go on.
    report("exited " + std::to_string(code) + "\n");
    drop_attached();
    status_.reset();
    if (!wait_for_restart(delay)) return false;
    ++restart_.count;
    try {
      c = launch();
      mark_running(c);
      emit("start");
      // A `stop` that came while we were starting it saw no running container to signal:
      // it wrote its request first and reads the state after, so one of us sees the other.
      if (state::read_stop_request(store_, spec_.id) == state::StopRequest::kStop)
        ::kill(c.pid, SIGKILL);
      code_pages_.arm();
      return true;
    } catch (const Error& e) {
      code = e.exit_code();
      restart_.launched();
      try {
        state::ContainerState st = store_.read_state(spec_.id);
        st.error = e.what();
        st.exit_code = code;
        st.restart_count = restart_.count;
        store_.write_state(spec_.id, st, false);
      } catch (const Error& w) {
        note_in_log("restart container " + spec_.id + ": " + e.what() + "; record it: " + w.what());
      }
    }
  }
}

}  // namespace berth::core::monitor
