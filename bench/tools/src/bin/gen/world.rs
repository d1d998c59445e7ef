//! The fixed world the generated plans describe: providers, their configurations and
//! aliases, modules, resource types and the regions each provider is placed in.
//!
//! Every region named here must be in `bench/rego/catalog.json`; the generator only
//! produces situations whose verdict is unambiguous under the rules documented in
//! `docs/performance.md` (e.g. availability zones always agree with the region).

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Fam {
    Aws,
    Azure,
    Google,
    Ali,
    Tencent,
    Huawei,
    Oci,
}

pub const FAMILIES: &[(Fam, u32)] = &[
    (Fam::Aws, 38),
    (Fam::Azure, 15),
    (Fam::Google, 15),
    (Fam::Ali, 10),
    (Fam::Tencent, 7),
    (Fam::Huawei, 8),
    (Fam::Oci, 7),
];

impl Fam {
    pub fn local(self) -> &'static str {
        match self {
            Fam::Aws => "aws",
            Fam::Azure => "azurerm",
            Fam::Google => "google",
            Fam::Ali => "alicloud",
            Fam::Tencent => "tencentcloud",
            Fam::Huawei => "huaweicloud",
            Fam::Oci => "oci",
        }
    }

    pub fn provider_name(self) -> &'static str {
        match self {
            Fam::Aws => "registry.terraform.io/hashicorp/aws",
            Fam::Azure => "registry.terraform.io/hashicorp/azurerm",
            Fam::Google => "registry.terraform.io/hashicorp/google",
            Fam::Ali => "registry.terraform.io/aliyun/alicloud",
            Fam::Tencent => "registry.terraform.io/tencentcloudstack/tencentcloud",
            Fam::Huawei => "registry.terraform.io/huaweicloud/huaweicloud",
            Fam::Oci => "registry.terraform.io/oracle/oci",
        }
    }

    /// Types that hold data; must match `data_holding_types` in `bench/rego/catalog.json`.
    pub fn holding(self) -> &'static [&'static str] {
        match self {
            Fam::Aws => &[
                "aws_s3_bucket",
                "aws_db_instance",
                "aws_dynamodb_table",
                "aws_ebs_volume",
                "aws_efs_file_system",
                "aws_rds_cluster",
                "aws_elasticache_cluster",
                "aws_redshift_cluster",
                "aws_cloudwatch_log_group",
                "aws_backup_vault",
            ],
            Fam::Azure => &[
                "azurerm_storage_account",
                "azurerm_postgresql_flexible_server",
                "azurerm_mssql_server",
                "azurerm_managed_disk",
                "azurerm_log_analytics_workspace",
            ],
            Fam::Google => &[
                "google_storage_bucket",
                "google_sql_database_instance",
                "google_bigquery_dataset",
                "google_compute_disk",
            ],
            Fam::Ali => &[
                "alicloud_oss_bucket",
                "alicloud_db_instance",
                "alicloud_kvstore_instance",
                "alicloud_polardb_cluster",
            ],
            Fam::Tencent => &[
                "tencentcloud_cos_bucket",
                "tencentcloud_mysql_instance",
                "tencentcloud_redis_instance",
            ],
            Fam::Huawei => &[
                "huaweicloud_obs_bucket",
                "huaweicloud_rds_instance",
                "huaweicloud_dcs_instance",
            ],
            Fam::Oci => &[
                "oci_objectstorage_bucket",
                "oci_database_autonomous_database",
                "oci_core_volume",
            ],
        }
    }

    pub fn other(self) -> &'static [&'static str] {
        match self {
            Fam::Aws => &[
                "aws_iam_role",
                "aws_security_group",
                "aws_instance",
                "aws_lambda_function",
                "aws_sqs_queue",
                "aws_kms_key",
                "aws_subnet",
                "aws_route53_record",
                "aws_iam_policy",
            ],
            Fam::Azure => &[
                "azurerm_resource_group",
                "azurerm_virtual_network",
                "azurerm_network_security_group",
                "azurerm_key_vault",
                "azurerm_linux_virtual_machine",
                "azurerm_public_ip",
            ],
            Fam::Google => &[
                "google_compute_instance",
                "google_service_account",
                "google_compute_network",
                "google_project_iam_member",
            ],
            Fam::Ali => &[
                "alicloud_vpc",
                "alicloud_instance",
                "alicloud_ram_role",
                "alicloud_security_group",
            ],
            Fam::Tencent => &[
                "tencentcloud_vpc",
                "tencentcloud_instance",
                "tencentcloud_security_group",
            ],
            Fam::Huawei => &[
                "huaweicloud_vpc",
                "huaweicloud_compute_instance",
                "huaweicloud_networking_secgroup",
            ],
            Fam::Oci => &["oci_core_vcn", "oci_core_instance", "oci_identity_policy"],
        }
    }

    pub fn data_sources(self) -> &'static [&'static str] {
        match self {
            Fam::Aws => &["aws_iam_policy_document", "aws_caller_identity", "aws_ami"],
            Fam::Azure => &["azurerm_client_config"],
            Fam::Google => &["google_client_config"],
            Fam::Ali => &["alicloud_zones"],
            Fam::Tencent => &["tencentcloud_availability_zones"],
            Fam::Huawei => &["huaweicloud_availability_zones"],
            Fam::Oci => &["oci_identity_availability_domains"],
        }
    }
}

