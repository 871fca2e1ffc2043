#!/usr/bin/env python3
"""alternate-cpu.py ROUNDS BATCH CMD_A... -- CMD_B...: two commands in alternated batches.

Each round runs BATCH times A, then BATCH times B (three warm-up runs each first). Prints, for
each, the median wall time of one run and the median over batches of the machine's busy CPU
time per run (/proc/stat: everything but idle and iowait, so the work a command leaves to
kernel threads or to its own background processes counts too). On these 2-vCPU machines,
which are seldom two real cores, CPU per run is what a change in the amount of work shows
best; the wall time is what the goals are about."""
import os, statistics, subprocess, sys, time

args = sys.argv[3:]
i = args.index('--')
a, b = args[:i], args[i + 1:]
rounds, batch = int(sys.argv[1]), int(sys.argv[2])
hz = os.sysconf('SC_CLK_TCK')


def busy():
    v = list(map(int, open('/proc/stat').readline().split()[1:]))
    return sum(v) - v[3] - v[4]  # all but idle and iowait


res = {'A': ([], []), 'B': ([], [])}
for cmd in (a, b):
    for _ in range(3):
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(rounds):
    for name, cmd in (('A', a), ('B', b)):
        c0 = busy()
        for _ in range(batch):
            s = time.perf_counter()
            p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            res[name][0].append((time.perf_counter() - s) * 1000)
            if p.returncode:
                sys.exit(f"{cmd} failed {p.returncode}")
        time.sleep(0.05)  # let the batch's after-exit work finish inside its own window
        res[name][1].append((busy() - c0) * 1000 / hz / batch)
for n in 'AB':
    w, c = res[n]
    print(f"{n}: wall median {statistics.median(w):.1f} ms  cpu/run median {statistics.median(c):.1f} ms"
          f" (batches {len(c)})")
