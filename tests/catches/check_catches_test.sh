#!/usr/bin/env bash
# The empty-catch check on a tree of its own: a catch that does something, and one that says in
# a comment why its case is the expected one, pass; an empty block fails, named by file and
# line, on several lines or on one; by default every folder with a CMakeLists.txt is read, but
# not tests/.
set -euo pipefail
python=$1 check=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/lib/sub" "$dir/newlib" "$dir/tests"
touch "$dir/lib/CMakeLists.txt" "$dir/newlib/CMakeLists.txt" "$dir/tests/CMakeLists.txt"
cat >"$dir/lib/a.cpp" <<'CPP'
void f() {
  try {
    g();
  } catch (const Error& e) {
    report(e);
  }
  try {
    g();
  } catch (const NotFound&) {
    // Gone already: what was wanted.
  }
}
CPP
printf 'void t() { try { g(); } catch (...) {} }\n' >"$dir/tests/fuzz.cpp"
"$python" "$check" "$dir" >/dev/null || { echo "FAIL: a good tree was refused"; exit 1; }

cat >"$dir/lib/sub/b.h" <<'CPP'
inline void h() {
  try {
    g();
  } catch (const Error&) {
  }
}
CPP
if out=$("$python" "$check" "$dir"); then
  echo "FAIL: an empty catch block passed"; exit 1
fi
grep -q '^lib/sub/b.h:4: empty catch (const Error&) block' <<<"$out" ||
  { echo "FAIL: the empty catch is not named: $out"; exit 1; }
rm "$dir/lib/sub/b.h"

printf 'void k() { try { g(); } catch (...) {} }\n' >"$dir/newlib/c.cpp"
if out=$("$python" "$check" "$dir"); then
  echo "FAIL: a one-line empty catch in a new library passed"; exit 1
fi
grep -q '^newlib/c.cpp:1: empty catch (...) block' <<<"$out" ||
  { echo "FAIL: the one-line empty catch is not named: $out"; exit 1; }
"$python" "$check" "$dir" lib >/dev/null || { echo "FAIL: the folders given were not the ones read"; exit 1; }
echo "1 passed, 0 failed"
