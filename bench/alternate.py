#!/usr/bin/env python3
"""alternate.py N CMD_A... -- CMD_B...: wall-time medians of two commands run in turns.

Two warm-up runs each, then N pairs A, B, A, B, ...: on a shared machine both see the same
load, so the two medians compare even when each alone is inflated (e.g. main's build/berth
against a branch's, each with its own --root/--runroot). GAP_MS=N: N ms idle before each run,
so that no run shares the machine with the previous one's after-exit work."""
import os, statistics, subprocess, sys, time
gap = float(os.environ.get('GAP_MS', '0')) / 1000  # idle time before each run (0: back to back)
args = sys.argv[2:]
i = args.index('--')
a, b = args[:i], args[i+1:]
n = int(sys.argv[1])
ta, tb = [], []
for cmd in (a, b, a, b):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(n):
    for cmd, t in ((a, ta), (b, tb)):
        time.sleep(gap)
        s = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t.append((time.perf_counter() - s) * 1000)
        if r.returncode: sys.exit(f"{cmd} failed {r.returncode}")
print(f"A median {statistics.median(ta):.1f} ms (min {min(ta):.1f})   B median {statistics.median(tb):.1f} ms (min {min(tb):.1f})   load {open('/proc/loadavg').read().split()[0]}")
