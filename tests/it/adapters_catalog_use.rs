//! What the catalog decides during loading: providers it does not know are still
//! resources (unknown custody, one warning); a user catalog file makes them known;
//! default regions apply only where the configuration sets none.

use crate::adapters_common;

use std::collections::BTreeSet;

use adapters_common::{countries, custody, find, load, load_with, region};
use juris::adapters::{LoadOptions, Projection};
use juris::catalog::Catalog;

const PLAN: &str = "plans/custom-provider-and-environment.json";

const ACME: &str = r#"
[[provider]]
family = "acme-dc"
sources = ["acme/dc"]
company = "ACME GmbH"
jurisdiction = "DE"

[[operator]]
id = "acme-hosting-ch"
company = "ACME Hosting AG"
jurisdiction = "CH"
"#;

const ACME_REGIONS: &str = r#"
family = "acme-dc"
regions = [
  { code = "fra-1", name = "Frankfurt", countries = ["DE"] },
  { code = "zrh-1", name = "Zurich", countries = ["CH"], operator = "acme-hosting-ch" },
]
"#;

#[test]
fn snapshot_builtin_catalog() {
    insta::assert_snapshot!(adapters_common::pretty(&load(PLAN)));
}

#[test]
fn unknown_providers_yield_resources_with_one_warning() {
    let inv = load(PLAN);
    let v = find(&inv, "dc_volume.archive");
    assert_eq!(v.provider.source, "acme/dc");
    assert!(v.provider.company.is_unknown() && v.custody.company.is_unknown());
    assert_eq!(
        region(v),
        Some("zrh-1"),
        "the region is read even if its country is not known"
    );
    assert!(v.location.countries.is_unknown());
    let about: Vec<&str> = inv
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .filter(|m| m.contains("acme/dc"))
        .collect();
    assert_eq!(about.len(), 1, "{:?}", inv.warnings);
}

#[test]
fn a_user_catalog_makes_a_private_cloud_known() {
    let mut catalog = Catalog::builtin();
    catalog.extend_from_toml(ACME, "acme.toml").unwrap();
    catalog
        .extend_from_toml(ACME_REGIONS, "acme-regions.toml")
        .unwrap();
    let mut opts = LoadOptions::new(&catalog);
    opts.projection = Projection::Keys(BTreeSet::new());
    let inv = load_with(PLAN, &opts);
    let v = find(&inv, "dc_volume.archive");
    assert_eq!(countries(v), Some(vec!["CH"]));
    assert_eq!(custody(v), Some(("ACME Hosting AG", "CH")));
    assert_eq!(v.provider.family.as_deref(), Some("acme-dc"));
    // A region-less resource of a family with two holders has unknown custody.
    assert!(find(&inv, "dc_volume.scratch").custody.company.is_unknown());
    assert!(!inv.warnings.iter().any(|w| w.message.contains("acme/dc")));
}

#[test]
fn default_regions_fill_in_only_what_the_configuration_leaves_to_the_environment() {
    let catalog = Catalog::builtin();
    let mut opts = LoadOptions::new(&catalog);
    opts.projection = Projection::Keys(BTreeSet::new());
    opts.default_regions
        .insert("aws".into(), "eu-north-1".into());
    opts.default_regions
        .insert("azure".into(), "swedencentral".into());
    let inv = load_with(PLAN, &opts);
    let q = find(&inv, "aws_sqs_queue.q");
    assert_eq!(region(q), Some("eu-north-1"));
    assert_eq!(
        q.location.derivation,
        "provider `aws` configured in the root module sets no region (Terraform takes it from the environment); default region for `aws` from the juris configuration = `eu-north-1`"
    );
    assert_eq!(
        region(find(&inv, "azurerm_subnet.orphan")),
        Some("swedencentral")
    );
    // A configured region is never replaced by a default.
    let other = load_with("plans/aws-flows.json", &opts);
    assert_eq!(region(find(&other, "aws_s3_bucket.a")), Some("eu-west-1"));
}
