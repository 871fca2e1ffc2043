#!/usr/bin/env bash
# The empty-catch check on a tree of its own: a catch that does something, and one that says in
# a comment why its case is the expected one, pass; an empty block fails, named by file and
# line, on several lines or on one; a file given to --skip is not read.
set -euo pipefail
python=$1 check=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/lib/sub" "$dir/other"
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
"$python" "$check" "$dir" lib >/dev/null || { echo "FAIL: a good tree was refused"; exit 1; }

cat >"$dir/lib/sub/b.h" <<'CPP'
inline void h() {
  try {
    g();
  } catch (const Error&) {
  }
}
CPP
if out=$("$python" "$check" "$dir" lib); then
  echo "FAIL: an empty catch block passed"; exit 1
fi
grep -q '^lib/sub/b.h:4: empty catch (const Error&) block' <<<"$out" ||
  { echo "FAIL: the empty catch is not named: $out"; exit 1; }

printf 'void k() { try { g(); } catch (...) {} }\n' >"$dir/lib/c.cpp"
if out=$("$python" "$check" "$dir" lib); then
  echo "FAIL: a one-line empty catch passed"; exit 1
fi
grep -q '^lib/c.cpp:1: empty catch (...) block' <<<"$out" ||
  { echo "FAIL: the one-line empty catch is not named: $out"; exit 1; }

"$python" "$check" "$dir" lib --skip lib/sub/b.h lib/c.cpp >/dev/null ||
  { echo "FAIL: --skip did not skip"; exit 1; }
printf 'void k() { try { g(); } catch (...) {} }\n' >"$dir/other/d.cpp"
"$python" "$check" "$dir" other >/dev/null 2>&1 && { echo "FAIL: a second folder was not read"; exit 1; }
echo "1 passed, 0 failed"
