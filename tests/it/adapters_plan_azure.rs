//! Azure: each resource's own `location`, normalised (`West Europe` → `westeurope`);
//! children (databases, containers) take their parent's; a location computed from a
//! data source is unknown; Azure China regions are held by 21Vianet.

use crate::adapters_common;

use adapters_common::{countries, custody, find, load, region};
use juris::model::Known;

const PLAN: &str = "plans/azure.json";

#[test]
fn snapshot() {
    insta::assert_snapshot!(adapters_common::pretty(&load(PLAN)));
}

#[test]
fn display_names_are_normalised() {
    let inv = load(PLAN);
    let grs = find(&inv, "azurerm_storage_account.grs");
    assert_eq!(region(grs), Some("westeurope"));
    assert_eq!(countries(grs), Some(vec!["NL"]));
    assert_eq!(
        region(find(&inv, "azurerm_mssql_server.sql")),
        Some("germanywestcentral")
    );
}

#[test]
fn children_follow_their_parent_by_reference() {
    let inv = load(PLAN);
    let db = find(&inv, "azurerm_mssql_database.db");
    assert_eq!(region(db), Some("germanywestcentral"));
    assert!(
        db.location
            .derivation
            .starts_with("`server_id` refers to `azurerm_mssql_server.sql`")
    );
    assert_eq!(
        region(find(&inv, "azurerm_storage_container.c")),
        Some("westeurope")
    );
    // `location = azurerm_resource_group.rg.location`, unknown in `after`.
    assert_eq!(
        region(find(&inv, "azurerm_storage_account.follows")),
        Some("westeurope")
    );
}

#[test]
fn a_location_from_a_data_source_is_unknown() {
    let inv = load(PLAN);
    let kv = find(&inv, "azurerm_key_vault.kv");
    assert!(kv.location.region.is_unknown());
    assert!(
        kv.location
            .derivation
            .contains("data source `data.azurerm_resource_group.shared`")
    );
    // Azure China makes custody depend on the region.
    assert!(kv.custody.jurisdiction.is_unknown());
}

#[test]
fn azure_china_is_held_by_its_operator() {
    let inv = load(PLAN);
    let cn = find(&inv, "azurerm_storage_account.china");
    assert_eq!(custody(cn).map(|c| c.1), Some("CN"));
    assert_eq!(
        cn.provider.company,
        Known::Known("Microsoft Corporation".to_owned())
    );
}

#[test]
fn role_assignments_are_global() {
    let inv = load(PLAN);
    let ra = find(&inv, "azurerm_role_assignment.reader");
    assert_eq!(ra.location.region, Known::Known(None));
    assert_eq!(custody(ra).map(|c| c.1), Some("US"));
}
