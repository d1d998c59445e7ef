//! Every misuse of the command line exits 2 with one paragraph that says what is
//! wrong and how to fix it, prints nothing on stdout, and leaves no file behind.

use crate::cli_support;

use std::path::Path;

use cli_support::*;

/// Exit 2, nothing on stdout, and every `needle` in the message.
fn assert_misuse(r: &Run, needles: &[&str]) {
    assert_eq!(r.code, 2, "{}", r.dump());
    assert!(r.stdout.is_empty(), "stdout must stay empty: {}", r.dump());
    for n in needles {
        assert!(r.stderr.contains(n), "stderr lacks {n:?}: {}", r.dump());
    }
}

/// The files in a folder, for "nothing was left behind" checks.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn missing_input_file() {
    let r = check(&["no/such/plan.json"]);
    assert_misuse(
        &r,
        &["cannot read no/such/plan.json", "terraform show -json"],
    );
}

#[test]
fn input_that_is_not_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("plan.json");
    std::fs::write(&path, "Terraform will perform the following actions:\n").expect("write");
    let r = check(&[&path.to_string_lossy()]);
    assert_misuse(&r, &["plan.json", "terraform show -json"]);
}

#[test]
fn input_that_is_a_folder_without_terraform() {
    // A folder is read as a Terraform root module; one without `.tf` files is refused.
    let r = check(&["tests/fixtures/reports"]);
    assert_misuse(&r, &["juris::E0802", "has no `.tf` files", "root module"]);
}

#[test]
fn unreadable_input_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("secret.json");
    std::fs::write(&path, "{}").expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    }
    if std::fs::read(&path).is_ok() {
        eprintln!(
            "SKIPPED: this user reads files whatever their permissions (root?), so no file is unreadable here; \
             input_that_is_a_folder covers the read error path"
        );
        return;
    }
    let r = check(&[&path.to_string_lossy()]);
    assert_misuse(&r, &["cannot read", "secret.json", "ermission denied"]);
}

#[test]
fn no_input_at_all() {
    let r = run(&["check"]);
    assert_misuse(&r, &["INPUT", "Usage:"]);
}

#[test]
fn unknown_flag() {
    let r = run(&["check", "--formt", "json", INVENTORY]);
    assert_misuse(&r, &["--formt", "--format", "Usage:"]);
}

#[test]
fn unknown_format() {
    let r = run(&["check", "--format", "xml", INVENTORY]);
    assert_misuse(
        &r,
        &[
            "xml", "human", "json", "sarif", "junit", "github", "markdown",
        ],
    );
}

#[test]
fn unknown_fail_on_level() {
    let r = run(&["check", "--fail-on", "medium", INVENTORY]);
    assert_misuse(&r, &["medium", "advisory", "soft", "hard"]);
}

#[test]
fn malformed_today() {
    let r = run(&["check", "--today", "01/06/2026", INVENTORY]);
    assert_misuse(&r, &["YYYY-MM-DD"]);
}

#[test]
fn unknown_rule_id() {
    let r = check(&["--rule", "ACME-999", INVENTORY]);
    assert_misuse(&r, &["no rule has id `ACME-999`", "ACME-001"]);
}

#[test]
fn policy_folder_without_policies() {
    let dir = tempfile::tempdir().expect("temp dir");
    let r = run(&[
        "check",
        "--policy",
        &dir.path().to_string_lossy(),
        INVENTORY,
    ]);
    assert_misuse(&r, &["no .juris files", "--policy"]);
}

#[test]
fn missing_policy_path() {
    let r = run(&["check", "--policy", "no/such/policies", INVENTORY]);
    assert_misuse(&r, &["cannot read no/such/policies"]);
}

#[test]
fn no_rules_at_all() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("empty.juris"), "package acme.empty\n").expect("write");
    let r = run(&[
        "check",
        "--no-standard",
        "--policy",
        &dir.path().to_string_lossy(),
        INVENTORY,
    ]);
    assert_misuse(&r, &["no rules", "--no-standard"]);
}

