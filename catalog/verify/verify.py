#!/usr/bin/env python3
"""Check the region catalog (catalog/regions/*.toml) against the region lists vendors
ship inside their own SDK packages.

The packages and their pinned versions are the `packages` of the entries in
catalog/sources.toml, so the version a fact was read from and the version it is checked
against are one and the same. Wheels are downloaded with pip (`--download`) into a
folder that later runs reuse (`--packages DIR`).

For every family with a vendor list this fails on
  * a region the vendor lists that the catalog lacks,
  * a region the catalog lists (not retired, not a multi- or dual-region) that the
    vendor does not,
  * a country that contradicts the vendor's own naming of the region: AWS's region
    descriptions ("Europe (Frankfurt)"), and the city or country spelled in an id
    (OCI `eu-frankfurt-1`, Alibaba `cn-hongkong`, Huawei `tr-west-1`).
Families whose vendors ship no machine-readable list in a reachable registry (Azure,
Google, Tencent Cloud) are named as not checked.

Exit status: 0 all checks pass; 1 a mismatch (each one listed); 2 bad usage or a
package that does not have the expected file; 77 skipped because the packages could
not be downloaded (offline), said loudly on standard error.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = 77

# ---------------------------------------------------------------- vendor readers


@dataclass
class Vendor:
    """One vendor's list: region id -> the vendor's description (or None)."""

    family: str
    regions: dict[str, str | None] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)


def _member(wheel: Path, suffix: str) -> str:
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            if name.endswith(suffix):
                return z.read(name).decode("utf-8")
    raise LookupError(f"{wheel.name} has no file ending in {suffix}")


def read_botocore(wheel: Path) -> dict[str, str | None]:
    """botocore/data/partitions.json: every partition's regions with descriptions.
    The `<partition>-global` entries are pseudo-regions for global endpoints."""
    doc = json.loads(_member(wheel, "botocore/data/partitions.json"))
    return {
        code: r.get("description")
        for p in doc["partitions"]
        for code, r in p["regions"].items()
        if not code.endswith("-global")
    }


def read_oci(wheel: Path) -> dict[str, str | None]:
    """oci/regions_definitions.py: REGION_REALMS maps every region id to its realm."""
    tree = ast.parse(_member(wheel, "oci/regions_definitions.py"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "REGION_REALMS" for t in node.targets)
        ):
            return {code: None for code in ast.literal_eval(node.value)}
    raise LookupError(f"{wheel.name}: no REGION_REALMS")


def read_huawei(wheel: Path) -> dict[str, str | None]:
    """huaweicloudsdk<service>/v*/region/<service>_region.py: Region("id", endpoint)."""
    with zipfile.ZipFile(wheel) as z:
        texts = [
            z.read(n).decode("utf-8")
            for n in z.namelist()
            if re.search(r"/region/[a-z0-9_]+_region\.py$", n)
        ]
    if not texts:
        raise LookupError(f"{wheel.name} has no region module")
    return {code: None for t in texts for code in re.findall(r'Region\(\s*"([a-z0-9-]+)"', t)}


def read_alibaba_endpoint_map(wheel: Path) -> dict[str, str | None]:
    """A generated Alibaba Cloud client's `_endpoint_map`: every region the service runs in."""
    text = _member(wheel, "/client.py")
    m = re.search(r"_endpoint_map\s*=\s*(\{.*?\})", text, re.S)
    if not m:
        raise LookupError(f"{wheel.name}: no _endpoint_map")
    return {code: None for code in ast.literal_eval(m.group(1))}


# Package name (as pip spells it, lower case) -> (family, reader).
READERS = {
    "botocore": ("aws", read_botocore),
    "oci": ("oci", read_oci),
    "huaweicloudsdkecs": ("huaweicloud", read_huawei),
    "huaweicloudsdkobs": ("huaweicloud", read_huawei),
    "alibabacloud-cms20240330": ("alicloud", read_alibaba_endpoint_map),
}