/// How a provider configuration sets its region.
#[derive(Clone, Copy)]
pub enum RegionExpr {
    Const(&'static str),
    /// `references: ["var.<name>"]`, resolved through the plan's root `variables`.
    Var(&'static str),
    /// No region argument: taken from the environment at apply time, so unknown.
    Env,
}

pub struct ProviderCfg {
    pub key: &'static str,
    pub fam: Fam,
    pub alias: Option<&'static str>,
    /// Module that declares this configuration (`module.app`), if not the root.
    pub module: Option<&'static str>,
    pub region: RegionExpr,
    /// Relative weight when a block in a module without its own configuration picks one.
    pub weight: u32,
}

pub const PROVIDERS: &[ProviderCfg] = &[
    pc("aws", Fam::Aws, None, None, RegionExpr::Var("region"), 40),
    pc(
        "aws.eu",
        Fam::Aws,
        Some("eu"),
        None,
        RegionExpr::Const("eu-central-1"),
        15,
    ),
    pc(
        "aws.west",
        Fam::Aws,
        Some("west"),
        None,
        RegionExpr::Var("dr_region"),
        12,
    ),
    pc(
        "aws.hk",
        Fam::Aws,
        Some("hk"),
        None,
        RegionExpr::Const("ap-east-1"),
        8,
    ),
    pc(
        "aws.cn",
        Fam::Aws,
        Some("cn"),
        None,
        RegionExpr::Const("cn-north-1"),
        6,
    ),
    pc("aws.env", Fam::Aws, Some("env"), None, RegionExpr::Env, 3),
    pc("azurerm", Fam::Azure, None, None, RegionExpr::Env, 1),
    pc(
        "google",
        Fam::Google,
        None,
        None,
        RegionExpr::Var("gcp_region"),
        60,
    ),
    pc(
        "google.eu",
        Fam::Google,
        Some("eu"),
        None,
        RegionExpr::Const("europe-west3"),
        40,
    ),
    pc(
        "alicloud",
        Fam::Ali,
        None,
        None,
        RegionExpr::Var("ali_region"),
        50,
    ),
    pc(
        "alicloud.us_east",
        Fam::Ali,
        Some("us_east"),
        None,
        RegionExpr::Const("us-east-1"),
        20,
    ),
    pc(
        "alicloud.hk",
        Fam::Ali,
        Some("hk"),
        None,
        RegionExpr::Const("cn-hongkong"),
        15,
    ),
    pc(
        "tencentcloud",
        Fam::Tencent,
        None,
        None,
        RegionExpr::Const("na-siliconvalley"),
        50,
    ),
    pc(
        "tencentcloud.gz",
        Fam::Tencent,
        Some("gz"),
        None,
        RegionExpr::Const("ap-guangzhou"),
        50,
    ),
    pc(
        "huaweicloud",
        Fam::Huawei,
        None,
        None,
        RegionExpr::Const("ap-southeast-1"),
        60,
    ),
    pc(
        "huaweicloud.sa",
        Fam::Huawei,
        Some("sa"),
        None,
        RegionExpr::Const("sa-brazil-1"),
        40,
    ),
    pc(
        "oci",
        Fam::Oci,
        None,
        None,
        RegionExpr::Var("oci_region"),
        60,
    ),
    pc(
        "oci.fra",
        Fam::Oci,
        Some("fra"),
        None,
        RegionExpr::Const("eu-frankfurt-1"),
        40,
    ),
    pc(
        "module.app:aws",
        Fam::Aws,
        None,
        Some("module.app"),
        RegionExpr::Const("eu-west-1"),
        0,
    ),
    pc(
        "module.cn:alicloud",
        Fam::Ali,
        None,
        Some("module.cn"),
        RegionExpr::Const("cn-shanghai"),
        0,
    ),
    pc(
        "module.cn:tencentcloud",
        Fam::Tencent,
        None,
        Some("module.cn"),
        RegionExpr::Const("ap-shanghai"),
        0,
    ),
];

const fn pc(
    key: &'static str,
    fam: Fam,
    alias: Option<&'static str>,
    module: Option<&'static str>,
    region: RegionExpr,
    weight: u32,
) -> ProviderCfg {
    ProviderCfg {
        key,
        fam,
        alias,
        module,
        region,
        weight,
    }
}

/// Root module variables: (name, value). Region variables feed provider configurations.
pub const VARIABLES: &[(&str, &str)] = &[
    ("ali_region", "us-west-1"),
    ("dr_region", "us-west-2"),
    ("environment", "prod"),
    ("gcp_region", "us-central1"),
    ("oci_region", "us-ashburn-1"),
    ("owner", "platform-team"),
    ("project", "acme-data"),
    ("region", "us-east-1"),
];

pub fn variable(name: &str) -> &'static str {
    VARIABLES
        .iter()
        .find(|v| v.0 == name)
        .map(|v| v.1)
        .expect("declared variable")
}

/// The region a provider configuration resolves to, `None` when it is unknown.
pub fn provider_region(key: &str) -> Option<&'static str> {
    let cfg = PROVIDERS
        .iter()
        .find(|p| p.key == key)
        .expect("declared provider");
    match cfg.region {
        RegionExpr::Const(r) => Some(r),
        RegionExpr::Var(v) => Some(variable(v)),
        RegionExpr::Env => None,
    }
}

