#!/usr/bin/env python3
"""Executable specification of the benchmark rules, independent of the Rego.

A plain reading of docs/performance.md ("Semantics the engines agree on") in Python,
written separately from bench/rego/residency.rego so that a mistake in the Rego shows up
as a disagreement instead of being repeated by OPA and regorus alike. It is one of the
engines the harness compares (its time is reported but is not a peer's).

Usage: reference.py CATALOG.json PLAN.json   (prints findings like `juris check --format json`)
"""

import json
import re
import sys

T, F, U = "T", "F", "U"


def and3(a, b):
    if F in (a, b):
        return F
    return T if a == b == T else U


def or3(a, b):
    if T in (a, b):
        return T
    return F if a == b == F else U


def not3(a):
    return {T: F, F: T, U: U}[a]


class Model:
    def __init__(self, plan, catalog):
        self.plan = plan
        self.cat = catalog
        self.changes = plan.get("resource_changes") or []
        config = plan.get("configuration") or {}
        self.provider_keys = {}
        self.expressions = {}
        self._index_module(config.get("root_module") or {}, "")
        self.provider_regions = {}
        for key, pc in (config.get("provider_config") or {}).items():
            region = (pc.get("expressions") or {}).get("region") or {}
            if isinstance(region.get("constant_value"), str):
                self.provider_regions[key] = region["constant_value"]
            refs = region.get("references") or []
            if refs and refs[0].startswith("var."):
                value = (plan.get("variables") or {}).get(refs[0][4:], {}).get("value")
                if isinstance(value, str):
                    self.provider_regions[key] = value
        self.jurisdiction = {p["family"]: p["jurisdiction"] for p in catalog["providers"].values()}

    def _index_module(self, module, prefix):
        for r in module.get("resources") or []:
            self.provider_keys[prefix + r["address"]] = r.get("provider_config_key")
            self.expressions[prefix + r["address"]] = r.get("expressions") or {}
        for name, call in (module.get("module_calls") or {}).items():
            self._index_module(call.get("module") or {}, f"{prefix}module.{name}.")

    # -- location ---------------------------------------------------------

    @staticmethod
    def config_address(rc):
        module = re.sub(r"\[[^\]]*\]", "", rc.get("module_address", ""))
        return f"{module}.{rc['type']}.{rc['name']}" if module else f"{rc['type']}.{rc['name']}"

    def configured(self, rc, attr):
        """(set, value): whether the configuration sets the argument, and its value
        when that is a constant or a root variable."""
        expr = self.expressions.get(self.config_address(rc), {}).get(attr)
        if expr is None:
            return False, None
        if isinstance(expr.get("constant_value"), str):
            return True, expr["constant_value"]
        refs = expr.get("references") or []
        # Only root variables: a module's are set by its call, which these plans never do.
        if refs and refs[0].startswith("var.") and not rc.get("module_address"):
            value = (self.plan.get("variables") or {}).get(refs[0][4:], {}).get("value")
            if isinstance(value, str):
                return True, value
        return True, None

    def region(self, rc):
        """The region code, or None when unknown at plan time. A resource's own
        region / location wins; unknown, it decides only when the configuration sets it
        (computed without an argument, the provider's region applies)."""
        after, unknown = rc["change"]["after"], rc["change"].get("after_unknown") or {}
        for attr, norm in (
            ("region", str.lower),
            ("location", lambda v: v.lower().replace(" ", "")),
        ):
            if isinstance(after.get(attr), str):
                return norm(after[attr])
            if unknown.get(attr) is True:
                is_set, value = self.configured(rc, attr)
                if is_set:
                    return norm(value) if value is not None else None
        zone = lambda v: re.sub(r"-[a-z]$", "", v.lower())  # noqa: E731
        if isinstance(after.get("zone"), str):
            return zone(after["zone"])
        # Only Google places a resource by its zone; elsewhere a zone only confirms
        # the provider's region.
        if rc["type"].startswith("google_") and unknown.get("zone") is True:
            is_set, value = self.configured(rc, "zone")
            if is_set:
                return zone(value) if value is not None else None
        return self.provider_regions.get(self.provider_keys.get(self.config_address(rc)))

    def is_global(self, rc):
        return any(rc["type"].startswith(p) for p in self.cat["global_type_prefixes"]) and not rc["type"].startswith(
            "aws_route53_resolver_"
        )

    def place_of(self, family, rc):
        region = self.region(rc)
        if not self.is_global(rc):
            return self.place(family, region)
        # Global services have no region: no countries; custody is the provider's
        # (or the configured region's operator).
        info = self.cat["regions"].get(family, {}).get(region) if region else None
        custody = ((info or {}).get("operator") or {}).get("jurisdiction", self.jurisdiction[family])
        return {"known": True, "countries": [], "custody": custody}

    def place(self, family, region):
        info = self.cat["regions"].get(family, {}).get(region) if region else None
        if info is None:
            custody = None if family in self.cat["families_with_operators"] else self.jurisdiction[family]
            return {"known": False, "countries": None, "custody": custody}
        custody = (info.get("operator") or {}).get("jurisdiction", self.jurisdiction[family])
        return {"known": True, "countries": info["countries"], "custody": custody}

    # -- classification ---------------------------------------------------

    @staticmethod
    def norm_key(k):
        return re.sub(r"[-_ ]", "", k).lower()

    def tag(self, rc, want):
        """("known", value) | ("unknown", None) | ("absent", None)"""
        after, unknown = rc["change"]["after"], rc["change"].get("after_unknown") or {}

        def maps(tree):
            # Cloud SQL keeps its labels in settings[0].user_labels (juris's tag table).
            if rc["type"] == "google_sql_database_instance":
                settings = tree.get("settings")
                first = settings[0] if isinstance(settings, list) and settings else {}
                return [first.get("user_labels") if isinstance(first, dict) else None]
            return [tree.get(f) for f in ("tags", "tags_all", "labels")]

        for m in maps(after):
            for k, v in (m if isinstance(m, dict) else {}).items():
                if isinstance(v, str) and self.norm_key(k) == want:
                    return ("known", v)
        for u in maps(unknown):
            if u is True or (isinstance(u, dict) and any(x is True and self.norm_key(k) == want for k, x in u.items())):
                return ("unknown", None)
        return ("absent", None)

    def protected(self, cls):
        if cls[0] == "unknown":
            return U
        if cls[0] == "absent":
            return F
        v = cls[1].strip().lower()
        v = self.cat["classification"]["aliases"].get(v, v)
        return T if v in self.cat["classification"]["protected"] else F

    @staticmethod
    def codes(value):
        return {s.upper() for s in re.split(r"[\s,_-]+", value) if s}

    def subjects_include(self, subj, test):
        if subj[0] == "unknown":
            return U
        if subj[0] == "absent":
            return F
        return T if any(test(c) for c in self.codes(subj[1])) else F