NOT_CHECKED = {
    "azure": "no region list ships in a PyPI or npm package (Microsoft publishes it through the ARM API and NuGet)",
    "google": "no region list ships in a PyPI or npm package",
    "tencentcloud": "no region list ships in a PyPI or npm package",
}

# ---------------------------------------------------------------- what a vendor's naming says

# Words in a vendor's description or id that name a place, and its ISO 3166-1 code.
# Longest words first, so "new zealand" wins over "zealand" and "hong kong" over "kong".
PLACES = {
    "cape town": "ZA", "johannesburg": "ZA", "hong kong": "HK", "hongkong": "HK", "taipei": "TW",
    "tokyo": "JP", "osaka": "JP", "chiyoda": "JP", "ibaraki": "JP", "seoul": "KR", "chuncheon": "KR",
    "suwon": "KR", "mumbai": "IN", "hyderabad": "IN", "delhi": "IN", "singapore": "SG",
    "sydney": "AU", "melbourne": "AU", "canberra": "AU", "jakarta": "ID", "batam": "ID",
    "malaysia": "MY", "kulai": "MY", "kualalumpur": "MY", "new zealand": "NZ", "thailand": "TH",
    "gazipur": "BD", "canada": "CA", "calgary": "CA", "montreal": "CA", "toronto": "CA",
    "frankfurt": "DE", "germany": "DE", "zurich": "CH", "crissier": "CH", "stockholm": "SE",
    "milan": "IT", "turin": "IT", "spain": "ES", "madrid": "ES", "ireland": "IE", "dublin": "IE",
    "london": "GB", "cardiff": "GB", "paris": "FR", "marseille": "FR", "amsterdam": "NL",
    "budapest": "HU", "jovanovac": "RS", "israel": "IL", "tel aviv": "IL", "jerusalem": "IL",
    "uae": "AE", "dubai": "AE", "abudhabi": "AE", "alain": "AE", "bahrain": "BH",
    "saudi arabia": "SA", "riyadh": "SA", "jeddah": "SA", "doha": "QA", "alrayyan": "QA",
    "muscat": "OM", "ibri": "OM", "casablanca": "MA", "mexico": "MX", "monterrey": "MX",
    "queretaro": "MX", "sao paulo": "BR", "saopaulo": "BR", "vinhedo": "BR", "riodejaneiro": "BR",
    "brazil": "BR", "chile": "CL", "santiago": "CL", "valparaiso": "CL", "bogota": "CO",
    "peru": "PE", "china": "CN", "beijing": "CN", "ningxia": "CN", "ashburn": "US",
    "chicago": "US", "phoenix": "US", "saltlake": "US", "sanjose": "US", "newark": "US",
    "langley": "US", "luke": "US", "virginia": "US", "ohio": "US", "oregon": "US",
    "california": "US", "us": "US", "govcloud": "US",
}
# The leading segment of an id, where it is a country (per family; continents say nothing).
PREFIXES = {
    "oci": {"us": "US", "uk": "GB", "ca": "CA", "mx": "MX", "il": "IL"},
    "alicloud": {"cn": "CN", "us": "US", "rus": "RU"},
    "huaweicloud": {"cn": "CN", "tr": "TR", "ru": "RU", "ae": "AE", "my": "MY"},
    "aws": {},
}
_WORDS = sorted(PLACES, key=len, reverse=True)


def said_countries(family: str, code: str, description: str | None) -> set[str]:
    """The countries the vendor's own naming of a region asserts; empty when it says none."""
    if description:
        text = " " + re.sub(r"[^a-z]+", " ", description.lower()) + " "
    else:
        text = " " + " ".join(code.split("-")) + " "
    found: set[str] = set()
    for w in _WORDS:
        if f" {w} " in text:
            found.add(PLACES[w])
            text = text.replace(f" {w} ", " ")
    if found or description:
        return found
    head = code.split("-", 1)[0]
    country = PREFIXES.get(family, {}).get(head)
    return {country} if country else set()


# ---------------------------------------------------------------- the comparison


