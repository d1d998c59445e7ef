//! The compiled WebAssembly module and the in-process evaluator agree byte for
//! byte: on hand-written inventories and on generated ones (proptest; set
//! `PROPTEST_CASES` to change the default of 1,000), for a policy set that uses
//! every built-in, operator, quantifier, comprehension, unknowns, nulls, json
//! attributes, exceptions (applied, expired, stale), messages and evidence.

use std::sync::OnceLock;

use juris::PolicySet;
use juris::diag::SourceFile;
use juris::ir::Enforcement;
use juris::model::Inventory;
use juris::runner::{RunError, RunOptions};
use juris::wasm::{CompileOptions, Limits, WasmError, WasmPolicy, compile};
use proptest::prelude::*;

const POLICY: &str = r#"
package cov

import juris.groups

fn data_class(r: resource) -> string {
  let c = tag(r, "data-classification")
  if c == null then "none" else lower(c)
}

fn protected(r: resource) -> bool {
  data_class(r) in {"personal", "pii", "sensitive-personal", "ip"}
}

fn subjects(r: resource) -> set<string> {
  { upper(trim(s)) for s in regex_split(tag(r, "data-subjects"), r"[,\s_-]+") where s != "" }
}

fn custody_text(c: custody) -> string {
  "{c.company}/{c.jurisdiction}"
}

rule custody_adversary {
  id: "COV-001"  title: "Custody is not a foreign adversary"  severity: critical  enforce: hard
  references: ["15 CFR 791.4"]
  for r in resources
  where r.mode == "managed"
  deny if r.custody.jurisdiction in groups.foreign_adversaries
  message "{r.address} held by {r.custody} ({custody_text(r.custody)}) in {r.location}"
}

rule countries_us {
  id: "COV-002"  title: "Protected data stays in the US"  severity: high  enforce: soft  undetermined: allow
  for r in resources
  where protected(r)
  require all c in r.location.countries: c == "US"
  message "{r.address}: countries {r.location.countries}, subjects {subjects(r)}, class {data_class(r)}"
}

rule flows_ok {
  id: "COV-003"  title: "Copies stay in North America"  severity: high  enforce: hard
  for r in resources
  where count(r.flows) > 0
  let targets = [f.target for f in r.flows]
  let sep = "; "
  let kinds = join([f.kind + "@" + string(f.depth) for f in r.flows], sep)
  deny if any f in r.flows: f.custody.jurisdiction in groups.foreign_adversaries or not (f.location.countries subset {"US", "CA"})
  message "{r.address} copies to {targets} via {kinds}"
}

rule attrs {
  id: "COV-004"  title: "Encrypted, replicas local"  severity: medium  enforce: advisory
  for r in resources
  let enc = r.attributes.encryption
  let reps = r.attributes.replicas
  deny if enc.enabled != true or (count(reps) > 1 and reps[0].region != r.location.region)
  message "{r.address}: enc={enc} reps={reps} keys={keys(r.attributes)} values={values(r.attributes)} all={r.attributes}"
}

rule strings {
  id: "COV-005"  title: "Names"  severity: low  enforce: advisory
  for r in resources
  let n = r.name
  let dot = "."
  let sep = "::"
  let empty = ""
  let parts = regex_split(n, r"[-_]")
  let stars = regex_split(n, r"x*")
  deny if starts_with(n, "tmp") or ends_with(r.address, "]") or contains(lower(n), "test") or glob(r.address, "module.*.aws_*") or (regex(r.type, r"^(aws|google)_[a-z0-9_]+$") and not regex(n, r"(?i)^[a-z][a-z0-9-]*$"))
  message "{upper(n)} / {lower(n)} / {replace(r.address, dot, sep)} / {split(r.address, dot)} / {split(n, empty)} / {count(n)} / {trim(n)} / {parts} / {stars}"
}

rule numbers {
  id: "COV-006"  title: "Sizes"  severity: info  enforce: soft
  for r in resources
  let size = r.attributes.size
  let d = r.attributes.retention_days
  deny if size + 1 > 100 or -size < -50 or int(r.attributes.count_text) >= 3 or d - 10 == 0 or size > 7
  message "size {size} plus {size + 1} minus {size - 2} neg {-size} int {int(r.attributes.count_text)} text {string(size)} d {d}"
}

rule dates {
  id: "COV-007"  title: "Expiry tags"  severity: info  enforce: hard  undetermined: allow
  for r in resources
  let exp = date(tag(r, "expires"))
  deny if exp < today() or exp - today() < 30 or exp + 10 == today() + 40
  message "{r.address} expires {exp}, today {today()}, days {exp - today()} {today() - 5} {exp + 1000000}"
}

rule sets {
  id: "COV-008"  title: "Few countries"  severity: low  enforce: soft
  for r in resources
  let cs = r.location.countries
  let fl = flatten([f.location.countries for f in r.flows])
  let lit = {"b", "a", "b", r.name}
  deny if count(cs union fl) > 2 or (count(cs intersect groups.eu) > 0 and count(fl minus cs) > 0) or "US" in fl
  message "union {cs union fl}, inter {cs intersect fl}, minus {fl minus cs}, lit {lit}, eu {cs intersect groups.eu}"
}

