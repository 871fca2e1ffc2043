#!/usr/bin/env bash
# pull.sh [RUNS] — pull of a multi-layer image (~190 MB unpacked, gzip layers made from the
# host's /usr files and random data) from a docker-registry on loopback, side by side in the
# same run:
#   berth pull                 a fresh --root each run (download, verify, unpack),
#   skopeo copy docker:// dir:  download and verify only, no unpack,
#   docker pull                when a Docker engine can run here (Debian's docker.io: the bench
#                              starts dockerd by hand with its own data root in the temp dir,
#                              as bench/build.sh does, and stops it at the end),
# medians of RUNS (default 5), and the gzip decompression throughput of the layers: zcat
# alone (one core), `tar xzf` to disk, and berth's own unpack (`berth import` of the biggest
# layer). Goals (issue: registry client): berth's pull >= skopeo's speed and >= 1.5x Docker's;
# gzip layers decompressed at >= 300 MB/s per core.
# Needs docker-registry and skopeo (Debian packages); berth pull and push may be missing in
# an older build: the other figures are still printed.
set -euo pipefail
runs=${1:-5}
source "$(dirname "$0")/lib.sh"
bench_setup pull.sh
for tool in docker-registry skopeo; do
  command -v $tool >/dev/null || { echo "pull.sh: $tool is not installed" >&2; exit 1; }
done
print_machine

# --- the image: an OCI layout of 5 gzip layers, pushed by skopeo --------------------------
layout=$tmp/layout
python3 - "$layout" <<'PY'
import gzip, hashlib, io, json, os, random, sys, tarfile
layout = sys.argv[1]
os.makedirs(f"{layout}/blobs/sha256")
def blob(data):
    d = hashlib.sha256(data).hexdigest()
    with open(f"{layout}/blobs/sha256/{d}", "wb") as f:
        f.write(data)
    return "sha256:" + d, len(data)
# Regular files of /usr in a fixed order, in chunks of ~budget bytes: real binaries, libraries
# and text, as an image's layers hold.
files = []
for top in ("/usr/lib", "/usr/bin", "/usr/share"):
    for dirpath, dirs, names in os.walk(top):
        dirs.sort()
        for n in sorted(names):
            p = os.path.join(dirpath, n)
            if os.path.isfile(p) and not os.path.islink(p):
                try:
                    files.append((p, os.path.getsize(p)))
                except OSError:
                    pass
def chunk(budget, start):
    out, total, i = [], 0, start
    while i < len(files) and total < budget:
        if files[i][1] < 20 << 20:
            out.append(files[i][0]); total += files[i][1]
        i += 1
    return out, i
layers, diff_ids, pos = [], [], 0
rng = random.Random(42)
for kind, budget in (("usr", 60 << 20), ("usr", 50 << 20), ("usr", 40 << 20),
                     ("random", 25 << 20), ("usr", 10 << 20)):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        if kind == "random":
            data = rng.randbytes(budget)
            ti = tarfile.TarInfo("data/random.bin"); ti.size = len(data); ti.mtime = 0
            t.addfile(ti, io.BytesIO(data))
        else:
            names, pos = chunk(budget, pos)
            for p in names:
                try:
                    ti = t.gettarinfo(p, arcname=p.lstrip("/"))
                    ti.mtime = 0; ti.uid = ti.gid = 0; ti.uname = ti.gname = "root"
                    with open(p, "rb") as f:
                        t.addfile(ti, f)
                except OSError:
                    pass
    tar = buf.getvalue()
    diff_ids.append("sha256:" + hashlib.sha256(tar).hexdigest())
    gz = gzip.compress(tar, compresslevel=6, mtime=0)
    d, n = blob(gz)
    layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": d, "size": n})
    with open(f"{layout}/layers.txt", "a") as f:
        f.write(f"{d[7:]} {len(tar)}\n")
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["/bin/sh"]},
                     "rootfs": {"type": "layers", "diff_ids": diff_ids},
                     "history": [{"created_by": "bench/pull.sh"}] * len(layers)}).encode()
cd, cn = blob(config)
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cn},
                       "layers": layers}).encode()
md, mn = blob(manifest)
with open(f"{layout}/index.json", "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
               "digest": md, "size": mn, "annotations": {"org.opencontainers.image.ref.name": "bench"}}]}, f)
with open(f"{layout}/oci-layout", "w") as f:
    f.write('{"imageLayoutVersion":"1.0.0"}')
unpacked = sum(int(line.split()[1]) for line in open(f"{layout}/layers.txt"))
print(f"image: {len(layers)} layers, {sum(l['size'] for l in layers) / 1e6:.0f} MB compressed,"
      f" {unpacked / 1e6:.0f} MB unpacked")
PY

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$tmp/registry"
cat >"$tmp/registry/config.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $tmp/registry/storage
http:
  addr: 127.0.0.1:$port
EOF
docker-registry serve "$tmp/registry/config.yml" >"$tmp/registry/log" 2>&1 &
others+=("kill $!")
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
ref=127.0.0.1:$port/bench/pull:1
skopeo copy -q --dest-tls-verify=false "oci:$layout:bench" "docker://$ref" >/dev/null