def catalog_regions(family: str) -> list[dict]:
    path = ROOT / "catalog" / "regions" / f"{family}.toml"
    with path.open("rb") as f:
        return tomllib.load(f)["regions"]


def compare(vendor: Vendor, rows: list[dict]) -> tuple[list[str], int]:
    """Every disagreement between one vendor's list and the catalog's rows, and how
    many regions' countries the vendor's naming let us check."""
    problems = []
    named = 0
    by_code = {r["code"].lower(): r for r in rows}
    where = ", ".join(vendor.sources)
    for code, description in sorted(vendor.regions.items()):
        row = by_code.get(code.lower())
        if row is None:
            what = f" ({description})" if description else ""
            problems.append(f"{vendor.family}: `{code}`{what} is in {where} but not in the catalog")
            continue
        said = said_countries(vendor.family, code, description)
        named += bool(said)
        if said and not said & set(row["countries"]):
            problems.append(
                f"{vendor.family}: `{code}` is in {row['countries']} in the catalog, but {where} "
                f"names it {description or code!r}, which says {sorted(said)}"
            )
    for row in rows:
        kind = row.get("kind", "region")
        if kind in ("multi-region", "dual-region") or row.get("status") == "retired":
            continue
        if row["code"].lower() not in {c.lower() for c in vendor.regions}:
            problems.append(
                f"{vendor.family}: `{row['code']}` ({row['name']}) is in the catalog but not in {where}; "
                "remove it or mark it `status = \"retired\"` if the vendor closed it"
            )
    return problems, named


def pinned_packages() -> list[tuple[str, str, str]]:
    """(source id, package, version) for every `packages` entry in catalog/sources.toml."""
    with (ROOT / "catalog" / "sources.toml").open("rb") as f:
        sources = tomllib.load(f)["sources"]
    out = []
    for sid, s in sources.items():
        for spec in s.get("packages", []):
            registry, _, pin = spec.partition(":")
            name, _, version = pin.partition("==")
            if registry != "pypi" or not version:
                raise SystemExit(f"sources.{sid}: package `{spec}` is not `pypi:NAME==VERSION`")
            out.append((sid, name.lower(), version))
    return out


def wheel_for(folder: Path, name: str, version: str) -> Path | None:
    stem = re.sub(r"[-.]+", "_", name)
    for p in folder.glob("*.whl"):
        dist, ver = p.name.split("-")[:2]
        if re.sub(r"[-.]+", "_", dist).lower() == stem and ver == version:
            return p
    return None


def download(folder: Path, pins: list[tuple[str, str, str]]) -> bool:
    missing = [f"{n}=={v}" for _, n, v in pins if wheel_for(folder, n, v) is None]
    if not missing:
        return True
    folder.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
           "--only-binary=:all:", "--disable-pip-version-check", "-d", str(folder), *missing]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        print(f"pip download failed: {e}", file=sys.stderr)
        return False
    if done.returncode != 0:
        print(done.stderr.strip()[-2000:], file=sys.stderr)
        offline = re.search(
            r"NewConnectionError|Failed to establish|name resolution|Network is unreachable|"
            r"ConnectTimeout|ReadTimeout|ProxyError|Connection refused",
            done.stderr,
        )
        if not offline:
            raise SystemExit(f"pip could not download {' '.join(missing)} (not a network failure)")
        return False
    return True


