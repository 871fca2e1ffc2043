#!/usr/bin/env bash
# build.sh [RUNS] — `build` of a 2-stage, 12-instruction Dockerfile (5 RUN/COPY steps):
#   cold       a build with an empty cache (--no-cache),
#   cached     a rebuild with nothing changed (every step from the cache),
#   one file   a rebuild after one copied source file changed (its COPY, the RUN after it,
#              the second stage's COPY --from and the final image are redone),
#   RUN alone  `run --rm` of that RUN's command: what the changed RUN costs by itself,
# medians of RUNS (default 10). Goals (issue 19): cached <= 50 ms and >= 5x faster than
# Docker's; one file <= 2x the time of its RUN steps. The same with `docker build` (classic
# and BuildKit) when a Docker engine can run here: when dockerd is installed (Debian's
# docker.io) and none is running, the bench starts one by hand with its own data root in the
# temp dir (no iptables rules, no bridge) and stops it at the end; never in CI or tests.
set -euo pipefail
runs=${1:-10}
source "$(dirname "$0")/lib.sh"
bench_setup build.sh

ctx=$tmp/ctx
mkdir -p "$ctx/src"
cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM busybox AS build
WORKDIR /src
COPY deps.txt ./
RUN sort deps.txt > deps.sorted
COPY src/ ./src/
RUN cat src/*.c deps.sorted > app.out
FROM busybox
ENV APP_ENV=production
WORKDIR /app
COPY --from=build /src/app.out ./
EXPOSE 8080
CMD ["cat", "/app/app.out"]
DOCKERFILE
printf 'zlib\nopenssl\ncurl\n' >"$ctx/deps.txt"
for i in $(seq 1 20); do echo "int f$i(void) { return $i; }" >"$ctx/src/f$i.c"; done
echo ".git" >"$ctx/.dockerignore"

# bench TOOL... : prints "cold cached onefile" medians in ms; $build_flags go after "build".
bench() {
  python3 - "$runs" "$ctx" "${build_flags:-}" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, ctx, flags, tool = int(sys.argv[1]), sys.argv[2], sys.argv[3].split(), sys.argv[4:]
def build(*extra):
    t = time.perf_counter()
    r = subprocess.run(tool + ["build", "-q", "-t", "bench:1", *flags, *extra, ctx],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode:
        sys.exit(f"{' '.join(tool)} build failed: {r.stderr.decode()[-400:]}")
    return (time.perf_counter() - t) * 1000
cold, cached, onefile = [], [], []
build()
for i in range(runs):
    cold.append(build("--no-cache"))
    build()
    cached.append(build())
    with open(f"{ctx}/src/f1.c", "w") as f:
        f.write(f"int f1(void) {{ return {i + 100}; }}\n")
    onefile.append(build())
m = statistics.median
print(f"{m(cold):.0f} {m(cached):.1f} {m(onefile):.0f}")
PY
}

print_machine
read -r b_cold b_cached b_one < <(bench "${B[@]}")
b_run=$(median_ms "${B[@]}" run --rm busybox sh -c 'cd / && cat /etc/passwd /etc/group > /tmp/app.out')
echo "berth: cold ${b_cold} ms, cached ${b_cached} ms, one file ${b_one} ms; the changed RUN alone (run --rm) ${b_run} ms (medians of $runs)"
echo "berth: one-file rebuild / RUN alone: $(python3 -c "print(f'{$b_one/$b_run:.1f}')")x (goal <= 2x)"

# Docker, when it can run here. Debian's docker.io CLI (/usr/bin/docker, 20.10) has BuildKit
# built in; a newer CLI earlier on PATH may want the buildx plugin for it.
docker_cli=$(command -v docker || true)
[ -x /usr/bin/docker ] && docker_cli=/usr/bin/docker
docker() { "$docker_cli" "$@"; }
started=""
if [ -n "$docker_cli" ] && ! docker version >/dev/null 2>&1 && command -v dockerd >/dev/null; then
  mkdir -p "$tmp/docker"
  dockerd --data-root "$tmp/docker/data" --exec-root "$tmp/docker/exec" -H "unix://$tmp/docker/sock" \
    --pidfile "$tmp/docker/pid" --iptables=false --ip-masq=false --bridge=none \
    >"$tmp/docker/log" 2>&1 &
  started=$!
  others+=("kill $started")
  export DOCKER_HOST=unix://$tmp/docker/sock
  for _ in $(seq 1 50); do docker version >/dev/null 2>&1 && break; sleep 0.2; done
fi
if [ -z "$docker_cli" ] || ! docker version >/dev/null 2>&1; then
  echo "docker: cannot run here (no docker CLI or engine); no ratio"
  exit 0
fi
"${B[@]}" save busybox | docker load >/dev/null
sed -i 's/^FROM busybox/FROM busybox:latest/' "$ctx/Dockerfile"
for kind in classic buildkit; do
  export DOCKER_BUILDKIT=$([ $kind = buildkit ] && echo 1 || echo 0)
  if ! out=$(build_flags="--network none" bench "$docker_cli" 2>&1); then echo "docker ($kind): $out"; continue; fi
  read -r d_cold d_cached d_one <<<"$out"
  echo "docker ($kind): cold ${d_cold} ms, cached ${d_cached} ms, one file ${d_one} ms;" \
    "berth is $(python3 -c "print(f'{$d_cold/$b_cold:.1f}x / {$d_cached/$b_cached:.1f}x / {$d_one/$b_one:.1f}x')") faster (cold / cached / one file)"
done