# median_s NAME PREP CMD... : runs PREP then times CMD, $runs times; prints the median wall
# time in s. The median CPU time (user + sys of CMD and its children: berth's and skopeo's
# whole work, only the client's for docker) goes to $tmp/cpu-NAME, a figure that a loaded
# machine disturbs less than the wall time.
median_s() {
  python3 - "$runs" "$tmp" "$@" <<'PY'
import resource, statistics, subprocess, sys, time
runs, tmp, name, prep, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
times, cpus = [], []
for _ in range(runs):
    subprocess.run(["bash", "-c", prep], check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    times.append(time.perf_counter() - t)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {r.stderr.decode().strip()[-300:]}")
with open(f"{tmp}/cpu-{name}", "w") as f:
    f.write(f"{statistics.median(cpus):.2f}")
print(f"{statistics.median(times):.2f}")
PY
}
cpu() { cat "$tmp/cpu-$1"; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }

# --- berth pull, a fresh root each run ------------------------------------------------------
pr=$tmp/pull-root
B_PULL=("$berth" --root "$pr/root" --runroot "$pr/run")
others+=("rm -rf $pr")
if b_pull=$(median_s berth "rm -rf $pr" "${B_PULL[@]}" pull -q "$ref" 2>&1); then
  echo "berth pull: ${b_pull} s, CPU $(cpu berth) s (medians of $runs)"
else
  echo "berth pull: cannot run: $b_pull"
  b_pull=""
fi
rm -rf "$pr"

# --- skopeo copy to a dir -------------------------------------------------------------------
s_dir=$tmp/skopeo-dir
s_pull=$(median_s skopeo "rm -rf $s_dir" skopeo copy -q --src-tls-verify=false "docker://$ref" "dir:$s_dir")
echo "skopeo copy docker:// dir: (no unpack): ${s_pull} s, CPU $(cpu skopeo) s (medians of $runs)"
rm -rf "$s_dir"
[ -n "$b_pull" ] && echo "berth / skopeo: berth is $(ratio "$s_pull" "$b_pull")x skopeo's speed (goal >= 1)"

# --- gzip decompression ---------------------------------------------------------------------
# The layer with the most unpacked bytes (host files, not random data): zcat alone (one
# core), tar xzf to disk, berth import (its own unpack).
read -r big_hex unpacked < <(sort -k2 -n -r "$layout/layers.txt" | head -1)
big=$layout/blobs/sha256/$big_hex
mbps() { python3 -c "print(f'{$unpacked/1e6/$1:.0f}')"; }
z=$(median_s zcat "true" bash -c "zcat $big >/dev/null")
x=$(median_s tar "rm -rf $tmp/x && mkdir $tmp/x" tar xzf "$big" -C "$tmp/x")
rm -rf "$tmp/x"
echo "gzip, biggest layer ($((unpacked / 1000000)) MB unpacked): zcat $(mbps "$z") MB/s ($(mbps "$(cpu zcat)") MB per CPU s), tar xzf $(mbps "$x") MB/s ($(mbps "$(cpu tar)") MB per CPU s)"
ir=$tmp/import-root
if i=$(median_s import "rm -rf $ir" "$berth" --root "$ir/root" --runroot "$ir/run" import "$big" bench-import:1 2>&1); then
  echo "berth import of that layer (decompress + unpack + digest): $(mbps "$i") MB/s, $(mbps "$(cpu import)") MB per CPU s"
  # The same layer uncompressed: the CPU difference is what decompression costs berth.
  zcat "$big" > "$tmp/big.tar"
  if median_s import-plain "rm -rf $ir" "$berth" --root "$ir/root" --runroot "$ir/run" import "$tmp/big.tar" bench-import:1 >/dev/null 2>&1; then
    echo "berth's gzip decompression: $(python3 -c "d = $(cpu import) - $(cpu import-plain); print(f'{$unpacked/1e6/d:.0f} MB per CPU s' if d > 0.005 else 'below the noise')") (CPU of importing the gzip layer minus the same layer uncompressed; goal >= 300 MB/s per core)"
  fi
  rm -f "$tmp/big.tar"
else
  echo "berth import: cannot run: $i"
fi
rm -rf "$ir"

# --- docker pull, when an engine can run here -----------------------------------------------
docker_cli=$(command -v docker || true)
[ -x /usr/bin/docker ] && docker_cli=/usr/bin/docker
docker() { "$docker_cli" "$@"; }
if [ -n "$docker_cli" ] && ! docker version >/dev/null 2>&1 && command -v dockerd >/dev/null; then
  mkdir -p "$tmp/docker"
  dockerd --data-root "$tmp/docker/data" --exec-root "$tmp/docker/exec" -H "unix://$tmp/docker/sock" \
    --pidfile "$tmp/docker/pid" --iptables=false --ip-masq=false --bridge=none \
    --insecure-registry "127.0.0.1:$port" >"$tmp/docker/log" 2>&1 &
  started=$!
  others=("kill $started" "${others[@]}")
  export DOCKER_HOST=unix://$tmp/docker/sock
  for _ in $(seq 1 50); do docker version >/dev/null 2>&1 && break; sleep 0.2; done
fi
if [ -z "$docker_cli" ] || ! docker version >/dev/null 2>&1; then
  echo "docker: cannot run here (no docker CLI or engine); no ratio"
  exit 0
fi
d_pull=$(median_s docker "$docker_cli rmi -f $ref >/dev/null 2>&1 || true" "$docker_cli" pull -q "$ref")
echo "docker pull: ${d_pull} s (median of $runs; the work is dockerd's, not timed as CPU)"
[ -n "$b_pull" ] && echo "berth / docker: berth is $(ratio "$d_pull" "$b_pull")x Docker's speed (goal >= 1.5)"
exit 0
