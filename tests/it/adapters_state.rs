//! Terraform state (`terraform show -json` without a plan): resources in `values.root_module`
//! and its child modules; no configuration, so places come from the values themselves
//! (region, ARN, zone, Google self link) or the default region given by the caller.

use crate::adapters_common;

use adapters_common::{find, load, load_with, region};
use juris::adapters::{LoadOptions, Projection};
use juris::catalog::Catalog;
use juris::model::Known;

const STATE: &str = "state/aws-google-state.json";

#[test]
fn snapshot() {
    insta::assert_snapshot!(adapters_common::pretty(&load(STATE)));
}

#[test]
fn state_values_place_resources() {
    let inv = load(STATE);
    assert_eq!(inv.inputs[0].kind, "terraform-state");
    assert_eq!(region(find(&inv, "aws_s3_bucket.logs")), Some("eu-west-1"));
    assert_eq!(
        region(find(&inv, "aws_db_instance.main")),
        Some("us-east-2")
    );
    assert_eq!(
        find(&inv, "aws_iam_role.ci").location.region,
        Known::Known(None)
    );
    assert_eq!(
        region(find(&inv, "module.gke.google_compute_instance.node[0]")),
        Some("asia-east1")
    );
    assert_eq!(
        region(find(
            &inv,
            "module.gke.module.net.google_compute_subnetwork.s"
        )),
        Some("asia-east1")
    );
    assert!(!inv.resources.iter().any(|r| r.address.starts_with("data.")));
    assert!(inv.resources.iter().all(|r| r.actions.is_empty()));
}

#[test]
fn replication_in_state_finds_the_destination_by_name() {
    let inv = load(STATE);
    let logs = find(&inv, "aws_s3_bucket.logs");
    assert_eq!(logs.flows.len(), 1);
    assert_eq!(logs.flows[0].target, "aws_s3_bucket.dr");
    assert_eq!(
        logs.flows[0].location.region,
        Known::Known(Some("eu-central-1".to_owned()))
    );
}

#[test]
fn without_a_region_in_the_values_the_default_region_applies() {
    let inv = load(STATE);
    let jobs = find(&inv, "aws_sqs_queue.jobs");
    assert!(jobs.location.region.is_unknown());
    assert!(
        jobs.location
            .derivation
            .contains("a Terraform state does not record provider configurations")
    );

    let catalog = Catalog::builtin();
    let mut opts = LoadOptions::new(&catalog);
    opts.projection = Projection::Keys(Default::default());
    opts.default_regions
        .insert("aws".into(), "ap-south-1".into());
    let inv = load_with(STATE, &opts);
    let jobs = find(&inv, "aws_sqs_queue.jobs");
    assert_eq!(region(jobs), Some("ap-south-1"));
    assert!(
        jobs.location
            .derivation
            .ends_with("default region for `aws` from the juris configuration = `ap-south-1`")
    );
}
