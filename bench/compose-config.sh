#!/usr/bin/env bash
# Times `berth compose config -q` (load + validate, no output) on generated projects of 10,
# 100 and 1000 services, each service with ports, volumes, environment, labels, a
# healthcheck and a depends_on on the previous one. Prints the median of RUNS runs per size
# and the time per service, plus the CPU time (user+sys), which a busy machine inflates less. Goal (issue 6): <= 100 ms for 1000 services, linear growth.
# Usage: bench/compose-config.sh [BERTH_BINARY]   (default build/berth)
set -euo pipefail
cd "$(dirname "$0")/.."
berth=${1:-build/berth}
runs=${RUNS:-11}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

generate() {  # generate N DIR
  local n=$1 dir=$2
  mkdir -p "$dir"
  {
    echo "services:"
    for ((i = 0; i < n; i++)); do
      cat <<YAML
  svc$i:
    image: "registry.example.com/app/svc$i:\${TAG:-1.0}"
    command: ["serve", "--port", "80$((i % 10))"]
    ports:
      - "$((10000 + i)):80"
      - "127.0.0.1:$((30000 + i)):9090/udp"
    volumes:
      - ./data/svc$i:/data
      - shared:/shared:ro
    environment:
      - SERVICE=svc$i
      - LOG_LEVEL=info
    labels:
      com.example.service: svc$i
    healthcheck:
      test: curl -f http://localhost/health
      interval: 30s
      timeout: 5s
      retries: 3
    restart: unless-stopped
YAML
      if ((i > 0)); then printf '    depends_on: [svc%d]\n' $((i - 1)); fi
    done
    printf 'volumes:\n  shared:\n'
  } >"$dir/compose.yaml"
}

# median_ms CMD...: median wall and CPU (user+sys) milliseconds of RUNS runs, "wall cpu".
median_ms() {
  local walls=() cpus=() start end cpu
  for ((r = 0; r < runs; r++)); do
    start=$(date +%s%N)
    /usr/bin/time -o "$work/time" -f '%U %S' "$@" >/dev/null
    cpu=$(awk '{ print ($1 + $2) * 1000 }' "$work/time")
    end=$(date +%s%N)
    walls+=($(((end - start) / 1000)))
    cpus+=("$cpu")
  done
  local mid=$(((runs + 1) / 2))
  printf '%s %s\n' \
    "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "${mid}p" | awk '{ printf "%.1f", $1 / 1000 }')" \
    "$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "${mid}p")"
}

# The same machine's cost of just starting berth, for reference (a loaded machine shows here).
read -r wall cpu < <(median_ms "$berth" version)
printf 'baseline `berth version`: %s ms wall, %s ms cpu (median of %d)\n\n' "$wall" "$cpu" "$runs"
printf '%-10s %-10s %-10s %-10s %s\n' services bytes "wall ms" "cpu ms" "wall us/service"
for n in 10 100 1000; do
  generate "$n" "$work/p$n"
  read -r wall cpu < <(median_ms "$berth" compose --project-directory "$work/p$n" -f "$work/p$n/compose.yaml" config -q)
  printf '%-10s %-10s %-10s %-10s %.0f\n' "$n" "$(stat -c %s "$work/p$n/compose.yaml")" "$wall" "$cpu" \
    "$(awk -v ms="$wall" -v n="$n" 'BEGIN { print ms * 1000 / n }')"
done
