#!/usr/bin/env bash
# Published-port throughput and network setup cost (issue 5's goals: published port >= 90% of
# direct throughput on 127.0.0.1 and on the host's own address; network setup <= 5 ms median per
# container). Two modes:
#
#   bench/net.sh [SECONDS] [ROUNDS]          (default: real containers)
#     iperf3 (TCP, one stream) from the host to a real `berth run -d -p 15201:5201` container
#     running the iperf3 server: directly to the container's address, and through the published
#     port on 127.0.0.1 and on the host's own address (nftables DNAT); also through the userland
#     proxy (BERTH_USERLAND_PROXY=1, the fallback where nftables is missing) for information.
#     The image is made here: the busybox test rootfs plus the host's iperf3 and the libraries
#     ldd lists for it, imported with `berth import`. Then the median "network setup of ID: N us"
#     (`berth --log-level debug run --rm`) over NET_RUNS (20) runs on the default bridge and on a
#     user network (its DNS process already running, as after any container on it).
#
#   BENCH_MODE=netns bench/net.sh [SECONDS] [ROUNDS]
#     the same throughput inside a throwaway network namespace: a "container" namespace on a
#     veth to a bridge, berth's own nftables rules applied by bench/net_firewall_main.cpp (the
#     machine's ruleset is never touched).
#
# Docker 20.10 on this machine (issue 5): 59% via docker-proxy on 127.0.0.1, 76% on the host
# address. berth uses its own --root/--runroot in a temp dir and resets its networks at exit.
# Root; installs iperf3 with apt-get if missing (scripts/setup-debian.sh has it).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-5}
rounds=${2:-3}
if ! command -v iperf3 >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends iperf3 >/dev/null
fi
if [ "${BENCH_MODE:-run}" = run ]; then
  exec bash bench/net_run.sh "$secs" "$rounds"
fi
if [ "${BERTH_NET_BENCH_INNER:-}" != 1 ]; then
  cmake -S . -B build >/dev/null
  cmake --build build -j1 --target berth_network >/dev/null
  work=$(mktemp -d /tmp/berth-netbench-XXXXXX)
  trap 'rm -rf "$work"' EXIT
  g++ -std=c++20 -O2 -no-pie -DASIO_STANDALONE -I. bench/net_firewall_main.cpp \
    build/network/libberth_network.a build/core/libberth_core.a \
    build/common/libberth_log.a build/common/libberth_common.a build/sys/libberth_sys.a \
    -lspdlog -lfmt -lpthread -ldl -o "$work/net_firewall"
  BERTH_NET_BENCH_INNER=1 BERTH_NET_FIREWALL="$work/net_firewall" \
    unshare --net --mount bash "$0" "$secs" "$rounds"
  exit
fi

# Inside the private network and mount namespaces from here on.
mount --make-rprivate /
mount -t tmpfs tmpfs /run
cleanup() {
  for ns in $(ip netns list | cut -d' ' -f1); do kill $(ip netns pids "$ns") 2>/dev/null || true; done
}
trap cleanup EXIT
ip link set lo up
ip link add br-bench type bridge
ip addr add 10.95.0.1/24 dev br-bench
ip link set br-bench up
ip link add uplink type veth peer name uplink-peer
ip addr add 198.51.100.1/24 dev uplink
ip link set uplink up
ip link set uplink-peer up
ip netns add ctr
ip link add v-ctr type veth peer name eth0 netns ctr
ip link set v-ctr master br-bench up
bridge link set dev v-ctr hairpin on
ip -n ctr link set lo up
ip -n ctr addr add 10.95.0.2/24 dev eth0
ip -n ctr link set eth0 up
ip -n ctr route add default via 10.95.0.1
"$BERTH_NET_FIREWALL" br-bench 10.95.0.0/24 10.95.0.2 -p 15201:5201
ip netns exec ctr iperf3 -s -D -p 5201 >/dev/null
sleep 0.5

source "$(dirname "${BASH_SOURCE[0]}")/net_lib.sh"
d=() l=() h=()
for _ in $(seq "$rounds"); do
  d+=("$(gbps 10.95.0.2 5201)")
  l+=("$(gbps 127.0.0.1 15201)")
  h+=("$(gbps 198.51.100.1 15201)")
done
direct=$(median "${d[@]}")
loopback=$(median "${l[@]}")
hostaddr=$(median "${h[@]}")
echo "iperf3, 1 TCP stream, ${secs}s x $rounds rounds (median); load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %8s Gbit/s\n' "direct to the container" "$direct"
print_path 34 "published, 127.0.0.1" "$loopback" "$direct" "docker-proxy: 59%"
print_path 34 "published, host address" "$hostaddr" "$direct" "docker: 76%"
