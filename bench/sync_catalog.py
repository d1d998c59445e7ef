#!/usr/bin/env python3
"""Copy juris's facts into the Rego peers' catalog (bench/rego/catalog.json), so every
engine decides from the same data: the data-holding resource types
(policies/std/data_types.juris), and for each region the benchmark uses its countries,
operator, Azure pair and Google dual-region members (catalog/regions/*.toml), and which
provider families have separately operated regions. setup.sh runs it; run.py checks
that it is current."""
import json
import pathlib
import re
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "policies" / "std" / "data_types.juris"
CATALOG = ROOT / "bench" / "rego" / "catalog.json"
REGIONS = ROOT / "catalog" / "regions"
PROVIDERS = ROOT / "catalog" / "providers.toml"
# The benchmark's family names against juris's catalog files.
FAMILY_FILE = {"azurerm": "azure"}


def juris_types():
    text = SOURCE.read_text()
    body = text[text.index("const data_holding_types"):]
    body = body[: body.index("}")]
    # Drop comments, then take every quoted name.
    body = "\n".join(line.split("#", 1)[0] for line in body.splitlines())
    return sorted(set(re.findall(r'"([a-z0-9_]+)"', body)))


def juris_regions(catalog):
    """The bench catalog's regions, with juris's facts for each code it lists."""
    operators = {o["id"]: o for o in tomllib.loads(PROVIDERS.read_text())["operator"]}
    regions, with_operators = {}, {}
    for family, entries in catalog["regions"].items():
        data = tomllib.loads((REGIONS / f"{FAMILY_FILE.get(family, family)}.toml").read_text())
        by_code = {r["code"].lower(): r for r in data["regions"]}
        if any("operator" in r for r in data["regions"]):
            with_operators[family] = True
        out = {}
        # Regions the listed ones copy to (Azure pairs, dual-region members) are needed too.
        codes = list(entries)
        for code in list(codes):
            r = by_code.get(code.lower(), {})
            for extra in [r.get("pair"), *r.get("members", [])]:
                if extra and extra.lower() not in {c.lower() for c in codes}:
                    codes.append(extra.lower())
        for code in codes:
            r = by_code.get(code.lower())
            if r is None:
                out[code] = entries.get(code, {})
                continue
            info = {"countries": sorted(r["countries"])}
            if "operator" in r:
                op = operators[r["operator"]]
                info["operator"] = {"jurisdiction": op["jurisdiction"], "name": op["company"]}
            if "pair" in r:
                info["pair"] = r["pair"]
            if "members" in r:
                info["members"] = [m.lower() for m in r["members"]]
            out[code] = info
        regions[family] = out
    return regions, with_operators


def main():
    doc = json.loads(CATALOG.read_text())
    types = {t: True for t in juris_types()}
    regions, with_operators = juris_regions(doc["catalog"])
    current = (
        doc["catalog"]["data_holding_types"] == types
        and doc["catalog"]["regions"] == regions
        and doc["catalog"]["families_with_operators"] == with_operators
    )
    if current:
        return 0
    if "--check" in sys.argv:
        print(f"{CATALOG} is out of date: run python3 bench/sync_catalog.py", file=sys.stderr)
        return 1
    doc["catalog"]["data_holding_types"] = types
    doc["catalog"]["regions"] = regions
    doc["catalog"]["families_with_operators"] = with_operators
    CATALOG.write_text(json.dumps(doc, indent=2, sort_keys=False) + "\n")
    print(f"{CATALOG}: {len(types)} data-holding types, regions and operators from juris")
    return 0


if __name__ == "__main__":
    sys.exit(main())
