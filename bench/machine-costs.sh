#!/usr/bin/env bash
# bench/machine-costs.sh — what the machine charges for the steps every `berth run` is made
# of, so run/exec figures can be read against it (docs/PERFORMANCE.md): a syscall, a fresh
# anonymous page fault, fork + exit + wait of a small process, vfork + exec of /bin/true,
# a cpuid instruction (glibc runs dozens at every process start), and whether the CPUs run
# two busy processes side by side (2 = two real cores, 1 = they share one).
# On a paravirtualised guest the page-table steps cost far more than on bare metal.
# Usage: bench/machine-costs.sh   (needs a C compiler: build-essential)
set -euo pipefail
tmp=$(mktemp -d /tmp/berth-machine-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/costs.c" <<'C'
#include <cpuid.h>
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
  unsigned r[4];
  a = now_us();
  for (int i = 0; i < 1000; i++) __cpuid_count(4, i & 3, r[0], r[1], r[2], r[3]);
  printf("cpuid                         %8.2f us\n", (now_us() - a) / 1000);
  // The same busy loop alone, then in two processes at once: work done per unit of time.
  a = now_us();
  for (volatile unsigned long i = 0; i < 100000000UL; i++) {
  }
  const double alone = now_us() - a;
  a = now_us();
  pid_t c = fork();
  for (volatile unsigned long i = 0; i < 100000000UL; i++) {
  }
  if (c == 0) _exit(0);
  waitpid(c, 0, 0);
  printf("parallel speed-up, 2 busy     %8.2f x   (%.0f ms alone, %.0f ms both)\n",
         2 * alone / (now_us() - a), alone / 1000, (now_us() - a) / 1000);
  return 0;
}
C
cc -O2 -o "$tmp/costs" "$tmp/costs.c"
echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$tmp/costs"
