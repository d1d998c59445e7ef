//! `juris check` on the bundled seed plan (`examples/seed/plan.json`), a real
//! Terraform plan. These tests need the plan adapter in `juris check`; until it is
//! wired in, each prints why it skipped (see `cli_support::plans_load`).

use crate::cli_support;

use cli_support::*;

fn seed(format: &str) -> Run {
    run(&[
        "check",
        "--today",
        "2026-06-01",
        "--format",
        format,
        SEED_PLAN,
    ])
}

#[test]
fn seed_plan_fails_on_adversary_custody_and_hong_kong_replication() {
    if !plans_load() {
        return;
    }
    let r = seed("json");
    assert_eq!(r.code, 1, "{}", r.dump());
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let blocking: Vec<(String, String)> = doc["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["blocking"] == true)
        .map(|f| (f["rule"].to_string(), f["address"].to_string()))
        .collect();
    assert!(
        blocking.iter().any(|(rule, _)| rule.contains("RES-US-001")),
        "Alibaba Cloud custody of US persons' data: {blocking:?}"
    );
    assert!(
        blocking.iter().any(|(rule, _)| rule.contains("RES-US-003")),
        "replication to Hong Kong: {blocking:?}"
    );
}

#[test]
fn seed_plan_snapshots() {
    if !plans_load() {
        return;
    }
    for format in ["human", "sarif", "junit", "markdown"] {
        let r = seed(format);
        assert_eq!(r.code, 1, "{format}: {}", r.dump());
        insta::assert_snapshot!(format!("seed_{format}"), r.stdout);
    }
}

#[test]
fn seed_plan_reports_are_deterministic() {
    if !plans_load() {
        return;
    }
    for format in ["human", "json", "sarif", "junit", "github", "markdown"] {
        assert_eq!(seed(format).stdout, seed(format).stdout, "{format}");
    }
}