rule tags_known {
  id: "COV-009"  title: "Tags known"  severity: medium  enforce: hard
  for r in resources
  let owner = tag(r, "owner")
  let comma = ","
  deny if not known(r.location) or not known(r.tags) or owner == null or r.tags["Owner"] == "nobody" or "env" in r.tags
  message "{r.address}: tags {r.tags} owner {owner} keys {join(keys(r.tags), comma)} values {values(r.tags)} n {count(r.tags)} provider {r.provider} alias {r.provider.alias} family {r.provider.family} company {r.provider.company} known {known(r.provider)} {known(r.custody)} {known(r.flows)}"
}

rule nested_quantifiers {
  id: "COV-010"  title: "Flows"  severity: high  enforce: soft
  for r in resources
  where any a in r.actions: a == "create" or a == "update"
  deny if all f in r.flows: (any c in f.location.countries: c in groups.countries_of_concern) or f.in_inventory
  message "{r.address}: {r.actions} {r.input}"
}

rule json_quantifier {
  id: "COV-011"  title: "Json"  severity: low  enforce: advisory
  for r in resources
  let name_key = "name"
  let named = r.attributes[name_key]
  deny if (any k in keys(r.attributes): starts_with(k, "x_")) or (any v in r.attributes.list: v == 1 or v == "one" or v == null)
  message "{r.address}: list {r.attributes.list} first {r.attributes.list[0]} second {r.attributes.list[1]} name {named} count {count(r.attributes.list)}"
}

rule conditional {
  id: "COV-012"  title: "Regions"  severity: medium  enforce: hard
  for r in resources
  let region = if r.location.region == null then "global" else r.location.region
  let kind = if r.location.region in {"us-east-1", "us-west-2"} then "us" else "other"
  deny if kind == "other" and region != "global"
  message "{region} {kind} {r.location.operator} {r.location.derivation} {r.location.operator.name}"
}

rule comprehensions {
  id: "COV-013"  title: "Deep copies"  severity: low  enforce: soft
  for r in resources
  let jur = { f.custody.jurisdiction for f in r.flows where f.depth > 1 }
  let lst = [ f.location for f in r.flows ]
  let vias = [ f.via for f in r.flows where f.kind != "backup-copy" ]
  deny if count(jur) > 0 or (count(lst) > 0 and r.location in lst)
  message "{jur} {lst} {[f for f in r.flows]} {[f.custody for f in r.flows]} {vias}"
}

rule equality {
  id: "COV-014"  title: "Equality"  severity: low  enforce: advisory
  for r in resources
  deny if r.attributes.a == r.attributes.b or (r.location == r.location and r.custody != r.custody) or r.attributes.list == [1, 2] or r.attributes.tags == r.tags
  message "{r.attributes.a} vs {r.attributes.b}"
}

rule flow_fields {
  id: "COV-015"  title: "Flow fields"  severity: low  enforce: advisory
  for r in resources
  where count(r.flows) > 0
  deny if any f in r.flows: f.location.region == null or f.depth >= 2 or known(f) == false
  message "{r.flows} {r.flows[0].location} {r.flows[0].custody} {r.flows[0]}"
}

rule evidence_lists {
  id: "COV-016"  title: "Evidence of collections"  severity: low  enforce: hard
  for r in resources
  deny if count(r.location.countries) != 1 or r.actions == ["delete"] or r.flows[0].custody.company == "Sinnet"
  message "{r.location.countries} {r.flows} {r.actions}"
}

rule custody_chain {
  id: "COV-017"  title: "Chain of control"  severity: high  enforce: hard
  for r in resources
  let owners = [l for l in r.custody.chain where l.control != "operator"]
  let jurs = {l.jurisdiction for l in r.custody.chain}
  deny if (any l in r.custody.chain: l.jurisdiction in groups.foreign_adversaries and l.control in {"operator", "parent"})
    or (all f in r.flows: any l in f.custody.chain: count(l.sources) > 0)
  message "{r.address}: {r.custody.chain} owners {owners} jurisdictions {jurs} first {r.custody.chain[0].company}/{r.custody.chain[0].control}/{r.custody.chain[0].sources} known {known(r.custody.chain)}"
}

exception waive_tmp {
  rule: "COV-005"
  resources: ["*.tmp*", "module.legacy.*"]
  reason: "legacy names"
  approved_by: "alice"
  expires: 2026-12-31
  ticket: "SEC-1"
}

exception expired_one {
  rule: "COV-001"
  resources: "alicloud_*"
  reason: "old waiver"
  approved_by: "bob"
  expires: 2025-01-01
}

exception stale_one {
  rule: "COV-003"
  resources: ["nothing.matches"]
  reason: "never used"
  approved_by: "carol"
  expires: 2026-06-30
}

