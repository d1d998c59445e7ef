//! Alibaba Cloud, Tencent Cloud, Huawei Cloud and Oracle Cloud: the provider's region,
//! zones that spell their region, OSS `oss-` locations, Huawei's own `region` argument;
//! and custody that stays known when every region of the family has the same holder.

mod adapters_common;

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
