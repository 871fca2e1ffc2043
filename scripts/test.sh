#!/usr/bin/env bash
# Runs every test: installs what is needed, builds, then ctest's unit, integration and
# security labels, then the unit tests again under ASan+UBSan. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"

cmake -S . -B build-asan -DBERTH_SANITIZE=ON -DBERTH_UNIT_ONLY=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j"$jobs"

status=0
# Root-only labels first need root; CI runs as root.
(cd build && ctest --output-on-failure --timeout 300 -L 'unit|integration|security') || status=1
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure --timeout 300 -L unit) || status=1
exit $status