exception applied_two {
  rule: "COV-001"
  resources: ["google_*", "alicloud_oss_bucket.a*"]
  reason: "reviewed \"with quotes\" and \\ backslash"
  approved_by: "dave <dave@example.com>"
  expires: 2027-01-15
}
"#;

/// 2026-11-26, the default `today` compiled into the module.
const DEFAULT_TODAY: i32 = 20_783;

struct Engines {
    set: PolicySet,
    wasm: WasmPolicy,
}

/// Expressions each turned into a rule of their own (`edge_policy`): evidence and
/// messages of every kind of value, operators on odd operands.
const EDGE: &[&str] = &[
    r#"r.attributes"#,
    r#"r.attributes.size"#,
    r#"r.attributes.list"#,
    r#"r.attributes.list[-1]"#,
    r#"r.attributes.list[5]"#,
    r#"r.attributes.encryption.enabled"#,
    r#"r.attributes[r.name]"#,
    r#"r.tags"#,
    r#"r.tags[r.name]"#,
    r#"keys(r.tags)"#,
    r#"values(r.tags)"#,
    r#"keys(r.attributes)"#,
    r#"values(r.attributes)"#,
    r#"keys(r.attributes.list)"#,
    r#"r.provider"#,
    r#"r.location"#,
    r#"r.custody"#,
    r#"r.location.operator"#,
    r#"r.flows"#,
    r#"r.actions"#,
    r#"r.actions[0]"#,
    r#"r.actions[1]"#,
    r#"flatten([r.location.countries, {r.name}])"#,
    r#"flatten(r.attributes.list)"#,
    r#"flatten([r.attributes.list, r.attributes.replicas])"#,
    r#"{r.attributes.size, r.attributes.name, r.attributes.list, r.attributes.a, r.attributes.b, r.attributes.encryption}"#,
    r#"[r.attributes.size, r.name, r.attributes.encryption]"#,
    r#"{r.location, r.flows[0].location, r.location}"#,
    r#"{r.flows[0], r.flows[1], r.flows[0]}"#,
    r#"[r.location.operator, r.location.operator]"#,
    r#"count(r.attributes.name)"#,
    r#"count(r.attributes)"#,
    r#"count(r.attributes.size)"#,
    r#"count(r.tags)"#,
    r#"string(r.attributes)"#,
    r#"string(r.attributes.size)"#,
    r#"string(r.location)"#,
    r#"string(r.tags)"#,
    r#"string(r.flows)"#,
    r#"string(r.custody)"#,
    r#"string(r.location.operator)"#,
    r#"string(r.provider)"#,
    r#"string(today())"#,
    r#"int(r.attributes.size)"#,
    r#"int(r.attributes.count_text)"#,
    r#"int(r.name)"#,
    r#"r.attributes.size < r.attributes.retention_days"#,
    r#"r.name < r.type"#,
    r#"r.attributes.name >= r.name"#,
    r#"r.attributes.size <= 3"#,
    r#"r.name + r.type"#,
    r#"r.attributes.name + r.attributes.b"#,
    r#"join(r.attributes.list, "-")"#,
    r#"join(r.location.countries, "")"#,
    r#"r.attributes.a in r.attributes.list"#,
    r#"r.name in r.attributes"#,
    r#"r.name in r.tags"#,
    r#"r.attributes.name in r.location.countries"#,
    r#"r.attributes.size in [1, 2, 3]"#,
    r#"r.attributes.list in [r.attributes.list, r.attributes.replicas]"#,
    r#"r.location.countries subset ["US"]"#,
    r#"r.attributes.list subset r.attributes.list"#,
    r#"r.actions subset r.attributes.list"#,
    r#"r.location.countries union r.attributes.list"#,
    r#"r.attributes.list intersect r.attributes.replicas"#,
    r#"r.attributes.list minus r.attributes.list"#,
    r#"r.location.countries minus r.location.countries"#,
    r#"r.location.countries intersect []"#,
    r#"if r.attributes.enabled then r.name else r.type"#,
    r#"if known(r.location.region) then 1 else 1"#,
    r#"if r.location.region == "US" then r.location else r.location"#,
    r#"date(r.attributes.name)"#,
    r#"lower(r.attributes.name)"#,
    r#"upper(r.attributes.name)"#,
    r#"trim(r.attributes.name)"#,
    r#"split(r.attributes.name, "a")"#,
    r#"replace(r.attributes.name, "a", "")"#,
    r#"replace(r.name, "", "x")"#,
    r#"tag(r, "DATA CLASSIFICATION")"#,
    r#"tag(r, "ΣΑΣ")"#,
    r#"tag(r, "σας")"#,
    r#"glob(r.attributes.name, "*a?")"#,
    r#"regex(r.attributes.name, r"^\p{Lu}")"#,
    r#"regex_split(r.attributes.name, r"(?-u:\b)")"#,
    r#"regex_split(r.attributes.name, r"")"#,
    r#"regex_split(r.attributes.name, r"a|b*")"#,
    r#"regex_split(r.address, r"^aws|[.]")"#,
    r#"regex_split(r.attributes.name, r"\s+$")"#,
    r#"[x for x in r.attributes.list where x != null]"#,
    r#"{x for x in r.attributes.list}"#,
    r#"{k for k in r.attributes}"#,
    r#"[v for v in r.tags]"#,
    r#"[c for c in r.location.countries where c > "D"]"#,
    r#"all x in r.attributes: x != "a""#,
    r#"any x in r.attributes.list: x == 1"#,
    r#"all c in r.location.countries: c in ["US", r.attributes.name]"#,
    r#"-r.attributes.size"#,
    r#"r.attributes.size - 1"#,
    r#"r.attributes.retention_days + r.attributes.size"#,
    r#"today() - date("2026-01-01")"#,
    r#"date("2026-01-01") - 40000 - 1000000"#,
    r#"r.attributes.encryption == r.attributes.encryption"#,
    r#"r.attributes.encryption == r.attributes.replicas"#,
    r#"r.flows[0]"#,
    r#"r.flows[0].location"#,
    r#"r.flows == r.flows"#,
    r#"r.flows[0] == r.flows[1]"#,
    r#"r.location == r.flows[0].location"#,
    r#"r.custody == r.flows[0].custody"#,
    r#"r.custody.chain"#,
    r#"r.custody.chain[0]"#,
    r#"r.custody.chain[1].sources"#,
    r#"r.flows[0].custody.chain"#,
    r#"string(r.custody.chain)"#,
    r#"string(r.custody.chain[0])"#,
    r#"{r.custody.chain[0], r.flows[0].custody.chain[0], r.custody.chain[0]}"#,
    r#"r.custody.chain == r.flows[0].custody.chain"#,
    r#"r.custody.chain[0] == r.flows[0].custody.chain[0]"#,
    r#"known(r.custody.chain)"#,
    r#"count(r.custody.chain)"#,
    r#"[l.control for l in r.custody.chain]"#,
    r#"known(r.attributes)"#,
    r#"known(r.attributes.list)"#,
    r#"known([r.location.region, r.name])"#,
    r#"not (r.attributes.enabled)"#,
    r#"r.attributes.enabled and r.attributes.x_flag"#,
    r#"r.attributes.enabled or r.attributes.x_flag"#,
    r#"r.location.region == null"#,
    r#"r.location.region != r.flows[0].location.region"#,
];

