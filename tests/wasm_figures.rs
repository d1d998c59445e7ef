//! Figures for issue 6 (run in release; ignored otherwise):
//!
//! ```text
//! cargo test --release --test wasm_figures -- --ignored --nocapture
//! ```
//!
//! The standard rules (`policies/`) are being written in parallel; until they land
//! this measures a representative policy with the eight rules of issue 5, written
//! here, over a generated 10,000-resource inventory.

use std::time::{Duration, Instant};

use juris::PolicySet;
use juris::diag::SourceFile;
use juris::model::Inventory;
use juris::runner::RunOptions;
use juris::wasm::{CompileOptions, Limits, WasmPolicy, compile};

pub const POLICY: &str = r#"
package bench

import juris.groups
import juris.data_types

fn classification(r: resource) -> string {
  let c = lower(trim(tag(r, "data-classification")))
  if c == "pii" then "personal"
  else if c in {"phi", "pci", "health", "financial", "biometric"} then "sensitive-personal"
  else if c in {"ip", "trade-secret"} then "intellectual-property"
  else c
}

fn protected(r: resource) -> bool {
  classification(r) in {"personal", "sensitive-personal", "intellectual-property"}
}

fn subjects(r: resource) -> set<string> {
  { upper(s) for s in regex_split(tag(r, "data-subjects"), r"[\s,_-]+") where s != "" }
}

fn holds_data(r: resource) -> bool {
  r.type in data_types.data_holding_types and r.mode == "managed" and not (r.actions == ["delete"])
}

fn us_data(r: resource) -> bool {
  holds_data(r) and protected(r) and "US" in subjects(r)
}

rule us_custody {
  id: "RES-US-001"  title: "US persons' data is not in foreign-adversary custody"
  severity: critical  enforce: hard  undetermined: block
  references: ["15 CFR 791.4", "28 CFR part 202"]
  for r in resources
  where us_data(r)
  deny if r.custody.jurisdiction in groups.foreign_adversaries
  message "{r.address} keeps US persons' data with {r.custody.company}, controlled from {r.custody.jurisdiction} (15 CFR 791.4)"
}

rule us_location {
  id: "RES-US-002"  title: "US persons' data stays in the US"  severity: high  enforce: soft
  for r in resources
  where us_data(r)
  require all c in r.location.countries: c == "US"
  message "{r.address} keeps US persons' data in {r.location}"
}

rule us_flows {
  id: "RES-US-003"  title: "Copies of US persons' data stay in the US, out of adversary custody"
  severity: critical  enforce: hard
  for r in resources
  where us_data(r)
  deny if any f in r.flows: f.custody.jurisdiction in groups.foreign_adversaries or not (all c in f.location.countries: c == "US")
  message "{r.address} copies US persons' data to {[f.target for f in r.flows]}"
}

rule eu_transfers {
  id: "RES-EU-001"  title: "EU personal data stays in the EEA or adequate countries"
  severity: high  enforce: soft  references: ["GDPR Chapter V"]
  for r in resources
  where holds_data(r) and protected(r) and (count(subjects(r) intersect {"EU", "EEA"}) > 0 or count(subjects(r) intersect groups.eea) > 0)
  require all c in r.location.countries union flatten([f.location.countries for f in r.flows]): c in groups.eea or c in groups.gdpr_adequate
  message "{r.address} transfers EU personal data to {r.location.countries}"
}

rule provider_custody {
  id: "RES-PRV-001"  title: "No resource in foreign-adversary custody"  severity: critical  enforce: hard
  for r in resources
  where r.mode == "managed" and not (r.actions == ["delete"])
  deny if r.custody.jurisdiction in groups.foreign_adversaries
  message "{r.address} is operated by {r.custody}"
}

rule known_location {
  id: "RES-UNK-001"  title: "Location and custody are known at plan time"  severity: medium  enforce: advisory
  for r in resources
  where holds_data(r)
  require known(r.location) and known(r.custody)
}

