#!/usr/bin/env bash
# Installs every Debian package berth needs to build, test and run its demo on a
# fresh Debian 12 machine. Idempotent; both README commands call it.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
  echo "setup-debian.sh: must run as root (apt-get)" >&2
  exit 1
fi
pkgs=(
  # toolchain; lld links berth with its hot functions first (cli/CMakeLists.txt)
  build-essential cmake pkg-config clang-format lld
  # libraries (see ARCHITECTURE.md)
  libyaml-dev libasio-dev libnl-3-dev libnl-route-3-dev libspdlog-dev
  libcli11-dev nlohmann-json3-dev libgtest-dev libgmock-dev libarchive-dev
  libcurl4-openssl-dev libssl-dev libseccomp-dev libnftables-dev
  # gzip layers inflated by ISA-L's igzip, dlopen'd (engine/image/isal_lib.h)
  libisal-dev
  # tests and demo: a static busybox becomes the test image
  busybox-static util-linux iproute2 nftables curl procps
  # a Debian base image for the apt and Node.js tests and examples (make-debian-base.sh)
  mmdebstrap
  # the embedded DNS server is tested with a real resolver client (dig)
  dnsutils
  # CI's libFuzzer runs (compose loader, DNS codec): clang with its fuzzer runtime
  clang libclang-rt-14-dev
  # the registry client's tests and bench/pull.sh: a real registry on loopback (distribution
  # 2.8), skopeo for interop, htpasswd for its basic auth, openssl for its test CA
  docker-registry skopeo apache2-utils openssl
  # bench/: published-port throughput; the benches' timing and reports
  iperf3 python3
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
