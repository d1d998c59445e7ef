#!/usr/bin/env python3
"""One command for the juris benchmark: generate plans, check that every engine reports
the same findings, then time them.

    python3 bench/run.py --sizes 1000,10000,100000

For each size it generates (or reuses, from bench/data) a seeded plan, runs every engine
--reps times, interleaved (engine A, B, C, A, B, C, ...) so that load from other work on
the machine falls on all of them alike, and measures each run's wall time and peak RSS
(`os.wait4` rusage of the child). The first round's findings are compared across engines
for every size before any timing is printed: a fast wrong answer is not a result.

Engines: the parse floor, regorus's interpreter and VM, OPA, the Python reference (an
executable spec, run once per size, for agreement only) and, when JURIS_BIN names a
release `juris` binary, `juris check --format json --fail-on hard`. FLOOR_NATIVE names
a `floor` built with `-C target-cpu=native`, to add its three skims (`*-native`).

Stdlib only. Build everything first with bench/setup.sh. See docs/performance.md.
"""

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
DATA = BENCH / "data"
REGO = BENCH / "rego"
GEN = BENCH / "tools/target/release/gen"
FLOOR = BENCH / "tools/target/release/floor"
REGORUS = BENCH / "regorus-runner/target/release/regorus-runner"
VENV_PYTHON = BENCH / ".venv/bin/python"

# The rules the Rego restates; juris may report others, which are not compared.
RULES = {
    "RES-US-001", "RES-US-002", "RES-US-003", "RES-EU-001",
    "RES-PRV-001", "RES-UNK-001", "RES-TAG-001", "RES-TAG-002",
}
# When an engine reports several findings for one (rule, address) (e.g. one per flow),
# the strongest outcome stands for the pair.
STRENGTH = {"violation": 3, "undetermined": 2, "excepted": 1}


class Engine:
    def __init__(self, name, argv, findings=True, reps=None, ok_codes=(0,)):
        self.name = name
        self.argv = argv  # plan path -> argument list
        self.findings = findings  # False for the floor, which only reads
        self.reps = reps  # None: --reps; 1: run once per size (the reference)
        self.ok_codes = ok_codes


def engines(args):
    out = [
        Engine("floor", lambda p: [str(FLOOR), str(p)], findings=False),
        Engine("floor-value", lambda p: [str(FLOOR), "--value", str(p)], findings=False),
        # The tight floor (issue 14): only resource_changes[].mode and whether
        # change.after is null are kept, IgnoredAny for the rest.
        Engine("floor-skim", lambda p: [str(FLOOR), "--skim", str(p)], findings=False),
        # The same skim, same struct, read by a SIMD JSON parser (issue 14).
        Engine("floor-sonic", lambda p: [str(FLOOR), "--skim", "--reader", "sonic", str(p)], findings=False),
        Engine("floor-simd", lambda p: [str(FLOOR), "--skim", "--reader", "simd", str(p)], findings=False),
        Engine("regorus-interp", lambda p: [str(REGORUS), "--mode", "interp", "--rego", str(REGO), str(p)]),
        Engine("regorus-vm", lambda p: [str(REGORUS), "--mode", "vm", "--rego", str(REGO), str(p)]),
        Engine("opa", lambda p: [str(VENV_PYTHON), str(BENCH / "opa_runner.py"), str(REGO), str(p)]),
        Engine("reference", lambda p: [sys.executable, str(BENCH / "reference.py"), str(REGO / "catalog.json"), str(p)], reps=1),
    ]
    native = os.environ.get("FLOOR_NATIVE")
    if native:
        # The three skims again from a floor built with RUSTFLAGS="-C target-cpu=native":
        # sonic-rs uses only the SIMD the build targets (simd-json detects it at run time).
        for reader in ("serde", "sonic", "simd"):
            name = "floor-skim-native" if reader == "serde" else f"floor-{reader}-native"
            out.append(Engine(name, lambda p, r=reader: [native, "--skim", "--reader", r, str(p)], findings=False))
    juris = os.environ.get("JURIS_BIN")
    if juris:
        # Exit 1 only means blocking findings were found; 2 is an error.
        out.append(Engine("juris", lambda p: [juris, "check", "--format", "json", "--fail-on", "hard", str(p)], ok_codes=(0, 1)))
    if juris and os.environ.get("JURIS_WASM"):
        # The same policies compiled to one WebAssembly module, run under wasmtime.
        out.append(Engine("juris-wasm", lambda p: [juris, "check", "--engine", "wasm", "--format", "json", "--fail-on", "hard", str(p)], ok_codes=(0, 1)))
    elif os.environ.get("JURIS_WASM"):
        print("run.py: JURIS_WASM needs JURIS_BIN; ignoring it", file=sys.stderr)
    wanted = set(args.engines.split(",")) if args.engines else None
    skip = set(args.skip.split(",")) if args.skip else set()
    return [e for e in out if (wanted is None or e.name in wanted) and e.name not in skip]