rule classified {
  id: "RES-TAG-001"  title: "Data-holding resources are classified"  severity: low  enforce: advisory
  for r in resources
  where holds_data(r)
  require tag(r, "data-classification") != null
}

rule subjects_tagged {
  id: "RES-TAG-002"  title: "Protected data names its subjects"  severity: low  enforce: advisory
  for r in resources
  where holds_data(r) and protected(r)
  require tag(r, "data-subjects") != null
}
"#;

/// A deterministic inventory in the shape the Terraform adapter produces.
pub fn inventory(n: usize) -> String {
    let types = [
        "aws_s3_bucket",
        "aws_db_instance",
        "google_storage_bucket",
        "alicloud_oss_bucket",
        "aws_iam_role",
        "aws_instance",
    ];
    let places = [
        (
            "hashicorp/aws",
            "Amazon Web Services",
            "US",
            "us-east-1",
            "US",
        ),
        (
            "hashicorp/aws",
            "Amazon Web Services",
            "US",
            "eu-west-1",
            "IE",
        ),
        ("hashicorp/google", "Google", "US", "europe-west3", "DE"),
        ("aliyun/alicloud", "Alibaba Cloud", "CN", "us-west-1", "US"),
        (
            "aliyun/alicloud",
            "Alibaba Cloud",
            "CN",
            "cn-hangzhou",
            "CN",
        ),
    ];
    let classes = ["personal", "PII", "public", "internal", "phi"];
    let subjects = ["US", "us_eu", "DE, FR", "eu", "GB"];
    let mut out = String::from("{\"version\": 1, \"today\": \"2026-11-26\", \"resources\": [\n");
    for i in 0..n {
        let ty = types[i % types.len()];
        let (source, company, jur, region, country) = places[(i / 7) % places.len()];
        let location = if i % 23 == 0 {
            r#"{"region": {"unknown": true}, "countries": {"unknown": true}, "derivation": "region from a variable"}"#.to_owned()
        } else {
            format!(
                r#"{{"region": "{region}", "countries": ["{country}"], "derivation": "provider configuration"}}"#
            )
        };
        let mut tags = format!(r#""Name": "res-{i}", "team": "t{}""#, i % 13);
        if i % 5 != 0 {
            tags += &format!(
                r#", "data-classification": "{}""#,
                classes[i % classes.len()]
            );
        }
        if i % 3 != 0 {
            tags += &format!(
                r#", "data_subjects": "{}""#,
                subjects[(i / 3) % subjects.len()]
            );
        }
        let flows = if i % 10 == 0 {
            let (_, fc, fj, fr, fco) = places[(i / 10) % places.len()];
            format!(
                r#"[{{"kind": "s3-replication", "target": "aws_s3_bucket.replica_{i}", "in_inventory": false, "via": "replication_configuration", "depth": 1, "location": {{"region": "{fr}", "countries": ["{fco}"], "derivation": "destination bucket"}}, "custody": {{"company": "{fc}", "jurisdiction": "{fj}"}}}}]"#
            )
        } else {
            "[]".to_owned()
        };
        out += &format!(
            r#"{{"address": "module.app{m}.{ty}.r{i}", "type": "{ty}", "name": "r{i}", "mode": "managed", "actions": ["create"], "input": "plan.json",
  "provider": {{"source": "{source}", "company": "{company}", "jurisdiction": "{jur}"}},
  "location": {location},
  "custody": {{"company": "{company}", "jurisdiction": "{jur}"}},
  "tags": {{{tags}}},
  "attributes": {{"bucket": "res-{i}", "force_destroy": false, "acl": "private", "versioning": [{{"enabled": true, "mfa_delete": false}}], "lifecycle_rule": [], "object_lock_enabled": null, "region": "{region}", "size_gb": {size}, "arn": "arn:aws:s3:::res-{i}", "policy": "{{\"Version\": \"2012-10-17\"}}"}},
  "flows": {flows}}}{comma}
"#,
            m = i % 17,
            size = (i * 37) % 1000,
            comma = if i + 1 < n { "," } else { "" },
        );
    }
    out += "]}\n";
    out
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[test]
#[ignore = "a benchmark: run in release with --ignored --nocapture"]
fn figures() {
    let runs = 7;
    // Compile: parse + check + lower, then the module.
    let mut front = Vec::new();
    let mut back = Vec::new();
    let mut bytes = Vec::new();
    let mut set = None;
    for _ in 0..runs {
        let t = Instant::now();
        let s = PolicySet::compile(vec![SourceFile::new("bench.juris", POLICY)]).expect("compiles");
        front.push(t.elapsed());
        let t = Instant::now();
        bytes = compile(s.program(), &CompileOptions { today: 20_783 }).expect("module");
        back.push(t.elapsed());
        set = Some(s);
    }
    let set = set.expect("compiled");
    println!("module size: {} bytes", bytes.len());
    println!(
        "compile: front end {}, WebAssembly {}",
        ms(median(front)),
        ms(median(back))
    );
    let t = Instant::now();
    let policy = WasmPolicy::load(&bytes, Limits::default()).expect("loads");
    println!("load (wasmtime compiles the module): {}", ms(t.elapsed()));

    let doc = inventory(10_000);
    println!("inventory: 10,000 resources, {} bytes", doc.len());
    let today = 20_783;
    let (mut parse, mut eval, mut ser, mut wasm, mut reuse) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut native_out = String::new();
    let mut wasm_out = String::new();
    let mut instance = policy.instantiate().expect("instantiates");
    for _ in 0..runs {
        let t = Instant::now();
        let inv: Inventory = serde_json::from_str(&doc).expect("inventory");
        parse.push(t.elapsed());
        let t = Instant::now();
        let report = set.evaluate(&inv, &RunOptions::new(today)).expect("runs");
        eval.push(t.elapsed());
        let t = Instant::now();
        native_out = serde_json::to_string_pretty(&report).expect("serialises") + "\n";
        ser.push(t.elapsed());
        let t = Instant::now();
        wasm_out = policy.evaluate(doc.as_bytes()).expect("module runs");
        wasm.push(t.elapsed());
        let t = Instant::now();
        let again = instance.evaluate(doc.as_bytes()).expect("module runs");
        reuse.push(t.elapsed());
        assert_eq!(again.len(), wasm_out.len());
    }
    assert_eq!(native_out, wasm_out, "the engines agree");
    let (parse, eval, ser, wasm, reuse) = (
        median(parse),
        median(eval),
        median(ser),
        median(wasm),
        median(reuse),
    );
    let native_total = parse + eval + ser;
    println!("report: {} bytes", native_out.len());
    println!(
        "native: parse {}, evaluate {}, serialise {}, total {}",
        ms(parse),
        ms(eval),
        ms(ser),
        ms(native_total)
    );
    println!(
        "module: fresh instance + copy + evaluate + read {}, reused instance {}",
        ms(wasm),
        ms(reuse)
    );
    println!(
        "ratio: {:.2}x native evaluate, {:.2}x native parse+evaluate+serialise",
        wasm.as_secs_f64() / eval.as_secs_f64(),
        wasm.as_secs_f64() / native_total.as_secs_f64()
    );
}

#[test]
fn the_figures_policy_agrees_on_a_small_inventory() {
    let set = PolicySet::compile(vec![SourceFile::new("bench.juris", POLICY)]).expect("compiles");
    let bytes = compile(set.program(), &CompileOptions { today: 20_783 }).expect("module");
    let policy = WasmPolicy::load(&bytes, Limits::default()).expect("loads");
    let doc = inventory(300);
    let inv: Inventory = serde_json::from_str(&doc).expect("inventory");
    let report = set.evaluate(&inv, &RunOptions::new(20_783)).expect("runs");
    let native = serde_json::to_string_pretty(&report).expect("serialises") + "\n";
    assert_eq!(
        native,
        policy.evaluate(doc.as_bytes()).expect("module runs")
    );
}
