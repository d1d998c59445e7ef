//! The planned attribute values of one instance: realistic in shape and size (nested
//! blocks, policy documents, ids and ARNs), not schema-exact. Only the attributes the
//! residency rules read are chosen with care (location, tags, replication); the rest is
//! bulk drawn from the instance's own random stream.

use serde_json::{Map, Value, json};

use crate::rng::Rng;
use crate::world::Fam;
use crate::{Extra, Loc, Plan, TagUnknown};

pub struct Values {
    /// Every value as it is once applied (computed attributes included).
    pub full: Map<String, Value>,
    /// Attributes computed at apply time: unknown in the plan of a create.
    pub computed: &'static [&'static str],
    /// Further `after_unknown` entries (location, tags) of a create.
    pub unknown: Map<String, Value>,
    pub sensitive: Map<String, Value>,
}

const ACCOUNT: &str = "123456789012";
const SUBSCRIPTION: &str = "6f1c2b9e-3a4d-4e8f-9b1a-2c3d4e5f6a7b";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Category {
    Bucket,
    Database,
    KeyValue,
    Disk,
    Store,
    Compute,
    Network,
    Iam,
    Generic,
}

fn category(ty: &str) -> Category {
    let has = |s: &str| ty.contains(s);
    if has("replication_configuration") {
        Category::Generic
    } else if has("bucket") {
        Category::Bucket
    } else if has("db_instance")
        || has("rds")
        || has("sql")
        || has("postgresql")
        || has("polardb")
        || has("autonomous")
        || has("redshift")
    {
        Category::Database
    } else if has("dynamodb") || has("elasticache") || has("redis") || has("kvstore") || has("dcs")
    {
        Category::KeyValue
    } else if has("volume") || has("disk") || has("efs") {
        Category::Disk
    } else if has("log") || has("bigquery") || has("backup_vault") {
        Category::Store
    } else if has("instance") || has("virtual_machine") || has("lambda") {
        Category::Compute
    } else if has("vpc")
        || has("subnet")
        || has("security_group")
        || has("secgroup")
        || has("network")
        || has("public_ip")
        || has("route53")
        || has("vcn")
    {
        Category::Network
    } else if has("iam")
        || has("role")
        || has("policy")
        || has("service_account")
        || has("key_vault")
        || has("kms")
    {
        Category::Iam
    } else {
        Category::Generic
    }
}

fn computed(cat: Category, fam: Fam) -> &'static [&'static str] {
    match (cat, fam) {
        (Category::Bucket, Fam::Aws) => &[
            "id",
            "arn",
            "bucket_domain_name",
            "bucket_regional_domain_name",
            "hosted_zone_id",
        ],
        (Category::Database, _) => &["id", "arn", "endpoint", "address", "resource_id", "status"],
        (Category::KeyValue, _) => &["id", "arn", "stream_arn", "stream_label"],
        (Category::Compute, _) => &[
            "id",
            "arn",
            "private_ip",
            "primary_network_interface_id",
            "instance_state",
        ],
        (_, Fam::Aws) => &["id", "arn"],
        _ => &["id"],
    }
}

