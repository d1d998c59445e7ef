//! Data flows: every kind of copy, to planned resources (by reference, name or ARN) and
//! to places named by the attribute itself, transitively and without looping on cycles.

use crate::adapters_common;

use adapters_common::{find, load};
use juris::model::{Flow, Known, Resource};

fn flows<'a>(r: &'a Resource, kind: &str) -> Vec<&'a Flow> {
    r.flows.iter().filter(|f| f.kind == kind).collect()
}

fn targets(r: &Resource) -> Vec<(String, u32, Option<String>)> {
    r.flows
        .iter()
        .map(|f| {
            let region = match &f.location.region {
                Known::Known(Some(s)) => Some(s.clone()),
                _ => None,
            };
            (f.target.clone(), f.depth, region)
        })
        .collect()
}

#[test]
fn snapshot_aws() {
    insta::assert_snapshot!(adapters_common::pretty(&load("plans/aws-flows.json")));
}

#[test]
fn s3_replication_is_followed_transitively_and_cycles_end() {
    let inv = load("plans/aws-flows.json");
    let a = find(&inv, "aws_s3_bucket.a");
    assert_eq!(
        targets(a),
        [
            (
                "aws_s3_bucket.b".to_owned(),
                1,
                Some("us-east-1".to_owned())
            ),
            ("arn:aws:s3:::partner-archive".to_owned(), 1, None),
            (
                "aws_s3_bucket.c".to_owned(),
                2,
                Some("ap-southeast-1".to_owned())
            ),
        ]
    );
    let b = find(&inv, "aws_s3_bucket.b");
    assert_eq!(
        b.flows
            .iter()
            .map(|f| (f.target.as_str(), f.depth))
            .collect::<Vec<_>>(),
        [
            ("aws_s3_bucket.c", 1),
            ("aws_s3_bucket.a", 2),
            ("arn:aws:s3:::partner-archive", 3)
        ]
    );
    assert_eq!(
        b.flows[0].via,
        "aws_s3_bucket_replication_configuration.b_to_c.rule[0].destination[0].bucket"
    );
    assert!(b.flows.iter().all(|f| f.kind == "s3-replication"));
    let outside = &a.flows[1];
    assert!(!outside.in_inventory && outside.location.region.is_unknown());
    assert!(outside.custody.jurisdiction.is_unknown());
}

#[test]
fn dynamodb_replicas_in_the_table_and_as_resources() {
    let inv = load("plans/aws-flows.json");
    let orders = find(&inv, "aws_dynamodb_table.orders");
    let replicas: Vec<&str> = flows(orders, "dynamodb-replica")
        .iter()
        .map(|f| f.target.as_str())
        .collect();
    assert_eq!(replicas, ["us-east-2", "eu-central-1"]);
    let sessions = find(&inv, "aws_dynamodb_table.sessions");
    assert_eq!(
        targets(sessions),
        [(
            "aws_dynamodb_table_replica.sessions_us".to_owned(),
            1,
            Some("us-east-1".to_owned())
        )]
    );
}

#[test]
fn rds_read_replicas_flow_from_their_source() {
    let inv = load("plans/aws-flows.json");
    let primary = find(&inv, "aws_db_instance.primary");
    let got: Vec<&str> = flows(primary, "rds-read-replica")
        .iter()
        .map(|f| f.target.as_str())
        .collect();
    assert_eq!(
        got,
        [
            "aws_db_instance.us_replica",
            "aws_db_instance.local_replica"
        ]
    );
}

#[test]
fn backup_copies_reach_the_resources_a_selection_backs_up() {
    let inv = load("plans/aws-flows.json");
    let plan = find(&inv, "aws_backup_plan.daily");
    let copy = &flows(plan, "backup-copy")[0];
    assert_eq!(
        copy.target,
        "arn:aws:backup:us-west-2:111122223333:backup-vault:dr"
    );
    assert_eq!(copy.location.countries, Known::Known(vec!["US".to_owned()]));
    let orders = find(&inv, "aws_dynamodb_table.orders");
    assert_eq!(flows(orders, "backup-copy").len(), 1);
}

#[test]
fn secrets_replicas() {
    let inv = load("plans/aws-flows.json");
    let api = find(&inv, "aws_secretsmanager_secret.api");
    assert_eq!(
        targets(api),
        [(
            "eu-central-1".to_owned(),
            1,
            Some("eu-central-1".to_owned())
        )]
    );
}

#[test]
fn azure_geo_redundancy_goes_to_the_pair() {
    let inv = load("plans/azure.json");
    let grs = find(&inv, "azurerm_storage_account.grs");
    assert_eq!(
        targets(grs),
        [("northeurope".to_owned(), 1, Some("northeurope".to_owned()))]
    );
    assert!(find(&inv, "azurerm_storage_account.lrs").flows.is_empty());
    let db = find(&inv, "azurerm_mssql_database.db");
    assert_eq!(db.flows[0].target, "germanynorth");
    let pg = find(&inv, "azurerm_postgresql_flexible_server.pg");
    assert_eq!(pg.flows[0].target, "westus");
    // Replication type unknown until apply: the possible copy is listed, and says so.
    let follows = find(&inv, "azurerm_storage_account.follows");
    assert_eq!(follows.flows.len(), 1);
    assert!(
        follows.flows[0]
            .location
            .derivation
            .contains("may be geo-redundant")
    );
}