/// A module in the configuration and its instances in the plan.
pub struct ModuleSpec {
    /// Path of module call names from the root (`["platform", "storage"]`).
    pub path: &'static [&'static str],
    pub source: &'static str,
    /// Instance keys: `None` for a single instance, `count` integers or `for_each` strings.
    pub instances: Instances,
    pub weight: u32,
}

pub enum Instances {
    One,
    Count(usize),
    Each(&'static [&'static str]),
}

pub const MODULES: &[ModuleSpec] = &[
    ModuleSpec {
        path: &[],
        source: "",
        instances: Instances::One,
        weight: 35,
    },
    ModuleSpec {
        path: &["app"],
        source: "./modules/app",
        instances: Instances::One,
        weight: 10,
    },
    ModuleSpec {
        path: &["data"],
        source: "./modules/data-store",
        instances: Instances::Count(3),
        weight: 15,
    },
    ModuleSpec {
        path: &["region"],
        source: "./modules/regional",
        instances: Instances::Each(&["eu", "hk", "us"]),
        weight: 10,
    },
    ModuleSpec {
        path: &["platform"],
        source: "app.terraform.io/acme/platform/aws",
        instances: Instances::One,
        weight: 10,
    },
    ModuleSpec {
        path: &["platform", "storage"],
        source: "./storage",
        instances: Instances::One,
        weight: 8,
    },
    ModuleSpec {
        path: &["platform", "storage", "backup"],
        source: "./backup",
        instances: Instances::One,
        weight: 5,
    },
    ModuleSpec {
        path: &["cn"],
        source: "./modules/china",
        instances: Instances::One,
        weight: 7,
    },
];

/// AWS regions set per resource by `module.region["<key>"]` (AWS provider v6 `region`).
pub fn regional_module_region(key: &str) -> &'static str {
    match key {
        "eu" => "eu-west-1",
        "hk" => "ap-east-1",
        _ => "us-east-2",
    }
}

/// AWS types of global services: they never get a resource-level `region`.
pub const AWS_GLOBAL_TYPES: &[&str] = &["aws_iam_role", "aws_iam_policy", "aws_route53_record"];

