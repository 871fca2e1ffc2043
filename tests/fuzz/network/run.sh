#!/usr/bin/env bash
# Builds the DNS codec fuzzer with clang's libFuzzer + ASan + UBSan and runs it on the seed
# corpus for SECONDS (default 60). Usage: tests/fuzz/network/run.sh [SECONDS] [libFuzzer args]
# New inputs go to build-fuzz/dns-corpus; crashes to build-fuzz/crash-*.
set -euo pipefail
cd "$(dirname "$0")/../../.."
secs=${1:-60}
shift || true
out=build-fuzz
mkdir -p "$out/dns-corpus"
clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -DASIO_STANDALONE -I. \
  tests/fuzz/network/dns_message_fuzz.cpp network/dns_message.cpp network/dns_responder.cpp \
  network/dns_records.cpp network/dns_table.cpp network/cidr.cpp common/error.cpp common/atomic_file.cpp \
  -o "$out/dns_message_fuzz"
"$out/dns_message_fuzz" -max_total_time="$secs" -max_len=4096 -artifact_prefix="$out/" \
  "$@" "$out/dns-corpus" tests/fuzz/network/corpus
