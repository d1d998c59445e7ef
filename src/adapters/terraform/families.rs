//! What each provider family's resources mean, as data: one table per family saying
//! which types are global, which attributes place a resource and in what order, which
//! name a parent whose place it takes, and which declare copies of its data.
//!
//! [`super::locate`] and [`super::flows`] interpret the tables; what cannot be a row
//! (ARN parsing, walking nested blocks, Google's custom placement) stays a small
//! function a row names. The attributes the reader keeps ([`projection`]) are derived
//! from the tables, so a new row cannot miss one.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// One provider family (a catalog family key) and what its resources mean.
pub(crate) struct Family {
    /// The catalog's family key: `aws`, `azure`, `google`, ...
    pub name: &'static str,
    /// Where a resource says it is, in order: the first step that says decides.
    pub place: &'static [Step],
    /// Types that have no region (identity, DNS, organisation and edge services).
    pub global: Global,
    /// Where a resource no step places and that is not global is.
    pub otherwise: Otherwise,
    /// Whether a zone or ARN decides the region. Where the provider's region places
    /// everything, they only confirm it, and unknown they say nothing.
    pub zones_decide: bool,
    /// The path in the provider configuration to its default tags, when it has them.
    pub default_tags: &'static [&'static str],
    /// Copies of data that resources of this family declare, by type.
    pub flows: &'static [FlowRow],
}

/// One way of finding a resource's place.
pub(crate) enum Step {
    /// A top-level attribute, read as the [`Reading`] says.
    Attr(&'static str, Reading),
    /// A step for resources of one type only.
    Only(&'static str, &'static Step),
    /// The place of the parent named by the first of these arguments that names one.
    Parent(&'static [&'static str]),
    /// Google Storage custom dual-region: `custom_placement_config[0].data_locations`
    /// (`locate::placement`).
    CustomPlacement,
}

/// How to read a location attribute's value.
#[derive(Clone, Copy)]
pub(crate) enum Reading {
    Region,
    Zone,
    /// A region, multi-region, dual-region or zone (Google `location`, Azure `location`).
    Location,
    /// `oss-cn-beijing` → `cn-beijing` (`places::oss_region`).
    Oss,
    /// The region an ARN names (`places::arn`).
    Arn,
    /// The zone or region a Google self link names (`places::google_self_link`).
    SelfLink,
}

/// Which types are global: those starting with one of `prefixes`, named in `types` or
/// containing one of `containing`, unless they start with one of `except`.
pub(crate) struct Global {
    pub prefixes: &'static [&'static str],
    pub types: &'static [&'static str],
    pub containing: &'static [&'static str],
    pub except: &'static [&'static str],
}

/// Where a resource is when nothing on it says.
pub(crate) enum Otherwise {
    /// In the region of its provider configuration, read from these arguments in order.
    Provider(&'static [&'static str]),
    /// The provider has no region: a default region if one is given, else unknown,
    /// because the type (first) `why` (second).
    NoRegion(&'static str),
}

/// A copy of a resource's data that resources of one type declare.
pub(crate) struct FlowRow {
    pub rtype: &'static str,
    /// The flow's kind in the inventory (`s3-replication`).
    pub kind: &'static str,
    pub declares: Declares,
}

/// A path through nested blocks (`*` walks a list) and how to read the value there.
pub(crate) type At = (&'static [&'static str], Reads);

/// How a row declares its copies (interpreted by `flows::declare`).
pub(crate) enum Declares {
    /// Copies of this resource go where the values at the path say.
    To(At),
    /// As `To`, but only when the configuration sets the path's attribute (or there is
    /// no configuration): a provider may compute an empty one for every resource.
    ToIfSet(At),
    /// This resource is a replica of the resource at the path: its data flows here.
    ReplicaOf(At),
    /// A companion resource declares copies of another's data (`source`), going where
    /// `dest` says: the edge belongs to the source when it is in the plan.
    Companion { source: At, dest: At },
    /// Copies go to the region's pair when attribute `key` is one of `geo` (Azure
    /// geo-redundancy, `flows::azure_pair`).
    Pair {
        key: &'static str,
        geo: &'static [&'static str],
    },
    /// Copies go to each member region of a dual- or multi-region (`flows::gcs_members`).
    Members,
    /// `bucket` → `destination[].bucket` in `destination[].location` (`flows::oss_replication`).
    OssReplication,
    /// Applies the copies of the plan at `plan` to the resources it selects in
    /// `resources` (`flows::backup_selections`, after every other row).
    Selection { plan: At, resources: &'static str },
}

