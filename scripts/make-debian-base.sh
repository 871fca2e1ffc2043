#!/usr/bin/env bash
# make-debian-base.sh [--packages a,b,...] [--suite SUITE] [--print-path] [--rebuild]
#                     [--check-mirror]
#
# A Debian rootfs tarball for berth's tests and examples (berth reaches no registry):
#   berth import "$(scripts/make-debian-base.sh --packages nodejs)" debian:bookworm
# Built as root with mmdebstrap (variant minbase, like the debian:SUITE image, with
# debian:SUITE-slim's dpkg excludes for docs, man pages and locales, and those images'
# force-unsafe-io: no fsync per unpacked file, in the build and in containers' apt-get), from
# the host's own apt sources for SUITE, SUITE-updates and SUITE-security (same mirror URIs).
# apt keeps its default sandbox: downloads run as _apt, which works in a berth container.
#
# Cached by content: the tarball is ${BERTH_BASE_CACHE:-/var/cache/berth/bases}/
# debian-SUITE-KEY.tar, KEY a hash of everything that decides what is built (this script's
# code without its comments, mmdebstrap's version, suite, architecture, variant, apt sources,
# packages, SOURCE_DATE_EPOCH). A call whose tarball exists prints its path at once, offline.
# The mirror's content is not in the key: a cached base is a snapshot of the mirror when it
# was built (containers run `apt-get update` anyway); --rebuild makes a fresh one in place.
# Each hit touches the tarball; a build deletes the bases nobody used for 30 days.
# The tarball is written to a temp name and renamed, under a lock per key, so a killed run
# never leaves a partial tarball that a later call would take as cached.
#
#   --packages a,b,...  extra packages (comma separated; order and repeats do not matter)
#   --suite SUITE       Debian suite (default: the host's VERSION_CODENAME)
#   --print-path        print the path these inputs map to and exit (builds nothing)
#   --rebuild           build even when the tarball is cached, then replace it
#   --check-mirror      check that the mirror answers even on a cache hit (exit 4 if not): for
#                       callers about to apt-get in a container (the tests)
#
# stdout: the tarball's path, alone. Progress and errors go to stderr.
# Exit: 0 ok; 1 build failed; 2 usage; 3 a prerequisite is missing (not root, no mmdebstrap,
# no host apt source for SUITE); 4 the mirror cannot be reached. Tests skip on 3 and 4.
set -euo pipefail
me=make-debian-base.sh
die() {
  echo "$me: $2" >&2
  exit "$1"
}

packages="" suite="" print_path=0 rebuild=0 check=0
while [ $# -gt 0 ]; do
  case $1 in
    --packages) packages=${2?--packages needs a value}; shift 2 ;;
    --packages=*) packages=${1#*=}; shift ;;
    --suite) suite=${2?--suite needs a value}; shift 2 ;;
    --suite=*) suite=${1#*=}; shift ;;
    --print-path) print_path=1; shift ;;
    --rebuild) rebuild=1; shift ;;
    --check-mirror) check=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) die 2 "unknown argument '$1' (see --help)" ;;
  esac
done
if [ -z "$suite" ]; then
  suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [ -n "$suite" ] || die 3 "no VERSION_CODENAME in /etc/os-release: pass --suite"
fi
[[ $suite =~ ^[a-z][a-z0-9-]*$ ]] || die 2 "bad suite '$suite'"
# One package per line, sorted and without repeats: the key does not depend on their order.
pkg_list=$(tr ',' '\n' <<<"$packages" | sed '/^$/d' | LC_ALL=C sort -u)
while read -r p; do
  [ -z "$p" ] || [[ $p =~ ^[a-z0-9][a-z0-9+.-]*$ ]] || die 2 "bad package name '$p'"
done <<<"$pkg_list"

variant=minbase
arch=$(dpkg --print-architecture)
# Time stamps in the tarball (mmdebstrap clamps to it); a fixed default keeps the key stable.
epoch=${SOURCE_DATE_EPOCH:-1704067200}

