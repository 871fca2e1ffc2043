#!/usr/bin/env python3
"""check_catches.py ROOT DIR... [--skip FILE...]: no empty catch block in berth's sources.

STYLE.md: never catch and ignore. A catch block either does something (handles the case,
reports, records the failure for the end of a teardown) or, when the caught case is the
expected one, says why in a comment; one with nothing between its braces swallows an error.
Scans the .cpp and .h files under each DIR (relative to ROOT; FILE too) and prints each empty
block as FILE:LINE: ...; exits 1 when there is one, 0 otherwise."""
import argparse, os, re, sys

# `catch (DECLARATION) {` then only white space up to `}`: no statement, no comment.
EMPTY_CATCH = re.compile(r"\bcatch\s*\(([^()]*)\)\s*\{\s*\}")


def empty_catches(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for m in EMPTY_CATCH.finditer(text):
        yield text.count("\n", 0, m.start()) + 1, " ".join(m.group(1).split())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--skip", nargs="*", default=[])
    args = ap.parse_args()
    skip = {os.path.normpath(s) for s in args.skip}
    found = 0
    for d in args.dirs:
        for base, subdirs, files in os.walk(os.path.join(args.root, d)):
            subdirs.sort()
            for name in sorted(files):
                if not name.endswith((".cpp", ".h")):
                    continue
                path = os.path.join(base, name)
                rel = os.path.relpath(path, args.root)
                if rel in skip:
                    continue
                for line, decl in empty_catches(path):
                    print(f"{rel}:{line}: empty catch ({decl}) block: handle the case, report it, "
                          "or say in a comment why it is the expected one")
                    found += 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