def vendors(folder: Path, pins: list[tuple[str, str, str]]) -> list[Vendor]:
    by_family: dict[str, Vendor] = {}
    for sid, name, version in pins:
        if name not in READERS:
            raise SystemExit(f"sources.{sid}: no reader for package `{name}` in {__file__}")
        family, reader = READERS[name]
        wheel = wheel_for(folder, name, version)
        if wheel is None:
            raise SystemExit(f"{name}=={version} is not in {folder}; run with --download")
        v = by_family.setdefault(family, Vendor(family))
        v.regions.update(reader(wheel))
        label = f"{name} {version} (`{sid}`)"
        if label not in v.sources:
            v.sources.append(label)
    return list(by_family.values())


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--packages", type=Path, default=Path(tempfile.gettempdir()) / "juris-vendor-packages",
                    help="folder holding (or to receive) the pinned wheels")
    ap.add_argument("--download", action="store_true", help="download missing wheels with pip first")
    ap.add_argument("--download-only", action="store_true", help="download, compare nothing")
    ap.add_argument("--self-test", action="store_true", help="check that the checks catch what they must")
    args = ap.parse_args(argv)
    if args.self_test:
        return self_test()
    try:
        pins = pinned_packages()
        if args.download or args.download_only:
            if not download(args.packages, pins):
                print("SKIPPED: the vendor SDK packages could not be downloaded (offline?); "
                      "the catalog was NOT checked against vendor data", file=sys.stderr)
                return SKIPPED
            if args.download_only:
                print(f"vendor packages ready in {args.packages}")
                return 0
        found = vendors(args.packages, pins)
    except (LookupError, zipfile.BadZipFile, SyntaxError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    problems = []
    for v in found:
        found_here, named = compare(v, catalog_regions(v.family))
        problems += found_here
        print(f"{v.family}: {len(v.regions)} vendor regions from {', '.join(v.sources)}; "
              f"countries checked for {named} whose naming states one")
    for family, why in NOT_CHECKED.items():
        print(f"{family}: not checked: {why}")
    for p in problems:
        print(f"MISMATCH {p}")
    print(f"{len(found)} families checked, {len(problems)} mismatches")
    return 1 if problems else 0


def self_test() -> int:
    """Fabricated vendor data with one error of each kind, read through the real readers."""
    with tempfile.TemporaryDirectory() as tmp:
        wheel = Path(tmp) / "botocore-0.0.0-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as z:
            z.writestr("botocore/data/partitions.json", json.dumps({"partitions": [{"regions": {
                "eu-central-1": {"description": "Europe (Frankfurt)"},
                "ap-east-1": {"description": "Asia Pacific (Hong Kong)"},
                "xx-new-1": {"description": "Asia Pacific (Tokyo)"},
                "aws-global": {"description": "aws global region"},
            }}]}))
        aws = Vendor("aws", read_botocore(wheel), ["fake botocore"])
    rows = [
        {"code": "eu-central-1", "name": "Europe (Frankfurt)", "countries": ["DE"]},
        {"code": "ap-east-1", "name": "Asia Pacific (Hong Kong)", "countries": ["CN"]},
        {"code": "gone-1", "name": "Gone", "countries": ["US"]},
        {"code": "old-1", "name": "Old", "countries": ["US"], "status": "retired"},
        {"code": "EU", "name": "EU", "countries": ["DE"], "kind": "multi-region"},
    ]
    problems, named = compare(aws, rows)
    expected = [
        ("ap-east-1", "says ['HK']"),
        ("xx-new-1", "but not in the catalog"),
        ("gone-1", "is in the catalog but not in"),
    ]
    ok = len(problems) == len(expected) and named == 2 and all(
        any(f"`{code}`" in p and text in p for p in problems) for code, text in expected
    )
    checks = {
        ("oci", "eu-frankfurt-1"): {"DE"}, ("oci", "eu-dcc-rating-1"): set(),
        ("alicloud", "cn-hongkong"): {"HK"}, ("alicloud", "cn-hangzhou"): {"CN"},
        ("huaweicloud", "ap-southeast-1"): set(), ("huaweicloud", "tr-west-1"): {"TR"},
        ("huaweicloud", "sa-brazil-1"): {"BR"}, ("oci", "us-langley-1"): {"US"},
    }
    for (family, code), want in checks.items():
        got = said_countries(family, code, None)
        if got != want:
            print(f"self-test: {family} {code}: {got} != {want}", file=sys.stderr)
            ok = False
    for p in problems:
        print(f"found (as it must): {p}")
    print("self-test passed" if ok else "self-test FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