/// How to read a destination attribute's value.
#[derive(Clone, Copy)]
pub(crate) enum Reads {
    /// An S3 bucket ARN or name.
    S3Bucket,
    /// An ARN, of a resource that may be in the plan.
    Arn,
    /// The name of a resource of this type.
    Name(&'static str),
    /// A region of the source's family.
    Region,
    /// A Tencent `qcs::cos:<region>::<bucket>`.
    Qcs,
}

/// Attribute names whose value is a place, so `x = other.<attr>` means "where `other` is".
pub(crate) const PLACE_ATTRS: &[&str] = &[
    "location",
    "region",
    "zone",
    "availability_zone",
    "primary_location",
];

/// How a resource of a provider the catalog does not know is placed.
pub(crate) const NOT_IN_CATALOG: &[Step] = &[
    Step::Attr("region", Reading::Region),
    Step::Attr("location", Reading::Location),
];

/// What most families share: everything not placed otherwise is in the provider
/// configuration's `region`, and nothing is global or copied.
const REGIONAL: Family = Family {
    name: "",
    place: &[],
    global: Global::starting(&[]),
    otherwise: Otherwise::Provider(&["region"]),
    zones_decide: false,
    default_tags: &[],
    flows: &[],
};

pub(crate) const AWS: Family = Family {
    name: "aws",
    place: &[
        Step::Attr("region", Reading::Region),
        Step::Attr("arn", Reading::Arn),
        Step::Attr("availability_zone", Reading::Zone),
    ],
    global: Global {
        prefixes: &[
            "aws_iam_",
            "aws_route53_",
            "aws_cloudfront_",
            "aws_organizations_",
            "aws_budgets_",
            "aws_ce_",
            "aws_globalaccelerator_",
            "aws_shield_",
            "aws_waf_",
            "aws_account_",
            "aws_s3_account_",
        ],
        types: &[],
        containing: &[],
        except: &["aws_route53_resolver_"],
    },
    otherwise: Otherwise::Provider(&["region"]),
    zones_decide: false,
    default_tags: &["default_tags", "0", "tags"],
    flows: &[
        // AWS provider 4+ computes the deprecated inline `replication_configuration` of
        // every new bucket, so the plan marks it unknown even when nothing replicates.
        FlowRow {
            rtype: "aws_s3_bucket",
            kind: "s3-replication",
            declares: Declares::ToIfSet((
                &[
                    "replication_configuration",
                    "*",
                    "rules",
                    "*",
                    "destination",
                    "*",
                    "bucket",
                ],
                Reads::S3Bucket,
            )),
        },
        FlowRow {
            rtype: "aws_s3_bucket_replication_configuration",
            kind: "s3-replication",
            declares: Declares::Companion {
                source: (&["bucket"], Reads::S3Bucket),
                dest: (
                    &["rule", "*", "destination", "*", "bucket"],
                    Reads::S3Bucket,
                ),
            },
        },
        FlowRow {
            rtype: "aws_dynamodb_table",
            kind: "dynamodb-replica",
            declares: Declares::To((&["replica", "*", "region_name"], Reads::Region)),
        },
        FlowRow {
            rtype: "aws_dynamodb_table_replica",
            kind: "dynamodb-replica",
            declares: Declares::ReplicaOf((&["global_table_arn"], Reads::Arn)),
        },
        FlowRow {
            rtype: "aws_db_instance",
            kind: "rds-read-replica",
            declares: Declares::ReplicaOf((
                &["replicate_source_db"],
                Reads::Name("aws_db_instance"),
            )),
        },
        FlowRow {
            rtype: "aws_rds_cluster",
            kind: "rds-read-replica",
            declares: Declares::ReplicaOf((&["replication_source_identifier"], Reads::Arn)),
        },
        FlowRow {
            rtype: "aws_db_instance_automated_backups_replication",
            kind: "backup-copy",
            declares: Declares::ReplicaOf((&["source_db_instance_arn"], Reads::Arn)),
        },
        FlowRow {
            rtype: "aws_backup_plan",
            kind: "backup-copy",
            declares: Declares::To((
                &["rule", "*", "copy_action", "*", "destination_vault_arn"],
                Reads::Arn,
            )),
        },
        FlowRow {
            rtype: "aws_secretsmanager_secret",
            kind: "secret-replica",
            declares: Declares::To((&["replica", "*", "region"], Reads::Region)),
        },
        FlowRow {
            rtype: "aws_backup_selection",
            kind: "backup-copy",
            declares: Declares::Selection {
                plan: (&["plan_id"], Reads::Name("aws_backup_plan")),
                resources: "resources",
            },
        },
    ],
};

/// Arguments that tie an Azure child resource to the parent it lives in.
/// (`resource_group_name` is not one: a group's location only holds its metadata.)
const AZURE_PARENTS: &[&str] = &[
    "server_id",
    "storage_account_id",
    "key_vault_id",
    "virtual_network_id",
    "network_security_group_id",
    "network_interface_id",
    "namespace_id",
    "cluster_id",
    "workspace_id",
    "server_name",
    "storage_account_name",
    "account_name",
    "namespace_name",
    "virtual_network_name",
    "network_security_group_name",
    "vault_name",
    "recovery_vault_name",
];

pub(crate) const AZURE: Family = Family {
    name: "azure",
    place: &[
        Step::Attr("location", Reading::Location),
        Step::Parent(AZURE_PARENTS),
    ],
    global: Global::starting(&[
        "azuread_",
        "azurerm_role_",
        "azurerm_policy_",
        "azurerm_management_group",
        "azurerm_subscription",
        "azurerm_resource_provider_registration",
        "azurerm_marketplace_agreement",
        "azurerm_dns_",
        "azurerm_private_dns_",
        "azurerm_management_lock",
    ]),
    otherwise: Otherwise::NoRegion("has no `location` and no parent resource in the plan"),
    zones_decide: false,
    default_tags: &[],
    flows: &[
        FlowRow {
            rtype: "azurerm_storage_account",
            kind: "azure-geo-redundancy",
            declares: Declares::Pair {
                key: "account_replication_type",
                geo: &["GRS", "RAGRS", "GZRS", "RAGZRS"],
            },
        },
        FlowRow {
            rtype: "azurerm_mssql_database",
            kind: "azure-geo-redundancy",
            declares: Declares::Pair {
                key: "storage_account_type",
                geo: &["Geo", "GeoZone"],
            },
        },
        FlowRow {
            rtype: "azurerm_recovery_services_vault",
            kind: "azure-geo-redundancy",
            declares: Declares::Pair {
                key: "storage_mode_type",
                geo: &["GeoRedundant"],
            },
        },
        FlowRow {
            rtype: "azurerm_postgresql_flexible_server",
            kind: "azure-geo-redundancy",
            declares: GEO_BACKUP,
        },
        FlowRow {
            rtype: "azurerm_mysql_flexible_server",
            kind: "azure-geo-redundancy",
            declares: GEO_BACKUP,
        },
        FlowRow {
            rtype: "azurerm_cosmosdb_account",
            kind: "cosmosdb-geo-replica",
            declares: Declares::To((&["geo_location", "*", "location"], Reads::Region)),
        },
    ],
};

const GEO_BACKUP: Declares = Declares::Pair {
    key: "geo_redundant_backup_enabled",
    geo: &["true"],
};

pub(crate) const GOOGLE: Family = Family {
    name: "google",
    place: &[
        Step::Only("google_storage_bucket", &Step::CustomPlacement),
        Step::Attr("location", Reading::Location),
        Step::Attr("region", Reading::Location),
        Step::Attr("zone", Reading::Zone),
        Step::Attr("self_link", Reading::SelfLink),
        Step::Parent(&["bucket", "instance", "dataset_id"]),
    ],
    global: Global {
        prefixes: &[
            "google_project",
            "google_organization_",
            "google_folder",
            "google_service_account",
            "google_compute_global_",
            "google_dns_",
            "google_billing_",
            "google_iam_",
        ],
        types: &[
            "google_compute_network",
            "google_compute_firewall",
            "google_compute_route",
            "google_compute_network_peering",
            "google_compute_backend_service",
            "google_compute_backend_bucket",
            "google_compute_health_check",
            "google_compute_http_health_check",
            "google_compute_https_health_check",
            "google_compute_url_map",
            "google_compute_target_http_proxy",
            "google_compute_target_https_proxy",
            "google_compute_ssl_certificate",
            "google_compute_managed_ssl_certificate",
            "google_compute_ssl_policy",
            "google_compute_security_policy",
            "google_compute_project_metadata",
            "google_compute_project_metadata_item",
            "google_compute_image",
            "google_compute_instance_template",
        ],
        containing: &["_iam_"],
        except: &[],
    },
    // Google places resources by the provider's `region`, else by the region of `zone`.
    otherwise: Otherwise::Provider(&["region", "zone"]),
    zones_decide: true,
    default_tags: &["default_labels"],
    flows: &[
        FlowRow {
            rtype: "google_storage_bucket",
            kind: "gcs-dual-region",
            declares: Declares::Members,
        },
        FlowRow {
            rtype: "google_sql_database_instance",
            kind: "cloudsql-replica",
            declares: Declares::ReplicaOf((
                &["master_instance_name"],
                Reads::Name("google_sql_database_instance"),
            )),
        },
        FlowRow {
            rtype: "google_sql_database_instance",
            kind: "cloudsql-backup",
            declares: Declares::To((
                &["settings", "*", "backup_configuration", "*", "location"],
                Reads::Region,
            )),
        },
    ],
};

pub(crate) const ALICLOUD: Family = Family {
    name: "alicloud",
    place: &[
        Step::Only("alicloud_oss_bucket", &Step::Attr("location", Reading::Oss)),
        Step::Attr("zone_id", Reading::Zone),
        Step::Attr("availability_zone", Reading::Zone),
    ],
    global: Global::starting(&[
        "alicloud_ram_",
        "alicloud_resource_manager_",
        "alicloud_alidns_",
        "alicloud_dns",
    ]),
    flows: &[
        FlowRow {
            rtype: "alicloud_oss_bucket_replication",
            kind: "oss-replication",
            declares: Declares::OssReplication,
        },
        FlowRow {
            rtype: "alicloud_rds_instance_cross_backup_policy",
            kind: "rds-cross-region-backup",
            declares: Declares::Companion {
                source: (&["instance_id"], Reads::Name("alicloud_db_instance")),
                dest: (&["cross_backup_region"], Reads::Region),
            },
        },
    ],
    ..REGIONAL
};

pub(crate) const TENCENTCLOUD: Family = Family {
    name: "tencentcloud",
    place: &[Step::Attr("availability_zone", Reading::Zone)],
    global: Global::starting(&["tencentcloud_cam_", "tencentcloud_dnspod_"]),
    flows: &[FlowRow {
        rtype: "tencentcloud_cos_bucket",
        kind: "cos-replication",
        declares: Declares::To((&["replica_rules", "*", "destination_bucket"], Reads::Qcs)),
    }],
    ..REGIONAL
};

pub(crate) const HUAWEICLOUD: Family = Family {
    name: "huaweicloud",
    place: &[
        Step::Attr("region", Reading::Region),
        Step::Attr("availability_zone", Reading::Zone),
    ],
    global: Global::starting(&["huaweicloud_identity_"]),
    flows: &[
        FlowRow {
            rtype: "huaweicloud_obs_bucket_replication",
            kind: "obs-replication",
            declares: Declares::Companion {
                source: (&["bucket"], Reads::Name("huaweicloud_obs_bucket")),
                dest: (
                    &["destination_bucket"],
                    Reads::Name("huaweicloud_obs_bucket"),
                ),
            },
        },
        FlowRow {
            rtype: "huaweicloud_rds_cross_region_backup_strategy",
            kind: "rds-cross-region-backup",
            declares: Declares::Companion {
                source: (&["instance_id"], Reads::Name("huaweicloud_rds_instance")),
                dest: (&["destination_region"], Reads::Region),
            },
        },
        FlowRow {
            rtype: "huaweicloud_cbr_policy",
            kind: "backup-copy",
            declares: Declares::To((&["destination_region"], Reads::Region)),
        },
    ],
    ..REGIONAL
};

/// OCI places everything in the provider's region.
pub(crate) const OCI: Family = Family {
    name: "oci",
    global: Global::starting(&["oci_identity_"]),
    ..REGIONAL
};

/// A family from a catalog extension file: whatever attribute says where.
pub(crate) const USER: Family = Family {
    name: "*",
    place: &[
        Step::Attr("region", Reading::Region),
        Step::Attr("location", Reading::Location),
        Step::Attr("zone", Reading::Zone),
        Step::Attr("availability_zone", Reading::Zone),
    ],
    ..REGIONAL
};

/// Every table, built-in families first.
pub(crate) const FAMILIES: &[&Family] = &[
    &AWS,
    &AZURE,
    &GOOGLE,
    &ALICLOUD,
    &TENCENTCLOUD,
    &HUAWEICLOUD,
    &OCI,
    &USER,
];

/// The table for a catalog family ([`USER`] for one the built-in tables do not know).
pub(crate) fn family(name: &str) -> &'static Family {
    FAMILIES
        .iter()
        .copied()
        .find(|f| f.name == name)
        .unwrap_or(&USER)
}