#[test]
fn google_dual_regions_custom_placement_and_sql_replicas() {
    let inv = load("plans/google.json");
    let dual = find(&inv, "google_storage_bucket.dual");
    assert_eq!(
        dual.flows
            .iter()
            .map(|f| f.target.as_str())
            .collect::<Vec<_>>(),
        ["us-central1", "us-east1"]
    );
    let custom = find(&inv, "google_storage_bucket.custom");
    assert_eq!(custom.flows.len(), 2);
    assert_eq!(
        custom.flows[1].via,
        "google_storage_bucket.custom.custom_placement_config[0].data_locations[1]"
    );
    let main = find(&inv, "google_sql_database_instance.main");
    let kinds: Vec<(&str, &str)> = main
        .flows
        .iter()
        .map(|f| (f.kind.as_str(), f.target.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("cloudsql-backup", "eu"),
            ("cloudsql-replica", "google_sql_database_instance.replica")
        ]
    );
}

#[test]
fn alibaba_tencent_and_huawei_copies() {
    let ali = load("plans/alicloud.json");
    let src = find(&ali, "alicloud_oss_bucket.src");
    assert_eq!(
        targets(src),
        [
            (
                "alicloud_oss_bucket.dst".to_owned(),
                1,
                Some("cn-beijing".to_owned())
            ),
            (
                "partner-archive".to_owned(),
                1,
                Some("ap-southeast-1".to_owned())
            ),
        ]
    );
    let db = find(&ali, "alicloud_db_instance.db");
    assert_eq!(
        targets(db),
        [("cn-shenzhen".to_owned(), 1, Some("cn-shenzhen".to_owned()))]
    );

    let tc = load("plans/tencentcloud.json");
    let src = find(&tc, "tencentcloud_cos_bucket.src");
    assert_eq!(
        targets(src),
        [
            (
                "tencentcloud_cos_bucket.dst".to_owned(),
                1,
                Some("ap-singapore".to_owned())
            ),
            (
                "qcs::cos:na-ashburn::archive-1250000000".to_owned(),
                1,
                Some("na-ashburn".to_owned())
            ),
        ]
    );

    let hw = load("plans/huaweicloud.json");
    let bj = find(&hw, "huaweicloud_obs_bucket.bj");
    assert_eq!(
        targets(bj),
        [(
            "huaweicloud_obs_bucket.hk".to_owned(),
            1,
            Some("ap-southeast-1".to_owned())
        )]
    );
    assert_eq!(
        bj.flows[0].location.countries,
        Known::Known(vec!["HK".to_owned()])
    );
    let db = find(&hw, "huaweicloud_rds_instance.db");
    assert_eq!(db.flows[0].target, "cn-east-3");
}

/// AWS provider 4+ computes `replication_configuration` on every new bucket, so the
/// plan marks it unknown even when nothing replicates. Only a configuration that sets
/// it declares a copy (whose destination is then unknown until apply).
#[test]
fn an_unconfigured_computed_replication_block_is_not_a_flow() {
    let plan = br#"{
      "format_version": "1.2",
      "resource_changes": [
        {"address": "aws_s3_bucket.plain", "mode": "managed", "type": "aws_s3_bucket", "name": "plain",
         "provider_name": "registry.terraform.io/hashicorp/aws",
         "change": {"actions": ["create"], "after": {"bucket": "plain"},
                    "after_unknown": {"replication_configuration": true, "arn": true}}},
        {"address": "aws_s3_bucket.legacy", "mode": "managed", "type": "aws_s3_bucket", "name": "legacy",
         "provider_name": "registry.terraform.io/hashicorp/aws",
         "change": {"actions": ["create"], "after": {"bucket": "legacy"},
                    "after_unknown": {"replication_configuration": true, "arn": true}}}
      ],
      "configuration": {
        "provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-east-1"}}}},
        "root_module": {"resources": [
          {"address": "aws_s3_bucket.plain", "mode": "managed", "type": "aws_s3_bucket", "name": "plain",
           "provider_config_key": "aws", "expressions": {"bucket": {"constant_value": "plain"}}},
          {"address": "aws_s3_bucket.legacy", "mode": "managed", "type": "aws_s3_bucket", "name": "legacy",
           "provider_config_key": "aws", "expressions": {"bucket": {"constant_value": "legacy"},
             "replication_configuration": [{"role": {"references": ["var.role"]},
               "rules": [{"destination": [{"bucket": {"references": ["var.dest"]}}]}]}]}}
        ]}
      }
    }"#;
    let catalog = juris::catalog::Catalog::builtin();
    let inv = juris::adapters::load_bytes(
        "plan.json",
        plan,
        &juris::adapters::LoadOptions::new(&catalog),
    )
    .expect("plan loads");
    assert!(
        adapters_common::find(&inv, "aws_s3_bucket.plain")
            .flows
            .is_empty()
    );
    let legacy = adapters_common::find(&inv, "aws_s3_bucket.legacy");
    assert_eq!(legacy.flows.len(), 1, "{:?}", legacy.flows);
    assert!(legacy.flows[0].location.countries.is_unknown());
}
