#include "engine/lifecycle/container_exec.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>

#include "common/atomic_file.h"
#include "common/error.h"
#include "core/runtime/cgroups.h"
#include "core/runtime/exec_spawn.h"
#include "core/runtime/freezer.h"
#include "core/runtime/init_binary.h"
#include "core/runtime/rootfs_reader.h"
#include "core/runtime/user.h"
#include "core/state/container_store.h"
#include "engine/lifecycle/attach.h"
#include "engine/lifecycle/exec_relay.h"
#include "engine/lifecycle/harden_options.h"
#include "engine/lifecycle/process_config.h"
#include "engine/lifecycle/spawn.h"
#include "sys/fd_passing.h"
#include "sys/syscalls.h"
#include "sys/unique_fd.h"

namespace berth::engine::lifecycle {

namespace fs = std::filesystem;
using core::runtime::ExecMessage;

namespace {

[[noreturn]] void engine_error(const std::string& op, const std::string& subject, int err) {
  throw Error(errno_message(op, subject, err), 125);
}

// One write(2) of value to an existing file (cgroupfs files cannot be replaced atomically).
void write_file_plain(const fs::path& file, const std::string& value) {
  sys::UniqueFd fd(::open(file.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) throw_errno("open", file.string(), errno);
  if (::write(fd.get(), value.data(), value.size()) < 0) throw_errno("write", file.string(), errno);
}

// berth-monitor on a private, read-only, nosuid, nodev mount that is attached nowhere: the
// exec'd process can never reach a writable berth binary through /proc/<pid>/exe.
sys::UniqueFd readonly_helper() {
  const std::string bin = MonitorProcess::binary().string();
  sys::UniqueFd tree(core::runtime::readonly_detached_mount(bin.c_str()));
  if (!tree) engine_error("mount read-only", bin, -tree.get());
  return tree;
}

// The helper from the read-only mount (core/runtime/exec_spawn.h): stdio on 0-2, the sync
// socket on 3, the init's pidfd on 4, the helper's own fd on 5. Everything else our caller may
// have leaked without O_CLOEXEC stops here.
pid_t exec_helper(const int (&fds)[6]) {
  const pid_t pid = core::runtime::spawn_exec_helper(fds);
  if (pid < 0) engine_error("spawn", "exec helper", -pid);
  return pid;
}

// The helper into the container's cgroups (v1: every controller's cgroup.procs; v2: the one
// cgroup). It reads its plan and prepares meanwhile, and waits for our "go" before it joins
// the container (a v1 migration waits for an RCU grace period: milliseconds under load).
void join_cgroups(const core::runtime::Cgroups& cgroups, const std::string& id, pid_t helper,
                  int sync) {
  try {
    for (const auto& dir : cgroups.paths(id))
      write_file_plain(dir / "cgroup.procs", std::to_string(helper));
    if (::send(sync, "g", 1, MSG_NOSIGNAL) != 1) engine_error("start exec helper", id, errno);
  } catch (const Error& e) {
    ::kill(helper, SIGKILL);
    ::waitpid(helper, nullptr, 0);
    throw Error(e.what(), 125);
  }
}

struct Started {
  pid_t pid = 0;  // the exec'd process (our child), 0 when it never started
  sys::UniqueFd pty;
};

// The helper's and the child's messages until the child's execve closes the socket.
Started await_start(int sync, pid_t helper) {
  Started s;
  std::optional<Error> failure;
  for (;;) {
    ExecMessage m;
    int received = -1;
    ssize_t n = sys::recv_with_fd(sync, &m, sizeof m, &received);
    sys::UniqueFd fd(received);
    if (n == 0) break;
    if (n < 0) {
      failure = Error(errno_message("read from exec helper", "sync", static_cast<int>(-n)), 125);
      break;
    }
    m.text[sizeof m.text - 1] = '\0';
    if (m.kind == ExecMessage::kPid) s.pid = m.pid;
    if (m.kind == ExecMessage::kPtyMaster) s.pty = std::move(fd);
    if (m.kind == ExecMessage::kError) failure = Error(m.text, m.exit_code);
  }
  int status = 0;
  while (::waitpid(helper, &status, 0) < 0 && errno == EINTR) {
  }
  if (!failure && !s.pid)
    failure = Error(
        "exec helper ended without starting the process (status " + std::to_string(status) + ")",
        125);
  if (failure) {
    if (s.pid > 0) ::waitpid(s.pid, nullptr, 0);
    throw *failure;
  }
  return s;
}

int exit_code_of(const siginfo_t& info) {
  return info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
}

int wait_child(pid_t pid) {
  siginfo_t info{};
  while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED) < 0) {
    if (errno != EINTR) return 125;
  }
  return exit_code_of(info);
}

std::pair<sys::UniqueFd, sys::UniqueFd> sync_pair() {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    engine_error("socketpair", "exec", errno);
  return {sys::UniqueFd(sv[0]), sys::UniqueFd(sv[1])};
}

}  // namespace

