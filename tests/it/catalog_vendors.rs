//! The region catalog agrees with the vendors' own SDK data: `catalog/verify/verify.py`
//! compares `catalog/regions/*.toml` with the region lists inside the pinned SDK
//! packages named in `catalog/sources.toml`. `.ci/run` downloads them and sets
//! `JURIS_VENDOR_PACKAGES`; without it (offline, or a plain `cargo test`) the
//! comparison says loudly that it skipped. The checks themselves are always tested.

use std::path::Path;
use std::process::{Command, Output};

fn script() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog/verify/verify.py")
}

/// Runs the script, or `None` when no Python 3 is on the machine.
fn run(args: &[&str]) -> Option<Output> {
    match Command::new("python3").arg(script()).args(args).output() {
        Ok(out) => Some(out),
        Err(e) => {
            eprintln!("SKIPPED: python3 is not available ({e}); the catalog was not checked");
            None
        }
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_checks_catch_a_missing_region_an_extra_region_and_a_wrong_country() {
    let Some(out) = run(&["--self-test"]) else {
        return;
    };
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("self-test passed"), "{t}");
    assert_eq!(t.matches("found (as it must)").count(), 3, "{t}");
}

#[test]
fn the_catalog_matches_the_vendor_packages() {
    let Ok(dir) = std::env::var("JURIS_VENDOR_PACKAGES") else {
        eprintln!(
            "SKIPPED: JURIS_VENDOR_PACKAGES is not set, so the region catalog was NOT compared \
             with the vendors' SDK data; run `python3 catalog/verify/verify.py --download` (as \
             .ci/run does) to check it"
        );
        return;
    };
    let Some(out) = run(&["--packages", &dir]) else {
        return;
    };
    let t = text(&out);
    println!("{t}");
    assert_eq!(
        out.status.code(),
        Some(0),
        "the catalog disagrees with vendor data:\n{t}"
    );
    assert!(t.contains(" 0 mismatches"), "{t}");
}

#[test]
fn the_catalog_document_lists_every_source_and_uncertain_row() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = match Command::new("python3")
        .arg(root.join("catalog/verify/appendices.py"))
        .arg("--check")
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            eprintln!("SKIPPED: python3 is not available ({e}); docs/catalog.md was not checked");
            return;
        }
    };
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}
