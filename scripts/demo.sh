#!/usr/bin/env bash
# The demo of README's first command: build berth, import a busybox image, and run a
# container that serves a page. Uses its own state root unless BERTH_ROOT is set.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
export BERTH_ROOT=${BERTH_ROOT:-/tmp/berth-demo/root} BERTH_RUNROOT=${BERTH_RUNROOT:-/tmp/berth-demo/run}
berth=./build/berth
tar=$(mktemp --suffix=.tar)
trap 'rm -f "$tar"' EXIT
bash scripts/make-busybox-rootfs.sh "$tar"
$berth import "$tar" busybox:latest
$berth images
$berth rm -f demo-web >/dev/null 2>&1 || true
# A web server in its own namespaces; the page is fetched from inside the container
# (published ports arrive with the networking work).
$berth run -d --name demo-web busybox httpd -f -v -p 8080 -h /var/www
sleep 0.3
$berth ps
$berth run --rm busybox sh -c 'httpd -p 8080 -h /var/www && wget -qO- http://127.0.0.1:8080/'
$berth stop demo-web
$berth logs demo-web | tail -n 3 || true
$berth rm demo-web
echo "demo: OK"
