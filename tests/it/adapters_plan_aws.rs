//! AWS plans: the region comes from the provider configuration a resource is bound to
//! (aliases, variables), a resource's own `region` (provider v6) wins, zones and ARNs
//! confirm it; China regions are held by their operators; tags merge `default_tags`.

use crate::adapters_common;

use adapters_common::{addresses, countries, custody, find, load, region};
use juris::model::Known;

const PLAN: &str = "plans/aws-aliases-variables.json";

#[test]
fn snapshot() {
    insta::assert_snapshot!(adapters_common::pretty(&load(PLAN)));
}

#[test]
fn resources_leaving_and_data_sources_are_not_in_the_inventory() {
    let inv = load(PLAN);
    let all = addresses(&inv);
    for gone in [
        "aws_s3_bucket.old",
        "aws_lambda_function.legacy",
        "data.aws_caller_identity.me",
    ] {
        assert!(!all.contains(&gone), "{gone} must not be evaluated");
    }
    // The deposed object of `aws_s3_bucket.raw` is dropped, its replacement kept once.
    assert_eq!(all.iter().filter(|a| **a == "aws_s3_bucket.raw").count(), 1);
    assert_eq!(
        find(&inv, "aws_kms_key.rotated").actions,
        ["delete", "create"]
    );
    assert_eq!(find(&inv, "aws_kms_key.kept").actions, ["no-op"]);
}

#[test]
fn alias_and_map_variable_decide_the_region() {
    let inv = load(PLAN);
    let logs = find(&inv, r#"aws_s3_bucket.b["logs"]"#);
    assert_eq!(region(logs), Some("eu-central-1"));
    assert_eq!(countries(logs), Some(vec!["DE"]));
    assert_eq!(logs.provider.alias.as_deref(), Some("eu"));
    assert_eq!(
        logs.location.derivation,
        r#"provider `aws.eu` configured in the root module; region from `var.regions["eu"]` = `eu-central-1`"#
    );
    assert_eq!(region(find(&inv, "aws_s3_bucket.raw")), Some("us-east-1"));
}

#[test]
fn the_resource_region_argument_wins_and_can_follow_another_resource() {
    let inv = load(PLAN);
    assert_eq!(region(find(&inv, "aws_s3_bucket.v6")), Some("eu-west-3"));
    let follows = find(&inv, "aws_s3_bucket.follows");
    assert_eq!(region(follows), Some("eu-west-3"));
    assert!(
        follows
            .location
            .derivation
            .starts_with("`region` is `aws_s3_bucket.v6.region`")
    );
}

#[test]
fn china_regions_are_in_the_operators_custody() {
    let inv = load(PLAN);
    let db = find(&inv, "aws_db_instance.cn");
    assert_eq!(
        custody(db),
        Some(("Beijing Sinnet Technology Co., Ltd.", "CN"))
    );
    assert_eq!(db.provider.jurisdiction, Known::Known("US".to_owned()));
    assert_eq!(
        db.location
            .operator
            .as_ref()
            .map(|o| o.jurisdiction.as_str()),
        Some("CN")
    );
}

#[test]
fn global_resources_have_no_region_but_a_custody() {
    let inv = load(PLAN);
    let role = find(&inv, "aws_iam_role.app");
    assert_eq!(role.location.region, Known::Known(None));
    assert_eq!(countries(role), Some(vec![]));
    assert_eq!(custody(role).map(|c| c.1), Some("US"));
    // In the China partition (its provider is configured for cn-north-1).
    assert_eq!(
        custody(find(&inv, "aws_iam_role.cn_app")).map(|c| c.1),
        Some("CN")
    );
}

#[test]
fn a_region_the_plan_cannot_know_is_unknown_with_the_reason() {
    let inv = load(PLAN);
    let env = find(&inv, "aws_sqs_queue.env");
    assert!(env.location.region.is_unknown());
    assert!(
        env.custody.jurisdiction.is_unknown(),
        "AWS custody depends on the region"
    );
    assert!(env.location.derivation.contains("sets no region"));
    let local = find(&inv, "aws_sqs_queue.local");
    assert!(local.location.region.is_unknown());
    assert!(local.location.derivation.contains("`local.region`"));
}

#[test]
fn zones_and_arns_place_resources_whose_provider_has_no_region() {
    let inv = load(PLAN);
    assert_eq!(region(find(&inv, "aws_instance.web")), Some("eu-west-1"));
    assert_eq!(region(find(&inv, "aws_kms_key.kept")), Some("us-east-2"));
}

#[test]
fn tags_merge_provider_default_tags_and_keep_unknown_values() {
    let inv = load(PLAN);
    let raw = find(&inv, "aws_s3_bucket.raw");
    let tags = raw.tags.known().expect("tag keys are known");
    assert_eq!(
        tags.keys().collect::<Vec<_>>(),
        ["owner", "cost-center", "env", "Owner", "build"],
        "default tags first, then the resource's own in its spelling"
    );
    assert_eq!(tags["build"], Known::Unknown);
    assert_eq!(tags["env"], Known::Known("prod".to_owned()));
    // `tags_all` wins when known.
    let kept = find(&inv, "aws_kms_key.kept").tags.known().unwrap();
    assert_eq!(kept.len(), 2);
}

#[test]
fn utility_providers_hold_no_cloud_data() {
    let inv = load(PLAN);
    let r = find(&inv, "random_id.suffix");
    assert_eq!(r.location.region, Known::Known(None));
    assert_eq!(custody(r), Some(("none", "none")));
    assert!(
        inv.warnings.is_empty(),
        "no warning for utility providers: {:?}",
        inv.warnings
    );
}
