#!/usr/bin/env python3
"""check_layers.py LAYERS_JSON SOURCE_ROOT: every #include "..." points down.

LAYERS_JSON (written by CMake at configure time, cmake/BerthLayers.cmake) lists berth's
libraries and executables: each one's sources and what it links. A file belongs to the library
that compiles it (an executable only owns what no library compiles); a header to the owner of
its .cpp, else to the target that compiles most of its folder. A file may include headers of its
own target, of the targets it links, directly or through them, and (for an executable that
compiles a few sources of a library itself, as berth-proxy does) of the owners of what its
target compiles; anything else is an upward or sideways include, which the linker would not
catch (every header is reachable from the top of the tree). Prints each
as FILE:LINE: ... and exits 1; exits 0 when there is none."""
import collections, json, os, re, sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def load(layers_json, root):
    with open(layers_json) as f:
        targets = json.load(f)
    sources, deps, libraries = {}, {}, set()
    for t in targets:
        if t.get("type", "STATIC_LIBRARY") != "EXECUTABLE":
            libraries.add(t["name"])
        base = t["source_dir"]
        srcs = [os.path.relpath(s if os.path.isabs(s) else os.path.join(base, s), root)
                for s in t["sources"] if s.endswith((".cpp", ".cc", ".c"))]
        sources[t["name"]] = srcs
        deps[t["name"]] = [d for d in t["links"]]
    known = set(sources)
    closure = {}
    for name in known:
        seen, stack = {name}, [name]
        while stack:
            for d in deps[stack.pop()]:
                if d in known and d not in seen:
                    seen.add(d)
                    stack.append(d)
        closure[name] = seen
    return sources, closure, libraries


def owners(sources, libraries):
    by_file, by_folder = {}, collections.defaultdict(collections.Counter)
    # Libraries first: an executable owns only the files no library compiles.
    for name, srcs in sorted(sources.items(), key=lambda kv: kv[0] not in libraries):
        for s in srcs:
            if s in by_file:
                continue
            by_file[s] = name
            by_folder[os.path.dirname(s)][name] += 1

    def owner(path):
        if path in by_file:
            return by_file[path]
        stem = os.path.splitext(path)[0]
        for ext in (".cpp", ".cc", ".c"):
            if stem + ext in by_file:
                return by_file[stem + ext]
        folder = by_folder.get(os.path.dirname(path))
        return folder.most_common(1)[0][0] if folder else None

    return by_file, owner


def main(layers_json, root):
    sources, closure, libraries = load(layers_json, root)
    by_file, owner = owners(sources, libraries)
    allowed = {name: closure[name] | {owner(s) for s in srcs} for name, srcs in sources.items()}
    # Every source, and every header next to one, is checked as its owner.
    files = set(by_file)
    for s in list(by_file):
        folder = os.path.join(root, os.path.dirname(s))
        for n in os.listdir(folder):
            if n.endswith((".h", ".hpp")):
                files.add(os.path.relpath(os.path.join(folder, n), root))
    bad = []
    for f in sorted(files):
        me = owner(f)
        if me is None:
            continue
        with open(os.path.join(root, f), errors="replace") as text:
            for number, line in enumerate(text, 1):
                m = INCLUDE.match(line)
                if not m or not os.path.exists(os.path.join(root, m.group(1))):
                    continue  # generated or third-party headers
                other = owner(os.path.normpath(m.group(1)))
                if other is not None and other not in allowed[me]:
                    bad.append(f"{f}:{number}: includes \"{m.group(1)}\" of {other}, "
                               f"which {me} does not link")
    for b in bad:
        print(b)
    if bad:
        print(f"check_layers: {len(bad)} include(s) point up or sideways", file=sys.stderr)
        return 1
    print(f"check_layers: {len(files)} files, every include points down")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