core::runtime::ExecPlan build_exec_plan(const core::state::Container& c, pid_t pid,
                                        const ExecOptions& o) {
  const core::state::ContainerConfig& cfg = c.config;
  // The container's own files, as its processes see them, resolved in its root.
  const std::vector<fs::path> root = {fs::path("/proc") / std::to_string(pid) / "root"};
  const auto passwd = core::runtime::read_in_layers(root, "/etc/passwd");
  const auto group = core::runtime::read_in_layers(root, "/etc/group");
  const core::runtime::ExecUser user =
      core::runtime::resolve_user(o.user ? *o.user : cfg.user, passwd, group);
  core::runtime::ExecPlan p;
  p.argv = o.argv;
  std::vector<std::string> base = cfg.env;
  if (!env_value(base, "HOSTNAME")) base.push_back("HOSTNAME=" + cfg.hostname);
  if (o.tty && !env_value(base, "TERM")) base.push_back("TERM=xterm");
  p.env = merge_env(base, o.env);
  if (!env_value(p.env, "HOME")) p.env.push_back("HOME=" + user.home);
  p.cwd = o.workdir ? *o.workdir : cfg.working_dir;
  if (p.cwd.empty()) p.cwd = "/";
  p.uid = user.uid;
  p.gid = user.gid;
  p.groups = user.groups;
  p.tty = o.tty && !o.detach;  // -dt: nobody would hold the pty's master
  p.detach = o.detach;
  p.privileged = o.privileged;
  p.security = security_of(cfg);
  p.security.privileged = p.security.privileged || o.privileged;
  p.ulimits = resources_of(cfg).ulimits;
  winsize ws{};
  if (p.tty && ::ioctl(0, TIOCGWINSZ, &ws) == 0) {
    p.tty_rows = ws.ws_row;
    p.tty_cols = ws.ws_col;
  }
  return p;
}

int exec_container(const Paths& paths, const std::string& ref, const ExecOptions& o) {
  if (o.argv.empty()) throw Error("exec: no command given", 125);
  core::state::ContainerStore store(paths);
  const core::state::Container c = store.find(ref);
  if (!c.running() || c.state.pid <= 0) throw Error("container " + c.id() + " is not running", 125);
  sys::UniqueFd init(sys::pidfd_open(c.state.pid, 0));
  // The pidfd names the init only if the monitor still holds its lock after it was opened.
  if (!init || !store.monitor_alive(c.id()))
    throw Error("container " + c.id() + " is not running", 125);
  const core::runtime::Cgroups cgroups;
  if (core::runtime::frozen(cgroups, c.id()))
    throw Error("container " + c.id() + " is paused, unpause the container before exec", 125);
  core::runtime::ExecPlan plan = build_exec_plan(c, c.state.pid, o);
  plan.seccomp_cache = (paths.runroot / "seccomp").string();
  const std::string message = core::runtime::to_json(plan).dump();
  if (message.size() > core::runtime::kMaxExecPlan) throw Error("exec: command line too long", 125);
  sys::UniqueFd helper_bin = readonly_helper();
  auto [sync, child_sync] = sync_pair();
  sys::UniqueFd null(::open("/dev/null", O_RDWR | O_CLOEXEC));
  if (!null) engine_error("open", "/dev/null", errno);
  // Never our own stdio (exec_relay.h): /dev/null with -d or discard_output, the pty with -t (the
  // helper makes it; /dev/null until then), else pipes we relay; stdin /dev/null without -i, as
  // Docker.
  const bool relay = !o.detach && !plan.tty && !o.discard_output;
  ExecPipes pipes;
  if (relay) pipes = make_exec_pipes(o.interactive);
  int fds[6] = {null.get(), null.get(), null.get(), child_sync.get(), init.get(), helper_bin.get()};
  for (int i = 0; i < 3; ++i)
    if (pipes.child[i]) fds[i] = pipes.child[i].get();
  // Signals that arrive while the process starts wait for the proxy, then go to it.
  std::optional<BlockForwardedSignals> blocked;
  blocked.emplace();
  const pid_t helper = exec_helper(fds);
  child_sync.reset();
  for (auto& fd : pipes.child) fd.reset();  // the process's ends: its EOF is ours
  if (::send(sync.get(), message.data(), message.size(), MSG_NOSIGNAL) < 0) {
    int err = errno;
    ::kill(helper, SIGKILL);
    ::waitpid(helper, nullptr, 0);
    engine_error("send exec plan", c.id(), err);
  }
  join_cgroups(cgroups, c.id(), helper, sync.get());
  Started s = await_start(sync.get(), helper);
  if (o.detach) {
    wait_child(s.pid);  // the intermediate process; the command now belongs to the init
    return 0;
  }
  SignalProxy proxy(s.pid, 0);
  blocked.reset();
  if (s.pty) {
    RawTerminal raw(o.interactive ? 0 : -1);
    relay_pty(s.pid, s.pty.get(), o.interactive);
  } else if (relay) {
    relay_pipes(s.pid, pipes);
  }
  return wait_child(s.pid);
}

}  // namespace berth::engine::lifecycle
