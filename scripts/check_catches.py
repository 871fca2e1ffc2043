#!/usr/bin/env python3
"""check_catches.py ROOT [DIR...]: no empty catch block in berth's sources.

STYLE.md: never catch and ignore. A catch block either does something (handles the case,
reports, records the failure for the end of a teardown) or, when the caught case is the
expected one, says why in a comment; one with nothing between its braces swallows an error.
Scans the .cpp and .h files under each DIR of ROOT (by default every top-level folder with a
CMakeLists.txt but tests/: each library and the CLI, new ones included) and prints each empty
block as FILE:LINE: ...; exits 1 when there is one, 0 otherwise."""
import os, re, sys

# `catch (DECLARATION) {` then only white space up to `}`: no statement, no comment.
EMPTY_CATCH = re.compile(r"\bcatch\s*\(([^()]*)\)\s*\{\s*\}")


def source_dirs(root):
    return sorted(d for d in os.listdir(root)
                  if d != "tests" and os.path.isfile(os.path.join(root, d, "CMakeLists.txt")))


def empty_catches(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for m in EMPTY_CATCH.finditer(text):
        yield text.count("\n", 0, m.start()) + 1, " ".join(m.group(1).split())


def main(root, dirs):
    found = 0
    for d in dirs or source_dirs(root):
        for base, subdirs, files in os.walk(os.path.join(root, d)):
            subdirs.sort()
            for name in sorted(files):
                if not name.endswith((".cpp", ".h")):
                    continue
                path = os.path.join(base, name)
                for line, decl in empty_catches(path):
                    print(f"{os.path.relpath(path, root)}:{line}: empty catch ({decl}) block: handle "
                          "the case, report it, or say in a comment why it is the expected one")
                    found += 1
    return 1 if found else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
