//! References of any length: a resource that takes its place from another
//! (`location = other.location`, a parent resource), through chains of ten thousand
//! and more, gives an answer without overflowing the stack (these tests run on 2 MiB
//! test threads), in time linear in the chain, with a derivation that stays short.
//! Replication chains are followed a bounded number of copies deep.

use juris::adapters::{LoadOptions, load_bytes};
use juris::catalog::Catalog;
use juris::model::{Inventory, Known};
use serde_json::{Value, json};

/// `n` Azure resource groups, each placed where the previous one is; the first has its
/// own location. With `cycle`, the first refers to the last instead.
fn location_chain(n: usize, cycle: bool) -> Vec<u8> {
    let mut changes = Vec::new();
    let mut config = Vec::new();
    for i in 0..n {
        let address = format!("azurerm_resource_group.g{i}");
        let own = i == 0 && !cycle;
        let (after, unknown, expr) = if own {
            (
                json!({"name": format!("g{i}"), "location": "westeurope"}),
                json!({"id": true}),
                json!({"location": {"constant_value": "westeurope"}}),
            )
        } else {
            let from = if i == 0 { n - 1 } else { i - 1 };
            (
                json!({"name": format!("g{i}")}),
                json!({"id": true, "location": true}),
                json!({"location": {"references": [
                    format!("azurerm_resource_group.g{from}.location"),
                    format!("azurerm_resource_group.g{from}")
                ]}}),
            )
        };
        changes.push(json!({
            "address": address, "mode": "managed", "type": "azurerm_resource_group",
            "name": format!("g{i}"), "provider_name": "registry.terraform.io/hashicorp/azurerm",
            "change": {"actions": ["create"], "after": after, "after_unknown": unknown}
        }));
        config.push(
            json!({"address": address, "provider_config_key": "azurerm", "expressions": expr}),
        );
    }
    // The last link first, so resolution starts at the deep end.
    changes.reverse();
    plan(changes, config, "azurerm")
}

fn plan(changes: Vec<Value>, config: Vec<Value>, provider: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "format_version": "1.2",
        "resource_changes": changes,
        "configuration": {
            "provider_config": {provider: {"name": provider, "expressions": {"region": {"constant_value": "eu-west-1"}}}},
            "root_module": {"resources": config}
        }
    }))
    .unwrap()
}

fn load(bytes: &[u8]) -> Inventory {
    let catalog = Catalog::builtin();
    load_bytes("chain.json", bytes, &LoadOptions::new(&catalog))
        .unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)))
}

fn find<'a>(inv: &'a Inventory, address: &str) -> &'a juris::model::Resource {
    inv.resources.iter().find(|r| r.address == address).unwrap()
}

#[test]
fn a_ten_thousand_long_location_chain_resolves() {
    let inv = load(&location_chain(10_000, false));
    assert_eq!(inv.resources.len(), 10_000);
    for r in &inv.resources {
        assert_eq!(
            r.location.region,
            Known::Known(Some("westeurope".into())),
            "{}",
            r.address
        );
        assert_eq!(r.location.countries, Known::Known(vec!["NL".into()]));
        // Told by its ends: never the whole chain.
        assert!(
            r.location.derivation.len() < 600,
            "{}",
            r.location.derivation
        );
    }
    let last = find(&inv, "azurerm_resource_group.g9999");
    assert!(
        last.location
            .derivation
            .contains("is where `azurerm_resource_group.g0` is, through 9998 more references"),
        "{}",
        last.location.derivation
    );
    // A short chain is spelled out in full, as before.
    let third = find(&inv, "azurerm_resource_group.g2");
    assert_eq!(
        third.location.derivation,
        "`location` is `azurerm_resource_group.g1.location`; `azurerm_resource_group.g1`: `location` is `azurerm_resource_group.g0.location`; `azurerm_resource_group.g0`: `location` = `westeurope` on the resource"
    );
}

#[test]
fn a_thirty_thousand_long_chain_resolves_too() {
    let inv = load(&location_chain(30_000, false));
    let last = find(&inv, "azurerm_resource_group.g29999");
    assert_eq!(
        last.location.region,
        Known::Known(Some("westeurope".into()))
    );
}

#[test]
fn a_long_cycle_is_unknown_not_endless() {
    let inv = load(&location_chain(5_000, true));
    for r in &inv.resources {
        assert!(r.location.region.is_unknown(), "{}", r.address);
    }
    assert!(
        inv.resources
            .iter()
            .any(|r| r.location.derivation.contains("refers back")),
        "some link names the cycle"
    );
}

/// `n` S3 buckets, each replicating to the next.
fn replication_chain(n: usize) -> Vec<u8> {
    let mut changes = Vec::new();
    let mut config = Vec::new();
    for i in 0..n {
        let address = format!("aws_s3_bucket_replication_configuration.r{i}");
        changes.push(json!({
            "address": format!("aws_s3_bucket.b{i}"), "mode": "managed", "type": "aws_s3_bucket",
            "name": format!("b{i}"), "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["create"], "after": {"bucket": format!("b{i}")}, "after_unknown": {"arn": true}}
        }));
        config.push(json!({"address": format!("aws_s3_bucket.b{i}"), "provider_config_key": "aws", "expressions": {}}));
        if i + 1 < n {
            changes.push(json!({
                "address": address, "mode": "managed",
                "type": "aws_s3_bucket_replication_configuration", "name": format!("r{i}"),
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["create"], "after": {
                    "bucket": format!("b{i}"),
                    "rule": [{"destination": [{"bucket": format!("arn:aws:s3:::b{}", i + 1)}]}]
                }, "after_unknown": {}}
            }));
            config.push(json!({"address": address, "provider_config_key": "aws", "expressions": {
                "bucket": {"references": [format!("aws_s3_bucket.b{i}.id"), format!("aws_s3_bucket.b{i}")]},
                "rule": [{"destination": [{"bucket": {"references": [
                    format!("aws_s3_bucket.b{}.arn", i + 1), format!("aws_s3_bucket.b{}", i + 1)
                ]}}]}]
            }}));
        }
    }
    plan(changes, config, "aws")
}

#[test]
fn a_long_replication_chain_is_followed_a_bounded_depth() {
    let inv = load(&replication_chain(2_000));
    let first = find(&inv, "aws_s3_bucket.b0");
    // 32 copies followed, then one flow says the rest is not: its place is unknown, so
    // a rule over every copy is undetermined, never a silent pass.
    assert_eq!(first.flows.len(), 33, "{:#?}", first.flows.last());
    let last = first.flows.last().unwrap();
    assert!(last.location.countries.is_unknown());
    assert!(
        last.location.derivation.contains("not followed"),
        "{}",
        last.location.derivation
    );
    assert_eq!(first.flows[31].target, "aws_s3_bucket.b32");
    // Near the end of the chain every copy is listed.
    let near_end = find(&inv, "aws_s3_bucket.b1990");
    assert_eq!(near_end.flows.len(), 9);
    assert!(
        near_end
            .flows
            .iter()
            .all(|f| f.location.countries.known().is_some())
    );
}