fn edge_policy() -> String {
    let mut p = String::from("package edge\n");
    for (i, x) in EDGE.iter().enumerate() {
        p.push_str(&format!(
            "rule e{i} {{\n  id: \"E-{i:03}\"  severity: low  enforce: advisory\n  for r in resources\n  let v = {x}\n  deny if v == v or v == r.attributes.a\n  message \"{{v}} | {{string(v)}}\"\n}}\n"
        ));
    }
    p
}

fn edge_engines() -> &'static Engines {
    static E: OnceLock<Engines> = OnceLock::new();
    E.get_or_init(|| build(SourceFile::new("edge.juris", edge_policy())))
}

fn engines() -> &'static Engines {
    static E: OnceLock<Engines> = OnceLock::new();
    E.get_or_init(|| build(SourceFile::new("cov.juris", POLICY)))
}

fn build(source: SourceFile) -> Engines {
    {
        let set = PolicySet::compile(vec![source])
            .unwrap_or_else(|d| panic!("the test policy compiles: {d:?}"));
        let bytes = compile(
            set.program(),
            &CompileOptions {
                today: DEFAULT_TODAY,
            },
        )
        .expect("the coverage policy compiles to WebAssembly");
        let wasm = WasmPolicy::load(&bytes, Limits::default()).expect("the module loads");
        Engines { set, wasm }
    }
}

/// What the in-process engine says: the report text, or the error code the
/// module should return.
fn native(set: &PolicySet, doc: &str) -> Result<String, i32> {
    let inv: Inventory =
        serde_json::from_str(doc).map_err(|e| if e.is_syntax() || e.is_eof() { 1 } else { 2 })?;
    let raw: serde_json::Value = serde_json::from_str(doc).map_err(|_| 1)?;
    let today = match &inv.today {
        Some(t) => juris::date::parse(t).ok_or(3)?,
        None => DEFAULT_TODAY,
    };
    let fail_on = match raw.get("fail_on") {
        None | Some(serde_json::Value::Null) => Enforcement::Soft,
        Some(serde_json::Value::String(s)) => match s.as_str() {
            "advisory" => Enforcement::Advisory,
            "soft" => Enforcement::Soft,
            "hard" => Enforcement::Hard,
            _ => return Err(3),
        },
        Some(_) => return Err(3),
    };
    let options = RunOptions {
        fail_on,
        ..RunOptions::new(today)
    };
    match set.evaluate(&inv, &options) {
        Ok(report) => Ok(serde_json::to_string_pretty(&report).expect("report serialises") + "\n"),
        Err(RunError::ExceptionTooLong { .. }) => Err(4),
        Err(e) => panic!("unexpected run error {e}"),
    }
}

