//! Shared helpers for the adapter tests: load a fixture, find a resource, render a
//! diagnostic the way a terminal without colour shows it.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use juris::adapters::{LoadOptions, Projection, load_path};
use juris::catalog::Catalog;
use juris::model::{Inventory, Known, Resource};

pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// Loads a fixture with the built-in catalog, keeping no attributes (snapshots stay
/// about location, custody, tags and flows).
pub fn load(rel: &str) -> Inventory {
    let catalog = Catalog::builtin();
    let mut opts = LoadOptions::new(&catalog);
    opts.projection = Projection::Keys(BTreeSet::new());
    load_with(rel, &opts)
}

pub fn load_with(rel: &str, opts: &LoadOptions) -> Inventory {
    let path = fixture(rel);
    let mut inv =
        load_path(&path, opts).unwrap_or_else(|e| panic!("{rel}: {:?}", miette::Report::new(e)));
    // Inputs are named by absolute path; make snapshots independent of the checkout.
    let short = format!("tests/fixtures/{rel}");
    for i in &mut inv.inputs {
        i.name = short.clone();
    }
    for r in &mut inv.resources {
        r.input = Some(short.clone());
    }
    for w in &mut inv.warnings {
        w.input = Some(short.clone());
    }
    inv
}

pub fn find<'a>(inv: &'a Inventory, address: &str) -> &'a Resource {
    inv.resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| panic!("no resource {address}; have {:?}", addresses(inv)))
}

pub fn addresses(inv: &Inventory) -> Vec<&str> {
    inv.resources.iter().map(|r| r.address.as_str()).collect()
}

pub fn region(r: &Resource) -> Option<&str> {
    match &r.location.region {
        Known::Known(Some(s)) => Some(s.as_str()),
        _ => None,
    }
}

pub fn countries(r: &Resource) -> Option<Vec<&str>> {
    r.location
        .countries
        .known()
        .map(|c| c.iter().map(String::as_str).collect())
}

pub fn custody(r: &Resource) -> Option<(&str, &str)> {
    Some((
        r.custody.company.known()?.as_str(),
        r.custody.jurisdiction.known()?.as_str(),
    ))
}

/// Proptest settings for the adapter properties: `PROPTEST_CASES` cases (else
/// `default_cases`), no failure files.
pub fn proptest_config(default_cases: u32) -> proptest::test_runner::Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default_cases);
    proptest::test_runner::Config {
        cases,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}

pub fn render(e: &dyn miette::Diagnostic) -> String {
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut out, e)
        .unwrap();
    out
}

/// Pretty JSON for a snapshot. (insta's own JSON serialiser cannot see through
/// serde_json's `arbitrary_precision` numbers, so snapshots go through serde_json.)
pub fn pretty(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}