def generator_digest():
    """Cache key part: generated plans are reused only while the generator is unchanged."""
    h = hashlib.sha256()
    for f in sorted((BENCH / "tools/src/bin/gen").glob("*.rs")):
        h.update(f.read_bytes())
    return h.hexdigest()[:10]


def newest(path):
    """The latest modification time of a source file, or of the .rs files below a folder."""
    files = [path] if path.is_file() else path.rglob("*.rs")
    return max(f.stat().st_mtime for f in files)


def plan_for(size, seed):
    DATA.mkdir(exist_ok=True)
    path = DATA / f"plan-s{seed}-n{size}-g{generator_digest()}.json"
    if not path.exists():
        print(f"generating {path.name} ...", file=sys.stderr)
        subprocess.run([str(GEN), "--resources", str(size), "--seed", str(seed), "--out", str(path)], check=True)
    return path


class RunError(Exception):
    pass


def measure(engine, plan, timeout):
    """Runs one engine once: (wall seconds, peak RSS bytes, stdout path)."""
    out = tempfile.NamedTemporaryFile(prefix=f"{engine.name}-", suffix=".out", dir=DATA, delete=False)
    err = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(engine.argv(plan), stdout=out, stderr=err)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    out.close()
    if proc.returncode not in engine.ok_codes:
        err.seek(0)
        detail = err.read().decode(errors="replace")[-2000:]
        os.unlink(out.name)
        why = f"killed after {timeout}s" if proc.returncode == -9 else f"exit code {proc.returncode}"
        raise RunError(f"{engine.name} on {plan.name}: {why}\n{detail}")
    return wall, usage.ru_maxrss * 1024, Path(out.name)


def findings_of(path):
    """{(rule, address): outcome} from a `juris check --format json`-shaped document."""
    with open(path) as f:
        doc = json.load(f)
    found = {}
    for x in doc["findings"]:
        if x["rule"] not in RULES:
            continue
        key = (x["rule"], x["address"])
        if key not in found or STRENGTH[x["outcome"]] > STRENGTH[found[key]]:
            found[key] = x["outcome"]
    return found


def agreement(results, size):
    """Compares every engine's findings with the first one's; returns diff lines."""
    names = list(results)
    base_name, base = names[0], results[names[0]]
    lines = []
    for name in names[1:]:
        other = results[name]
        keys = sorted(set(base) | set(other))
        diff = [k for k in keys if base.get(k) != other.get(k)]
        if diff:
            lines.append(f"size {size}: {name} disagrees with {base_name} on {len(diff)} (rule, address) pairs:")
            for rule, address in diff[:25]:
                lines.append(f"  {rule:12} {address}: {base_name}={base.get((rule, address), '-')} {name}={other.get((rule, address), '-')}")
            if len(diff) > 25:
                lines.append(f"  ... and {len(diff) - 25} more")
    return lines


def fmt_bytes(n):
    return f"{n / 1e6:,.0f} MB" if n >= 1e6 else f"{n / 1e3:,.0f} kB"


def machine():
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        ram = f"{int(mem.split()[1]) / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        ram = "unknown"
    return f"{os.cpu_count()} cores ({model}), {ram} RAM, {platform.system()} {platform.release()}, load {os.getloadavg()[0]:.1f}"


def table(size, plan, samples, counts):
    """A Markdown table for one size."""
    file_size = plan.stat().st_size
    rows = [
        f"### {size:,} resources (plan {fmt_bytes(file_size)}, {counts} findings compared)",
        "",
        "| engine | runs | median wall | min–max | peak RSS | RSS ÷ file | µs / resource | juris speed-up |",
        "|---|---|---|---|---|---|---|---|",
    ]
    juris = statistics.median(samples["juris"]["wall"]) if "juris" in samples else None
    for name, s in samples.items():
        wall = statistics.median(s["wall"])
        rss = max(s["rss"])
        if juris is None:
            speedup = "not measured"
        elif name == "juris":
            speedup = "1.0×"
        elif name.startswith("floor"):
            speedup = f"juris ÷ {name} = {juris / wall:.2f}×"
        else:
            speedup = f"{wall / juris:.1f}×"
        rows.append(
            f"| {name} | {len(s['wall'])} | {wall:.3f} s | {min(s['wall']):.3f}–{max(s['wall']):.3f} s | "
            f"{fmt_bytes(rss)} | {rss / file_size:.1f}× | {wall / size * 1e6:.1f} | {speedup} |"
        )
    if juris is None:
        rows.append("")
        rows.append("juris was not measured (set JURIS_BIN to a release `juris` binary).")
    return "\n".join(rows)


