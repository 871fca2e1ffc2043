#!/usr/bin/env bash
# Embedded DNS throughput and latency: dnsperf (-c 4, as the issue's Docker figure) against
# berth's DNS server on loopback, answering names from its table (no forwarding, so nothing
# leaves the machine). Prints queries/s and mean latency, and the ratio to the Docker 20.10
# figure measured on this machine (39k q/s, 2.1 ms) recorded in issue 5.
# Usage: bench/dns.sh [SECONDS]   (root: installs dnsperf with apt-get if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
if ! command -v dnsperf >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dnsperf >/dev/null
fi
cmake -S . -B build >/dev/null
cmake --build build -j1 --target berth_network >/dev/null
work=$(mktemp -d /tmp/berth-dnsbench-XXXXXX)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
# Until `berth __dns` exists, link the server into a small driver.
g++ -std=c++20 -O2 -no-pie -DASIO_STANDALONE -I. bench/dns_server_main.cpp \
  build/network/libberth_network.a build/common/libberth_log.a build/common/libberth_common.a \
  build/sys/libberth_sys.a -lspdlog -lfmt -lpthread -o "$work/dns_server"

gw=127.0.77.1
port=5300
cat >"$work/table.json" <<JSON
{"networks": [{"name": "bench", "subnet": "127.0.77.0/24", "gateway": "$gw"}],
 "containers": [
  {"id": "aaaaaaaaaaaa0001", "name": "web-1", "endpoints": [{"network": "bench", "ipv4": "127.0.77.2", "aliases": ["web"]}]},
  {"id": "aaaaaaaaaaaa0002", "name": "web-2", "endpoints": [{"network": "bench", "ipv4": "127.0.77.3", "aliases": ["web"]}]},
  {"id": "aaaaaaaaaaaa0003", "name": "db-1", "endpoints": [{"network": "bench", "ipv4": "127.0.77.4", "aliases": ["db"]}]}
 ]}
JSON
printf 'web A\nweb-1 A\ndb AAAA\nweb-2 A\n4.77.0.127.in-addr.arpa PTR\ndb A\n' >"$work/queries"
"$work/dns_server" "$work/table.json" "$port" 2>"$work/server.log" &
server_pid=$!
sleep 0.5
dnsperf -s "$gw" -p "$port" -a 127.0.77.2 -d "$work/queries" -c 4 -l "$secs" -q 100 \
  >"$work/out" 2>&1 || { cat "$work/out"; exit 1; }
# CPU the server spent per query (utime + stime in clock ticks): a figure that holds even when
# other work shares the machine's cores.
ticks=$(awk '{print $14 + $15}' "/proc/$server_pid/stat")
hz=$(getconf CLK_TCK)
qps=$(awk '/Queries per second/ {print $4}' "$work/out")
lat=$(awk '/Average Latency/ {print $4}' "$work/out")
lost=$(awk '/Queries lost/ {print $3}' "$work/out")
lat_ms=$(awk -v s="$lat" 'BEGIN {printf "%.3f", s * 1000}')
completed=$(awk '/Queries completed/ {print $3}' "$work/out")
cpu_us=$(awk -v t="$ticks" -v hz="$hz" -v n="$completed" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
echo "berth dns: ${qps} queries/s, mean latency ${lat_ms} ms, lost ${lost}, server CPU ${cpu_us} us/query (dnsperf -c 4 -q 100, ${secs}s; load $(cut -d' ' -f1 /proc/loadavg))"
awk -v q="$qps" -v l="$lat_ms" 'BEGIN {
  printf "vs docker 20.10 (39000 q/s, 2.1 ms): %.2fx queries/s, %.2fx latency (goal >= 2x, <= 0.5x)\n", q / 39000, l / 2.1 }'
