//! Google: `location`, `region` or `zone` on the resource, else the provider's region or
//! zone; multi-regions and dual-regions (`US`, `EU`, `NAM4`, custom placement) resolve to
//! every country they span; some types are global.

use crate::adapters_common;

use adapters_common::{countries, find, load, region};
use juris::model::Known;

const PLAN: &str = "plans/google.json";

#[test]
fn snapshot() {
    insta::assert_snapshot!(adapters_common::pretty(&load(PLAN)));
}

#[test]
fn multi_and_dual_regions_span_countries() {
    let inv = load(PLAN);
    assert_eq!(
        countries(find(&inv, "google_storage_bucket.multi")),
        Some(vec!["US"])
    );
    let eu = countries(find(&inv, "google_storage_bucket.eu")).unwrap();
    assert!(
        eu.len() > 3 && eu.contains(&"DE") && !eu.contains(&"GB"),
        "{eu:?}"
    );
    assert_eq!(
        region(find(&inv, "google_storage_bucket.dual")),
        Some("NAM4")
    );
    // Custom placement narrows `EU` to its two regions.
    let custom = find(&inv, "google_storage_bucket.custom");
    assert_eq!(region(custom), Some("EU"));
    assert_eq!(countries(custom), Some(vec!["BE", "NL"]));
}

#[test]
fn resource_location_beats_the_provider_region() {
    let inv = load(PLAN);
    assert_eq!(
        region(find(&inv, "google_sql_database_instance.main")),
        Some("europe-west3")
    );
    assert_eq!(
        region(find(&inv, "google_container_cluster.zonal")),
        Some("us-central1")
    );
    assert_eq!(
        region(find(&inv, "google_compute_instance.vm")),
        Some("europe-west2")
    );
    assert_eq!(
        region(find(&inv, "google_pubsub_topic.events")),
        Some("europe-west1")
    );
    // A provider with only a zone places resources in that zone's region.
    let disk = find(&inv, "google_compute_disk.scratch");
    assert_eq!(region(disk), Some("us-central1"));
    assert!(
        disk.location.derivation.contains("zone `us-central1-a`"),
        "{}",
        disk.location.derivation
    );
}

#[test]
fn objects_follow_their_bucket() {
    let inv = load(PLAN);
    let obj = find(&inv, "google_storage_bucket_object.report");
    assert_eq!(region(obj), Some("EU"));
}

#[test]
fn global_types_and_global_locations() {
    let inv = load(PLAN);
    for a in ["google_compute_network.vpc", "google_kms_key_ring.ring"] {
        assert_eq!(find(&inv, a).location.region, Known::Known(None), "{a}");
    }
}

#[test]
fn labels_prefer_effective_labels_and_add_provider_defaults() {
    let inv = load(PLAN);
    let multi = find(&inv, "google_storage_bucket.multi")
        .tags
        .known()
        .unwrap();
    assert!(multi.contains_key("goog-terraform-provisioned"));
    let vm = find(&inv, "google_compute_instance.vm")
        .tags
        .known()
        .unwrap();
    assert_eq!(vm.keys().collect::<Vec<_>>(), ["managed-by", "env"]);
    assert!(
        find(&inv, "google_storage_bucket.eu")
            .tags
            .known()
            .is_some()
    );
}
