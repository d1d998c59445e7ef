//! `juris check --audit-record FILE`: what was checked, against which policies, with
//! which result, so a team can show later which plan passed which policies.

use crate::cli_support;

use cli_support::*;

fn sha256_of(path: &str) -> String {
    juris::report::sha256_hex(&std::fs::read(root().join(path)).expect("fixture"))
}

fn record(extra: &[&str]) -> (Run, serde_json::Value) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("audit.json");
    let path_arg = path.to_string_lossy().into_owned();
    let mut args = vec!["--audit-record", path_arg.as_str()];
    args.extend_from_slice(extra);
    let r = check(&args);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}\n{}", r.dump()));
    assert!(text.ends_with("}\n"));
    let doc = serde_json::from_str(&text).expect("the record is JSON");
    (r, doc)
}

#[test]
fn records_digests_versions_date_and_result() {
    let (r, doc) = record(&["--format", "json", INVENTORY, SECOND]);
    assert_eq!(r.code, 1, "{}", r.dump());
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["juris_version"], env!("CARGO_PKG_VERSION"));
    assert!(doc["catalog_version"].is_null() || doc["catalog_version"].is_string());
    assert_eq!(doc["today"], "2026-06-01");
    assert_eq!(doc["fail_on"], "soft");
    assert_eq!(doc["result"], "fail");
    assert_eq!(
        doc["inputs"],
        serde_json::json!([
            {"name": INVENTORY, "sha256": sha256_of(INVENTORY)},
            {"name": SECOND, "sha256": sha256_of(SECOND)},
        ])
    );
}

#[test]
fn records_every_policy_file_with_its_digest() {
    let (_, doc) = record(&[INVENTORY]);
    let policies = doc["policies"].as_array().expect("policies");
    let acme = policies
        .iter()
        .find(|p| p["name"] == "tests/fixtures/reports/policies/acme.juris")
        .expect("the fixture policy is recorded");
    assert_eq!(
        acme["sha256"],
        sha256_of("tests/fixtures/reports/policies/acme.juris")
    );
    assert_eq!(acme["embedded"], false);
    // The standard library is compiled in: recorded, and marked as embedded.
    let embedded: Vec<&serde_json::Value> =
        policies.iter().filter(|p| p["embedded"] == true).collect();
    assert!(!embedded.is_empty(), "{policies:?}");
    assert!(embedded.iter().all(|p| {
        p["name"]
            .as_str()
            .is_some_and(|n| n.starts_with("<juris>/"))
    }));
    // Test files are not policies.
    assert!(!policies.iter().any(|p| {
        p["name"]
            .as_str()
            .is_some_and(|n| n.ends_with("_test.juris"))
    }));
}

#[test]
fn records_the_findings_and_exceptions_of_the_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let report_path = dir.path().join("report.json");
    let report_arg = report_path.to_string_lossy().into_owned();
    let (_, doc) = record(&["--format", "json", "--output", &report_arg, INVENTORY]);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).expect("report"))
            .expect("json");
    assert_eq!(doc["findings"], report["findings"]);
    assert_eq!(doc["summary"], report["summary"]);
    assert_eq!(doc["exceptions"], report["exceptions"]);
    let applied: Vec<&str> = doc["exceptions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["state"] == "applied")
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert_eq!(applied, ["acme.residency.legacy_exports_abroad"]);
    let rules: Vec<&str> = doc["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(rules, ["ACME-001", "ACME-002", "ACME-003", "ACME-004"]);
}

#[test]
fn records_the_command_line() {
    let (_, doc) = record(&["--fail-on", "hard", CLEAN]);
    let args: Vec<&str> = doc["arguments"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_str())
        .collect();
    assert_eq!(args[0], "check");
    assert!(
        args.windows(2).any(|w| w == ["--fail-on", "hard"]),
        "{args:?}"
    );
    assert_eq!(args.last(), Some(&CLEAN));
    assert_eq!(doc["result"], "pass");
    assert_eq!(doc["fail_on"], "hard");
}

#[test]
fn a_passing_run_writes_the_record_too_and_the_report_is_unchanged() {
    let plain = check(&["--format", "json", CLEAN]);
    let (with_record, doc) = record(&["--format", "json", CLEAN]);
    assert_eq!(with_record.code, 0);
    assert_eq!(plain.stdout, with_record.stdout);
    assert_eq!(doc["result"], "pass");
}