def presence(t):
    return {"known": T, "unknown": U, "absent": F}[t[0]]


def custody_fa(place, groups):
    if place["custody"] is None:
        return U
    return T if place["custody"] in groups["foreign_adversaries"] else F


def outside(place, ok):
    if not place["known"]:
        return U
    return T if any(not ok(c) for c in place["countries"]) else F


def evaluate(plan, catalog):
    m = Model(plan, catalog)
    groups = catalog["groups"]
    res = {}
    for i, rc in enumerate(m.changes):
        if rc.get("mode") != "managed" or rc["change"]["actions"] == ["delete"]:
            continue
        provider = catalog["providers"].get(rc["provider_name"])
        if provider is None:
            continue
        cls, subj = m.tag(rc, "dataclassification"), m.tag(rc, "datasubjects")
        holding = T if rc["type"] in catalog["data_holding_types"] else F
        protected = and3(holding, m.protected(cls))
        res[i] = {
            "address": rc["address"],
            "place": m.place_of(provider["family"], rc),
            "holding": holding,
            "protected": protected,
            "us": and3(protected, m.subjects_include(subj, lambda c: c == "US")),
            "eu": and3(protected, m.subjects_include(subj, lambda c: c in groups["eea"] or c in ("EU", "EEA"))),
            "class": cls,
            "subjects": subj,
        }

    # Flows: source index -> destination places.
    flows = {}
    buckets = {m.changes[i]["change"]["after"].get("bucket"): i for i in res if m.changes[i]["type"] == "aws_s3_bucket"}
    dbs = {m.changes[i]["change"]["after"].get("identifier"): i for i in res if m.changes[i]["type"] == "aws_db_instance"}
    unknown_place = {"known": False, "countries": None, "custody": None}
    for i in res:
        rc = m.changes[i]
        after, unknown = rc["change"]["after"], rc["change"].get("after_unknown") or {}
        if rc["type"] == "aws_s3_bucket_replication_configuration" and after.get("bucket") in buckets:
            src = buckets[after["bucket"]]
            for k, rule in enumerate(after.get("rule") or []):
                for n, d in enumerate(rule.get("destination") or []):
                    try:
                        is_unknown = unknown["rule"][k]["destination"][n]["bucket"] is True
                    except (KeyError, IndexError, TypeError):
                        is_unknown = False
                    arn = d.get("bucket") or ""
                    if not is_unknown and arn.startswith("arn:aws:s3:::") and arn[13:] in buckets:
                        dest = res[buckets[arn[13:]]]["place"]
                    else:
                        dest = unknown_place
                    flows.setdefault(src, []).append(dest)
        if rc["type"] == "aws_db_instance" and isinstance(after.get("replicate_source_db"), str):
            source = after["replicate_source_db"].split(":")[-1]
            if source in dbs:
                flows.setdefault(dbs[source], []).append(res[i]["place"])
        if rc["type"] == "aws_dynamodb_table":
            for rep in after.get("replica") or []:
                flows.setdefault(i, []).append(m.place("aws", rep["region_name"]))
        if rc["type"] == "google_storage_bucket" and isinstance(after.get("location"), str):
            for member in catalog["regions"]["google"].get(after["location"].lower(), {}).get("members", []):
                flows.setdefault(i, []).append(m.place("google", member))
        if rc["type"] == "azurerm_storage_account" and after.get("account_replication_type") in catalog["geo_redundant_replication"]:
            p = res[i]["place"]
            region = m.region(rc)
            pair = catalog["regions"]["azurerm"].get(region, {}).get("pair") if p["known"] else None
            flows.setdefault(i, []).append(m.place("azurerm", pair) if pair else unknown_place)

    def us_ok(c):
        return c == "US"

    def gdpr_ok(c):
        return c in groups["eea"] or c in groups["gdpr_adequate"]

    def any3(values):
        out = F
        for v in values:
            out = or3(out, v)
        return out

    found = set()
    for i, r in res.items():
        p = r["place"]
        dests = flows.get(i, [])
        verdicts = {
            "RES-US-001": and3(r["us"], custody_fa(p, groups)),
            "RES-US-002": and3(r["us"], outside(p, us_ok)),
            "RES-US-003": and3(r["us"], any3(or3(custody_fa(d, groups), outside(d, us_ok)) for d in dests)),
            "RES-EU-001": and3(r["eu"], any3([outside(p, gdpr_ok)] + [outside(d, gdpr_ok) for d in dests])),
            "RES-PRV-001": custody_fa(p, groups),
            "RES-UNK-001": and3(r["holding"], F if p["known"] else T),
            "RES-TAG-001": and3(r["holding"], not3(presence(r["class"]))),
            "RES-TAG-002": and3(r["protected"], not3(presence(r["subjects"]))),
        }
        for rule, v in verdicts.items():
            if v != F:
                found.add((rule, r["address"], "violation" if v == T else "undetermined"))
    return found


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        catalog = json.load(f)["catalog"]
    with open(sys.argv[2]) as f:
        plan = json.load(f)
    found = evaluate(plan, catalog)
    out = [{"rule": r, "address": a, "outcome": o} for r, a, o in sorted(found)]
    json.dump({"version": 1, "findings": out}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
