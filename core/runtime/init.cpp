#include "core/runtime/init.h"

#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/close_range.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/runtime/cgroup_mount.h"
#include "core/runtime/init_binary.h"
#include "core/runtime/init_mounts.h"
#include "core/runtime/rootfs_hardening.h"
#include "core/runtime/security.h"
#include "sys/fd_passing.h"
#include "sys/syscalls.h"

namespace berth::core::runtime {

namespace {

// A fixed buffer that strings are appended to: snprintf may allocate.
struct Text {
  char* buf;
  size_t cap;
  size_t len = 0;
  Text& operator<<(const char* s) {
    while (s && *s && len + 1 < cap) buf[len++] = *s++;
    buf[len] = '\0';
    return *this;
  }
};

void send_message(const InitPlan& p, const InitMessage& m) {
  ssize_t n = ::send(p.sync_fd, &m, sizeof m, MSG_NOSIGNAL);
  (void)n;
}

[[noreturn]] void fail_text(const InitPlan& p, int code, const char* a, const char* b = nullptr,
                            const char* c = nullptr, const char* d = nullptr,
                            const char* e = nullptr) {
  InitMessage m;
  m.kind = InitMessage::kError;
  m.exit_code = code;
  Text t{m.text, sizeof m.text};
  t << a << b << c << d << e;
  send_message(p, m);
  ::_exit(code);
}

// ``op `subject`: strerror`` (crun's error contract), exit 125.
[[noreturn]] void fail_errno(const InitPlan& p, const char* op, const char* subject, int err) {
  InitMessage m;
  m.kind = InitMessage::kError;
  m.exit_code = 125;
  Text t{m.text, sizeof m.text};
  t << op << " `" << subject << "`: " << strerrordesc_np(err);
  send_message(p, m);
  ::_exit(125);
}

void must(const InitPlan& p, int rc, const char* op, const char* subject) {
  if (rc < 0) fail_errno(p, op, subject, errno);
}

// For the sys:: wrappers, which return -errno.
void must_sys(const InitPlan& p, int rc, const char* op, const char* subject) {
  if (rc < 0) fail_errno(p, op, subject, -rc);
}

// For the security.h / rootfs_hardening.h steps, which report a SecurityFailure.
void must_step(const InitPlan& p, bool ok, const SecurityFailure& f) {
  if (!ok) fail_errno(p, f.op, f.subject, f.err);
}

void mkdir_p(const InitPlan& p, const char* path, mode_t mode) {
  char buf[PATH_MAX];
  size_t len = std::strlen(path);
  if (len >= sizeof buf) fail_errno(p, "mkdir", path, ENAMETOOLONG);
  std::memcpy(buf, path, len + 1);
  for (size_t i = 1; i <= len; ++i) {
    if (buf[i] != '/' && buf[i] != '\0') continue;
    char saved = buf[i];
    buf[i] = '\0';
    if (::mkdir(buf, mode) < 0 && errno != EEXIST) fail_errno(p, "mkdir", buf, errno);
    buf[i] = saved;
  }
}

void mount_at(const InitPlan& p, const char* src, const char* target, const char* type,
              unsigned long flags, const char* data) {
  must(p, ::mount(src, target, type, flags, data), "mount", target);
}

void bind_etc_files(const InitPlan& p);

void enter_rootfs(const InitPlan& p, CgroupTrees* trees) {
  must(p, ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr), "make private", "/");
  mount_at(p, "overlay", p.rootfs, "overlay", 0, p.overlay_options);
  bind_etc_files(p);
  MountFailure mf;
  if (!apply_mounts(p.rootfs, p.mounts, p.nmounts, &mf)) fail_errno(p, mf.op, mf.subject, mf.err);
  // The host's cgroupfs is visible only until pivot_root.
  if (p.cgroups && !clone_cgroup_trees(*p.cgroups, trees, &mf))
    fail_errno(p, mf.op, mf.subject, mf.err);
  must(p, ::chdir(p.rootfs), "chdir", p.rootfs);
  // pivot_root(".", "."): the old root is stacked under the new one, then detached.
  must_sys(p, sys::pivot_root(".", "."), "pivot_root", p.rootfs);
  must(p, ::umount2(".", MNT_DETACH), "umount old root", "/");
  must(p, ::chdir("/"), "chdir", "/");
}

void make_dev(const InitPlan& p) {
  constexpr unsigned long kNoExec = MS_NOSUID | MS_NODEV | MS_NOEXEC;
  mkdir_p(p, "/dev", 0755);
  mount_at(p, "tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k");
  struct Node {
    const char* path;
    unsigned major, minor;
  };
  static const Node kNodes[] = {{"/dev/null", 1, 3},   {"/dev/zero", 1, 5},    {"/dev/full", 1, 7},
                                {"/dev/random", 1, 8}, {"/dev/urandom", 1, 9}, {"/dev/tty", 5, 0}};
  for (const auto& n : kNodes) {
    must(p, ::mknod(n.path, S_IFCHR | 0666, makedev(n.major, n.minor)), "mknod", n.path);
  }
  mkdir_p(p, "/dev/pts", 0755);
  mount_at(p, "devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
           "newinstance,ptmxmode=0666,mode=0620,gid=5");
  must(p, ::symlink("pts/ptmx", "/dev/ptmx"), "symlink", "/dev/ptmx");
  mkdir_p(p, "/dev/shm", 01777);
  mount_at(p, "shm", "/dev/shm", "tmpfs", kNoExec, "mode=1777,size=65536k");
  mkdir_p(p, "/dev/mqueue", 0755);
  mount_at(p, "mqueue", "/dev/mqueue", "mqueue", kNoExec, nullptr);
  static const char* const kLinks[][2] = {{"/proc/self/fd", "/dev/fd"},
                                          {"/proc/self/fd/0", "/dev/stdin"},
                                          {"/proc/self/fd/1", "/dev/stdout"},
                                          {"/proc/self/fd/2", "/dev/stderr"}};
  for (const auto& l : kLinks) must(p, ::symlink(l[0], l[1]), "symlink", l[1]);
}

void mount_filesystems(const InitPlan& p, CgroupTrees* trees) {
  constexpr unsigned long kNoExec = MS_NOSUID | MS_NODEV | MS_NOEXEC;
  SecurityFailure f;
  // An image's /proc (or /sys, /dev) that is a symlink would redirect these mounts.
  for (const char* dir : {"/proc", "/sys", "/dev"}) must_step(p, refuse_symlink(dir, &f), f);
  mkdir_p(p, "/proc", 0555);
  mount_at(p, "proc", "/proc", "proc", kNoExec, nullptr);
  make_dev(p);
  if (p.init_fd >= 0) must_sys(p, mount_init_binary(p.init_fd), "mount", kInitPath);
  mkdir_p(p, "/sys", 0555);
  mount_at(p, "sysfs", "/sys", "sysfs", kNoExec | MS_RDONLY, nullptr);
  MountFailure mf;
  if (p.cgroups && !mount_cgroup_fs(*p.cgroups, trees, &mf))
    fail_errno(p, mf.op, mf.subject, mf.err);
}

// Bind-mounts the generated /etc files (host paths) over the container's. The targets are
// resolved with RESOLVE_IN_ROOT, so an image's symlinked /etc/hosts cannot point the mount at a
// host path, and opened O_PATH: never for reading, since an image's FIFO there would block the
// open for good. Like runc, the mount covers whatever non-directory the image has (FIFO,
// socket, device node); a directory is refused, a missing target is created.
void bind_etc_files(const InitPlan& p) {
  int root = ::open(p.rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) fail_errno(p, "open", p.rootfs, errno);
  ::mkdirat(root, "etc", 0755);
  for (int i = 0; i < 3; ++i) {
    if (!p.etc_files[i]) continue;
    open_how how{};
    how.flags = O_PATH | O_CLOEXEC;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    int target = sys::openat2(root, kEtcMountTargets[i], &how);
    if (target == -ENOENT) {
      // Missing: nothing can be there to block the open that creates it.
      how.flags = O_RDONLY | O_CREAT | O_CLOEXEC;
      how.mode = 0644;
      target = sys::openat2(root, kEtcMountTargets[i], &how);
    }
    if (target < 0) fail_errno(p, "open", kEtcMountTargets[i], -target);
    struct stat st {};
    must(p, ::fstat(target, &st), "stat", kEtcMountTargets[i]);
    if (S_ISDIR(st.st_mode)) fail_errno(p, "mount", kEtcMountTargets[i], EISDIR);
    char buf[32];
    mount_at(p, p.etc_files[i], proc_fd_path(buf, target), nullptr, MS_BIND, nullptr);
    ::close(target);
  }
  ::close(root);
}

void loopback_up(const InitPlan& p) {
  int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) fail_errno(p, "socket", "lo", errno);
  ifreq ifr{};
  std::memcpy(ifr.ifr_name, "lo", 3);
  must(p, ::ioctl(s, SIOCGIFFLAGS, &ifr), "get flags", "lo");
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
  must(p, ::ioctl(s, SIOCSIFFLAGS, &ifr), "set up", "lo");
  ::close(s);
}

