//! A generator for a large plan and a measurement of loading it against the parse floor.
//! Both are `#[ignore]`d: run them in release, once, by hand:
//!
//! ```text
//! JURIS_BIG_PLAN=/tmp/big-plan.json cargo test --release --test adapters_big_plan -- --ignored generate
//! JURIS_BIG_PLAN=/tmp/big-plan.json cargo test --release --test adapters_big_plan -- --ignored measure --nocapture
//! # peak memory of one mode (skim | load | load-all):
//! JURIS_BIG_PLAN=/tmp/big-plan.json JURIS_BENCH_MODE=load /usr/bin/time -v \
//!     target/release/deps/adapters_big_plan-<hash> --ignored --exact measure_one
//! ```

use std::collections::BTreeSet;
use std::io::Write;
use std::time::{Duration, Instant};

use juris::adapters::{LoadOptions, Projection, load_path};
use juris::catalog::Catalog;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Value, json};

fn path() -> String {
    std::env::var("JURIS_BIG_PLAN").unwrap_or_else(|_| "/tmp/juris-big-plan.json".to_owned())
}

fn resource(i: usize) -> (String, String, Option<String>, Value, Value) {
    let shard = i % 100;
    let module = format!("module.shard[\"s{shard:02}\"]");
    let tags = json!({"Name": format!("r{i}"), "team": "data", "cost-center": format!("{}", 1000 + shard), "env": "prod"});
    let (rtype, after, unknown) = match i % 10 {
        0..=3 => (
            "aws_s3_bucket",
            json!({"bucket": format!("bucket-{i}"), "force_destroy": false, "policy": policy(i), "object_lock_enabled": false, "tags": tags,
                   "tags_all": tags, "timeouts": null, "acceleration_status": null,
                   "grant": [{"id": "", "permissions": ["FULL_CONTROL"], "type": "CanonicalUser", "uri": ""}],
                   "lifecycle_rule": [], "logging": [], "replication_configuration": [],
                   "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": "", "sse_algorithm": "AES256"}], "bucket_key_enabled": false}]}],
                   "versioning": [{"enabled": true, "mfa_delete": false}], "website": []}),
            json!({"arn": true, "bucket_domain_name": true, "bucket_regional_domain_name": true, "hosted_zone_id": true, "id": true,
                   "region": true, "request_payer": true, "cors_rule": true, "policy": true, "grant": [{"permissions": [false]}],
                   "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{}]}]}],
                   "versioning": [{}], "tags": {}, "tags_all": {}}),
        ),
        4 | 5 => (
            "aws_instance",
            json!({"ami": "ami-0c55b159cbfafe1f0", "instance_type": "t3.micro", "iam_instance_profile": format!("profile-{i}"),
                   "launch_template": [], "network_interface": [], "private_dns_name_options": [], "capacity_reservation_specification": [],
                   "ebs_optimized": false, "get_password_data": false, "hibernation": false, "source_dest_check": true, "tenancy": "default", "availability_zone": "eu-west-1a", "monitoring": false,
                   "tags": tags, "tags_all": tags, "user_data": "IyEvYmluL2Jhc2gKZWNobyBoZWxsbyB3b3JsZA==", "volume_tags": null,
                   "credit_specification": [], "metadata_options": [{"http_endpoint": "enabled", "http_tokens": "required"}],
                   "root_block_device": [{"delete_on_termination": true, "encrypted": true, "volume_size": 20, "volume_type": "gp3"}]}),
            json!({"arn": true, "id": true, "private_ip": true, "public_ip": true, "primary_network_interface_id": true,
                   "security_groups": true, "subnet_id": true, "vpc_security_group_ids": true, "ebs_block_device": true,
                   "metadata_options": [{}], "root_block_device": [{"device_name": true, "iops": true, "kms_key_id": true, "volume_id": true}],
                   "tags": {}, "tags_all": {}}),
        ),
        6 | 7 => (
            "aws_db_instance",
            json!({"identifier": format!("db-{i}"), "engine": "postgres", "parameter_group_name": "default.postgres15",
                   "option_group_name": "default:postgres-15", "ca_cert_identifier": "rds-ca-rsa2048-g1", "copy_tags_to_snapshot": true,
                   "performance_insights_enabled": true, "performance_insights_retention_period": 7, "monitoring_interval": 60,
                   "enabled_cloudwatch_logs_exports": ["postgresql", "upgrade"], "maintenance_window": "sun:03:00-sun:04:00", "backup_window": "01:00-02:00", "engine_version": "15.4", "instance_class": "db.t3.micro",
                   "allocated_storage": 20, "storage_encrypted": true, "multi_az": false, "publicly_accessible": false,
                   "backup_retention_period": 7, "skip_final_snapshot": true, "username": "app", "password": "not-a-secret",
                   "tags": tags, "tags_all": tags, "replicate_source_db": null, "deletion_protection": true}),
            json!({"address": true, "arn": true, "availability_zone": true, "endpoint": true, "hosted_zone_id": true, "id": true,
                   "kms_key_id": true, "resource_id": true, "status": true, "tags": {}, "tags_all": {}}),
        ),
        8 => (
            "aws_iam_role",
            json!({"name": format!("role-{i}"), "path": "/", "max_session_duration": 3600, "tags": tags, "tags_all": tags,
                   "assume_role_policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"}),
            json!({"arn": true, "create_date": true, "id": true, "unique_id": true, "inline_policy": true, "managed_policy_arns": true, "tags": {}, "tags_all": {}}),
        ),
        _ => (
            "aws_s3_bucket_replication_configuration",
            json!({"rule": [{"id": "dr", "status": "Enabled", "priority": 1, "filter": [{"prefix": ""}],
                             "delete_marker_replication": [{"status": "Enabled"}],
                             "destination": [{"bucket": format!("arn:aws:s3:::bucket-{}", i - 9), "storage_class": "STANDARD"}]}]}),
            json!({"bucket": true, "id": true, "role": true}),
        ),
    };
    let name = "r".to_owned();
    let address = format!("{module}.{rtype}.{name}[\"k{i}\"]");
    (address, rtype.to_owned(), Some(module), after, unknown)
}

