//! Modules: providers passed in (`providers = { aws = aws.eu }`), inherited, or configured
//! inside the module with the region from a module argument or a variable default; and
//! Terraform before 1.2, which does not record what was passed, so a module's provider
//! is known only when every candidate configuration agrees.

use crate::adapters_common;

use adapters_common::{custody, find, load, region};

#[test]
fn snapshot_terraform_1_9() {
    insta::assert_snapshot!(adapters_common::pretty(&load("plans/aws-modules.json")));
}

#[test]
fn snapshot_terraform_0_12() {
    insta::assert_snapshot!(adapters_common::pretty(&load(
        "plans/aws-legacy-tf012-modules.json"
    )));
}

#[test]
fn a_passed_provider_is_the_one_the_module_uses() {
    let inv = load("plans/aws-modules.json");
    let b = find(&inv, "module.eu.aws_s3_bucket.this");
    assert_eq!(region(b), Some("eu-west-1"));
    assert_eq!(b.provider.alias.as_deref(), Some("eu"));
    let c = find(&inv, r#"module.edge["a"].aws_acm_certificate.c"#);
    assert_eq!(region(c), Some("eu-central-1"));
}

#[test]
fn counted_module_instances_inherit_the_default_provider() {
    let inv = load("plans/aws-modules.json");
    for i in 0..2 {
        assert_eq!(
            region(find(&inv, &format!("module.db[{i}].aws_db_instance.x"))),
            Some("us-east-1")
        );
    }
}

#[test]
fn module_provider_blocks_read_module_arguments_and_defaults() {
    let inv = load("plans/aws-modules.json");
    let q = find(&inv, "module.regional.aws_sqs_queue.q");
    assert_eq!(region(q), Some("ap-northeast-1"));
    assert_eq!(
        q.location.derivation,
        "provider `aws` configured in `module.regional`; region from `var.region` of `module.regional` = `ap-northeast-1`"
    );
    let d = find(&inv, "module.defaults.aws_sqs_queue.q");
    assert_eq!(region(d), Some("sa-east-1"));
    assert!(d.location.derivation.ends_with("`sa-east-1` (its default)"));
    let t = find(&inv, "module.outer.module.inner.aws_sns_topic.t");
    assert_eq!(region(t), Some("eu-north-1"), "{}", t.location.derivation);
}

#[test]
fn old_plans_keep_a_module_provider_only_when_every_candidate_agrees() {
    let inv = load("plans/aws-legacy-tf012-modules.json");
    // Terraform 0.12 writes `aws`, meaning hashicorp/aws.
    assert_eq!(
        find(&inv, "aws_s3_bucket.root").provider.source,
        "hashicorp/aws"
    );
    // The root has `aws` (eu-west-1) and `aws.us` (us-east-1); either may have been passed.
    let app = find(&inv, "module.app.aws_s3_bucket.assets");
    assert!(app.location.region.is_unknown());
    assert!(
        app.location
            .derivation
            .contains("`aws.us` has region `us-east-1`")
    );
    assert!(custody(app).is_none());
    // A module with its own provider block decides for itself and its children.
    assert_eq!(
        region(find(&inv, "module.tools.aws_ecr_repository.r")),
        Some("eu-west-2")
    );
    assert_eq!(
        region(find(&inv, "module.tools.module.sub.aws_ecr_repository.r")),
        Some("eu-west-2")
    );
    assert_eq!(
        inv.warnings.len(),
        1,
        "one warning explains the unknowns: {:?}",
        inv.warnings
    );
}