/// Compare both engines on one document; the error names what differs.
fn differ(doc: &str) -> Result<(), String> {
    differ_on(engines(), doc)
}

fn differ_on(e: &Engines, doc: &str) -> Result<(), String> {
    let expected = native(&e.set, doc);
    let got = e.wasm.evaluate(doc.as_bytes());
    match (expected, got) {
        (Ok(a), Ok(b)) if a == b => Ok(()),
        (Ok(a), Ok(b)) => Err(format!("reports differ\n{}", first_difference(&a, &b))),
        (Err(code), Err(WasmError::Rejected { code: got, .. }))
            if code == got || (code <= 2 && got <= 2) =>
        {
            Ok(())
        }
        (Ok(_), Err(got)) => Err(format!("native: a report\nwasm: {got:?}")),
        (expected, got) => Err(format!("native: {expected:?}\nwasm: {got:?}")),
    }
}

fn first_difference(a: &str, b: &str) -> String {
    let line = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or(a.lines().count().min(b.lines().count()));
    let around = |s: &str| {
        s.lines()
            .skip(line.saturating_sub(3))
            .take(7)
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "first difference at line {}\n--- native\n{}\n--- wasm\n{}",
        line + 1,
        around(a),
        around(b)
    )
}

// ---------------------------------------------------------------- documents

/// A JSON tree rendered by hand, so tests control number lexemes, escapes and
/// repeated keys (which serde_json::Value cannot represent).
#[derive(Clone, Debug)]
enum J {
    Null,
    Bool(bool),
    Num(&'static str),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    fn obj(fields: Vec<(&str, J)>) -> J {
        J::Obj(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    fn s(s: &str) -> J {
        J::Str(s.to_owned())
    }

    fn unknown() -> J {
        J::obj(vec![("unknown", J::Bool(true))])
    }

    fn render(&self, out: &mut String, style: u8) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(n),
            J::Str(s) => render_str(s, out, style),
            J::Arr(items) => {
                out.push('[');
                for (i, x) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(if style == 1 { ", " } else { "," });
                    }
                    x.render(out, style);
                }
                out.push(']');
            }
            J::Obj(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    if style == 1 {
                        out.push_str("\n  ");
                    }
                    render_str(k, out, style);
                    out.push_str(if style == 1 { ": " } else { ":" });
                    v.render(out, style);
                }
                out.push('}');
            }
        }
    }

    fn text(&self, style: u8) -> String {
        let mut s = String::new();
        if style == 2 {
            s.push_str(" \t\r\n");
        }
        self.render(&mut s, style);
        if style == 2 {
            s.push('\n');
        }
        s
    }
}

/// Style 0 escapes only what JSON requires; style 1 also writes non-ASCII as
/// `\u` escapes (with surrogate pairs) and `/` as `\/`.
fn render_str(s: &str, out: &mut String, style: u8) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '/' if style == 1 => out.push_str("\\/"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c if style == 1 && !c.is_ascii() => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn pick<T: Clone + std::fmt::Debug + 'static>(items: &'static [T]) -> impl Strategy<Value = T> {
    prop::sample::select(items)
}

const TEXTS: &[&str] = &[
    "",
    "a",
    "tmp-bucket",
    "TestData",
    "prod_db",
    "x",
    "Straße",
    "ΟΔΟΣ ΣΑΣ",
    "İstanbul",
    "  spaced  ",
    "line\nbreak",
    "tab\there",
    "quote\"s",
    "back\\slash",
    "ctrl\u{1}char",
    "emoji 😀",
    "del\u{7f}",
    "personal",
    "PII",
    "public",
    "us_eu",
    "US, eu",
    "nobody",
    "2026-12-15",
    "2026-11-26",
    "2027-02-01",
    "2026-02-30",
    "one",
    "x_y",
    "a-b_c",
    "xxaxx",
    "\u{2003}wide\u{3000}",
    "ǅ title",
    "ΑΣ.Σ",
];
const ADDRESSES: &[&str] = &[
    "aws_s3_bucket.logs",
    "aws_s3_bucket.tmp1",
    "module.legacy.aws_s3_bucket.old",
    "module.app.aws_db_instance.main[\"eu\"]",
    "google_storage_bucket.data",
    "alicloud_oss_bucket.a1",
    "alicloud_oss_bucket.b",
    "azurerm_storage_account.sa",
    "aws_s3_bucket.logs",
    "tencentcloud_cos_bucket.c[0]",
];
const TYPES: &[&str] = &[
    "aws_s3_bucket",
    "google_storage_bucket",
    "alicloud_oss_bucket",
    "azurerm_storage_account",
    "aws_db_instance",
    "Weird-Type",
];
const NAMES: &[&str] = &["logs", "tmp1", "test-data", "Data", "a1", "b_2", "x", ""];
const COUNTRIES: &[&str] = &["US", "CA", "DE", "CN", "HK", "IE", "FR", "RU", ""];
const REGIONS: &[&str] = &[
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "cn-north-1",
    "US",
    "NAM4",
];
const COMPANIES: &[&str] = &[
    "Amazon Web Services",
    "Alibaba Cloud",
    "Google",
    "Sinnet",
    "Tencent",
];
const JURISDICTIONS: &[&str] = &["US", "CN", "DE", "RU", "HK"];
const TAG_KEYS: &[&str] = &[
    "data-classification",
    "DataClassification",
    "data_classification",
    "Owner",
    "owner",
    "env",
    "data-subjects",
    "expires",
    "ΣΑΣ",
    "x",
];
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "2",
    "3",
    "7",
    "42",
    "-7",
    "99",
    "100",
    "101",
    "1.5",
    "1.50",
    "1E5",
    "1e-3",
    "2.0e+2",
    "123456789012345678901",
    "-9223372036854775808",
    "9223372036854775807",
    "9223372036854775808",
    "-51",
    "10",
    "20",
];
const ATTR_KEYS: &[&str] = &[
    "encryption",
    "replicas",
    "size",
    "retention_days",
    "count_text",
    "list",
    "name",
    "a",
    "b",
    "x_flag",
    "tags",
    "enabled",
    "region",
];

