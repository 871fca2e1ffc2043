/* berth-probe: a tiny static helper that runs INSIDE test containers and reports what it sees
 * (crun's habit). `berth-probe syscalls` tries each syscall a default container must not use
 * and prints "NAME ERRNO" per line ("ok" when the call succeeded): the security tests compare
 * that with Docker's default profile. Built -static by tests/CMakeLists.txt, copied into a
 * test image as /bin/berth-probe. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char* errno_name(int err) {
  switch (err) {
    case 0:
      return "ok";
    case EPERM:
      return "EPERM";
    case ENOSYS:
      return "ENOSYS";
    case EINVAL:
      return "EINVAL";
    case EFAULT:
      return "EFAULT";
    case EBADF:
      return "EBADF";
    case EACCES:
      return "EACCES";
    case ENOENT:
      return "ENOENT";
    case E2BIG:
      return "E2BIG";
    default:
      return "other";
  }
}

static void report(const char* name, long rc) {
  printf("%s %s\n", name, errno_name(rc < 0 ? errno : 0));
}

/* clone(CLONE_NEWNS | SIGCHLD) with fork semantics: a child that exits at once. */
static long clone_newns(void) {
  long rc = syscall(SYS_clone, CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0);
  if (rc == 0) _exit(0);
  if (rc > 0) waitpid((pid_t)rc, NULL, 0);
  return rc;
}

static int syscalls(void) {
  struct timespec ts = {0, 0};
  report("keyctl", syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0));
  report("add_key", syscall(SYS_add_key, "user", "berth", "x", 1, KEY_SPEC_PROCESS_KEYRING));
  report("request_key", syscall(SYS_request_key, "user", "berth", NULL, 0));
  report("unshare", syscall(SYS_unshare, CLONE_NEWNS));
  report("unshare_user", syscall(SYS_unshare, CLONE_NEWUSER));
  report("setns", syscall(SYS_setns, 0, CLONE_NEWNET));
  report("clone_newns", clone_newns());
  report("mount", syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, NULL));
  report("umount2", syscall(SYS_umount2, "/proc", MNT_DETACH));
  report("pivot_root", syscall(SYS_pivot_root, "/tmp", "/tmp"));
  report("bpf", syscall(SYS_bpf, 0, NULL, 0));
  report("perf_event_open", syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
  report("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0));
  report("init_module", syscall(SYS_init_module, NULL, 0, ""));
  report("reboot", syscall(SYS_reboot, 0, 0, 0, NULL));
  report("swapon", syscall(SYS_swapon, "/nonexistent", 0));
  report("clock_settime", syscall(SYS_clock_settime, CLOCK_REALTIME, &ts));
  report("unknown", syscall(1000));
  report("getpid", syscall(SYS_getpid));
  return 0;
}

/* `berth-probe swap A B`: exchanges the names A and B atomically (renameat2 RENAME_EXCHANGE),
 * forever, as fast as it can: a race partner for tests of code that checks an entry's type by
 * name and then opens it by name. */
static int swap(const char* a, const char* b) {
  for (;;) {
    if (syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) < 0) {
      fprintf(stderr, "renameat2 %s %s: %s\n", a, b, strerror(errno));
      return 1;
    }
  }
}

/* `berth-probe plant NAME TARGET`: puts a fresh symlink NAME -> TARGET in place (symlink, then
 * rename over whatever NAME is), forever: a race partner for code that creates NAME and then
 * changes it by name. Failures (NAME is a directory for a moment) are ignored. */
_Noreturn static void plant(const char* name, const char* target) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.plant", name);
  for (;;) {
    unlink(tmp);
    if (symlink(target, tmp) == 0) rename(tmp, name);
  }
}

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc > 1 && strcmp(argv[1], "syscalls") == 0) return syscalls();
  if (argc == 4 && strcmp(argv[1], "swap") == 0) return swap(argv[2], argv[3]);
  if (argc == 4 && strcmp(argv[1], "plant") == 0) plant(argv[2], argv[3]);
  fprintf(stderr, "usage: berth-probe syscalls | swap A B | plant NAME TARGET\n");
  return 2;
}
