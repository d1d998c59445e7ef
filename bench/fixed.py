#!/usr/bin/env python3
"""The fixed cost of a check, and `juris inventory` against `juris check`.

    python3 bench/fixed.py [--runs 20] [--plan bench/data/plan-...-n1000-....json]
                           [--large bench/data/plan-...-n100000-....json]

Fixed cost (medians of --runs runs, interleaved): `juris --version` (process start),
`juris check` on an empty plan, `juris check` on a small plan against `floor --skim`
reading the same plan, and the time to first resource that `juris check --timings`
reports (the end of its first stage: policies compiled, catalog read, first input read).

With --large: `juris inventory` against `juris check --format json` on that plan, wall
time and peak RSS, interleaved, medians of --large-runs.

Stdlib only; JURIS_BIN names the release binary (default target/release/juris), and the
floor is bench/tools' (bench/setup.sh builds it). See docs/performance.md.
"""

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
JURIS = os.environ.get("JURIS_BIN", str(BENCH.parent / "target/release/juris"))
FLOOR = str(BENCH / "tools/target/release/floor")
EMPTY_PLAN = '{"format_version": "1.2", "terraform_version": "1.9.0", "resource_changes": []}\n'


def run(argv, stdout=subprocess.DEVNULL):
    """Wall seconds, peak RSS (MB) and stderr of one run."""
    err = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=stdout, stderr=err)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err.seek(0)
    return wall, usage.ru_maxrss / 1024, err.read().decode("utf-8", "replace")


def first_stage_ms(stderr):
    """The `at` figure of the first stage `--timings` prints."""
    for line in stderr.splitlines():
        if line.startswith("  ") and " at " in line:
            return float(line.split(" at ")[1].split()[0])
    raise SystemExit(f"no timings in:\n{stderr}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--plan", help="the small plan (default: the 1,000-resource bench plan)")
    ap.add_argument("--large", help="a large plan for inventory against check")
    ap.add_argument("--large-runs", type=int, default=5)
    args = ap.parse_args()
    plan = args.plan or next(iter(sorted((BENCH / "data").glob("plan-s1-n1000-*.json"))), None)
    if plan is None:
        raise SystemExit("no small plan: run bench/run.py --sizes 1000 first, or pass --plan")
    empty = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    empty.write(EMPTY_PLAN)
    empty.close()
    check = [JURIS, "check", "--format", "json", "--fail-on", "hard"]
    cases = {
        "juris --version": [JURIS, "--version"],
        "juris check, empty plan": check + [empty.name],
        "juris check, small plan": check + [str(plan)],
        "floor --skim, small plan": [FLOOR, "--skim", str(plan)],
    }
    walls = {name: [] for name in cases}
    first = []
    for _ in range(args.runs):
        for name, argv in cases.items():
            walls[name].append(run(argv)[0])
        first.append(first_stage_ms(run(check + ["--timings", str(plan)])[2]))
    print(f"small plan: {plan} ({Path(plan).stat().st_size / 1e6:.1f} MB); medians of {args.runs}")
    print("| what | median | min |")
    print("|---|---|---|")
    for name, w in walls.items():
        print(f"| {name} | {statistics.median(w) * 1000:.1f} ms | {min(w) * 1000:.1f} ms |")
    print(f"| time to first resource (`--timings`, small plan) | {statistics.median(first):.1f} ms | {min(first):.1f} ms |")
    over = statistics.median(walls["juris check, small plan"]) - statistics.median(walls["floor --skim, small plan"])
    print(f"juris check costs {over * 1000:.1f} ms more than floor --skim on the small plan")
    os.unlink(empty.name)
    if args.large:
        runs = {"check": [], "inventory": []}
        for _ in range(args.large_runs):
            runs["check"].append(run(check + [args.large])[:2])
            runs["inventory"].append(run([JURIS, "inventory", args.large])[:2])
        med = {k: (statistics.median(w for w, _ in v), max(m for _, m in v)) for k, v in runs.items()}
        print(f"\nlarge plan: {args.large} ({Path(args.large).stat().st_size / 1e6:.0f} MB); medians of {args.large_runs}, peak RSS the largest")
        print("| command | median wall | peak RSS |")
        print("|---|---|---|")
        for k, (w, m) in med.items():
            print(f"| juris {k} | {w:.2f} s | {m:.0f} MB |")
        print(f"inventory ÷ check: {med['inventory'][0] / med['check'][0]:.2f}× time, "
              f"{med['inventory'][1] / med['check'][1]:.2f}× memory")


if __name__ == "__main__":
    main()
