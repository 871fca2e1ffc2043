#!/usr/bin/env bash
# compose-up.sh [ROUNDS] — `compose up -d`, a no-op second `up -d`, and `down` of generated
# stacks of 10 and 50 busybox services (`init: true`, `sleep`) on the project's default
# network, median of ROUNDS rounds (default 5). Goals (issue 18): up -d of 10 services <= 0.5 s;
# 50 services <= 5x the 10-service time; down of 10 <= 0.5 s; a no-op up of 50 <= 100 ms.
# The same stack with `docker compose` / `docker-compose` and `podman-compose` when installed
# and able to run here (they need a daemon and a busybox image), with the ratios.
# berth runs with its own --root/--runroot in a temp dir (bench/lib.sh).
set -euo pipefail
rounds=${1:-5}
source "$(dirname "$0")/lib.sh"
bench_setup compose-up.sh

generate() {  # generate N FILE
  local n=$1 file=$2
  {
    echo "services:"
    for ((i = 0; i < n; i++)); do
      printf '  s%d:\n    image: busybox\n    init: true\n    command: ["sleep", "3600"]\n' "$i"
    done
  } >"$file"
}

# time_rounds LABEL TOOL... : ROUNDS of up -d, up -d again, down; prints the three medians (s).
time_rounds() {
  python3 - "$rounds" "$@" <<'PY'
import statistics, subprocess, sys, time
rounds, label, tool = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
def timed(*args):
    t = time.perf_counter()
    r = subprocess.run(tool + list(args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode:
        sys.exit(f"{label}: {' '.join(args)} failed: {r.stderr.decode().strip().splitlines()[-1:]}")
    return time.perf_counter() - t
subprocess.run(tool + ["down"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
up, again, down = [], [], []
for _ in range(rounds):
    up.append(timed("up", "-d"))
    again.append(timed("up", "-d"))
    down.append(timed("down"))
m = lambda v: statistics.median(v)
print(f"{m(up):.3f} {m(again):.3f} {m(down):.3f}")
PY
}

print_machine
for n in 10 50; do
  generate "$n" "$tmp/compose-$n.yaml"
  read -r up again down < <(time_rounds "berth $n" "${B[@]}" compose -f "$tmp/compose-$n.yaml" -p bench$n)
  echo "berth  $n services: up -d ${up} s, no-op up ${again} s, down ${down} s (median of $rounds)"
  eval "berth_up_$n=$up berth_down_$n=$down"
  for tool in "docker compose" docker-compose podman-compose; do
    set -- $tool
    command -v "$1" >/dev/null || { echo "$tool: not installed"; continue; }
    if ! $tool version >/dev/null 2>&1 || ! ${1%-compose} image inspect busybox >/dev/null 2>&1; then
      echo "$tool: cannot run here (no daemon or no busybox image: import $tmp/busybox.tar)"; continue
    fi
    if out=$(time_rounds "$tool $n" $tool -f "$tmp/compose-$n.yaml" -p bench$n 2>&1); then
      read -r o_up o_again o_down <<<"$out"
      echo "$tool $n services: up -d ${o_up} s, no-op up ${o_again} s, down ${o_down} s;" \
        "berth is $(python3 -c "print(f'{$o_up/$up:.1f}x / {$o_down/$down:.1f}x')") faster (up / down)"
    else
      echo "$tool: $out"
    fi
  done
done
echo "50 services against 10: up -d $(python3 -c "print(f'{$berth_up_50/$berth_up_10:.1f}')")x"
