#!/usr/bin/env bash
# compose-up.sh [ROUNDS] — `compose up -d`, a no-op second `up -d`, and `down` of generated
# stacks of 10 and 50 busybox services (`init: true`, `sleep`) on the project's default
# network, median of ROUNDS rounds (default 5), the two sizes in turns. Goals (issue 18): up -d of 10 services <= 0.5 s;
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

# time_rounds LABEL TOOL... : ROUNDS rounds, each the 10-service then the 50-service stack (up
# -d, up -d again, down): the machine's speed drifts by tens of percent over minutes here, so
# the two sizes are timed in turns and their ratio compares like with like. Prints, per size,
# the three medians (s).
time_rounds() {
  python3 - "$rounds" "$tmp" "$@" <<'PY'
import statistics, subprocess, sys, time
rounds, tmp, label, tool = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
def timed(n, *args):
    t = time.perf_counter()
    r = subprocess.run(tool + ["-f", f"{tmp}/compose-{n}.yaml", "-p", f"bench{n}"] + list(args),
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode:
        sys.exit(f"{label} {n}: {' '.join(args)} failed: {r.stderr.decode().strip().splitlines()[-1:]}")
    return time.perf_counter() - t
times = {n: ([], [], []) for n in (10, 50)}
for n in times:
    subprocess.run(tool + ["-f", f"{tmp}/compose-{n}.yaml", "-p", f"bench{n}", "down"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(rounds):
    for n, (up, again, down) in times.items():
        up.append(timed(n, "up", "-d"))
        again.append(timed(n, "up", "-d"))
        down.append(timed(n, "down"))
m = lambda v: statistics.median(v)
for n, (up, again, down) in times.items():
    print(f"{n} {m(up):.3f} {m(again):.3f} {m(down):.3f}")
PY
}

print_machine
generate 10 "$tmp/compose-10.yaml"
generate 50 "$tmp/compose-50.yaml"
while read -r n up again down; do
  echo "berth  $n services: up -d ${up} s, no-op up ${again} s, down ${down} s (median of $rounds)"
  eval "berth_up_$n=$up berth_down_$n=$down"
done < <(time_rounds berth "${B[@]}" compose)
for tool in "docker compose" docker-compose podman-compose; do
  set -- $tool
  command -v "$1" >/dev/null || { echo "$tool: not installed"; continue; }
  if ! $tool version >/dev/null 2>&1 || ! ${1%-compose} image inspect busybox >/dev/null 2>&1; then
    echo "$tool: cannot run here (no daemon or no busybox image: import $tmp/busybox.tar)"; continue
  fi
  if ! out=$(time_rounds "$tool" $tool 2>&1); then echo "$tool: $out"; continue; fi
  while read -r n o_up o_again o_down; do
    up_var=berth_up_$n down_var=berth_down_$n
    echo "$tool $n services: up -d ${o_up} s, no-op up ${o_again} s, down ${o_down} s;" \
      "berth is $(python3 -c "print(f'{$o_up/${!up_var}:.1f}x / {$o_down/${!down_var}:.1f}x')") faster (up / down)"
  done <<<"$out"
done
echo "50 services against 10: up -d $(python3 -c "print(f'{$berth_up_50/$berth_up_10:.1f}')")x"