/// A JSON policy document, stored as a string as the providers do.
fn policy(rng: &mut Rng, resource: &str) -> String {
    let sid = rng.hex(6);
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": format!("DenyInsecureTransport{sid}"), "Effect": "Deny", "Principal": "*", "Action": "s3:*",
             "Resource": [resource, format!("{resource}/*")],
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
            {"Sid": "AllowReadRole", "Effect": "Allow",
             "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:role/reader-{}", rng.hex(6))},
             "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [resource, format!("{resource}/*")]}
        ]
    })
    .to_string()
}

fn arn(fam: Fam, region: &str, service: &str, resource: &str) -> String {
    if fam != Fam::Aws {
        return String::new();
    }
    let partition = if region.starts_with("cn-") {
        "aws-cn"
    } else {
        "aws"
    };
    format!("arn:{partition}:{service}:{region}:{ACCOUNT}:{resource}")
}

/// A zone attribute consistent with the region, for providers placed by configuration.
fn zone_attr(fam: Fam, region: &str) -> Option<(&'static str, String)> {
    match fam {
        Fam::Aws => Some(("availability_zone", format!("{region}a"))),
        Fam::Ali => Some(("zone_id", format!("{region}-a"))),
        Fam::Tencent => Some(("availability_zone", format!("{region}-3"))),
        Fam::Huawei => Some(("availability_zone", format!("{region}a"))),
        Fam::Oci => Some((
            "availability_domain",
            format!("Uocm:{}-AD-1", region.to_uppercase()),
        )),
        Fam::Azure | Fam::Google => None,
    }
}

fn id_for(rng: &mut Rng, fam: Fam, ty: &str, ident: &str) -> String {
    match fam {
        Fam::Aws => ident.to_owned(),
        Fam::Azure => format!(
            "/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-{}/providers/Microsoft.{}/{}",
            rng.hex(4),
            ty.trim_start_matches("azurerm_"),
            ident
        ),
        Fam::Google => format!(
            "projects/acme-data/{}/{}",
            ty.trim_start_matches("google_"),
            ident
        ),
        Fam::Oci => format!(
            "ocid1.{}.oc1..aaaa{}",
            ty.trim_start_matches("oci_").replace('_', ""),
            rng.hex(40)
        ),
        _ => format!("{}-{}", ty.split('_').nth(1).unwrap_or("res"), rng.hex(12)),
    }
}

fn bulk(rng: &mut Rng, cat: Category, fam: Fam, region: &str, ident: &str) -> Map<String, Value> {
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_owned(), v);
    };
    let kms = if fam == Fam::Aws {
        arn(fam, region, "kms", &format!("key/{}", rng.uuid()))
    } else {
        format!("key-{}", rng.uuid())
    };
    match cat {
        Category::Bucket => {
            put("force_destroy", json!(false));
            put("object_lock_enabled", json!(false));
            put("request_payer", json!("BucketOwner"));
            put(
                "versioning",
                json!([{"enabled": rng.chance(700), "mfa_delete": false}]),
            );
            put(
                "server_side_encryption_configuration",
                json!([{"rule": [{
                "apply_server_side_encryption_by_default": [{"kms_master_key_id": kms, "sse_algorithm": "aws:kms"}],
                "bucket_key_enabled": true}]}]),
            );
            put(
                "lifecycle_rule",
                json!([{
                "id": format!("expire-{}", rng.hex(6)), "enabled": true, "prefix": "tmp/", "tags": {},
                "abort_incomplete_multipart_upload_days": 7,
                "expiration": [{"date": "", "days": rng.range(30, 400), "expired_object_delete_marker": false}],
                "noncurrent_version_transition": [],
                "transition": [{"date": "", "days": 30, "storage_class": "STANDARD_IA"}]}]),
            );
            put("cors_rule", json!([]));
            put(
                "policy",
                json!(policy(rng, &format!("arn:aws:s3:::{ident}"))),
            );
            put("timeouts", Value::Null);
        }
        Category::Database => {
            let engine = rng.pick(&["postgres", "mysql", "mariadb"]);
            put("engine", json!(engine));
            put(
                "engine_version",
                json!(rng.pick(&["15.4", "14.10", "8.0.35", "10.11.6"])),
            );
            put(
                "instance_class",
                json!(rng.pick(&["db.t3.medium", "db.r6g.large", "db.m6i.xlarge"])),
            );
            put("allocated_storage", json!(rng.range(20, 2000)));
            put("storage_type", json!("gp3"));
            put("storage_encrypted", json!(true));
            put("kms_key_id", json!(kms));
            put("username", json!("app_admin"));
            put("password", json!(rng.hex(24)));
            put(
                "port",
                json!(if engine == "postgres" { 5432 } else { 3306 }),
            );
            put("backup_retention_period", json!(rng.range(7, 35)));
            put("backup_window", json!("03:00-04:00"));
            put("maintenance_window", json!("sun:05:00-sun:06:00"));
            put("multi_az", json!(rng.chance(500)));
            put("publicly_accessible", json!(false));
            put("skip_final_snapshot", json!(false));
            put("deletion_protection", json!(true));
            put(
                "parameter_group_name",
                json!(format!("{engine}-custom-{}", rng.hex(4))),
            );
            put("timeouts", Value::Null);
        }
        Category::KeyValue => {
            put("billing_mode", json!("PAY_PER_REQUEST"));
            put("hash_key", json!("pk"));
            put("range_key", json!("sk"));
            put(
                "attribute",
                json!([{"name": "pk", "type": "S"}, {"name": "sk", "type": "S"}, {"name": "gsi1pk", "type": "S"}]),
            );
            put("point_in_time_recovery", json!([{"enabled": true}]));
            put(
                "server_side_encryption",
                json!([{"enabled": true, "kms_key_arn": kms}]),
            );
            put("stream_enabled", json!(false));
            put(
                "node_type",
                json!(rng.pick(&["cache.r6g.large", "cache.t4g.medium"])),
            );
            put("engine_version", json!("7.1"));
            put("deletion_protection_enabled", json!(true));
            put("timeouts", Value::Null);
        }
        Category::Disk => {
            put("size", json!(rng.range(8, 4096)));
            put(
                "type",
                json!(rng.pick(&["gp3", "io2", "Premium_LRS", "pd-ssd"])),
            );
            put("encrypted", json!(true));
            put("iops", json!(rng.range(3000, 16000)));
            put("kms_key_id", json!(kms));
            put("snapshot_id", json!(""));
            put("timeouts", Value::Null);
        }
        Category::Store => {
            put("retention_in_days", json!(rng.pick(&[30, 90, 365, 731])));
            put("kms_key_id", json!(kms));
            put("skip_destroy", json!(false));
            put(
                "default_table_expiration_ms",
                json!(3_600_000 * rng.range(24, 24 * 90)),
            );
            put(
                "access",
                json!([{"role": "OWNER", "user_by_email": format!("owner-{}@acme.example", rng.hex(4))}]),
            );
            put("description", json!(format!("Store for {ident}")));
            put("sku", json!("PerGB2018"));
        }
        Category::Compute => {
            put("ami", json!(format!("ami-{}", rng.hex(17))));
            put(
                "instance_type",
                json!(rng.pick(&["t3.medium", "m6i.large", "c7g.xlarge"])),
            );
            put("monitoring", json!(true));
            put(
                "root_block_device",
                json!([{"volume_size": rng.range(20, 200), "volume_type": "gp3",
                "encrypted": true, "delete_on_termination": true}]),
            );
            put(
                "vpc_security_group_ids",
                json!([format!("sg-{}", rng.hex(17))]),
            );
            put("subnet_id", json!(format!("subnet-{}", rng.hex(17))));
            put("runtime", json!("python3.12"));
            put("memory_size", json!(rng.pick(&[128, 256, 512, 1024])));
            put("timeouts", Value::Null);
        }
        Category::Network => {
            put("cidr_block", json!(format!("10.{}.0.0/16", rng.below(255))));
            put("enable_dns_hostnames", json!(true));
            put("enable_dns_support", json!(true));
            put("description", json!("Managed by Terraform"));
            put(
                "ingress",
                json!([
                {"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"],
                 "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": false, "description": "https"}]),
            );
        }
        Category::Iam => {
            put(
                "assume_role_policy",
                json!(
                    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
                    .to_string()
                ),
            );
            put("description", json!(format!("Role for {ident}")));
            put("path", json!("/service/"));
            put(
                "managed_policy_arns",
                json!([format!("arn:aws:iam::{ACCOUNT}:policy/read-{}", rng.hex(6))]),
            );
            put("enable_key_rotation", json!(true));
            put("deletion_window_in_days", json!(30));
        }
        Category::Generic => {
            put("description", json!(format!("{ident} managed by platform")));
            put("delay_seconds", json!(0));
            put("message_retention_seconds", json!(345_600));
            put("fifo_queue", json!(false));
            put("kms_master_key_id", json!(kms));
            put("redrive_policy", json!(json!({"deadLetterTargetArn": arn(Fam::Aws, region, "sqs", &format!("dlq-{}", rng.hex(6))), "maxReceiveCount": 5}).to_string()));
        }
    }
    // Family-specific identity attributes the rules never read.
    if fam != Fam::Aws {
        m.remove("policy");
        m.insert(
            "resource_group_name".into(),
            json!(format!("rg-{}", rng.hex(6))),
        );
    }
    m
}

fn common_tags(rng: &mut Rng, google: bool) -> Map<String, Value> {
    let mut t = Map::new();
    let (env, owner, cost) = if google {
        ("environment", "owner", "cost-center")
    } else {
        ("Environment", "Owner", "CostCenter")
    };
    t.insert(env.into(), json!("prod"));
    t.insert(
        owner.into(),
        json!(format!(
            "team-{}",
            rng.pick(&["data", "web", "ml", "payments"])
        )),
    );
    t.insert(cost.into(), json!(format!("cc-{}", rng.range(1000, 9999))));
    t
}

/// Label values in Google Cloud allow only lowercase letters, digits, `_` and `-`.
fn label_value(v: &str) -> String {
    v.to_lowercase().replace(", ", "_").replace([',', ' '], "_")
}

/// Writes tags (or labels) and their unknown markers.
fn put_tags(
    plan: &Plan,
    i: usize,
    rng: &mut Rng,
    full: &mut Map<String, Value>,
    unknown: &mut Map<String, Value>,
) {
    let inst = &plan.insts[i];
    let fam = plan.block(i).fam;
    let google = fam == Fam::Google;
    let fields: &[&str] = match fam {
        Fam::Aws => &["tags", "tags_all"],
        Fam::Google => &["labels"],
        Fam::Oci => &["freeform_tags"],
        _ => &["tags"],
    };
    let t = &inst.tags;
    let mut map = if t.common {
        common_tags(rng, google)
    } else {
        Map::new()
    };
    let value = |v: &str| if google { label_value(v) } else { v.to_owned() };
    let mut unknown_key = None;
    if let Some((k, v)) = t.class {
        if t.unknown == TagUnknown::Class {
            unknown_key = Some(k);
        } else {
            map.insert(k.into(), json!(value(v)));
        }
    }
    if let Some((k, v)) = t.subjects {
        if t.unknown == TagUnknown::Subjects {
            unknown_key = Some(k);
        } else {
            map.insert(k.into(), json!(value(v)));
        }
    }
    for (n, field) in fields.iter().enumerate() {
        if t.unknown == TagUnknown::Whole {
            unknown.insert((*field).into(), json!(true));
            continue;
        }
        if let Some(k) = unknown_key {
            unknown.insert((*field).into(), json!({ k: true }));
        }
        let mut m = map.clone();
        if n == 1 {
            // `tags_all` adds the provider's default tags.
            m.insert("ManagedBy".into(), json!("terraform"));
        }
        let v = if m.is_empty() && n == 0 {
            Value::Null
        } else {
            Value::Object(m)
        };
        full.insert((*field).into(), v);
    }
    if fam == Fam::Oci {
        full.insert("defined_tags".into(), json!({}));
    }
}

/// Cloud SQL has no top-level `labels`: the provider keeps them in
/// `settings[0].user_labels`, and `after_unknown` marks them in the same place.
fn nest_cloud_sql_labels(full: &mut Map<String, Value>, unknown: &mut Map<String, Value>) {
    let labels = full.remove("labels").unwrap_or(Value::Null);
    if let Some(Value::Object(settings)) = full.get_mut("settings").and_then(|s| s.get_mut(0)) {
        settings.insert("user_labels".into(), labels);
    }
    if let Some(u) = unknown.remove("labels") {
        unknown.insert("settings".into(), json!([{ "user_labels": u }]));
    }
}

pub fn values(plan: &Plan, i: usize) -> Values {
    let inst = &plan.insts[i];
    let block = plan.block(i);
    let (fam, ty) = (block.fam, block.ty);
    let mut rng = Rng::stream(plan.seed, i as u64, 1);
    let mut unknown = Map::new();
    let mut sensitive = Map::new();
    if block.data {
        let mut full = Map::new();
        full.insert("id".into(), json!(rng.hex(10)));
        full.insert("json".into(), json!(policy(&mut rng, "arn:aws:s3:::*")));
        full.insert("filter".into(), json!([]));
        return Values {
            full,
            computed: &[],
            unknown,
            sensitive,
        };
    }
    let cat = category(ty);
    let region = inst.region.as_deref().unwrap_or("us-east-1");
    let mut full = bulk(&mut rng, cat, fam, region, &inst.ident);
    full.insert("id".into(), json!(id_for(&mut rng, fam, ty, &inst.ident)));
    let service = ty
        .trim_start_matches("aws_")
        .split('_')
        .next()
        .unwrap_or("svc");
    let arn_value = if ty == "aws_s3_bucket" {
        format!("arn:aws:s3:::{}", inst.ident)
    } else {
        arn(fam, region, service, &inst.ident)
    };
    if fam == Fam::Aws {
        full.insert("arn".into(), json!(arn_value));
    }
    for k in computed(cat, fam) {
        full.entry(k.to_string())
            .or_insert_with(|| json!(format!("{}.{}", inst.ident, k)));
    }
    match ty {
        "aws_s3_bucket"
        | "alicloud_oss_bucket"
        | "tencentcloud_cos_bucket"
        | "huaweicloud_obs_bucket" => {
            full.insert("bucket".into(), json!(inst.ident));
        }
        "google_sql_database_instance" => {
            full.insert("name".into(), json!(inst.ident));
            // Backups disabled: an unset backup location would imply a copy to a multi-region.
            full.insert("settings".into(), json!([{"tier": "db-custom-2-7680", "availability_type": "ZONAL",
                "backup_configuration": [{"enabled": false, "location": null, "point_in_time_recovery_enabled": false}],
                "ip_configuration": [{"ipv4_enabled": false, "private_network": "projects/acme-data/global/networks/core"}]}]));
        }
        "azurerm_postgresql_flexible_server" => {
            full.insert("name".into(), json!(inst.ident));
            full.insert("geo_redundant_backup_enabled".into(), json!(false));
        }
        "aws_db_instance" => {
            full.insert("identifier".into(), json!(inst.ident));
            full.insert("replicate_source_db".into(), Value::Null);
            sensitive.insert("password".into(), json!(true));
        }
        _ => {
            full.insert("name".into(), json!(inst.ident));
        }
    }
    if matches!(cat, Category::Database) {
        sensitive.insert("password".into(), json!(true));
    }
    if let (Some(r), Category::Compute | Category::Disk | Category::Database | Category::KeyValue) =
        (&inst.region, cat)
        && let Some((k, v)) = zone_attr(fam, r)
    {
        full.insert(k.into(), json!(v));
    }
    match &inst.loc {
        Loc::None => {}
        Loc::Known(attr, v) => {
            full.insert((*attr).into(), json!(v));
        }
        Loc::Unknown(attr) => {
            unknown.insert((*attr).into(), json!(true));
        }
    }
    match &inst.extra {
        Extra::None => {}
        Extra::S3Repl { source, dest } => {
            full.remove("name");
            full.insert("bucket".into(), json!(source));
            full.insert(
                "role".into(),
                json!(format!(
                    "arn:aws:iam::{ACCOUNT}:role/s3-replication-{}",
                    rng.hex(6)
                )),
            );
            let mut destination = json!({"storage_class": "STANDARD", "account": "", "access_control_translation": [],
                "encryption_configuration": [], "metrics": [], "replication_time": []});
            match dest {
                Some(arn) => {
                    destination["bucket"] = json!(arn);
                }
                None => {
                    unknown.insert("rule".into(), json!([{"destination": [{"bucket": true}]}]));
                }
            }
            full.insert("rule".into(), json!([{"id": "replicate-all", "status": "Enabled", "priority": 1, "prefix": "",
                "destination": [destination], "filter": [{"prefix": "", "tag": [], "and": []}],
                "delete_marker_replication": [{"status": "Enabled"}], "existing_object_replication": [],
                "source_selection_criteria": []}]));
            full.insert("token".into(), Value::Null);
        }
        Extra::DbReplica { source_arn } => {
            full.insert("replicate_source_db".into(), json!(source_arn));
        }
        Extra::Dynamo { replica } => {
            let list: Vec<Value> = replica
                .iter()
                .map(|r| json!({"region_name": r, "kms_key_arn": "", "point_in_time_recovery": true, "propagate_tags": true,
                    "arn": arn(Fam::Aws, r, "dynamodb", &format!("table/{}", inst.ident))}))
                .collect();
            full.insert("replica".into(), Value::Array(list));
        }
        Extra::AzureRepl(kind) => {
            full.insert("account_replication_type".into(), json!(kind));
            full.insert("account_tier".into(), json!("Standard"));
            full.insert("account_kind".into(), json!("StorageV2"));
            full.insert("min_tls_version".into(), json!("TLS1_2"));
        }
    }
    put_tags(plan, i, &mut rng, &mut full, &mut unknown);
    if ty == "google_sql_database_instance" {
        nest_cloud_sql_labels(&mut full, &mut unknown);
    }
    if fam == Fam::Aws {
        sensitive.insert("tags".into(), json!({}));
        sensitive.insert("tags_all".into(), json!({}));
    }
    Values {
        full,
        computed: computed(cat, fam),
        unknown,
        sensitive,
    }
}

/// The values before an in-place update: one attribute differs.
pub fn before_update(full: &Map<String, Value>) -> Map<String, Value> {
    let mut before = full.clone();
    let key = [
        "description",
        "retention_in_days",
        "allocated_storage",
        "size",
        "instance_type",
        "force_destroy",
    ]
    .into_iter()
    .find(|k| before.contains_key(*k));
    match key {
        Some(k) => {
            before.insert(k.into(), json!("previous"));
        }
        None => {
            before.insert("timeouts".into(), json!({"create": "30m"}));
        }
    }
    before
}
