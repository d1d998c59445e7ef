//! Default regions (`--default-region`, `juris.toml`) are checked against the catalog
//! the way a plan's regions are: an unknown region gets the plan's warning (once, used
//! or not), and a family the catalog does not know is a warning too, since it would
//! apply to nothing.

use crate::cli_support;

use indexmap::IndexMap;
use juris::adapters::{LoadOptions, load_bytes};
use juris::catalog::Catalog;
use juris::model::Inventory;

/// An AWS bucket whose provider sets no region, and an Azure group without location.
const PLAN: &str = r#"{
  "format_version": "1.2",
  "resource_changes": [
    {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
     "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"], "after": {"bucket": "b"}, "after_unknown": {}}}
  ],
  "configuration": {"provider_config": {"aws": {"name": "aws"}},
    "root_module": {"resources": [{"address": "aws_s3_bucket.b", "provider_config_key": "aws", "expressions": {}}]}}
}"#;

fn load(defaults: &[(&str, &str)]) -> Inventory {
    let catalog = Catalog::builtin();
    let mut opts = LoadOptions::new(&catalog);
    opts.default_regions = defaults
        .iter()
        .map(|(f, r)| (f.to_string(), r.to_string()))
        .collect::<IndexMap<_, _>>();
    load_bytes("plan.json", PLAN.as_bytes(), &opts).expect("a plan")
}

fn warnings(inv: &Inventory) -> Vec<&str> {
    inv.warnings.iter().map(|w| w.message.as_str()).collect()
}

#[test]
fn a_known_default_region_is_used_without_a_warning() {
    let inv = load(&[("aws", "eu-west-1"), ("azure", "West Europe")]);
    assert!(inv.warnings.is_empty(), "{:?}", warnings(&inv));
    assert_eq!(
        inv.resources[0]
            .location
            .countries
            .known()
            .map(Vec::as_slice),
        Some(&["IE".to_owned()][..])
    );
}

#[test]
fn an_unknown_default_region_is_warned_about_once_as_for_plans() {
    let inv = load(&[("aws", "eu-nowhere-9")]);
    let w = warnings(&inv);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("region `eu-nowhere-9` of `aws`") && w[0].contains("not in the catalog"),
        "{w:?}"
    );
    // Its countries are unknown, as for a plan's unknown region: never a guess.
    assert!(inv.resources[0].location.countries.is_unknown());
    // Unused, it is still checked.
    let inv = load(&[("google", "mars-central1")]);
    assert!(
        warnings(&inv)
            .iter()
            .any(|w| w.contains("`mars-central1` of `google`")),
        "{:?}",
        warnings(&inv)
    );
}

#[test]
fn a_default_region_for_an_unknown_family_is_warned_about() {
    let inv = load(&[("amazon", "eu-west-1")]);
    let w = warnings(&inv);
    assert!(
        w.iter()
            .any(|m| m.contains("`amazon`, which is not a provider family") && m.contains("aws")),
        "{w:?}"
    );
}

#[test]
fn the_cli_prints_the_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("plan.json");
    std::fs::write(&plan, PLAN).expect("write");
    let r = cli_support::run(&[
        "check",
        "--default-region",
        "aws=garbage",
        "--today",
        "2026-06-01",
        &plan.to_string_lossy(),
    ]);
    assert!(
        r.stdout.contains("region `garbage` of `aws`"),
        "{}",
        r.dump()
    );
    // As for a plan's unknown region: the location is unknown, so rules are undetermined.
    assert_eq!(r.code, 1, "{}", r.dump());
    assert!(r.stdout.contains("undetermined"), "{}", r.dump());
}

/// `juris inventory` builds the model the way `juris check` does: the default regions
/// of `juris.toml` and of `--default-region` fill in what the plan leaves open, and
/// its limits apply.
#[test]
fn inventory_takes_the_configuration_and_the_model_flags() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("plan.json");
    std::fs::write(&plan, PLAN).expect("write");
    let config = dir.path().join("juris.toml");
    std::fs::write(&config, "[default_regions]\naws = \"eu-west-1\"\n").expect("write");
    let plan = plan.to_string_lossy();
    let config = config.to_string_lossy();
    let region = |args: &[&str]| {
        let r = cli_support::run(args);
        assert_eq!(r.code, 0, "{}", r.dump());
        let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
        doc["resources"][0]["location"]["region"].clone()
    };
    assert_eq!(
        region(&["inventory", "--config", &config, &plan]),
        "eu-west-1"
    );
    assert_eq!(
        region(&[
            "inventory",
            "--config",
            &config,
            "--default-region",
            "aws=us-east-2",
            &plan
        ]),
        "us-east-2"
    );
    let r = cli_support::run(&["inventory", "--limit", "input_bytes=100", &plan]);
    assert_eq!(r.code, 2, "{}", r.dump());
    assert!(r.stdout.is_empty(), "{}", r.dump());
    assert!(r.stderr.contains("E0032"), "{}", r.dump());
}
