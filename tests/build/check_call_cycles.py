#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Fails when the files of one libissuesight/ area call each other in a
cycle. The call graph is read from the built objects with `nm`: file A
calls file B when A's undefined symbols include one that B defines.
Objects are matched to their sources by file name (no two files in the
tree share a name).

Usage: check_call_cycles.py SOURCE_ROOT BUILD_DIR [--graph]
"""
import os
import subprocess
import sys


def sources(root):
    """Maps 'file.c' to its area for every .c file under libissuesight/."""
    out = {}
    lib = os.path.join(root, "libissuesight")
    for area in sorted(os.listdir(lib)):
        d = os.path.join(lib, area)
        if not os.path.isdir(d):
            continue
        for f in os.listdir(d):
            if f.endswith(".c"):
                out[f] = area
    return out


def objects(build, srcs):
    """Maps 'file.c' to the path of its object in the library build."""
    out = {}
    for dirpath, _, files in os.walk(os.path.join(build, "libissuesight")):
        if ".a.p" not in dirpath:
            continue  # only the static libraries' objects, once each
        for f in files:
            if not f.endswith(".c.o"):
                continue
            name = f[:-2]
            # The longest source name the object's name ends with.
            best = None
            for s in srcs:
                if (name == s or name.endswith("_" + s)) and (
                        best is None or len(s) > len(best)):
                    best = s
            if best:
                out.setdefault(best, os.path.join(dirpath, f))
    return out


def symbols(path):
    res = subprocess.run(["nm", path], capture_output=True, text=True,
                         check=True)
    defined, undefined = set(), set()
    for line in res.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBR":
            defined.add(parts[2])
    return defined, undefined


def cycles(nodes, edges):
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    root, build = sys.argv[1], sys.argv[2]
    srcs = sources(root)
    objs = objects(build, srcs)
    missing = sorted(s for s in srcs if s not in objs)
    if len(objs) < len(srcs) // 2:
        print("check_call_cycles: found only %d of %d objects in %s"
              % (len(objs), len(srcs), build), file=sys.stderr)
        return 2
    syms = {s: symbols(p) for s, p in objs.items()}
    owner = {}
    for s, (defined, _) in syms.items():
        for d in defined:
            owner[d] = s
    bad = 0
    for area in sorted(set(srcs.values())):
        nodes = [s for s in objs if srcs[s] == area]
        edges = {}
        for s in nodes:
            for u in syms[s][1]:
                t = owner.get(u)
                if t and t != s and srcs[t] == area:
                    edges.setdefault(s, set()).add(t)
        if "--graph" in sys.argv:
            for s in sorted(edges):
                print("%s: %s -> %s" % (area, s, " ".join(sorted(edges[s]))))
        for comp in cycles(nodes, edges):
            bad += 1
            print("check_call_cycles: %s: files call each other in a cycle:"
                  " %s" % (area, " ".join(comp)))
            for s in comp:
                calls = sorted(t for t in edges.get(s, ()) if t in comp)
                print("  %s calls %s" % (s, " ".join(calls)))
    if missing:
        print("check_call_cycles: no object for %s (not built?)"
              % " ".join(missing), file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