/// The flow rows for a resource type, in table order. Found by type, whichever table
/// holds them: a type's prefix names its provider.
pub(crate) fn flow_rows(rtype: &str) -> &'static [&'static FlowRow] {
    static BY_TYPE: OnceLock<FxHashMap<&'static str, Vec<&'static FlowRow>>> = OnceLock::new();
    BY_TYPE
        .get_or_init(|| {
            let mut map: FxHashMap<&'static str, Vec<&'static FlowRow>> = FxHashMap::default();
            for row in FAMILIES.iter().flat_map(|f| f.flows) {
                map.entry(row.rtype).or_default().push(row);
            }
            map
        })
        .get(rtype)
        .map_or(&[], Vec::as_slice)
}

impl Global {
    /// The types starting with one of `prefixes`.
    const fn starting(prefixes: &'static [&'static str]) -> Global {
        Global {
            prefixes,
            types: &[],
            containing: &[],
            except: &[],
        }
    }

    pub fn covers(&self, rtype: &str) -> bool {
        let starts = |prefixes: &[&str]| prefixes.iter().any(|p| rtype.starts_with(p));
        !starts(self.except)
            && (starts(self.prefixes)
                || self.types.contains(&rtype)
                || self.containing.iter().any(|c| rtype.contains(c)))
    }
}