// Allocates the pty inside the container's own devpts (so `tty` names /dev/pts/N there), sends
// the master to the monitor, and makes the slave the controlling terminal on 0, 1, 2.
void setup_tty(const InitPlan& p) {
  int master = ::open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) fail_errno(p, "open", "/dev/pts/ptmx", errno);
  int unlock = 0;
  must(p, ::ioctl(master, TIOCSPTLCK, &unlock), "unlock pty", "/dev/pts/ptmx");
  int slave = ::ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) fail_errno(p, "open pty slave", "/dev/pts/ptmx", errno);
  InitMessage m;
  m.kind = InitMessage::kPtyMaster;
  ssize_t sent = sys::send_with_fd(p.sync_fd, &m, sizeof m, master);
  if (sent < 0) fail_errno(p, "send pty", "sync socket", static_cast<int>(-sent));
  ::close(master);
  must(p, ::setsid(), "setsid", "init");
  must(p, ::ioctl(slave, TIOCSCTTY, 0), "set controlling terminal", "pty");
  must(p, ::fchown(slave, p.uid, p.gid), "chown", "pty");
  if (p.tty_rows > 0) {
    // Set before execve, so the process never sees a 0x0 terminal.
    winsize ws{};
    ws.ws_row = p.tty_rows;
    ws.ws_col = p.tty_cols;
    must(p, ::ioctl(slave, TIOCSWINSZ, &ws), "set window size", "pty");
  }
  for (int fd = 0; fd < 3; ++fd) must(p, ::dup2(slave, fd), "dup2", "pty");
  if (slave > 2) ::close(slave);
}

