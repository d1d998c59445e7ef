//! `juris check --engine wasm` on a large inventory evaluates its two halves in two
//! instances of the module at once and merges the reports (src/cli/check.rs,
//! `runner::merge`). The merged report must be the one a single evaluation gives: the
//! native engine's, byte for byte, with findings, exceptions (applied in one half or
//! both, expired, stale) and counts spanning both halves.

use std::fmt::Write as _;

use crate::cli_support::run;

/// More resources than the size from which the module runs on two halves (4,096).
const RESOURCES: usize = 5000;

const POLICY: &str = r#"package acme.halves

rule no_cn_buckets {
  id: "HALF-001"  severity: high  enforce: hard
  title: "No bucket in China"
  for r in resources
  where r.type == "aws_s3_bucket"
  deny if "CN" in r.location.countries
  message "{r.address} is in {r.location.region}"
}

rule owner_tag {
  id: "HALF-002"  severity: low  enforce: soft
  for r in resources
  deny if tag(r, "owner") == ""
}

exception both_halves {
  rule: "HALF-002"
  resources: ["aws_s3_bucket.b1*"]
  reason: "migrating"  approved_by: "sec"  expires: 2027-01-01
}

exception second_half_only {
  rule: "HALF-001"
  resources: ["aws_s3_bucket.b4998"]
  reason: "tested"  approved_by: "sec"  expires: 2027-01-01
}

exception expired_one {
  rule: "HALF-002"
  resources: ["aws_s3_bucket.b2"]
  reason: "old"  approved_by: "sec"  expires: 2025-01-01
}

exception stale_one {
  rule: "HALF-001"
  resources: ["aws_s3_bucket.nothing"]
  reason: "gone"  approved_by: "sec"  expires: 2027-01-01
}
"#;

/// A plan of `RESOURCES` buckets: every seventh in China, every third without an owner.
fn plan_text() -> String {
    let mut changes = String::new();
    for i in 0..RESOURCES {
        let region = if i % 7 == 0 {
            "cn-north-1"
        } else {
            "eu-west-1"
        };
        let owner = if i % 3 == 0 { "" } else { "team" };
        if i > 0 {
            changes.push(',');
        }
        let _ = write!(
            changes,
            r#"{{"address":"aws_s3_bucket.b{i}","mode":"managed","type":"aws_s3_bucket","name":"b{i}",
"provider_name":"registry.terraform.io/hashicorp/aws",
"change":{{"actions":["create"],"before":null,
"after":{{"bucket":"b{i}","region":"{region}","tags":{{"owner":"{owner}"}}}},"after_unknown":{{}}}}}}"#
        );
    }
    format!(
        r#"{{"format_version":"1.2","terraform_version":"1.9.0","resource_changes":[{changes}],
"configuration":{{"provider_config":{{"aws":{{"name":"aws","expressions":{{"region":{{"constant_value":"eu-west-1"}}}}}}}}}}}}"#
    )
}

#[test]
fn the_halves_report_what_one_evaluation_does() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let plan = dir.path().join("plan.json");
    let policy = dir.path().join("halves.juris");
    std::fs::write(&plan, plan_text()).expect("written");
    std::fs::write(&policy, POLICY).expect("written");
    let (plan, policy) = (plan.to_string_lossy(), policy.to_string_lossy());
    for format in ["json", "sarif", "human"] {
        let args = |engine| {
            [
                "check",
                "--no-standard",
                "--policy",
                &policy,
                "--today",
                "2026-06-01",
                "--format",
                format,
                "--engine",
                engine,
                &plan,
            ]
        };
        let native = run(&args("native"));
        let wasm = run(&args("wasm"));
        assert_eq!(native.code, 1, "{}", native.dump());
        assert_eq!(wasm.code, native.code, "{format}: {}", wasm.dump());
        let differs = native
            .stdout
            .lines()
            .zip(wasm.stdout.lines())
            .position(|(a, b)| a != b);
        assert!(
            wasm.stdout == native.stdout,
            "{format}: the engines' reports differ, first at line {differs:?}"
        );
        assert_eq!(wasm.stderr, native.stderr, "{format}");
    }
    // The report spans both halves: findings and exception states from each.
    let native = run(&[
        "check",
        "--no-standard",
        "--policy",
        &policy,
        "--today",
        "2026-06-01",
        "--format",
        "json",
        &plan,
    ]);
    let report: serde_json::Value = serde_json::from_str(&native.stdout).expect("JSON");
    assert_eq!(report["summary"]["resources"], RESOURCES);
    let states: Vec<(&str, &str)> = report["exceptions"]
        .as_array()
        .expect("exceptions")
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap_or(""),
                e["state"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        states.contains(&("acme.halves.second_half_only", "applied")),
        "{states:?}"
    );
    assert!(
        states.contains(&("acme.halves.both_halves", "applied")),
        "{states:?}"
    );
    assert!(
        states.contains(&("acme.halves.expired_one", "expired")),
        "{states:?}"
    );
    assert!(
        states.contains(&("acme.halves.stale_one", "stale")),
        "{states:?}"
    );
}
