#!/usr/bin/env python3
"""Copy juris's list of data-holding resource types (policies/std/data_types.juris)
into the Rego peers' catalog (bench/rego/catalog.json), so every engine decides
"holds data" from the same list. setup.sh runs it; run.py checks it is current."""
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "policies" / "std" / "data_types.juris"
CATALOG = ROOT / "bench" / "rego" / "catalog.json"


def juris_types():
    text = SOURCE.read_text()
    body = text[text.index("const data_holding_types"):]
    body = body[: body.index("}")]
    # Drop comments, then take every quoted name.
    body = "\n".join(line.split("#", 1)[0] for line in body.splitlines())
    return sorted(set(re.findall(r'"([a-z0-9_]+)"', body)))


def main():
    doc = json.loads(CATALOG.read_text())
    types = {t: True for t in juris_types()}
    if doc["catalog"]["data_holding_types"] == types:
        return 0
    if "--check" in sys.argv:
        print(f"{CATALOG} is out of date: run python3 bench/sync_catalog.py", file=sys.stderr)
        return 1
    doc["catalog"]["data_holding_types"] = types
    CATALOG.write_text(json.dumps(doc, indent=2, sort_keys=False) + "\n")
    print(f"{CATALOG}: {len(types)} data-holding types from {SOURCE.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
