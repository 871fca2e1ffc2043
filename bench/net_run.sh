#!/usr/bin/env bash
# The real-container mode of bench/net.sh (see there): published-port throughput of a
# `berth run -d -p` iperf3 container against direct, and the network setup cost per container.
# Usage: bench/net_run.sh SECONDS ROUNDS   (NET_RUNS=20 runs for the setup medians)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-5}
rounds=${2:-3}
setup_runs=${NET_RUNS:-20}
berth=${BERTH:-$PWD/build/berth}
[ -x "$berth" ] || { echo "net_run.sh: $berth missing (build first)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/berth-netbench-XXXXXX)
B=("$berth" --root "$tmp/root" --runroot "$tmp/run")
cleanup() {
  ids=$("${B[@]}" ps -aq 2>/dev/null || true)
  [ -n "$ids" ] && "${B[@]}" rm -f $ids >/dev/null 2>&1 || true
  "${B[@]}" __network-reset >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# The image: busybox + /usr/bin/iperf3 + every library ldd names, at the same paths.
bash scripts/make-busybox-rootfs.sh "$tmp/busybox.tar"
mkdir "$tmp/rootfs"
tar -xf "$tmp/busybox.tar" -C "$tmp/rootfs"
iperf=$(command -v iperf3)
for f in "$iperf" $(ldd "$iperf" | grep -o '/[^ ]*'); do
  mkdir -p "$tmp/rootfs$(dirname "$f")"
  cp -L "$f" "$tmp/rootfs$f"
done
tar -C "$tmp/rootfs" -cf "$tmp/iperf3.tar" .
"${B[@]}" import "$tmp/busybox.tar" busybox >/dev/null
"${B[@]}" import "$tmp/iperf3.tar" iperf3 >/dev/null

host_addr=$(ip -4 -o route get 192.0.2.1 2>/dev/null | grep -o 'src [0-9.]*' | cut -d' ' -f2)
[ -n "$host_addr" ] || host_addr=$(hostname -I | cut -d' ' -f1)
"${B[@]}" run -d --name ipf -p 15201:5201 iperf3 "$iperf" -s -p 5201 >/dev/null
BERTH_USERLAND_PROXY=1 "${B[@]}" run -d --name ipf-proxy -p 15202:5201 iperf3 "$iperf" -s -p 5201 \
  >/dev/null
ctr=$("${B[@]}" inspect -f '{{.NetworkSettings.IPAddress}}' ipf)
sleep 0.5

source "$(dirname "${BASH_SOURCE[0]}")/net_lib.sh"
d=() l=() h=() p=()
for _ in $(seq "$rounds"); do
  d+=("$(gbps "$ctr" 5201)")
  l+=("$(gbps 127.0.0.1 15201)")
  h+=("$(gbps "$host_addr" 15201)")
  p+=("$(gbps 127.0.0.1 15202)")
done
direct=$(median "${d[@]}")
loopback=$(median "${l[@]}")
hostaddr=$(median "${h[@]}")
proxied=$(median "${p[@]}")
echo "berth run -d -p 15201:5201 (iperf3 -s), 1 TCP stream, ${secs}s x $rounds rounds (median);" \
  "load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-40s %8s Gbit/s\n' "direct to the container ($ctr)" "$direct"
print_path 40 "published, 127.0.0.1" "$loopback" "$direct" "docker-proxy: 59%"
print_path 40 "published, host address ($host_addr)" "$hostaddr" "$direct" "docker: 76%"
print_path 40 "userland proxy (berth-proxy), 127.0.0.1" "$proxied" "$direct" \
  "fallback, information"
"${B[@]}" rm -f ipf ipf-proxy >/dev/null

# Network setup per container: the "network setup of ID: N us" debug line of `run --rm`.
setup_median() {  # run args... → median ms
  for _ in $(seq "$setup_runs"); do
    "${B[@]}" --log-level debug run --rm "$@" busybox true 2>&1 |
      sed -n 's/.*network setup of [0-9a-f]*: \([0-9]*\) us.*/\1/p'
  done | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1000}'
}
"${B[@]}" network create bench-net >/dev/null
"${B[@]}" run --rm --network bench-net busybox true  # its DNS process starts here
echo "network setup per container, median of $setup_runs runs (goal <= 5 ms):" \
  "default bridge $(setup_median) ms, user network $(setup_median --network bench-net) ms," \
  "none $(setup_median --network none) ms"
