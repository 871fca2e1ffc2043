/* inotify_watch DIR: prints the name of every file closed after writing or moved into DIR,
 * one per line, flushed at once. A static test helper bind-mounted into busybox containers
 * (Debian's busybox-static has no inotifyd applet) for the live-edit dev-loop test. */
#include <stdio.h>
#include <sys/inotify.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  int fd = inotify_init1(IN_CLOEXEC);
  if (fd < 0 || inotify_add_watch(fd, argv[1], IN_CLOSE_WRITE | IN_MOVED_TO | IN_MODIFY) < 0) {
    perror("inotify");
    return 1;
  }
  printf("watching\n");
  fflush(stdout);
  char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return 1;
    for (char* p = buf; p < buf + n;) {
      struct inotify_event* e = (struct inotify_event*)p;
      if (e->len) printf("%s\n", e->name);
      p += sizeof *e + e->len;
    }
    fflush(stdout);
  }
}
