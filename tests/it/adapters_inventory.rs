//! juris's own inventory document as input (for CMDBs, Pulumi, CloudFormation exports):
//! read as written, projected like plans, merged with other inputs in order.

use crate::adapters_common;

use std::collections::BTreeSet;

use adapters_common::{find, fixture, load, load_with};
use juris::adapters::{LoadOptions, Projection, load_bytes, merge};
use juris::catalog::Catalog;
use juris::model::{INVENTORY_VERSION, Inventory, Known};

const DOC: &str = "inventory/cmdb.json";

#[test]
fn snapshot() {
    let catalog = Catalog::builtin();
    insta::assert_snapshot!(adapters_common::pretty(&load_with(
        DOC,
        &LoadOptions::new(&catalog)
    )));
}

#[test]
fn an_inventory_is_taken_as_written() {
    let catalog = Catalog::builtin();
    let inv = load_with(DOC, &LoadOptions::new(&catalog));
    assert_eq!(inv.today.as_deref(), Some("2026-11-26"));
    assert_eq!(
        inv.inputs.last().map(|i| i.kind.as_str()),
        Some("inventory")
    );
    let hr = find(&inv, "cmdb.storage.hr-archive");
    assert_eq!(
        hr.flows[0].custody.jurisdiction,
        Known::Known("CH".to_owned())
    );
    let tags = hr.tags.known().unwrap();
    assert_eq!(tags["retention"], Known::Unknown);
    let exports = find(&inv, "pulumi:aws:s3/bucket:Bucket::exports");
    assert!(exports.location.region.is_unknown() && exports.tags.is_unknown());
    assert_eq!(exports.mode, "managed");
}

#[test]
fn the_projection_applies_to_inventories_too() {
    let catalog = Catalog::builtin();
    let mut opts = LoadOptions::new(&catalog);
    opts.projection = Projection::Keys(BTreeSet::from(["encrypted".to_owned()]));
    let inv = load_with(DOC, &opts);
    let hr = find(&inv, "cmdb.storage.hr-archive");
    assert_eq!(hr.attributes, serde_json::json!({"encrypted": true}));
    assert!(
        find(&inv, "pulumi:aws:s3/bucket:Bucket::exports")
            .unknown_tree()
            .is_none()
    );
}

#[test]
fn an_inventory_written_by_juris_reads_back_the_same() {
    let plan = load("plans/aws-flows.json");
    let text = serde_json::to_vec_pretty(&plan).unwrap();
    let catalog = Catalog::builtin();
    let back = load_bytes("inventory.json", &text, &LoadOptions::new(&catalog)).unwrap();
    assert_eq!(back.resources, plan.resources);
    assert_eq!(back.warnings, plan.warnings);
}

#[test]
fn merge_keeps_inputs_resources_and_warnings_in_order() {
    let a = load("plans/azure.json");
    let b = load("plans/custom-provider-and-environment.json");
    let (na, nb) = (a.resources.len(), b.resources.len());
    let m: Inventory = merge(vec![a, b]);
    assert_eq!(m.version, INVENTORY_VERSION);
    assert_eq!(m.inputs.len(), 2);
    assert_eq!(m.resources.len(), na + nb);
    assert_eq!(
        m.resources[na].input.as_deref(),
        Some("tests/fixtures/plans/custom-provider-and-environment.json")
    );
    assert!(!m.warnings.is_empty());
    assert!(fixture(DOC).exists());
}

#[test]
fn all_attributes_keep_their_order_and_values() {
    let catalog = Catalog::builtin();
    let inv = load_with(
        "plans/aws-aliases-variables.json",
        &LoadOptions::new(&catalog),
    );
    let raw = find(&inv, "aws_s3_bucket.raw");
    assert_eq!(
        raw.attributes,
        serde_json::json!({"bucket": "raw-data", "tags": {"env": "prod", "Owner": "data-team", "build": null}})
    );
    assert_eq!(
        raw.attributes
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["bucket", "tags"]
    );
    assert_eq!(
        raw.unknown_attributes["tags"],
        serde_json::json!({"build": true})
    );
    let kept = find(&inv, "aws_kms_key.kept");
    let keys: Vec<&String> = kept.attributes.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["arn", "id", "description", "tags", "tags_all"]);
}