fn text() -> impl Strategy<Value = String> {
    pick(TEXTS).prop_map(str::to_owned)
}

fn known(s: impl Strategy<Value = J>) -> impl Strategy<Value = J> {
    prop_oneof![4 => s, 1 => Just(J::unknown())]
}

fn scalar() -> impl Strategy<Value = J> {
    prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        pick(NUMBERS).prop_map(J::Num),
        text().prop_map(J::Str),
        pick(REGIONS).prop_map(J::s),
    ]
}

fn json() -> impl Strategy<Value = J> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(J::Arr),
            prop::collection::vec((pick(ATTR_KEYS).prop_map(str::to_owned), inner), 0..4)
                .prop_map(J::Obj),
        ]
    })
}

fn attributes() -> impl Strategy<Value = J> {
    let field = prop_oneof![
        (
            Just("encryption"),
            prop_oneof![
                any::<bool>().prop_map(|b| J::obj(vec![("enabled", J::Bool(b))])),
                Just(J::obj(vec![("enabled", J::s("true"))])),
                json(),
            ]
        ),
        (
            Just("replicas"),
            prop::collection::vec(
                pick(REGIONS).prop_map(|r| J::obj(vec![("region", J::s(r))])),
                0..3
            )
            .prop_map(J::Arr)
        ),
        (
            Just("size"),
            prop_oneof![pick(NUMBERS).prop_map(J::Num), scalar()]
        ),
        (Just("retention_days"), pick(NUMBERS).prop_map(J::Num)),
        (
            Just("count_text"),
            prop_oneof![
                pick(&[" 3", "+4", "-2", "x", "9223372036854775808", "07", ""]).prop_map(J::s),
                pick(NUMBERS).prop_map(J::Num)
            ]
        ),
        (
            Just("list"),
            prop_oneof![
                prop::collection::vec(scalar(), 0..4).prop_map(J::Arr),
                json()
            ]
        ),
        (pick(ATTR_KEYS), json()),
    ];
    prop_oneof![
        10 => prop::collection::vec(field, 0..6).prop_map(|fs| J::Obj(fs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        1 => json(),
    ]
}

fn location() -> impl Strategy<Value = J> {
    (
        known(prop_oneof![4 => pick(REGIONS).prop_map(J::s), 1 => Just(J::Null)]),
        known(prop::collection::vec(pick(COUNTRIES).prop_map(J::s), 0..4).prop_map(J::Arr)),
        prop::option::of((pick(COMPANIES), pick(JURISDICTIONS))),
        text(),
    )
        .prop_map(|(region, countries, operator, derivation)| {
            let mut f = vec![("region", region), ("countries", countries)];
            if let Some((c, j)) = operator {
                f.push((
                    "operator",
                    J::obj(vec![("name", J::s(c)), ("jurisdiction", J::s(j))]),
                ));
            }
            f.push(("derivation", J::Str(derivation)));
            J::obj(f)
        })
}

const CONTROLS: &[&str] = &["operator", "parent", "shareholder", "licensor", "Parent"];
const SOURCE_IDS: &[&str] = &["sec-amazon", "aws-esc-whitepaper", "x"];

/// One link of a custody chain; sometimes with a repeated key (serde_json::Value
/// keeps the later value), an extra key, or no `sources`.
fn link() -> impl Strategy<Value = J> {
    (
        pick(COMPANIES),
        pick(JURISDICTIONS),
        pick(CONTROLS),
        prop::option::of(prop::collection::vec(pick(SOURCE_IDS).prop_map(J::s), 0..3)),
        0u8..4,
    )
        .prop_map(|(c, j, k, sources, extra)| {
            let mut f = vec![
                ("company".to_owned(), J::s(c)),
                ("jurisdiction".to_owned(), J::s(j)),
                ("control".to_owned(), J::s(k)),
            ];
            if let Some(s) = sources {
                f.push(("sources".to_owned(), J::Arr(s)));
            }
            match extra {
                1 => f.push(("jurisdiction".to_owned(), J::s("RU"))),
                2 => f.push(("note".to_owned(), J::Num("1"))),
                _ => {}
            }
            J::Obj(f)
        })
}

fn custody() -> impl Strategy<Value = J> {
    (
        known(pick(COMPANIES).prop_map(J::s)),
        known(pick(JURISDICTIONS).prop_map(J::s)),
        prop_oneof![
            3 => Just(None),
            1 => Just(Some(J::Null)),
            1 => Just(Some(J::unknown())),
            4 => prop::collection::vec(link(), 0..4).prop_map(|l| Some(J::Arr(l))),
        ],
    )
        .prop_map(|(c, j, chain)| {
            let mut f = vec![("company", c), ("jurisdiction", j)];
            if let Some(ch) = chain {
                f.push(("chain", ch));
            }
            J::obj(f)
        })
}

fn flow() -> impl Strategy<Value = J> {
    (
        pick(&["s3-replication", "backup-copy", "rds-read-replica"]),
        pick(ADDRESSES),
        prop::option::of(any::<bool>()),
        prop::option::of(pick(&["1", "2", "3"])),
        location(),
        custody(),
    )
        .prop_map(|(kind, target, inv, depth, loc, cust)| {
            let mut f = vec![("kind", J::s(kind)), ("target", J::s(target))];
            if let Some(b) = inv {
                f.push(("in_inventory", J::Bool(b)));
            }
            f.push(("via", J::s("replication_configuration")));
            if let Some(d) = depth {
                f.push(("depth", J::Num(d)));
            }
            f.push(("location", loc));
            f.push(("custody", cust));
            J::obj(f)
        })
}

fn tags() -> impl Strategy<Value = J> {
    prop_oneof![
        8 => prop::collection::vec((pick(TAG_KEYS), known(text().prop_map(J::Str))), 0..5)
            .prop_map(|kv| J::Obj(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        1 => Just(J::unknown()),
    ]
}

fn resource() -> impl Strategy<Value = J> {
    (
        (
            pick(ADDRESSES),
            pick(TYPES),
            pick(NAMES),
            prop::option::of(pick(&["managed", "data"])),
        ),
        prop::option::of(prop::collection::vec(
            pick(&["create", "update", "delete", "no-op"]),
            0..3,
        )),
        prop::option::of(pick(&["plan.json", "other.json"])),
        (
            known(pick(COMPANIES).prop_map(J::s)),
            known(pick(JURISDICTIONS).prop_map(J::s)),
            prop::option::of(pick(&["eu", "west"])),
        ),
        (
            location(),
            custody(),
            prop::option::of(tags()),
            prop::option::of(attributes()),
        ),
        prop::collection::vec(flow(), 0..3),
    )
        .prop_map(
            |(
                (address, ty, name, mode),
                actions,
                input,
                (pc, pj, alias),
                (loc, cust, tags, attrs),
                flows,
            )| {
                let mut f = vec![
                    ("address", J::s(address)),
                    ("type", J::s(ty)),
                    ("name", J::s(name)),
                ];
                if let Some(m) = mode {
                    f.push(("mode", J::s(m)));
                }
                if let Some(a) = actions {
                    f.push(("actions", J::Arr(a.into_iter().map(J::s).collect())));
                }
                if let Some(i) = input {
                    f.push(("input", J::s(i)));
                }
                let mut p = vec![("source", J::s("hashicorp/aws"))];
                if let Some(a) = alias {
                    p.push(("alias", J::s(a)));
                }
                p.push(("company", pc));
                p.push(("jurisdiction", pj));
                f.push(("provider", J::obj(p)));
                f.push(("location", loc));
                f.push(("custody", cust));
                if let Some(t) = tags {
                    f.push(("tags", t));
                }
                if let Some(a) = attrs {
                    f.push(("attributes", a));
                }
                if !flows.is_empty() {
                    f.push(("flows", J::Arr(flows)));
                }
                J::obj(f)
            },
        )
}

fn document() -> impl Strategy<Value = J> {
    (
        prop::collection::vec(resource(), 0..6),
        prop_oneof![
            6 => Just(None),
            6 => pick(&["2026-11-26", "2026-12-31", "2027-01-16"]).prop_map(Some),
            1 => pick(&["2025-06-01", "2020-01-01", "2026-13-01", "26-11-2026"]).prop_map(Some),
        ],
        prop::option::of(pick(&["advisory", "soft", "hard"])),
    )
        .prop_map(|(resources, today, fail_on)| {
            let mut f = vec![("version", J::Num("1"))];
            if let Some(t) = today {
                f.push(("today", J::s(t)));
            }
            if let Some(x) = fail_on {
                f.push(("fail_on", J::s(x)));
            }
            f.push(("resources", J::Arr(resources)));
            J::obj(f)
        })
}

/// A document, sometimes damaged so that both engines must reject it.
fn damage(doc: J, how: u8) -> J {
    let J::Obj(mut fields) = doc else { return doc };
    match how {
        1 => fields.retain(|(k, _)| k != "version"),
        2 => fields.push(("version".into(), J::Num("1"))),
        3 => {
            if let Some((_, J::Arr(rs))) = fields.iter_mut().find(|(k, _)| k == "resources")
                && let Some(J::Obj(r)) = rs.first_mut()
            {
                r.push(("address".into(), J::Num("5")));
                r.retain(|(k, _)| k != "name");
            }
        }
        4 => fields.push(("extra".into(), J::Arr(vec![J::Num("1.5e3"), J::s("\u{1}")]))),
        5 => {
            // A chain link without its `control`, or a chain that is not a list.
            if let Some((_, J::Arr(rs))) = fields.iter_mut().find(|(k, _)| k == "resources")
                && let Some(J::Obj(r)) = rs.first_mut()
                && let Some((_, J::Obj(c))) = r.iter_mut().find(|(k, _)| k == "custody")
            {
                c.retain(|(k, _)| k != "chain");
                c.push((
                    "chain".into(),
                    if c.len().is_multiple_of(2) {
                        J::Arr(vec![J::obj(vec![
                            ("company", J::s("A")),
                            ("jurisdiction", J::s("US")),
                        ])])
                    } else {
                        J::s("not a list")
                    },
                ));
            }
        }
        _ => {}
    }
    J::Obj(fields)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(1000),
        max_shrink_iters: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn module_and_evaluator_agree(doc in document(), style in 0u8..3, how in prop_oneof![12 => Just(0u8), 1 => 1u8..6]) {
        let text = damage(doc, how).text(style);
        if let Err(e) = differ(&text) {
            prop_assert!(false, "{e}\n--- input\n{text}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(1000) / 4,
        max_shrink_iters: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn edge_values_agree(doc in document(), style in 0u8..3) {
        let text = doc.text(style);
        if let Err(e) = differ_on(edge_engines(), &text) {
            prop_assert!(false, "{e}\n--- input\n{text}");
        }
    }
}

#[test]
fn empty_inventory() {
    differ(r#"{"version": 1, "resources": []}"#).unwrap();
}

#[test]
fn custody_chains_agree() {
    let custody = |chain: &str| {
        format!(
            r#"{{"version": 1, "resources": [{{"address": "a.b", "type": "aws_s3_bucket", "name": "b",
              "provider": {{"source": "hashicorp/aws", "company": "AWS", "jurisdiction": "US"}},
              "location": {{"region": "eusc-de-east-1", "countries": ["DE"], "derivation": "d"}},
              "custody": {{"company": "AWS ESC", "jurisdiction": "DE"{chain}}}}}]}}"#
        )
    };
    // (chain, whether the document is valid)
    for (chain, valid) in [
        ("", true),
        (r#", "chain": null"#, true),
        (r#", "chain": {"unknown": true}"#, true),
        (r#", "chain": []"#, true),
        (
            r#", "chain": [{"company": "AWS ESC", "jurisdiction": "DE", "control": "operator", "sources": ["aws-esc-whitepaper"]},
                       {"company": "Amazon.com, Inc.", "jurisdiction": "US", "control": "parent"}]"#,
            true,
        ),
        (
            r#", "chain": [{"company": "X", "jurisdiction": "DE", "control": "operator", "jurisdiction": "CN"}]"#,
            true,
        ),
        (
            r#", "chain": [{"company": "X", "jurisdiction": "DE"}]"#,
            false,
        ),
        (
            r#", "chain": [{"company": "X", "jurisdiction": "DE", "control": "operator", "sources": null}]"#,
            false,
        ),
        (
            r#", "chain": [{"company": "X", "jurisdiction": "DE", "control": "operator", "sources": [1]}]"#,
            false,
        ),
        (r#", "chain": ["X"]"#, false),
        (r#", "chain": {"unknown": true, "x": 1}"#, false),
        (r#", "chain": [], "chain": []"#, false),
        (
            r#", "chain": [{"company": "\ud800", "jurisdiction": "DE", "control": "operator"}]"#,
            false,
        ),
        (
            r#", "chain": [{"company": "X", "jurisdiction": "DE", "control": "operator", "note": "\ud800"}]"#,
            false,
        ),
    ] {
        let doc = custody(chain);
        assert_eq!(
            native(&engines().set, &doc).is_ok(),
            valid,
            "validity of\n{doc}"
        );
        if let Err(e) = differ(&doc) {
            panic!("{e}\n--- input\n{doc}");
        }
        if let Err(e) = differ_on(edge_engines(), &doc) {
            panic!("{e}\n--- input\n{doc}");
        }
    }
}