fn policy(i: usize) -> String {
    format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Sid\":\"DenyInsecureTransport\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::bucket-{i}\",\"arn:aws:s3:::bucket-{i}/*\"],\"Condition\":{{\"Bool\":{{\"aws:SecureTransport\":\"false\"}}}}}},{{\"Sid\":\"AllowReadFromAccount\",\"Effect\":\"Allow\",\"Principal\":{{\"AWS\":\"arn:aws:iam::111122223333:root\"}},\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::bucket-{i}\",\"arn:aws:s3:::bucket-{i}/*\"]}}]}}"
    )
}

#[test]
#[ignore]
fn generate() {
    let n: usize = std::env::var("JURIS_BIG_PLAN_RESOURCES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let file = std::fs::File::create(path()).unwrap();
    let mut w = std::io::BufWriter::new(file);
    write!(w, r#"{{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{{"root_module":{{"child_modules":[{{"resources":["#).unwrap();
    for i in 0..n {
        let (address, rtype, _, after, _) = resource(i);
        if i > 0 {
            w.write_all(b",").unwrap();
        }
        let r = json!({"address": address, "mode": "managed", "type": rtype, "name": "r", "index": format!("k{i}"),
                       "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": after, "sensitive_values": {}});
        serde_json::to_writer(&mut w, &r).unwrap();
    }
    write!(w, r#"]}}]}}}},"resource_changes":["#).unwrap();
    for i in 0..n {
        let (address, rtype, module, after, unknown) = resource(i);
        if i > 0 {
            w.write_all(b",").unwrap();
        }
        let r = json!({"address": address, "module_address": module, "mode": "managed", "type": rtype, "name": "r",
                       "index": format!("k{i}"), "provider_name": "registry.terraform.io/hashicorp/aws",
                       "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": unknown,
                                  "before_sensitive": false, "after_sensitive": {"password": true, "tags": {}, "tags_all": {}}}});
        serde_json::to_writer(&mut w, &r).unwrap();
    }
    let resources: Vec<Value> = ["aws_s3_bucket", "aws_instance", "aws_db_instance", "aws_iam_role", "aws_s3_bucket_replication_configuration"]
        .iter()
        .map(|t| json!({"address": format!("{t}.r"), "mode": "managed", "type": t, "name": "r",
                        "provider_config_key": "aws", "expressions": {}, "for_each_expression": {"references": ["var.items"]}}))
        .collect();
    let config = json!({
        "provider_config": {
            "aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "expressions": {"region": {"constant_value": "eu-west-1"}}},
            "module.shard:aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "module_address": "module.shard"}
        },
        "root_module": {"module_calls": {"shard": {"source": "./shard", "for_each_expression": {"references": ["local.shards"]},
            "module": {"resources": resources}}}}
    });
    write!(w, r#"],"configuration":"#).unwrap();
    serde_json::to_writer(&mut w, &config).unwrap();
    write!(w, r#","relevant_attributes":[],"timestamp":"2026-11-26T00:00:00Z","applyable":true,"complete":true,"errored":false}}"#).unwrap();
    w.flush().unwrap();
    println!("wrote {} ({} resources)", path(), n);
}

/// The floor: serde_json reading `resource_changes` into the fields residency reads and
/// skipping everything else with `IgnoredAny`.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Skim {
    resource_changes: Vec<SkimChange>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct SkimChange {
    address: String,
    mode: String,
    #[serde(rename = "type")]
    rtype: String,
    provider_name: String,
    change: SkimBody,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct SkimBody {
    actions: Vec<String>,
    after: Option<SkimAfter>,
    after_unknown: IgnoredAny,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct SkimAfter {
    region: Option<Value>,
    location: Option<Value>,
    availability_zone: Option<Value>,
    tags: Option<Value>,
    tags_all: Option<Value>,
}

fn skim() -> usize {
    let bytes = std::fs::read(path()).unwrap();
    let s: Skim = serde_json::from_slice(&bytes).unwrap();
    s.resource_changes.len()
}

fn load(all: bool) -> usize {
    let catalog = Catalog::builtin();
    let mut opts = LoadOptions::new(&catalog);
    if !all {
        opts.projection = Projection::Keys(BTreeSet::from([
            "engine".to_owned(),
            "storage_encrypted".to_owned(),
        ]));
    }
    let inv = load_path(std::path::Path::new(&path()), &opts).unwrap();
    inv.resources.len()
}

fn best(f: impl Fn() -> usize) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut n = 0;
    for _ in 0..3 {
        let t = Instant::now();
        n = f();
        best = best.min(t.elapsed());
    }
    (best, n)
}

#[test]
#[ignore]
fn measure() {
    let size = std::fs::metadata(path()).unwrap().len();
    let (skim_t, n) = best(skim);
    let (load_t, m) = best(|| load(false));
    let (all_t, _) = best(|| load(true));
    println!(
        "file: {} MB, {n} resource changes, {m} resources",
        size / 1_000_000
    );
    println!("skim (serde_json, IgnoredAny):  {skim_t:?}");
    println!(
        "juris load (projection):         {load_t:?}  = {:.2}x skim",
        load_t.as_secs_f64() / skim_t.as_secs_f64()
    );
    println!(
        "juris load (all attributes):     {all_t:?}  = {:.2}x skim",
        all_t.as_secs_f64() / skim_t.as_secs_f64()
    );
}

/// One mode per process, for `/usr/bin/time -v` to report its peak memory.
#[test]
#[ignore]
fn measure_one() {
    let mode = std::env::var("JURIS_BENCH_MODE").unwrap_or_else(|_| "load".to_owned());
    let t = Instant::now();
    let n = match mode.as_str() {
        "skim" => skim(),
        "load-all" => load(true),
        _ => load(false),
    };
    println!("{mode}: {n} in {:?}", t.elapsed());
}
