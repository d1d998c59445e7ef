//! Where each resource type keeps its tags (the one table in
//! `src/adapters/terraform/tags.rs`, printed in docs/inventory.md): every row is read
//! from a plan in the real shape (`tests/fixtures/plans/tags.json`).

use crate::adapters_common;

use adapters_common::{find, load};
use juris::model::Known;

/// A resource's tags as `key=value` (`key=?` for an unknown value), or `None` when the
/// map itself is unknown.
fn tags(address: &str) -> Option<Vec<String>> {
    tags_in("plans/tags.json", address)
}

fn tags_in(plan: &str, address: &str) -> Option<Vec<String>> {
    let inv = load(plan);
    match &find(&inv, address).tags {
        Known::Unknown => None,
        Known::Known(m) => Some(
            m.iter()
                .map(|(k, v)| match v {
                    Known::Known(v) => format!("{k}={v}"),
                    Known::Unknown => format!("{k}=?"),
                })
                .collect(),
        ),
    }
}

fn some(v: &[&str]) -> Option<Vec<String>> {
    Some(v.iter().map(|s| s.to_string()).collect())
}

#[test]
fn cloud_sql_keeps_user_labels_in_its_settings() {
    assert_eq!(
        tags("google_sql_database_instance.orders"),
        some(&["data-classification=pii", "data-subjects=us", "build=?"])
    );
}

#[test]
fn cloud_sql_settings_unknown_at_plan_time_make_its_labels_unknown() {
    assert_eq!(tags("google_sql_database_instance.computed"), None);
}

#[test]
fn google_provider_5_reads_terraform_labels_while_effective_labels_are_unknown() {
    assert_eq!(
        tags("google_storage_bucket.v5"),
        some(&["data-classification=personal", "team=data"])
    );
}

#[test]
fn google_provider_4_labels_merge_over_default_labels() {
    assert_eq!(
        tags("google_storage_bucket.v4"),
        some(&["team=data", "data-classification=personal"])
    );
}

#[test]
fn aws_reads_tags_all_and_else_tags_over_default_tags() {
    assert_eq!(
        tags("aws_s3_bucket.all"),
        some(&["data-classification=pii", "owner=platform"])
    );
    assert_eq!(
        tags("aws_s3_bucket.defaults"),
        some(&["owner=platform", "data-classification=pii"])
    );
}

#[test]
fn oci_merges_freeform_and_defined_tags() {
    assert_eq!(
        tags("oci_objectstorage_bucket.b"),
        some(&["data-classification=personal", "Compliance.subjects=EU"])
    );
}

#[test]
fn the_other_families_read_tags() {
    for a in [
        "azurerm_storage_account.sa",
        "alicloud_oss_bucket.b",
        "tencentcloud_cos_bucket.b",
        "huaweicloud_obs_bucket.b",
    ] {
        assert_eq!(tags(a), some(&["data-classification=personal"]), "{a}");
    }
}

#[test]
fn a_cloud_sql_instance_labelled_pii_is_seen_by_the_us_rules() {
    // Before the table, Cloud SQL read as untagged: RES-TAG-001 fired and the US rules
    // never applied. Now its classification is read from settings[0].user_labels.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_juris"))
        .args([
            "check",
            "--format",
            "json",
            "tests/fixtures/plans/tags.json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("juris runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    let findings = report["findings"].as_array().expect("findings");
    let on = |rule: &str| {
        findings
            .iter()
            .any(|f| f["rule"] == rule && f["address"] == "google_sql_database_instance.orders")
    };
    assert!(!on("RES-TAG-001"), "{findings:?}");
    assert!(
        on("RES-US-002"),
        "a US persons' database in Frankfurt: {findings:?}"
    );
}

/// Tags of a resource in `plans/azure-tags-on-parent.json`, as [`tags`] gives them.
fn azure_child(address: &str) -> Option<Vec<String>> {
    tags_in("plans/azure-tags-on-parent.json", address)
}

#[test]
fn an_azure_container_keeps_the_tags_of_the_account_it_references() {
    // azurerm 4.x: `storage_account_id = azurerm_storage_account.records.id`.
    assert_eq!(
        azure_child("azurerm_storage_container.scans"),
        some(&["data-classification=pii", "team=records"])
    );
}

#[test]
fn an_azure_child_named_by_value_keeps_its_parents_tags() {
    // azurerm 3.x: `storage_account_name = "acmerecords"`; Cosmos DB `account_name`.
    assert_eq!(
        azure_child("azurerm_storage_blob.export"),
        some(&["data-classification=pii", "team=records"])
    );
    assert_eq!(
        azure_child("azurerm_cosmosdb_sql_database.orders"),
        some(&["DataClassification=confidential"])
    );
}

#[test]
fn an_azure_child_whose_parent_is_not_in_the_plan_has_unknown_tags_and_a_warning() {
    assert_eq!(azure_child("azurerm_storage_container.legacy"), None);
    let inv = load("plans/azure-tags-on-parent.json");
    let w: Vec<&str> = inv
        .warnings
        .iter()
        .filter(|w| w.address.as_deref() == Some("azurerm_storage_container.legacy"))
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("keeps its tags on its parent"), "{w:?}");
    assert!(w[0].contains("`storage_account_name`"), "{w:?}");
}

#[test]
fn every_type_said_to_keep_its_tags_on_a_parent_holds_data() {
    // The table lists data-holding types only: a type juris does not classify would be
    // a row nothing reads.
    let data_types = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/std/data_types.juris"),
    )
    .expect("data_types.juris");
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/inventory.md"),
    )
    .expect("docs/inventory.md");
    for ty in [
        "azurerm_storage_container",
        "azurerm_storage_blob",
        "azurerm_cosmosdb_sql_database",
        "azurerm_eventhub",
        "azurerm_servicebus_queue",
        "azurerm_postgresql_flexible_server_database",
    ] {
        assert!(data_types.contains(&format!("\"{ty}\"")), "{ty}");
        assert!(
            doc.contains(&format!("`{ty}`")),
            "docs/inventory.md lacks {ty}"
        );
    }
}

#[test]
fn a_cloud_sql_label_known_only_at_apply_is_unknown_not_absent() {
    // Terraform leaves the value out of `after` and marks the key in `after_unknown`.
    assert_eq!(
        tags("google_sql_database_instance.pending"),
        some(&["team=data", "data-classification=?"])
    );
}