void setup_stdio(const InitPlan& p) {
  if (p.tty) return setup_tty(p);
  ::setsid();
  for (int fd = 0; fd < 3; ++fd) must(p, ::dup2(p.stdio[fd], fd), "dup2", "stdio");
}

void switch_user(const InitPlan& p) {
  SecurityFailure f;
  if (p.security) must_step(p, prepare_user_switch(&f), f);
  must(p, ::setgroups(p.ngroups, p.groups), "setgroups", "user");
  must(p, ::setgid(p.gid), "setgid", "user");
  must(p, ::setuid(p.uid), "setuid", "user");
  // Changing credentials clears the parent-death signal: set it (again) afterwards.
  must(p, ::prctl(PR_SET_PDEATHSIG, SIGKILL), "prctl", "PR_SET_PDEATHSIG");
}

[[noreturn]] void exec_failed(const InitPlan& p, const char* what, int err) {
  const char* cmd = p.argv[0];
  if (err == ENOENT || err == ENOTDIR) fail_text(p, 127, "exec: \"", cmd, "\": ", what);
  if (err == EACCES || err == EPERM) fail_text(p, 126, "exec: \"", cmd, "\": permission denied");
  fail_text(p, 126, "exec: \"", cmd, "\": ", strerrordesc_np(err));
}

