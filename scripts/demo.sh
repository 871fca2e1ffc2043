#!/usr/bin/env bash
# The demo of README's first command: build berth, import a busybox image, and bring up a
# small compose stack — a web server and a client that fetches its page by service name on the
# stack's own network — with its port published on the host; then take it down. Uses its own
# state root unless BERTH_ROOT is set.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ${1:-} != --no-build ]]; then
  bash scripts/setup-debian.sh
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j"$(nproc)"
fi
export BERTH_ROOT=${BERTH_ROOT:-/tmp/berth-demo/root} BERTH_RUNROOT=${BERTH_RUNROOT:-/tmp/berth-demo/run}
berth=$PWD/build/berth
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash scripts/make-busybox-rootfs.sh "$work/busybox.tar"
$berth import "$work/busybox.tar" busybox:latest
$berth images
cat >"$work/compose.yaml" <<'YAML'
name: demo
services:
  web:
    image: busybox
    command: sh -c 'mkdir -p /www && echo "hello from berth" > /www/index.html && exec httpd -f -p 80 -h /www'
    ports: ["127.0.0.1:18080:80"]
  client:
    image: busybox
    depends_on: [web]
    command: sh -c 'sleep 0.3; wget -qO- http://web/ && exec sleep 3600'
YAML
$berth compose -f "$work/compose.yaml" down -v >/dev/null 2>&1 || true
$berth compose -f "$work/compose.yaml" up -d
$berth compose -f "$work/compose.yaml" ps
sleep 0.5
echo "from the host: $(python3 -c 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:18080/").read().decode().strip())')"
echo "from the client, by service name: $($berth logs demo-client-1)"
$berth compose -f "$work/compose.yaml" down -v
echo "demo: OK"
