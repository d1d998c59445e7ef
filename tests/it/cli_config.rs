//! `juris.toml`: found upward from the current directory, or named with `--config`;
//! its settings apply unless a flag says otherwise.

use crate::cli_support;

use std::path::Path;

use cli_support::*;

/// A project folder with the fixture policies under `policies/` and a `juris.toml`.
fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let policies = dir.path().join("policies");
    std::fs::create_dir(&policies).expect("mkdir");
    std::fs::copy(
        root().join(POLICIES).join("acme.juris"),
        policies.join("acme.juris"),
    )
    .expect("copy policy");
    std::fs::copy(root().join(INVENTORY), dir.path().join("inventory.json")).expect("copy input");
    std::fs::write(dir.path().join("juris.toml"), config).expect("write config");
    std::fs::create_dir_all(dir.path().join("infra/prod")).expect("mkdir");
    dir
}

fn json(r: &Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}\n{}", r.dump()))
}

fn check_in(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["check", "--today", "2026-06-01", "--format", "json"];
    all.extend_from_slice(args);
    run_in(dir, &all, None)
}

#[test]
fn juris_toml_is_found_upward_from_the_current_directory() {
    let p = project("policies = [\"policies\"]\nstandard = false\n");
    // Run two folders below the project root: the config's paths are relative to it.
    let r = check_in(&p.path().join("infra/prod"), &["../../inventory.json"]);
    assert_eq!(r.code, 1, "{}", r.dump());
    let doc = json(&r);
    assert_eq!(
        doc["summary"]["rules"], 4,
        "only the configured policies run"
    );
}

#[test]
fn fail_on_from_the_config_applies_and_a_flag_overrides_it() {
    let p = project("policies = [\"policies\"]\nstandard = false\nfail_on = \"hard\"\n");
    let r = check_in(p.path(), &["--rule", "ACME-004", "inventory.json"]);
    assert_eq!(r.code, 0, "soft finding, fail_on = hard: {}", r.dump());
    assert_eq!(json(&r)["fail_on"], "hard");
    let r = check_in(
        p.path(),
        &["--rule", "ACME-004", "--fail-on", "soft", "inventory.json"],
    );
    assert_eq!(r.code, 1, "the flag wins: {}", r.dump());
}

#[test]
fn config_names_a_file_explicitly() {
    let p = project("policies = [\"policies\"]\nstandard = false\n");
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let config = p.path().join("juris.toml");
    let input = p.path().join("inventory.json");
    let r = check_in(
        elsewhere.path(),
        &[
            "--config",
            &config.to_string_lossy(),
            &input.to_string_lossy(),
        ],
    );
    assert_eq!(r.code, 1, "{}", r.dump());
    assert_eq!(json(&r)["summary"]["rules"], 4);
}

#[test]
fn without_a_config_the_standard_rules_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(root().join(CLEAN), dir.path().join("clean.json")).expect("copy");
    let r = check_in(dir.path(), &["clean.json"]);
    let doc = json(&r);
    let rules = doc["summary"]["rules"].as_u64().unwrap_or(0);
    assert!(rules >= 5, "the standard rules: {}", r.dump());
}

#[test]
fn an_invalid_config_exits_2_with_the_keys_it_takes() {
    let p = project("polices = [\"policies\"]\n");
    let r = check_in(p.path(), &["inventory.json"]);
    assert_eq!(r.code, 2, "{}", r.dump());
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("juris.toml"), "{}", r.dump());
    assert!(r.stderr.contains("policies = [paths]"), "{}", r.dump());
}

#[test]
fn a_missing_config_file_exits_2() {
    let r = run(&["check", "--config", "no/such/juris.toml", INVENTORY]);
    assert_eq!(r.code, 2, "{}", r.dump());
    assert!(
        r.stderr.contains("cannot read no/such/juris.toml"),
        "{}",
        r.dump()
    );
}
