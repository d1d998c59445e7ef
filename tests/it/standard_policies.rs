//! The shipped policies pass their own `juris test` suite, through the real binary.

use std::process::Command;

fn juris() -> Command {
    Command::new(env!("CARGO_BIN_EXE_juris"))
}

#[test]
fn shipped_policy_tests_pass() {
    let out = juris()
        .args(["test", "policies", "--coverage"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("juris runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" 0 failed"), "{stdout}");
}

#[test]
fn every_shipped_rule_reaches_violation_pass_and_exception() {
    let out = juris()
        .args(["test", "policies", "--coverage"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("juris runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let coverage = stdout.split("coverage").nth(1).unwrap_or_default();
    for line in coverage
        .lines()
        .filter(|l| l.trim_start().starts_with("RES-"))
    {
        for needed in ["violation", "pass", "excepted"] {
            assert!(
                !line.contains(needed),
                "a shipped rule lacks a `{needed}` test: {line}"
            );
        }
    }
}

#[test]
fn a_failing_policy_test_exits_1_and_names_the_difference() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("acme_test.juris"),
        r#"package acme.tests

test "expects a finding that does not happen" {
  inline: r"""{"version": 1, "resources": []}"""
  rules: ["RES-US-001"]
  today: 2026-06-01
  expect: [{rule: "RES-US-001", address: "aws_s3_bucket.x", outcome: violation}]
}
"#,
    )
    .expect("write");
    let out = juris()
        .arg("test")
        .arg(dir.path())
        .output()
        .expect("juris runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("missing:    RES-US-001 violation aws_s3_bucket.x"),
        "{stdout}"
    );
}

#[test]
fn a_test_naming_a_missing_fixture_exits_2_with_its_position() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("acme_test.juris"),
        r#"package acme.tests

test "missing fixture" {
  input: "nowhere.json"
  today: 2026-06-01
  expect: []
}
"#,
    )
    .expect("write");
    let out = juris()
        .args(["test", "--no-standard"])
        .arg(dir.path())
        .output()
        .expect("juris runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("acme_test.juris:3:6"), "{stderr}");
    assert!(stderr.contains("nowhere.json"), "{stderr}");
}

#[test]
fn shipped_policies_are_in_canonical_layout() {
    let out = juris()
        .args(["fmt", "--check", "policies"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("juris runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "run `juris fmt policies`:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
