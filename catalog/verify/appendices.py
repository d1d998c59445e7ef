#!/usr/bin/env python3
"""Rewrite docs/catalog.md's Appendix A (every source id) and Appendix B (every row or
entry marked UNCERTAIN) from the catalog files, so the document cannot drift from the
data. tests/it/catalog_builtin.rs checks that they are current.

Usage: python3 catalog/verify/appendices.py [--check]
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "catalog.md"
FAMILIES = ["alicloud", "aws", "azure", "google", "huaweicloud", "oci", "tencentcloud"]


def load(rel: str) -> dict:
    with (ROOT / rel).open("rb") as f:
        return tomllib.load(f)


def appendix_a() -> str:
    sources = load("catalog/sources.toml")["sources"]
    out = [
        "## Appendix A: every source id",
        "",
        "Generated from `catalog/sources.toml` by `catalog/verify/appendices.py`. \"Read\" means "
        "the text was opened for this catalog; notes that say \"not opened in this session\" mark "
        "a well-known fact cited to its canonical record without re-reading it. \"Packages\" are "
        "the pinned registry packages `catalog/verify/verify.py` checks the catalog against.",
        "",
    ]
    for sid, s in sources.items():
        out += [f"### `{sid}`", "", f"- **Title:** {s['title']}"]
        url = s.get("url")
        if url and url.startswith("file:"):
            out.append(f"- **Location:** `{url[5:]}` (team reference, not published)")
        elif url:
            out.append(f"- **URL:** <{url}>")
        if s.get("packages"):
            out.append("- **Packages:** " + ", ".join(f"`{p}`" for p in s["packages"]))
        if s.get("retrieved"):
            out.append(f"- **Retrieved:** {s['retrieved']}")
        if s.get("note"):
            out.append(f"- **Taken from it:** {s['note']}")
        out.append("")
    return "\n".join(out)


def uncertain(text: str | None) -> bool:
    return bool(text) and "UNCERTAIN" in text


def appendix_b() -> str:
    out = [
        "## Appendix B: rows marked UNCERTAIN",
        "",
        "| File | Code / id | Countries or jurisdiction | Why |",
        "|---|---|---|---|",
    ]
    for fam in FAMILIES:
        for r in load(f"catalog/regions/{fam}.toml")["regions"]:
            if uncertain(r.get("note")):
                out.append(f"| {fam} | `{r['code']}` | {','.join(r['countries'])} | {r['note']} |")
    prov = load("catalog/providers.toml")
    entries = [("providers.toml", p["family"], p) for p in prov.get("provider", [])]
    entries += [("providers.toml (operator)", o["id"], o) for o in prov.get("operator", [])]
    for label, key, e in entries:
        if uncertain(e.get("note")):
            out.append(f"| {label} | `{key}` | {e['jurisdiction']} | {e['note']} |")
        for c in e.get("controllers", []):
            if uncertain(c.get("note")):
                out.append(
                    f"| providers.toml (controller of `{key}`) | {c['company']} | "
                    f"{c['jurisdiction']} ({c['control']}) | {c['note']} |"
                )
    return "\n".join(out) + "\n"


def render(doc: str) -> str:
    head, sep, _ = doc.partition("## Appendix A: every source id")
    if not sep:
        raise SystemExit(f"{DOC}: no '## Appendix A' heading")
    return head + appendix_a() + "\n" + appendix_b()


def main(argv: list[str]) -> int:
    doc = DOC.read_text(encoding="utf-8")
    new = render(doc)
    if "--check" in argv:
        if new != doc:
            print("docs/catalog.md appendices are stale: run python3 catalog/verify/appendices.py")
            return 1
        print("docs/catalog.md appendices are current")
        return 0
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