#[test]
fn output_in_a_missing_folder() {
    let r = check(&["--output", "no/such/dir/report.json", INVENTORY]);
    assert_misuse(
        &r,
        &["cannot write no/such/dir/report.json", "folder exists"],
    );
}

#[test]
fn output_and_audit_record_to_the_same_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("x.json").to_string_lossy().into_owned();
    let r = check(&["--output", &path, "--audit-record", &path, INVENTORY]);
    assert_misuse(&r, &["both name", "different files"]);
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn a_failed_run_leaves_an_existing_report_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("report.json");
    std::fs::write(&path, "previous report\n").expect("write");
    let r = check(&["--output", &path.to_string_lossy(), "no/such/plan.json"]);
    assert_misuse(&r, &["cannot read"]);
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "previous report\n"
    );
    assert_eq!(files_in(dir.path()), ["report.json"], "no temporary files");
}

#[test]
fn a_failed_run_leaves_no_new_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let report = dir.path().join("report.sarif");
    let audit = dir.path().join("audit.json");
    let r = check(&[
        "--format",
        "sarif",
        "--output",
        &report.to_string_lossy(),
        "--audit-record",
        &audit.to_string_lossy(),
        "--rule",
        "NOPE-1",
        INVENTORY,
    ]);
    assert_misuse(&r, &["NOPE-1"]);
    assert!(
        files_in(dir.path()).is_empty(),
        "{:?}",
        files_in(dir.path())
    );
}

#[test]
fn a_report_that_cannot_be_written_takes_the_audit_record_with_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let audit = dir.path().join("audit.json");
    let r = check(&[
        "--output",
        "no/such/dir/report.json",
        "--audit-record",
        &audit.to_string_lossy(),
        INVENTORY,
    ]);
    assert_misuse(&r, &["cannot write"]);
    assert!(
        files_in(dir.path()).is_empty(),
        "{:?}",
        files_in(dir.path())
    );
}

#[test]
fn a_successful_run_replaces_the_report_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("report.json");
    std::fs::write(&path, "x".repeat(100_000)).expect("write");
    let r = check(&[
        "--format",
        "json",
        "--output",
        &path.to_string_lossy(),
        CLEAN,
    ]);
    assert_eq!(r.code, 0, "{}", r.dump());
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.starts_with("{\n") && text.ends_with("}\n"), "{text}");
    assert_eq!(files_in(dir.path()), ["report.json"], "no temporary files");
}

#[test]
fn a_bad_policy_exits_2_with_its_location() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("bad.juris"),
        "package acme.bad\n\nrule r {\n  id: \"X-1\"\n  for r in resources\n  require r.nme == \"x\"\n}\n",
    )
    .expect("write");
    let r = run(&[
        "check",
        "--no-standard",
        "--policy",
        &dir.path().to_string_lossy(),
        INVENTORY,
    ]);
    assert_eq!(r.code, 2, "{}", r.dump());
    assert!(r.stdout.is_empty(), "{}", r.dump());
    assert!(r.stderr.contains("bad.juris"), "{}", r.dump());
}

#[test]
fn misuse_messages_are_one_paragraph_with_a_fix() {
    // Diagnostics (not clap usage errors) carry a help line with the fix.
    for args in [
        vec!["check", "no/such/plan.json"],
        vec!["check", "--policy", "no/such/policies", INVENTORY],
        vec!["check", "--output", "no/such/dir/r.json", CLEAN],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.dump());
        assert!(r.stderr.contains("help:"), "{args:?}: {}", r.dump());
        let paragraphs = r
            .stderr
            .trim()
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .count();
        assert!(paragraphs <= 2, "{args:?}: {}", r.dump());
    }
}

#[test]
fn a_policy_in_the_reserved_juris_namespace() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("us.juris");
    std::fs::write(&path, "package juris.residency.us\n").expect("write");
    let r = run(&["check", "--policy", &path.to_string_lossy(), INVENTORY]);
    assert_misuse(&r, &["E0215", "juris.residency.us", "--no-standard"]);
}
