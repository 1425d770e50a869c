#!/usr/bin/env python3
"""CTest `bench_smoke`: runs `bench/run.py --smoke --no-build` against an already built tree and checks that the
table is complete (every benchmark present, every row's figures filled, every ratio numeric). It does not check
the targets: tiny sizes on a shared machine say nothing about them.

Usage: bench/smoke_test.py BUILD_DIR
"""
import os, re, subprocess, sys, tempfile

GROUPS = {  # benchmark -> how its rows' metric starts
    "sandbox start": "sandbox ",
    "generate-data": "generate-data ",
    "fault actuation": "fault actuation",
    "fault proxy": "fault proxy",
    "data_match": "data_match",
    "engine overhead": "engine ",
    "sampling cost": "sample every 1s",
    "suite jobs": "suite of 8 runs",
    "merge": "merge of ",
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with tempfile.TemporaryDirectory(prefix="tc-bench-smoke-") as d:
        out = os.path.join(d, "table.md")
        env = dict(os.environ, TC_BENCH_BUILD=os.path.abspath(sys.argv[1]))
        p = subprocess.run([sys.executable, os.path.join(root, "bench", "run.py"), "--smoke", "--no-build", "--out", out],
                           env=env, capture_output=True, text=True, timeout=240)
        print(p.stdout)
        if p.returncode != 0:
            print(p.stderr, file=sys.stderr)
            sys.exit(f"bench/run.py exited with {p.returncode}")
        text = open(out).read()
    rows = [l for l in text.splitlines() if l.startswith("| ") and not l.startswith("| metric") and "---" not in l]
    problems = []
    for name, prefix in GROUPS.items():
        if not any(r[2:].startswith(prefix) for r in rows):
            problems.append(f"no row for {name}")
    for r in rows:
        cells = [c.strip() for c in r.strip().strip("|").split("|")]
        if len(cells) != 6:
            problems.append(f"row has {len(cells)} cells, not 6: {r}")
            continue
        metric, ours, anchor, ratio, target, met = cells
        if not re.match(r"^[+-]?\d", ours):
            problems.append(f"{metric}: figure '{ours}' is not a number")
        if not re.match(r"^\d+(\.\d+)?x", ratio):
            problems.append(f"{metric}: ratio '{ratio}' is not numeric")
        if not anchor or not target or met not in ("yes", "NO"):
            problems.append(f"{metric}: empty anchor/target or met '{met}'")
    if len(rows) < len(GROUPS):
        problems.append(f"only {len(rows)} rows")
    if problems:
        sys.exit("incomplete benchmark table:\n  " + "\n  ".join(problems))
    print(f"complete: {len(rows)} rows, {len(GROUPS)} benchmarks")


if __name__ == "__main__":
    main()