def scaling_table(sizes):
    """juris's cost per resource across sizes: the median wall time divided by the
    resource count, and the marginal cost between consecutive sizes (the extra time
    divided by the extra resources), which leaves out the fixed start-up cost."""
    points = sorted((size, statistics.median(d["samples"]["juris"]["wall"]))
                    for size, d in sizes.items() if "juris" in d["samples"])
    if len(points) < 2:
        return ""
    rows = [
        "### juris: cost per resource",
        "",
        "| size | median wall | µs / resource | marginal µs / resource (from the size before) |",
        "|---|---|---|---|",
    ]
    prev = None
    for size, wall in points:
        marginal = "—" if prev is None else f"{(wall - prev[1]) / (size - prev[0]) * 1e6:.1f}"
        rows.append(f"| {size:,} | {wall:.3f} s | {wall / size * 1e6:.1f} | {marginal} |")
        prev = (size, wall)
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="resource counts, comma-separated")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, default=3, help="timed runs per engine and size (>= 3 for a median)")
    ap.add_argument("--engines", help="only these engines (comma-separated)")
    ap.add_argument("--skip", help="leave out these engines (comma-separated)")
    ap.add_argument("--skip-at", default="", help="leave out ENGINE at sizes above N: e.g. opa:10000")
    ap.add_argument("--timeout", type=float, default=900, help="seconds before one run is killed")
    ap.add_argument("--json", type=Path, help="also write all samples to this file")
    args = ap.parse_args()

    # The Rego peers must decide from the same catalog as juris.
    sync = subprocess.run([sys.executable, str(BENCH / "sync_catalog.py"), "--check"])
    if sync.returncode != 0:
        sys.exit(1)

    # Only what the chosen engines run must be built (a floor-only run needs no regorus).
    all_engines = engines(args)
    needed = [GEN] + [p for p in (FLOOR, REGORUS, VENV_PYTHON) if any(e.argv(Path())[0] == str(p) for e in all_engines)]
    if os.environ.get("FLOOR_NATIVE") and any(e.name.endswith("-native") for e in all_engines):
        needed.append(Path(os.environ["FLOOR_NATIVE"]))
    missing = [p for p in needed if not p.exists()]
    if missing:
        sys.exit("run.py: missing " + ", ".join(str(p) for p in missing) + "; run bench/setup.sh first")
    # Each binary against its own sources: cargo relinks only the binary whose source changed.
    built = ((GEN, "tools/src/bin/gen"), (FLOOR, "tools/src/bin/floor.rs"), (REGORUS, "regorus-runner/src"))
    stale = [b for b, src in built if b in needed and newest(BENCH / src) > b.stat().st_mtime]
    if stale:
        sys.exit("run.py: " + ", ".join(str(p) for p in stale) + " older than its source; run bench/setup.sh")
    sizes = [int(s) for s in args.sizes.split(",")]
    caps = {}
    for item in filter(None, args.skip_at.split(",")):
        name, limit = item.split(":")
        caps[name] = int(limit)
    if not any(e.findings for e in all_engines):
        sys.exit("run.py: no engine reports findings, nothing to compare")

    report = {"machine": machine(), "seed": args.seed, "sizes": {}}
    tables = []
    for size in sizes:
        plan = plan_for(size, args.seed)
        active = [e for e in all_engines if size <= caps.get(e.name, size)]
        samples = {e.name: {"wall": [], "rss": []} for e in active}
        found = {}
        for rep in range(args.reps):
            for e in active:
                if e.reps is not None and rep >= e.reps:
                    continue
                print(f"size {size}: run {rep + 1}/{args.reps} {e.name}", file=sys.stderr, flush=True)
                try:
                    wall, rss, out = measure(e, plan, args.timeout)
                except RunError as err:
                    sys.exit(f"run.py: {err}")
                samples[e.name]["wall"].append(wall)
                samples[e.name]["rss"].append(rss)
                if rep == 0 and e.findings:
                    found[e.name] = findings_of(out)
                os.unlink(out)
            if rep == 0:
                diff = agreement(found, size)
                if diff:
                    print("\n".join(diff))
                    sys.exit(f"run.py: engines disagree at {size} resources; no timings are reported")
        counts = len(next(iter(found.values())))
        skipped = [e.name for e in all_engines if e not in active]
        note = f"\n\nNot run at this size: {', '.join(skipped)} (--skip-at)." if skipped else ""
        tables.append(table(size, plan, samples, counts) + note)
        report["sizes"][size] = {"plan_bytes": plan.stat().st_size, "findings": counts, "samples": samples}

    print(f"Machine: {report['machine']}")
    print(f"Agreement: all engines reported the same (rule, address, outcome) set at every size ({', '.join(e.name for e in all_engines if e.findings)}).\n")
    print("\n\n".join(tables))
    scaling = scaling_table(report["sizes"])
    if scaling:
        print("\n" + scaling)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
