#!/usr/bin/env bash
# bench/machine-costs.sh — what the machine charges for the steps every `berth run` is made
# of, so run/exec figures can be read against it (docs/PERFORMANCE.md): a syscall, a fresh
# anonymous page fault, fork + exit + wait of a small process, vfork + exec of /bin/true.
# On a paravirtualised guest the page-table steps cost far more than on bare metal.
# Usage: bench/machine-costs.sh   (needs a C compiler: build-essential)
set -euo pipefail
tmp=$(mktemp -d /tmp/berth-machine-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/costs.c" <<'C'
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}
int main(void) {
  double a = now_us();
  for (int i = 0; i < 100000; i++) syscall(SYS_getppid);
  printf("syscall (getppid)             %8.2f us\n", (now_us() - a) / 100000);
  const int pages = 4096;
  char* p = mmap(0, pages * 4096L, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  a = now_us();
  for (int i = 0; i < pages; i++) p[i * 4096L] = 1;
  printf("anonymous page fault          %8.2f us\n", (now_us() - a) / pages);
  munmap(p, pages * 4096L);
  a = now_us();
  for (int i = 0; i < 200; i++) {
    pid_t c = fork();
    if (c == 0) _exit(0);
    waitpid(c, 0, 0);
  }
  printf("fork + exit + wait            %8.1f us\n", (now_us() - a) / 200);
  a = now_us();
  for (int i = 0; i < 200; i++) {
    pid_t c = vfork();
    if (c == 0) {
      execl("/bin/true", "true", (char*)0);
      _exit(127);
    }
    waitpid(c, 0, 0);
  }
  printf("vfork + exec /bin/true + wait %8.1f us\n", (now_us() - a) / 200);
  return 0;
}
C
cc -O2 -o "$tmp/costs" "$tmp/costs.c"
echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$tmp/costs"