# The host's apt sources for SUITE and its -updates/-security suites, as one-line entries
# "deb URI SUITE COMPONENT...". Read from the files rather than `apt-get indextargets`, which
# takes a second or more: a cached call must stay fast. Both formats: one-line (.list) and
# deb822 (.sources, stanzas of Types/URIs/Suites/Components/Enabled).
host_sources() {
  local files=() f
  local d=/etc/apt/sources.list.d
  for f in /etc/apt/sources.list "$d"/*.list "$d"/*.sources; do
    [ -f "$f" ] && files+=("$f")
  done
  [ ${#files[@]} -gt 0 ] || return 0
  awk -v s="$suite" '
    function want(suite) { return suite == s || suite == s "-updates" || suite == s "-security" }
    function add(uri, suite, comps,   k, n, i, c) {
      if (!want(suite)) return
      k = uri " " suite; if (!(k in seen)) { seen[k] = ""; order[nk++] = k }
      n = split(comps, c, " ")
      for (i = 1; i <= n; i++) if (index(seen[k] " ", " " c[i] " ") == 0) seen[k] = seen[k] " " c[i]
    }
    function flush(   nu, ns, u, t, i, j) {
      if (types ~ /(^| )deb( |$)/ && enabled != "no") {
        nu = split(uris, u, " "); ns = split(suites, t, " ")
        for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++) add(u[i], t[j], comps)
      }
      types = uris = suites = comps = enabled = ""
    }
    FNR == 1 { flush(); deb822 = FILENAME ~ /\.sources$/ }
    /^[ \t]*#/ { next }
    deb822 && /^[ \t]*$/ { flush(); next }
    deb822 {
      f = tolower($1); sub(/:$/, "", f); $1 = ""; sub(/^ +/, "")
      if (f == "types") types = $0; else if (f == "uris") uris = $0
      else if (f == "suites") suites = $0; else if (f == "components") comps = $0
      else if (f == "enabled") enabled = tolower($0)
      next
    }
    $1 == "deb" {
      sub(/^deb[ \t]+/, ""); if ($0 ~ /^\[/) sub(/^\[[^]]*\][ \t]*/, "")
      uri = $1; suite = $2; $1 = $2 = ""; sub(/^ +/, ""); add(uri, suite, $0)
    }
    END { flush(); for (i = 0; i < nk; i++) print "deb " order[i] seen[order[i]] }
  ' "${files[@]}"
}
sources=$(host_sources)
[ -n "$sources" ] || die 3 "the host has no apt source for suite '$suite' (/etc/apt/sources.list*)"
mm_version=none
if command -v mmdebstrap >/dev/null; then
  mm_version=$(dpkg-query -W -f='${Version}' mmdebstrap 2>/dev/null || echo unpackaged)
fi

key=$(
  {
    echo "recipe $(grep -v '^[[:space:]]*#' "$0" | sha256sum | cut -d' ' -f1)"  # not comments
    echo "mmdebstrap $mm_version"
    echo "suite $suite"
    echo "arch $arch"
    echo "variant $variant"
    echo "epoch $epoch"
    echo "sources"
    echo "$sources"
    echo "packages"
    echo "$pkg_list"
  } | sha256sum | cut -c1-16
)
cache=${BERTH_BASE_CACHE:-/var/cache/berth/bases}
out=$cache/debian-$suite-$key.tar

# Only a mirror that cannot be reached is 4 (tests skip); one that answers with an HTTP error
# is a failure to look at.
check_mirror() {
  command -v curl >/dev/null || die 3 "curl is not installed (apt-get install curl)"
  local uri s rc
  while read -r _ uri s _; do
    rc=0
    curl -fsSI --max-time 20 -o /dev/null "${uri%/}/dists/$s/InRelease" 2>/dev/null || rc=$?
    case $rc in
      0) ;;
      5 | 6 | 7 | 28 | 35 | 52 | 56) die 4 "mirror $uri unreachable (curl exit $rc)" ;;
      *) die 1 "mirror $uri: cannot get dists/$s/InRelease (curl exit $rc)" ;;
    esac
  done <<<"$sources"
}

if [ "$print_path" = 1 ]; then
  echo "$out"
  exit 0
fi
if [ "$rebuild" = 0 ] && [ -f "$out" ]; then
  # The mtime says when the base was last used, for the pruning below. Best effort: a caller
  # that may not write the cache still gets the path.
  touch -c "$out" 2>/dev/null || echo "$me: cannot touch $out (it may be pruned as unused)" >&2
  [ "$check" = 0 ] || check_mirror
  echo "$out"
  exit 0
fi

[ "$(id -u)" = 0 ] || die 3 "must run as root (mmdebstrap --mode=root)"
[ "$mm_version" != none ] || die 3 "mmdebstrap is not installed (apt-get install mmdebstrap)"
mkdir -p "$cache"
# One builder per key: a second caller waits, then finds the tarball made by the first.
exec 9>"$out.lock"
flock 9
if [ "$rebuild" = 0 ] && [ -f "$out" ]; then
  echo "$out"
  exit 0
fi
# Left by a killed run of this key (we hold its lock, so nobody is writing them now).
rm -f "$cache/.debian-$suite-$key.tar."*

check_mirror

tmp=$(mktemp "$cache/.debian-$suite-$key.tar.XXXXXX")
trap 'rm -f "$tmp"' EXIT
echo "$me: building $out (mmdebstrap $variant, suite $suite)" >&2
# The image gets an empty resolv.conf and a plain hostname instead of the host's copies (the
# engine bind-mounts its own over both), so the tarball does not depend on the build host.
SOURCE_DATE_EPOCH=$epoch mmdebstrap --mode=root --variant="$variant" --architectures="$arch" \
  --format=tar --quiet \
  ${pkg_list:+--include="$(paste -sd, <<<"$pkg_list")"} \
  --dpkgopt=force-unsafe-io \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --customize-hook='printf "" > "$1/etc/resolv.conf"' \
  --customize-hook='echo localhost > "$1/etc/hostname"' \
  "$suite" "$tmp" - <<<"$sources" >&2
sync "$tmp"
chmod 0644 "$tmp"
mv -f "$tmp" "$out"
trap - EXIT
# Bases unused for 30 days (older recipes, other package lists) and their locks.
find "$cache" -maxdepth 1 \( -name 'debian-*.tar' -o -name 'debian-*.tar.lock' \) -mtime +30 \
  -delete
echo "$out"
