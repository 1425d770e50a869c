#!/usr/bin/python3
"""The folder tree is the architecture: data flows one way, so no two lib/ folders include each other.

usage: check_includes.py SOURCE_DIR

Reads every `#include "folder/file.hpp"` under lib/, builds the graph of folders, and fails on
- a cycle between folders (A includes B and B, directly or through others, includes A);
- an include of a header that does not exist;
- an edge the layering forbids outright (below), even when it makes no cycle yet.
Prints the folder graph bottom-up either way.
"""
import os
import re
import sys

# Edges that must never exist, whatever else changes: the scenario model knows no plugins, targets or toolkit;
# reports render from the result model only; the engine and plugins produce results and never render them; the
# machinery below the toolkit CLI never includes the CLI.
FORBIDDEN = {
    "scenario": {"plugins", "targets", "toolkit", "engine", "report", "import"},
    "result": {"engine", "plugins", "report", "toolkit", "targets"},
    "report": {"engine", "plugins", "toolkit", "targets", "scenario"},
    "faults": {"toolkit", "targets", "daemon", "sandbox"},
    "sandbox": {"toolkit", "targets", "daemon"},
    "proxy": {"toolkit", "targets", "daemon", "sandbox"},
    "daemon": {"toolkit", "targets"},
    "datagen": {"toolkit", "targets"},
    "targets": {"toolkit", "plugins", "engine"},
    "plugins": {"engine", "report"},
    "engine": {"report"},  # the engine returns results; the runner writes the report files
    "util": {"*"},
}


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "."
    lib = os.path.join(src, "lib")
    folders = sorted(d for d in os.listdir(lib) if os.path.isdir(os.path.join(lib, d)))
    edges = {f: {} for f in folders}
    problems = []
    pat = re.compile(r'^\s*#include "([a-z_]+)/([A-Za-z0-9_.]+)"', re.M)
    for f in folders:
        for dp, _, files in os.walk(os.path.join(lib, f)):
            for name in files:
                if not name.endswith((".cpp", ".hpp")):
                    continue
                path = os.path.join(dp, name)
                for m in pat.finditer(open(path, encoding="utf-8").read()):
                    to, header = m.group(1), m.group(2)
                    if to not in edges:
                        continue  # tc/version.hpp (generated) and third-party headers
                    if not os.path.exists(os.path.join(lib, to, header)):
                        problems.append(f"{os.path.relpath(path, src)} includes missing {to}/{header}")
                    if to != f:
                        edges[f].setdefault(to, os.path.relpath(path, src))
    for f, tos in edges.items():
        bad = FORBIDDEN.get(f, set())
        for to, where in tos.items():
            if "*" in bad or to in bad:
                problems.append(f"{f} must not include {to} ({where})")
    # Cycles: depth-first search with colours.
    colour = {f: 0 for f in folders}
    stack = []

    def visit(f):
        colour[f] = 1
        stack.append(f)
        for to in edges[f]:
            if colour[to] == 1:
                cyc = stack[stack.index(to):] + [to]
                problems.append("include cycle: " + " -> ".join(cyc) + f" (e.g. {edges[f][to]})")
            elif colour[to] == 0:
                visit(to)
        stack.pop()
        colour[f] = 2

    for f in folders:
        if colour[f] == 0:
            visit(f)
    # Bottom-up order for the printout.
    order, seen = [], set()

    def place(f):
        if f in seen:
            return
        seen.add(f)
        for to in edges[f]:
            place(to)
        order.append(f)

    for f in folders:
        place(f)
    for f in order:
        print(f"{f:10} -> {', '.join(sorted(edges[f])) or '(nothing)'}")
    for p in problems:
        print("PROBLEM " + p)
    print(f"{len(folders)} folders, {sum(len(e) for e in edges.values())} edges, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
