//! Embedding juris from Rust: compile a policy, evaluate an inventory natively and
//! through the compiled WebAssembly module, and print both reports (they agree).
//!
//! Run: `cargo run --example embed-rust [inventory.json]`

use juris::wasm::{CompileOptions, Limits, WasmPolicy, compile};
use juris::{Inventory, PolicySet, RunOptions, SourceFile};

const POLICY: &str = r#"
package acme

import juris.groups

rule no_adversary_custody {
  id: "ACME-001"  title: "Data stays out of foreign-adversary custody"
  severity: critical  enforce: hard  undetermined: block
  for r in resources
  where r.mode == "managed"
  deny if r.custody.jurisdiction in groups.foreign_adversaries
  message "{r.address} is held by {r.custody.company}, controlled from {r.custody.jurisdiction}"
}
"#;

const INVENTORY: &str = r#"{
  "version": 1,
  "today": "2026-11-26",
  "resources": [
    {
      "address": "alicloud_oss_bucket.raw",
      "type": "alicloud_oss_bucket",
      "name": "raw",
      "provider": {"source": "aliyun/alicloud", "company": "Alibaba Cloud", "jurisdiction": "CN"},
      "location": {"region": "us-west-1", "countries": ["US"], "derivation": "provider region"},
      "custody": {"company": "Alibaba Cloud", "jurisdiction": "CN"}
    },
    {
      "address": "aws_s3_bucket.logs",
      "type": "aws_s3_bucket",
      "name": "logs",
      "provider": {"source": "hashicorp/aws", "company": "Amazon Web Services", "jurisdiction": "US"},
      "location": {"region": "eu-west-1", "countries": ["IE"], "derivation": "provider region"},
      "custody": {"company": "Amazon Web Services", "jurisdiction": "US"}
    }
  ]
}"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let inventory = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(path)?,
        None => INVENTORY.to_owned(),
    };
    let set = PolicySet::compile(vec![SourceFile::new("acme.juris", POLICY)])
        .map_err(|d| format!("the policy does not compile: {d:?}"))?;

    // Natively: parse the inventory, run the rules.
    let parsed: Inventory = serde_json::from_str(&inventory)?;
    let today = parsed
        .today
        .as_deref()
        .and_then(juris::date::parse)
        .unwrap_or_else(juris::date::today_utc);
    let report = set.evaluate(&parsed, &RunOptions::new(today))?;
    let native = serde_json::to_string_pretty(&report)? + "\n";

    // Through WebAssembly: compile once, load with limits, evaluate the raw JSON.
    let bytes = compile(set.program(), &CompileOptions { today })?;
    let policy = WasmPolicy::load(&bytes, Limits::default())?;
    let wasm = policy.evaluate(inventory.as_bytes())?;

    println!("native report:\n{native}");
    println!("WebAssembly report ({} byte module):\n{wasm}", bytes.len());
    println!("identical: {}", native == wasm);
    Ok(())
}
