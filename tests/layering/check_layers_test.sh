#!/usr/bin/env bash
# The layering check on a tree of its own: `high` links `low`. Downward includes pass; one
# upward include (low/a.cpp including high/b.h) fails, named by file and line; a sideways one
# (between two libraries that do not link each other) fails too.
set -euo pipefail
python=$1 check=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/low" "$dir/high" "$dir/side"
printf '#pragma once\n' >"$dir/low/a.h"
printf '#pragma once\n#include "low/a.h"\n' >"$dir/high/b.h"
printf '#pragma once\n' >"$dir/side/c.h"
printf '#include "low/a.h"\n' >"$dir/low/a.cpp"
printf '#include "high/b.h"\n#include "low/a.h"\n' >"$dir/high/b.cpp"
printf '#include "side/c.h"\n' >"$dir/side/c.cpp"
cat >"$dir/layers.json" <<JSON
[{"name": "low", "source_dir": "$dir/low", "sources": ["a.cpp"], "links": []},
 {"name": "high", "source_dir": "$dir/high", "sources": ["b.cpp"], "links": ["low"]},
 {"name": "side", "source_dir": "$dir/side", "sources": ["c.cpp"], "links": []}]
JSON
"$python" "$check" "$dir/layers.json" "$dir" >/dev/null || { echo "FAIL: a good tree was refused"; exit 1; }

printf '#include "low/a.h"\n#include "high/b.h"\n' >"$dir/low/a.cpp"
if out=$("$python" "$check" "$dir/layers.json" "$dir" 2>/dev/null); then
  echo "FAIL: an upward include passed"; exit 1
fi
grep -q 'low/a.cpp:2: includes "high/b.h" of high, which low does not link' <<<"$out" ||
  { echo "FAIL: the upward include is not named: $out"; exit 1; }
printf '#include "low/a.h"\n' >"$dir/low/a.cpp"

printf '#include "side/c.h"\n' >>"$dir/high/b.h"
if out=$("$python" "$check" "$dir/layers.json" "$dir" 2>/dev/null); then
  echo "FAIL: a sideways include passed"; exit 1
fi
grep -q 'high/b.h:3: includes "side/c.h" of side, which high does not link' <<<"$out" ||
  { echo "FAIL: the sideways include is not named: $out"; exit 1; }
echo "1 passed, 0 failed"
