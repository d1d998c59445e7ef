//! Every real plan in the shared fixture folder (plans from public projects, see its
//! SOURCES.md) loads without error. CI points `JURIS_SHARED_FIXTURES` at the folder;
//! without it the test looks next to the crate and skips loudly when absent.

use std::path::PathBuf;

use juris::adapters::{LoadOptions, load_path};
use juris::catalog::Catalog;

fn fixtures() -> Option<PathBuf> {
    let dir = match std::env::var_os("JURIS_SHARED_FIXTURES") {
        Some(d) => PathBuf::from(d),
        None => {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/terraform-plans")
        }
    };
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "SKIPPED: no shared Terraform plan fixtures at {} (set JURIS_SHARED_FIXTURES)",
            dir.display()
        );
        None
    }
}

fn plans() -> Vec<PathBuf> {
    let Some(dir) = fixtures() else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    out.sort();
    out
}

#[test]
fn every_real_plan_loads() {
    let catalog = Catalog::builtin();
    let opts = LoadOptions::new(&catalog);
    for path in plans() {
        let inv = load_path(&path, &opts).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        assert_eq!(inv.inputs[0].kind, "terraform-plan", "{}", path.display());
        println!(
            "{}: {} resources, {} warnings",
            path.display(),
            inv.resources.len(),
            inv.warnings.len()
        );
        for r in &inv.resources {
            println!(
                "  {} {:?} {:?} | {}",
                r.address, r.location.region, r.custody.jurisdiction, r.location.derivation
            );
        }
    }
}
