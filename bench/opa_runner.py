#!/usr/bin/env python3
"""OPA peer of the juris benchmark.

Runs the Go OPA engine embedded in the PyPI package `opa-golib-python-bindings` on
bench/rego/*.rego with bench/rego/catalog.json as data and the plan as input, and prints
`data.juris.residency.findings` in the shape `juris check --format json` uses.

The plan's bytes go to the Go bridge unchanged: the package's public `eval_document`
would first `json.loads` the plan in Python and `json.dumps` it again, which costs more
than OPA's own parse and is no part of OPA. So this calls the same native entry point
with the raw bytes (`OpaEvalDocument`, through the engine's `_call`, as `eval_document`
does). Phase timings go to stderr.

Usage: opa_runner.py REGO_DIR PLAN.json   (run with bench/.venv/bin/python)
"""

import json
import pathlib
import sys
import time

from opa_bindings import OpaEngine

DOCUMENT = "juris.residency.findings"


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    rego_dir, plan = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    start = time.perf_counter()
    engine = OpaEngine()
    for policy in sorted(rego_dir.glob("*.rego")):
        engine.add_policy(policy.name, policy.read_text())
    engine.add_data(json.loads((rego_dir / "catalog.json").read_text()))
    loaded = time.perf_counter()

    raw = plan.read_bytes()
    read = time.perf_counter()
    with engine._eval_lock:  # noqa: SLF001 (see the module docstring)
        envelope = engine._call(engine._lib.OpaEvalDocument, DOCUMENT.encode(), raw, 0, 0)
        result = engine._eval_result(envelope)
    del raw
    evaluated = time.perf_counter()
    if not result or not result[0].get("expressions"):
        print(f"opa_runner: data.{DOCUMENT} is undefined", file=sys.stderr)
        return 1
    findings = result[0]["expressions"][0]["value"]
    json.dump({"version": 1, "findings": findings}, sys.stdout)
    sys.stdout.write("\n")
    print(
        f"opa_runner: load {loaded - start:.3f}s, read input {read - loaded:.3f}s, "
        f"parse+evaluate {evaluated - read:.3f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
