//! `examples/embed-node/run.mjs` runs a compiled module with Node's built-in
//! WebAssembly API and prints the same report as the native engine. Skipped (with
//! a message) when `node` is not on PATH.

use std::process::Command;

use juris::PolicySet;
use juris::diag::SourceFile;
use juris::model::Inventory;
use juris::runner::RunOptions;
use juris::wasm::{CompileOptions, compile};

const POLICY: &str = r#"
package n

import juris.groups

rule custody {
  id: "N-1"  severity: critical  enforce: hard
  for r in resources
  deny if r.custody.jurisdiction in groups.foreign_adversaries
  message "{r.address} is held by {r.custody} in {r.location}"
}

rule tagged {
  id: "N-2"  severity: low  enforce: advisory
  for r in resources
  require tag(r, "Data-Classification") != null
}
"#;

const INVENTORY: &str = r#"{
  "version": 1,
  "today": "2026-11-26",
  "resources": [
    {"address": "alicloud_oss_bucket.raw", "type": "alicloud_oss_bucket", "name": "raw",
     "provider": {"source": "aliyun/alicloud", "company": "Alibaba Cloud", "jurisdiction": "CN"},
     "location": {"region": "us-west-1", "countries": ["US"], "derivation": "provider region"},
     "custody": {"company": "Alibaba Cloud", "jurisdiction": "CN"},
     "tags": {"data_classification": "personal", "note": "ünïcødé \"quoted\"\n"}},
    {"address": "aws_s3_bucket.logs", "type": "aws_s3_bucket", "name": "logs",
     "provider": {"source": "hashicorp/aws", "company": "Amazon Web Services", "jurisdiction": "US"},
     "location": {"region": {"unknown": true}, "countries": {"unknown": true}, "derivation": "unknown"},
     "custody": {"company": "Amazon Web Services", "jurisdiction": "US"}}
  ]
}"#;

#[test]
fn node_runs_the_module_and_agrees() {
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("SKIPPED: `node` is not on PATH; the Node embedding example was not run");
        return;
    }
    let set = PolicySet::compile(vec![SourceFile::new("n.juris", POLICY)]).expect("compiles");
    let today = juris::date::parse("2026-11-26").expect("date");
    let bytes = compile(set.program(), &CompileOptions { today }).expect("module");
    let inv: Inventory = serde_json::from_str(INVENTORY).expect("inventory");
    let report = set.evaluate(&inv, &RunOptions::new(today)).expect("runs");
    let native = serde_json::to_string_pretty(&report).expect("serialises") + "\n";

    let dir = tempfile::tempdir().expect("temp dir");
    let wasm = dir.path().join("policies.wasm");
    let input = dir.path().join("inventory.json");
    std::fs::write(&wasm, &bytes).expect("writes module");
    std::fs::write(&input, INVENTORY).expect("writes inventory");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/embed-node/run.mjs");
    let out = Command::new("node")
        .arg(script)
        .arg(&wasm)
        .arg(&input)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), native);

    // An input error: exit 2 and the error object on stderr.
    std::fs::write(&input, "{").expect("writes");
    let out = Command::new("node")
        .arg(script)
        .arg(&wasm)
        .arg(&input)
        .output()
        .expect("node runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"code\": 1"));
}