// execve of argv[0] through PATH (Go's exec.LookPath semantics, as Docker reports them).
[[noreturn]] void exec_in_path(const InitPlan& p) {
  const char* cmd = p.argv[0];
  if (!cmd || !*cmd) fail_text(p, 127, "exec: \"\": executable file not found in $PATH");
  if (std::strchr(cmd, '/')) {
    ::execve(cmd, p.argv, p.envp);
    int err = errno;
    if (err == ENOENT)
      fail_text(p, 127, "exec: \"", cmd, "\": stat ", cmd, ": no such file or directory");
    exec_failed(p, "", err);
  }
  bool denied = false;
  const char* dir = p.path_env ? p.path_env : "";
  char full[PATH_MAX];
  while (*dir) {
    const char* end = std::strchr(dir, ':');
    size_t dlen = end ? static_cast<size_t>(end - dir) : std::strlen(dir);
    size_t clen = std::strlen(cmd);
    if (dlen > 0 && dlen + clen + 2 < sizeof full) {
      std::memcpy(full, dir, dlen);
      full[dlen] = '/';
      std::memcpy(full + dlen + 1, cmd, clen + 1);
      ::execve(full, p.argv, p.envp);
      if (errno == EACCES)
        denied = true;
      else if (errno != ENOENT && errno != ENOTDIR)
        exec_failed(p, "", errno);
    }
    if (!end) break;
    dir = end + 1;
  }
  if (denied) exec_failed(p, "", EACCES);
  fail_text(p, 127, "exec: \"", cmd, "\": executable file not found in $PATH");
}

}  // namespace

// Waits for the monitor's "go": on cgroup v1 it moves us into the container's cgroups while
// we build the mount tree (a v1 migration waits for an RCU grace period, milliseconds on a
// busy machine), so the wait overlaps that work. Called before anything runs with the
// container's credentials, limits or code.
void await_cgroups(const InitPlan& p) {
  char go = 0;
  if (::read(p.sync_fd, &go, 1) != 1) ::_exit(125);  // the monitor is gone (or gave up)
}

void run_init(const InitPlan& p) {
  if (p.cpus) ::sched_setaffinity(0, sizeof *p.cpus, p.cpus);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (p.netns_fd >= 0) must(p, ::setns(p.netns_fd, CLONE_NEWNET), "setns", "network namespace");
  ::umask(0);
  CgroupTrees cgroup_trees;
  enter_rootfs(p, &cgroup_trees);
  mount_filesystems(p, &cgroup_trees);
  SecurityFailure f;
  if (p.hardening) must_step(p, harden_kernel_views(*p.hardening, &f), f);
  if (p.hostname)
    must(p, ::sethostname(p.hostname, std::strlen(p.hostname)), "sethostname", p.hostname);
  loopback_up(p);
  setup_stdio(p);
  ::umask(022);
  mkdir_p(p, p.cwd, 0755);
  if (p.hardening) must_step(p, make_root_read_only(*p.hardening, &f), f);
  await_cgroups(p);
  switch_user(p);
  if (::chdir(p.cwd) < 0) fail_errno(p, "chdir to working directory", p.cwd, errno);
  // CVE-2024-21626: `-w /proc/self/fd/N` naming a directory fd of the runtime's would leave
  // the process outside its root; getcwd then fails with ENOENT ("(unreachable)").
  char cwd[PATH_MAX];
  if (!::getcwd(cwd, sizeof cwd))
    fail_errno(p, "working directory outside the container", p.cwd, errno);
  // Nothing of the monitor's may reach the container: 0, 1, 2 only (the sync socket is
  // close-on-exec like everything else, so it reports execve's success by closing).
  must_sys(p, sys::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC), "close_range", "3..");
  if (p.security) must_step(p, apply_process_security(*p.security, &f), f);
  exec_in_path(p);
}

}  // namespace berth::core::runtime