impl Family {
    /// The provider configuration's arguments that give its region, in order.
    pub fn provider_region(&self) -> &'static [&'static str] {
        match self.otherwise {
            Otherwise::Provider(args) => args,
            Otherwise::NoRegion(_) => &[],
        }
    }

    /// Every top-level attribute of a resource the family's rows read.
    fn reads(&self, out: &mut Vec<&'static str>) {
        for step in self.place {
            step.reads(out);
        }
        for row in self.flows {
            row.declares.reads(out);
        }
    }
}

impl Step {
    fn reads(&self, out: &mut Vec<&'static str>) {
        match self {
            Step::Attr(key, _) => out.push(key),
            Step::Only(_, step) => step.reads(out),
            Step::Parent(keys) => out.extend_from_slice(keys),
            Step::CustomPlacement => out.extend(["custom_placement_config", "location"]),
        }
    }
}

impl Declares {
    fn reads(&self, out: &mut Vec<&'static str>) {
        match self {
            Declares::To((path, _))
            | Declares::ToIfSet((path, _))
            | Declares::ReplicaOf((path, _)) => out.push(path[0]),
            Declares::Companion { source, dest } => out.extend([source.0[0], dest.0[0]]),
            Declares::Pair { key, .. } => out.push(key),
            Declares::Members => out.extend(["custom_placement_config", "location"]),
            Declares::OssReplication => out.extend(["bucket", "destination"]),
            Declares::Selection { plan, resources } => out.extend([plan.0[0], resources]),
        }
    }
}