/// Regions a resource-level `region` argument picks from (AWS v6 and Huawei).
pub const AWS_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "eu-west-2",
    "ap-east-1",
    "ap-southeast-1",
    "ap-northeast-1",
    "sa-east-1",
    "ca-central-1",
    "cn-northwest-1",
];
pub const HUAWEI_REGIONS: &[&str] = &[
    "ap-southeast-1",
    "ap-southeast-3",
    "cn-north-4",
    "cn-east-3",
    "sa-brazil-1",
    "tr-west-1",
    "af-south-1",
];
/// Azure locations: (normalised name, display name). Both spellings appear in plans.
pub const AZURE_LOCATIONS: &[(&str, &str)] = &[
    ("eastus", "East US"),
    ("westus", "West US"),
    ("southcentralus", "South Central US"),
    ("westeurope", "West Europe"),
    ("northeurope", "North Europe"),
    ("germanywestcentral", "Germany West Central"),
    ("uksouth", "UK South"),
    ("eastasia", "East Asia"),
    ("southeastasia", "Southeast Asia"),
    ("japaneast", "Japan East"),
    ("brazilsouth", "Brazil South"),
    ("chinaeast2", "China East 2"),
];
pub const GCS_LOCATIONS: &[&str] = &[
    "US",
    "EU",
    "NAM4",
    "EUR4",
    "ASIA1",
    "US-CENTRAL1",
    "EUROPE-WEST3",
    "ASIA-EAST2",
    "SOUTHAMERICA-EAST1",
];
pub const BIGQUERY_LOCATIONS: &[&str] =
    &["US", "EU", "europe-west3", "asia-northeast1", "us-east1"];
pub const GOOGLE_REGIONS: &[&str] = &[
    "us-central1",
    "us-east1",
    "europe-west1",
    "asia-east2",
    "southamerica-east1",
];
pub const GOOGLE_ZONES: &[&str] = &[
    "us-central1-a",
    "us-east1-b",
    "europe-west1-b",
    "europe-west3-c",
    "asia-east2-a",
    "asia-northeast1-a",
];

/// Where a resource type takes its location from, besides its provider configuration.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum LocAttr {
    /// Only the provider configuration (or an optional `region` override for AWS/Huawei).
    Provider,
    Region,
    Location,
    Zone,
}

pub fn loc_attr(fam: Fam, ty: &str) -> LocAttr {
    match fam {
        Fam::Azure => LocAttr::Location,
        Fam::Google => match ty {
            "google_storage_bucket" | "google_bigquery_dataset" => LocAttr::Location,
            "google_sql_database_instance" => LocAttr::Region,
            "google_compute_disk" | "google_compute_instance" => LocAttr::Zone,
            _ => LocAttr::Provider,
        },
        _ => LocAttr::Provider,
    }
}

pub const CLASS_KEYS: &[&str] = &[
    "data-classification",
    "data_classification",
    "DataClassification",
    "Data-Classification",
    "dataClassification",
];
pub const SUBJECT_KEYS: &[&str] = &[
    "data-subjects",
    "data_subjects",
    "DataSubjects",
    "Data-Subjects",
];
/// Google label keys and values allow only lowercase letters, digits, `_` and `-`.
pub const LABEL_CLASS_KEYS: &[&str] = &["data-classification", "data_classification"];
pub const LABEL_SUBJECT_KEYS: &[&str] = &["data-subjects", "data_subjects"];

pub const CLASS_VALUES: &[(&str, u32)] = &[
    ("personal", 14),
    ("PII", 8),
    ("pii", 6),
    ("Personal", 3),
    ("sensitive-personal", 4),
    ("phi", 3),
    ("PCI", 2),
    ("health", 2),
    ("financial", 3),
    ("biometric", 1),
    ("confidential", 10),
    ("Confidential", 2),
    ("internal", 10),
    ("public", 8),
    ("ip", 2),
    ("trade-secret", 2),
    ("intellectual-property", 3),
];
pub const PROTECTED_CLASS_VALUES: &[&str] = &[
    "personal",
    "PII",
    "pii",
    "phi",
    "sensitive-personal",
    "financial",
];

pub const SUBJECT_VALUES: &[(&str, u32)] = &[
    ("US", 14),
    ("us", 4),
    ("US,CA", 4),
    ("us_eu", 4),
    ("US, MX", 2),
    ("us-eu", 2),
    ("EU,GB", 4),
    ("EU", 6),
    ("EEA", 3),
    ("DE FR", 2),
    ("de", 2),
    ("GB", 3),
    ("JP", 2),
    ("BR", 2),
    ("CN", 1),
];
pub const US_SUBJECT_VALUES: &[&str] = &["US", "us", "US,CA", "us_eu", "US, MX"];
pub const EU_SUBJECT_VALUES: &[&str] = &["EU", "EU,GB", "DE FR", "EEA", "eu_us"];

pub const WORDS: &[&str] = &[
    "logs", "raw", "curated", "archive", "backup", "events", "orders", "billing", "users", "audit",
    "metrics", "media", "exports", "sessions", "ledger", "catalog", "search", "ml", "reports",
    "cache",
];
pub const FOR_EACH_KEYS: &[&str] = &[
    "logs",
    "raw",
    "curated",
    "archive",
    "backup",
    "primary",
    "secondary",
    "blue",
    "green",
    "tenant-a",
    "tenant-b",
];
