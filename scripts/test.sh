#!/usr/bin/env bash
# Runs every test: installs what is needed, builds, then ctest's unit, integration and
# security labels, then the unit tests again under ASan+UBSan. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
# Where CI's time goes: each phase's duration, printed as it ends.
phase_start=$SECONDS
phase_done() {
  echo "== $1: $((SECONDS - phase_start)) s"
  phase_start=$SECONDS
}
bash scripts/setup-debian.sh
phase_done "setup-debian.sh"
# The Debian base image of the apt tests (scripts/make-debian-base.sh), made while the builds
# run: a few minutes on a machine's first run, then a cache hit in /var/cache/berth/bases,
# outside the clone. Without it those tests skip (no mmdebstrap, no mirror) or fail.
debian_base_log=$(mktemp)
bash scripts/make-debian-base.sh >/dev/null 2>"$debian_base_log" &
debian_base_pid=$!
jobs=$(nproc)

# Line tables only (-g1): file:line in backtraces and sanitizer reports, without the full
# debug info that took a third of each file's compile time (and most of the link).
lines_only=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
            -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG")
# Unity builds (8 sources per compiler run): the headers every file includes (nlohmann/json,
# CLI11, gtest, asio) are parsed once per batch, not once per file. On the 2-core machine the
# build went from ~9.5 to ~5 min and the ASan build to ~4.3 min. A source that cannot share a
# batch says so in its CMakeLists (SKIP_UNITY_BUILD_INCLUSION).
unity=(-DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "${lines_only[@]}" "${unity[@]}" >/dev/null
cmake --build build -j"$jobs"
phase_done "build"

cmake -S . -B build-asan -DBERTH_SANITIZE=ON -DBERTH_UNIT_ONLY=ON -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DCMAKE_C_FLAGS_DEBUG=-g1 "${unity[@]}" >/dev/null
cmake --build build-asan -j"$jobs"
phase_done "ASan/UBSan build"

wait "$debian_base_pid" || { echo "== make-debian-base.sh failed:"; cat "$debian_base_log"; }
rm -f "$debian_base_log"
phase_done "Debian base image (the rest of its time overlapped the builds)"

status=0
# libFuzzer on the parsers that face hostile input (tests/fuzz/CMakeLists.txt: the compose
# loader, the DNS codec and responder, the layer extractor, the Dockerfile parser,
# .dockerignore), each for FUZZ_SECONDS, side by side, when clang is installed. Without it
# each corpus is still replayed by the unit label (*_fuzz_replay).
if command -v clang++ >/dev/null; then
  fuzzers=(compose_loader_fuzz dns_message_fuzz layer_extract_fuzz dockerfile_parse_fuzz
           dockerignore_fuzz)
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -DBERTH_FUZZ=ON -DBERTH_UNIT_ONLY=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo "${lines_only[@]}" >/dev/null
  cmake --build build-fuzz -j"$jobs" --target "${fuzzers[@]}"
  fuzz_tmp=$(mktemp -d)
  for f in "${fuzzers[@]}"; do mkdir "$fuzz_tmp/$f"; done
  cp tests/fuzz/corpus/* "$fuzz_tmp/compose_loader_fuzz"/
  find tests/unit/compose/testdata -name '*.yaml' ! -name expected.yaml \
    -exec cp --backup=numbered {} "$fuzz_tmp/compose_loader_fuzz"/ \;
  cp tests/fuzz/network/corpus/* "$fuzz_tmp/dns_message_fuzz"/
  cp tests/fuzz/image/corpus/* "$fuzz_tmp/layer_extract_fuzz"/
  cp tests/fuzz/dockerfile/corpus/* "$fuzz_tmp/dockerfile_parse_fuzz"/
  cp tests/fuzz/dockerfile/ignore_corpus/* "$fuzz_tmp/dockerignore_fuzz"/
  pids=()
  for f in "${fuzzers[@]}"; do
    # Crash inputs go to build-fuzz/<fuzzer>-crash-*.
    build-fuzz/tests/fuzz/$f -max_total_time="${FUZZ_SECONDS:-60}" -rss_limit_mb=2048 \
      -timeout=10 -artifact_prefix="$PWD/build-fuzz/$f-" "$fuzz_tmp/$f" \
      >"$fuzz_tmp/$f.log" 2>&1 &
    pids+=($!)
  done
  for i in "${!fuzzers[@]}"; do
    wait "${pids[$i]}" || { status=1; echo "== ${fuzzers[$i]} FAILED"; }
    tail -3 "$fuzz_tmp/${fuzzers[$i]}.log"
  done
  rm -rf "$fuzz_tmp"
  phase_done "fuzzers (build and run)"
fi
# Unit tests are pure: one per core. The root-only labels (real kernel, shared host state
# such as nftables and cgroups) run one at a time; CI runs as root.
(cd build && ctest --output-on-failure --timeout 300 -j"$jobs" -L unit) || status=1
phase_done "unit tests"
(cd build && ctest --output-on-failure --timeout 300 -L 'integration|security') || status=1
phase_done "integration and security tests"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure --timeout 300 -j"$jobs" -L unit) || status=1
phase_done "ASan/UBSan unit tests"
exit $status
