//! The VS Code extension's TextMate grammar gives every character of every shipped
//! policy (policies/**/*.juris) a scope of its own: `editors/vscode/test/grammar.mjs`
//! tokenizes them with vscode-textmate and Oniguruma, as VS Code does. Skipped
//! (loudly) when `node` or the extension's node_modules are missing: `.ci/run`
//! installs them with `npm ci`.

use std::path::Path;
use std::process::Command;

const EXTENSION: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/editors/vscode");

/// Run the grammar check on `paths`; `None` when it cannot run here.
fn check(paths: &[&Path]) -> Option<std::process::Output> {
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("SKIPPED: `node` is not on PATH; the TextMate grammar was not tested");
        return None;
    }
    if !Path::new(EXTENSION)
        .join("node_modules/vscode-textmate")
        .is_dir()
    {
        eprintln!(
            "SKIPPED: {EXTENSION}/node_modules is missing (run `npm ci` there); the TextMate grammar was not tested"
        );
        return None;
    }
    let out = Command::new("node")
        .arg(Path::new(EXTENSION).join("test/grammar.mjs"))
        .args(paths)
        .output()
        .expect("node runs");
    Some(out)
}

#[test]
fn every_shipped_policy_is_fully_scoped() {
    let policies = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let Some(out) = check(&[&policies]) else {
        return;
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "unscoped tokens:\n{}{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files = std::fs::read_dir(policies.join("std"))
        .expect("std")
        .count()
        + std::fs::read_dir(policies.join("residency"))
            .expect("residency")
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "juris"))
            })
            .count();
    assert!(
        stdout.starts_with(&format!("{files} files, ")),
        "every policy file was read: {stdout}"
    );
}

#[test]
fn a_character_outside_the_language_is_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.juris");
    std::fs::write(&bad, "package x\n\nconst a = 1 @ 2\n").expect("writes");
    let Some(out) = check(&[&bad]) else {
        return;
    };
    assert!(!out.status.success(), "`@` has no scope in juris");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.juris:3:13"), "{stderr}");
}
