#include "core/runtime/exec_helper.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include "core/runtime/exec_plan.h"
#include "core/runtime/path_exec.h"
#include "core/runtime/security.h"
#include "sys/fd_passing.h"
#include "sys/syscalls.h"

namespace berth::core::runtime {

namespace {

// The cgroup namespace is the init's own on v2 (cgroup_mount.h) and the host's on v1 (joining
// one's own is a no-op); the CLI moved us into the container's cgroup before the "go".
constexpr int kJoined =
    CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWCGROUP;

void send_message(const ExecMessage& m) {
  ssize_t n = ::send(kExecSyncFd, &m, sizeof m, MSG_NOSIGNAL);
  (void)n;
}

// ``op `subject`: strerror`` with code; allocation-free (the child calls it too).
void report(int code, const char* op, const char* subject, int err) {
  ExecMessage m;
  m.exit_code = code;
  size_t len = 0;
  for (const char* s : {op, " `", subject, "`: ", err ? strerrordesc_np(err) : "failed"})
    while (s && *s && len + 1 < sizeof m.text) m.text[len++] = *s++;
  send_message(m);
}

[[noreturn]] void child_fail(const char* op, const char* subject, int err) {
  report(125, op, subject, err);
  ::_exit(125);
}

void must(int rc, const char* op, const char* subject) {
  if (rc < 0) child_fail(op, subject, errno);
}

// Everything the child reads, as C strings made before the clone.
struct ChildPlan {
  ChildPlan(const ExecPlan& p, const ProcessSecurity& s) : plan(p), security(s) {
    for (const auto& a : plan.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (const auto& e : plan.env) {
      envp.push_back(const_cast<char*>(e.c_str()));
      if (e.starts_with("PATH=")) path_env = e.c_str() + 5;
    }
    envp.push_back(nullptr);
  }
  ExecPlan plan;
  const ProcessSecurity& security;  // the container's caps, seccomp, no_new_privs, rlimits
  std::vector<char*> argv, envp;
  const char* path_env = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
};

// The pty lives in the container's own devpts; the master goes to the CLI.
void setup_tty(const ChildPlan& c) {
  int master = ::open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) child_fail("open", "/dev/pts/ptmx", errno);
  int unlock = 0;
  must(::ioctl(master, TIOCSPTLCK, &unlock), "unlock pty", "/dev/pts/ptmx");
  int slave = ::ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) child_fail("open pty slave", "/dev/pts/ptmx", errno);
  ExecMessage m;
  m.kind = ExecMessage::kPtyMaster;
  ssize_t sent = sys::send_with_fd(kExecSyncFd, &m, sizeof m, master);
  if (sent < 0) child_fail("send pty", "sync socket", static_cast<int>(-sent));
  ::close(master);
  must(::ioctl(slave, TIOCSCTTY, 0), "set controlling terminal", "pty");
  must(::fchown(slave, c.plan.uid, c.plan.gid), "chown", "pty");
  if (c.plan.tty_rows > 0) {
    winsize ws{};
    ws.ws_row = c.plan.tty_rows;
    ws.ws_col = c.plan.tty_cols;
    must(::ioctl(slave, TIOCSWINSZ, &ws), "set window size", "pty");
  }
  for (int fd = 0; fd < 3; ++fd) must(::dup2(slave, fd), "dup2", "pty");
  if (slave > 2) ::close(slave);
}

void switch_user(const ChildPlan& c) {
  SecurityFailure f;  // keep the permitted capabilities across a switch to a non-root uid
  if (!prepare_user_switch(&f)) child_fail(f.op, f.subject, f.err);
  must(::setgroups(c.plan.groups.size(), c.plan.groups.data()), "setgroups", "user");
  must(::setgid(c.plan.gid), "setgid", "user");
  must(::setuid(c.plan.uid), "setuid", "user");
}

// chdir, then prove the directory is reachable from the container's root: a path through a
// leaked host fd (-w /proc/self/fd/N, CVE-2024-21626) would leave getcwd "unreachable".
void enter_workdir(const ChildPlan& c) {
  const char* cwd = c.plan.cwd.empty() ? "/" : c.plan.cwd.c_str();
  if (::chdir(cwd) < 0) child_fail("chdir to working directory", cwd, errno);
  char buf[4096];
  long rc = ::syscall(SYS_getcwd, buf, sizeof buf);
  if (rc < 0 || buf[0] != '/') child_fail("working directory outside the container", cwd, ENOENT);
}

[[noreturn]] void run_child(const ChildPlan& c) {
  if (c.plan.detach) {
    // The parent of the exec'd process must be in the container's pid namespace, so that
    // its init adopts (and reaps) it once this intermediate process exits.
    pid_t pid = ::fork();
    if (pid < 0) child_fail("fork", "exec", errno);
    if (pid > 0) ::_exit(0);
  }
  ::setsid();
  if (c.plan.tty) setup_tty(c);
  ::umask(022);
  switch_user(c);
  must(sys::close_range(kExecSyncFd + 1, ~0U, 0), "close_range", "4..");
  enter_workdir(c);
  // The container's capabilities, no-new-privileges, rlimits and seccomp filter, as its init
  // had them: the filter is in force from here, so execve comes next.
  SecurityFailure f;
  if (!apply_process_security(c.security, &f)) child_fail(f.op, f.subject, f.err);
  ExecMessage m;
  m.exit_code = exec_in_path(c.argv.data(), c.envp.data(), c.path_env, m.text, sizeof m.text);
  send_message(m);
  ::_exit(m.exit_code);
}

// One recv, into a buffer of the message's own size (MSG_PEEK | MSG_TRUNC tells it).
ssize_t recv_message(std::string& buf) {
  ssize_t n;
  do {
    n = ::recv(kExecSyncFd, nullptr, 0, MSG_PEEK | MSG_TRUNC);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return n;
  buf.assign(std::min(static_cast<size_t>(n), kMaxExecPlan), '\0');
  do {
    n = ::recv(kExecSyncFd, buf.data(), buf.size(), 0);
  } while (n < 0 && errno == EINTR);
  if (n > 0) buf.resize(static_cast<size_t>(n));
  return n;
}

bool read_plan(ExecPlan& plan) {
  std::string buf;
  if (recv_message(buf) <= 0) return false;
  try {
    plan = exec_plan_from_json(nlohmann::json::parse(buf));
  } catch (const std::exception& e) {
    ExecMessage m;
    std::string text = std::string("exec helper: bad plan: ") + e.what();
    std::strncpy(m.text, text.c_str(), sizeof m.text - 1);
    send_message(m);
    return false;
  }
  return true;
}

}  // namespace

int run_exec_helper() {
  // Nothing in the container may look at us before execve (ptrace, /proc/<pid>/mem, ...).
  ::prctl(PR_SET_DUMPABLE, 0);
  // dup2 gave us these without close-on-exec: the command must inherit neither.
  ::fcntl(kExecSyncFd, F_SETFD, FD_CLOEXEC);
  ::fcntl(kExecPidFd, F_SETFD, FD_CLOEXEC);
  ::close(kExecSelfFd);  // the fd this program was started through
  ExecPlan plan;
  if (!read_plan(plan)) return 125;
  // Compiled (or read from the cache) here, before setns: the cache is on the host.
  ProcessSecurity security;
  try {
    security = build_process_security(plan.security, plan.ulimits, plan.seccomp_cache);
  } catch (const std::exception& e) {
    ExecMessage m;
    std::strncpy(m.text, e.what(), sizeof m.text - 1);
    send_message(m);
    return 125;
  }
  const ChildPlan child(plan, security);
  // The CLI's "go": we are in the container's cgroups (it moved us while we prepared).
  std::string go;
  if (recv_message(go) != 1 || go != "g") return 125;
  // One call joins all the namespaces of the init at once (pidfd setns, Linux 5.8); the pid
  // namespace applies to our children.
  if (::setns(kExecPidFd, kJoined) < 0) {
    report(125, "setns", "container", errno);
    return 125;
  }
  ::close(kExecPidFd);
  clone_args args{};
  // CLONE_PARENT takes our own exit signal (SIGCHLD): clone3 insists exit_signal be 0.
  args.flags = CLONE_PARENT;
  long pid = sys::clone3(&args);
  if (pid < 0) {
    report(125, "clone3", "exec", static_cast<int>(-pid));
    return 125;
  }
  if (pid == 0) run_child(child);
  ExecMessage m;
  m.kind = ExecMessage::kPid;
  m.exit_code = 0;
  m.pid = static_cast<int32_t>(pid);
  send_message(m);
  return 0;
}

}  // namespace berth::core::runtime
