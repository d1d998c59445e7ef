//! Alibaba Cloud, Tencent Cloud, Huawei Cloud and Oracle Cloud: the provider's region,
//! zones that spell their region, OSS `oss-` locations, Huawei's own `region` argument;
//! and custody that stays known when every region of the family has the same holder.

use crate::adapters_common;

use adapters_common::{countries, custody, find, load, region};
use juris::model::Known;

#[test]
fn snapshot_alicloud() {
    insta::assert_snapshot!(adapters_common::pretty(&load("plans/alicloud.json")));
}

#[test]
fn snapshot_tencentcloud() {
    insta::assert_snapshot!(adapters_common::pretty(&load("plans/tencentcloud.json")));
}

#[test]
fn snapshot_huaweicloud() {
    insta::assert_snapshot!(adapters_common::pretty(&load("plans/huaweicloud.json")));
}

#[test]
fn snapshot_oci() {
    insta::assert_snapshot!(adapters_common::pretty(&load("plans/oci.json")));
}

#[test]
fn alicloud_regions_zones_and_partner_regions() {
    let inv = load("plans/alicloud.json");
    assert_eq!(
        region(find(&inv, "alicloud_oss_bucket.dst")),
        Some("cn-beijing")
    );
    assert_eq!(
        region(find(&inv, "alicloud_db_instance.db")),
        Some("cn-shanghai")
    );
    // me-central-1 is run by a Saudi joint venture, not by Alibaba.
    let riyadh = find(&inv, "alicloud_kvstore_instance.cache");
    assert_eq!(custody(riyadh).map(|c| c.1), Some("SA"));
    assert_eq!(riyadh.provider.jurisdiction, Known::Known("CN".to_owned()));
    // So an Alibaba resource whose region is unknown has unknown custody.
    let unplaced = find(&inv, "alicloud_ecs_instance.unplaced");
    assert!(unplaced.location.region.is_unknown());
    assert!(unplaced.custody.jurisdiction.is_unknown());
}

#[test]
fn an_unknown_region_with_one_possible_custody_keeps_it() {
    let inv = load("plans/tencentcloud.json");
    let cache = find(&inv, "tencentcloud_redis_instance.cache");
    assert!(cache.location.region.is_unknown());
    assert_eq!(custody(cache).map(|c| c.1), Some("CN"));
    assert!(
        cache
            .location
            .derivation
            .contains("every `tencentcloud` region is held by")
    );
    assert_eq!(
        region(find(&inv, "tencentcloud_mysql_instance.db")),
        Some("ap-shanghai")
    );
}

#[test]
fn huawei_region_argument_and_its_own_region_codes() {
    let inv = load("plans/huaweicloud.json");
    let hk = find(&inv, "huaweicloud_obs_bucket.hk");
    assert_eq!(region(hk), Some("ap-southeast-1"));
    assert_eq!(
        countries(hk),
        Some(vec!["HK"]),
        "Huawei's ap-southeast-1 is Hong Kong"
    );
    assert_eq!(
        region(find(&inv, "huaweicloud_obs_bucket.bj")),
        Some("cn-north-4")
    );
    assert_eq!(
        find(&inv, "huaweicloud_identity_user.u").location.region,
        Known::Known(None)
    );
}

#[test]
fn oci_regions_and_tags() {
    let inv = load("plans/oci.json");
    let b = find(&inv, "oci_objectstorage_bucket.b");
    assert_eq!(countries(b), Some(vec!["DE"]));
    let tags = b.tags.known().unwrap();
    assert_eq!(
        tags.keys().collect::<Vec<_>>(),
        ["team", "Operations.CostCenter"]
    );
    assert_eq!(
        region(find(&inv, "oci_core_instance.i")),
        Some("us-ashburn-1")
    );
    assert!(find(&inv, "oci_core_instance.i").tags.is_unknown());
}

/// A resource's chain of control as `(company, jurisdiction, control)`.
fn chain(inv: &juris::model::Inventory, address: &str) -> Vec<(String, String, String)> {
    let r = find(inv, address);
    r.custody
        .chain
        .known()
        .unwrap_or_else(|| panic!("{address}: chain unknown"))
        .iter()
        .map(|l| (l.company.clone(), l.jurisdiction.clone(), l.control.clone()))
        .collect()
}

#[test]
fn sovereign_regions_carry_their_chain_of_control() {
    let inv = load("plans/sovereign.json");
    let controls = |a: &str| -> Vec<(String, String)> {
        chain(&inv, a).into_iter().map(|(_, j, c)| (j, c)).collect()
    };
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(j, c)| (j.to_string(), c.to_string()))
            .collect()
    };
    // AWS European Sovereign Cloud: German holder, US parent.
    let esc = find(&inv, "aws_s3_bucket.esc");
    assert_eq!(
        esc.custody.jurisdiction.known().map(String::as_str),
        Some("DE")
    );
    assert_eq!(
        controls("aws_s3_bucket.esc"),
        pairs(&[("DE", "operator"), ("US", "parent")])
    );
    assert_eq!(chain(&inv, "aws_s3_bucket.esc")[1].0, "Amazon.com, Inc.");
    // Bleu and Delos Cloud: European holders running Microsoft technology under licence.
    assert_eq!(
        controls("azurerm_storage_account.bleu"),
        pairs(&[
            ("FR", "operator"),
            ("FR", "parent"),
            ("FR", "parent"),
            ("US", "licensor")
        ])
    );
    assert_eq!(
        controls("azurerm_storage_account.delos"),
        pairs(&[("DE", "operator"), ("DE", "parent"), ("US", "licensor")])
    );
    // Bleu's geo-redundant copy goes to the other Bleu region, held by Bleu too.
    let bleu = find(&inv, "azurerm_storage_account.bleu");
    assert_eq!(bleu.flows.len(), 1, "{:?}", bleu.flows);
    assert_eq!(
        bleu.flows[0]
            .location
            .region
            .known()
            .cloned()
            .flatten()
            .as_deref(),
        Some("bleufrancesouth")
    );
    assert_eq!(bleu.flows[0].custody, bleu.custody);
    // S3NS: Thales parent, Google shareholder and licensor.
    assert_eq!(
        controls("google_storage_bucket.s3ns"),
        pairs(&[
            ("FR", "operator"),
            ("FR", "parent"),
            ("US", "shareholder"),
            ("US", "licensor")
        ])
    );
    assert_eq!(
        controls("oci_objectstorage_bucket.eusc"),
        pairs(&[("DE", "operator"), ("US", "parent")])
    );
    // Alibaba's Riyadh partner region: Saudi holder, Alibaba a shareholder.
    assert_eq!(
        controls("alicloud_oss_bucket.riyadh"),
        pairs(&[("SA", "operator"), ("SA", "parent"), ("CN", "shareholder")])
    );
    // Every link cites a source.
    for r in &inv.resources {
        for l in r.custody.chain.known().unwrap().iter() {
            assert!(!l.sources.is_empty(), "{}: {l:?}", r.address);
        }
    }
}

#[test]
fn a_provider_region_has_the_company_and_its_parent() {
    let inv = load("plans/tencentcloud.json");
    let r = &inv.resources[0];
    let links: Vec<_> = r
        .custody
        .chain
        .known()
        .unwrap()
        .iter()
        .map(|l| l.control.as_str())
        .collect();
    assert_eq!(links, ["operator", "parent"], "{:?}", r.custody);
}