/// The attributes a placement step reads as a place name (`region`, `zone`, `arn`, ...),
/// sorted, each once.
pub(crate) fn place_attrs() -> &'static [&'static str] {
    fn attr(step: &Step) -> Option<&'static str> {
        match step {
            Step::Attr(key, _) => Some(key),
            Step::Only(_, step) => attr(step),
            Step::Parent(_) | Step::CustomPlacement => None,
        }
    }
    static KEYS: OnceLock<Vec<&'static str>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let steps = FAMILIES.iter().flat_map(|f| f.place).chain(NOT_IN_CATALOG);
        let mut out: Vec<&'static str> = steps.filter_map(attr).collect();
        out.sort_unstable();
        out.dedup();
        out
    })
}

/// What every resource is read for whatever its family: the index keys (`arn`, `id`
/// and the name keys of [`super::nodes::NAME_KEYS`]) and the group that scopes names.
const ALWAYS: &[&str] = &["arn", "id", "resource_group_name"];

/// The top-level attributes location, tags and flows read, kept whatever the
/// policies project: every attribute a row of these tables or of the tag tables reads,
/// and [`ALWAYS`]. Sorted, each once.
pub(crate) fn projection() -> &'static [&'static str] {
    static KEYS: OnceLock<Vec<&'static str>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut out: Vec<&'static str> = ALWAYS.to_vec();
        out.extend_from_slice(super::nodes::NAME_KEYS);
        for step in NOT_IN_CATALOG {
            step.reads(&mut out);
        }
        for f in FAMILIES {
            f.reads(&mut out);
        }
        super::tags::reads(&mut out);
        out.sort_unstable();
        out.dedup();
        out
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::adapters::{LoadOptions, Projection, load_bytes};
    use crate::catalog::Catalog;
    use crate::model::Inventory;

    #[test]
    fn global_types() {
        assert!(AWS.global.covers("aws_iam_role"));
        assert!(AWS.global.covers("aws_route53_zone"));
        assert!(!AWS.global.covers("aws_route53_resolver_endpoint"));
        assert!(!AWS.global.covers("aws_s3_bucket"));
        assert!(GOOGLE.global.covers("google_compute_network"));
        assert!(GOOGLE.global.covers("google_storage_bucket_iam_member"));
        assert!(!GOOGLE.global.covers("google_compute_subnetwork"));
        assert!(AZURE.global.covers("azuread_user"));
        assert!(!AZURE.global.covers("azurerm_storage_account"));
        assert!(!family("acme-dc").global.covers("acme_thing"));
    }

    /// A family's probe: its provider source, the type prefix and a region it has
    /// (one with a pair, where there is one, for geo-redundancy).
    struct Probe {
        source: String,
        prefix: String,
        region: String,
    }

    fn probe(catalog: &Catalog, name: &str) -> Probe {
        let source = catalog
            .providers()
            .find(|p| p.family == name)
            .map(|p| p.sources[0].clone())
            .unwrap_or_else(|| panic!("no provider of family {name}"));
        let regions: Vec<_> = catalog.family(name).unwrap().regions().collect();
        let region = regions
            .iter()
            .find(|r| r.pair.is_some())
            .unwrap_or(&regions[0])
            .code
            .clone();
        let prefix = source.rsplit('/').next().unwrap().to_owned();
        Probe {
            source,
            prefix,
            region,
        }
    }

    fn resource(p: &Probe, rtype: &str, name: &str, after: Value) -> Value {
        json!({"address": format!("{rtype}.{name}"), "mode": "managed", "type": rtype,
            "name": name, "provider_name": format!("registry.terraform.io/{}", p.source),
            "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": {}}})
    }

    /// Loads a plan of `resources` keeping every attribute, and keeping none: what
    /// location, tags and flows read must not depend on what the policies project.
    fn both_ways(resources: Vec<Value>) -> Inventory {
        let text = json!({"format_version": "1.2", "resource_changes": resources}).to_string();
        let catalog = Catalog::builtin();
        let mut opts = LoadOptions::new(&catalog);
        let all = load_bytes("plan.json", text.as_bytes(), &opts).unwrap();
        opts.projection = Projection::Keys(Default::default());
        let none = load_bytes("plan.json", text.as_bytes(), &opts).unwrap();
        let facts = |inv: &Inventory| {
            let mut v = serde_json::to_value(inv).unwrap();
            for r in v["resources"].as_array_mut().unwrap() {
                let r = r.as_object_mut().unwrap();
                r.remove("attributes");
                r.remove("unknown_attributes");
            }
            v
        };
        assert_eq!(facts(&all), facts(&none), "{text}");
        all
    }

    /// `{"a": [{"b": value}]}` for the path `a`, `*`, `b`.
    fn nest(path: &[&str], value: Value) -> Value {
        match path.split_first() {
            None => value,
            Some((&"*", rest)) => json!([nest(rest, value)]),
            Some((key, rest)) => json!({ *key: nest(rest, value) }),
        }
    }

    fn arn(region: &str, name: &str) -> String {
        format!("arn:aws:rds:{region}:123456789012:db:{name}")
    }

    /// A value for `reads`, and a planned resource `name` it names (if it names one).
    fn target(p: &Probe, reads: Reads, name: &str) -> (Value, Option<Value>) {
        let r = &p.region;
        match reads {
            Reads::S3Bucket => (
                json!(format!("arn:aws:s3:::{name}")),
                Some(resource(
                    p,
                    "aws_s3_bucket",
                    name,
                    json!({ "bucket": name }),
                )),
            ),
            Reads::Arn => (
                json!(arn(r, name)),
                Some(resource(
                    p,
                    "aws_db_instance",
                    name,
                    json!({ "arn": arn(r, name) }),
                )),
            ),
            Reads::Name(rtype) => (
                json!(name),
                Some(resource(p, rtype, name, json!({ "name": name }))),
            ),
            Reads::Region => (json!(r), None),
            Reads::Qcs => (json!(format!("qcs::cos:{r}::{name}")), None),
        }
    }

    fn reading_value(p: &Probe, reading: Reading) -> String {
        let r = &p.region;
        match reading {
            Reading::Region | Reading::Location => r.clone(),
            Reading::Zone => format!("{r}-a"),
            Reading::Oss => format!("oss-{r}"),
            Reading::Arn => arn(r, "probe"),
            Reading::SelfLink => {
                format!("https://www.googleapis.com/compute/v1/projects/p/zones/{r}-a/disks/d")
            }
        }
    }

    /// Every placement step of every table places a resource that has only what the
    /// step reads, and the same whatever the projection: so the projection holds
    /// every attribute a row reads.
    #[test]
    fn the_projection_covers_every_attribute_a_placement_step_reads() {
        let catalog = Catalog::builtin();
        for f in FAMILIES.iter().filter(|f| f.name != USER.name) {
            let p = probe(&catalog, f.name);
            let plain = format!("{}_probe", p.prefix);
            for step in f.place {
                let (rtype, step) = match step {
                    Step::Only(rtype, step) => (*rtype, *step),
                    step => (plain.as_str(), step),
                };
                let (resources, says) = match step {
                    Step::Attr(key, reading) => {
                        let after = json!({ *key: reading_value(&p, *reading) });
                        (vec![resource(&p, rtype, "probe", after)], *key)
                    }
                    Step::CustomPlacement => {
                        let after = json!({"location": "probe", "custom_placement_config":
                            [{"data_locations": [p.region, p.region]}]});
                        (
                            vec![resource(&p, rtype, "probe", after)],
                            "custom placement",
                        )
                    }
                    Step::Parent(keys) => {
                        for key in *keys {
                            let parent = resource(
                                &p,
                                &plain,
                                "parent",
                                json!({"id": "probe-parent", "name": "probe-parent", "location": p.region}),
                            );
                            let child =
                                resource(&p, rtype, "child", json!({ *key: "probe-parent" }));
                            let inv = both_ways(vec![parent, child]);
                            let how = &inv.resources[1].location.derivation;
                            assert!(
                                how.contains(&format!("`{key}`")),
                                "{}: {key}: {how}",
                                f.name
                            );
                        }
                        continue;
                    }
                    Step::Only(..) => unreachable!("a step for one type is not nested"),
                };
                let inv = both_ways(resources);
                let how = &inv.resources[0].location.derivation;
                assert!(
                    how.contains(says) || (says == "arn" && how.contains("ARN")),
                    "{}: {says}: {how}",
                    f.name
                );
            }
        }
    }

    /// Every flow row declares its flow from a resource that has only what the row
    /// reads (and the resources it names), the same whatever the projection.
    #[test]
    fn the_projection_covers_every_attribute_a_flow_row_reads() {
        let catalog = Catalog::builtin();
        for f in FAMILIES.iter().filter(|f| !f.flows.is_empty()) {
            let p = probe(&catalog, f.name);
            for row in f.flows {
                let mut others = Vec::new();
                let mut at = |(path, reads): At| {
                    let (value, named) = target(&p, reads, &format!("target{}", others.len()));
                    others.extend(named);
                    nest(path, value)
                };
                let mut after = match row.declares {
                    Declares::To(to) | Declares::ToIfSet(to) | Declares::ReplicaOf(to) => at(to),
                    Declares::Companion { source, dest } => {
                        let mut a = at(source);
                        a.as_object_mut()
                            .unwrap()
                            .extend(at(dest).as_object().unwrap().clone());
                        a
                    }
                    Declares::Pair { key, geo } => json!({ key: geo[0] }),
                    Declares::Members => json!({"custom_placement_config":
                        [{"data_locations": [p.region, p.region]}]}),
                    Declares::OssReplication => json!({"bucket": "probe",
                        "destination": [{"bucket": "elsewhere", "location": format!("oss-{}", p.region)}]}),
                    Declares::Selection { plan, resources } => {
                        let copies = json!({"rule": [{"copy_action": [{"destination_vault_arn": arn(&p.region, "vault")}]}]});
                        let mut named = at(plan);
                        others[0]["change"]["after"]
                            .as_object_mut()
                            .unwrap()
                            .extend(copies.as_object().unwrap().clone());
                        others.push(resource(
                            &p,
                            "aws_db_instance",
                            "selected",
                            json!({"arn": "arn:aws:rds:x:1:db:selected"}),
                        ));
                        named[resources] = json!(["arn:aws:rds:x:1:db:selected"]);
                        named
                    }
                };
                if !matches!(row.declares, Declares::Members | Declares::OssReplication) {
                    after["location"] = json!(p.region);
                }
                let mut resources = vec![resource(&p, row.rtype, "probe", after)];
                resources.extend(others);
                let inv = both_ways(resources);
                assert!(
                    inv.resources
                        .iter()
                        .flat_map(|r| &r.flows)
                        .any(|fl| fl.kind == row.kind),
                    "{} {}: no {} flow",
                    f.name,
                    row.rtype,
                    row.kind
                );
            }
        }
    }
}
