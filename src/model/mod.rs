//! The resource model: what every adapter produces and every policy reads.
//!
//! A policy never sees Terraform; it sees [`Inventory`]. Any field that cannot be
//! known before apply is [`Known::Unknown`], so rules can tell "not US" from "not
//! known yet". The same types serialise to the generic inventory document
//! (`docs/inventory.md`), which is also the input of compiled WebAssembly modules.

#![forbid(unsafe_code)]

mod known;

pub use known::Known;

use std::sync::Arc;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Version of the generic inventory document this build reads and writes.
pub const INVENTORY_VERSION: u32 = 1;

/// Everything juris knows about the infrastructure under check.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    /// Always [`INVENTORY_VERSION`] when written by this build.
    pub version: u32,
    /// The date exceptions are judged against, when the document fixes one
    /// (compiled WebAssembly modules read it from here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub today: Option<String>,
    /// The input files the resources came from, in the order given.
    #[serde(default)]
    pub inputs: Vec<InputInfo>,
    /// Managed resources, in input order; data sources never appear here.
    pub resources: Vec<Resource>,
    /// Things the adapter could not resolve but did not need to reject.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    /// The catalog sources the custody chains cite, by id, for readers of `juris
    /// inventory`. Never read from a document: the chains' `sources` are what count.
    #[serde(
        default,
        skip_deserializing,
        skip_serializing_if = "IndexMap::is_empty"
    )]
    pub sources: IndexMap<String, SourceRef>,
}

/// A catalog source as `juris inventory` cites it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    /// The source's title.
    pub title: String,
    /// Where to read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When it was read, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<String>,
}

/// One input file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InputInfo {
    /// The path as given on the command line (`-` for stdin).
    pub name: String,
    /// `terraform-plan`, `terraform-state` or `inventory`.
    pub kind: String,
    /// The producing tool's version where the input records it (e.g. `terraform_version`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_version: Option<String>,
}

/// One managed resource after the planned change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// Full address, e.g. `module.analytics.aws_s3_bucket.raw["logs"]`.
    pub address: String,
    /// Resource type, e.g. `aws_s3_bucket`.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Resource name within its module, e.g. `raw`.
    pub name: String,
    /// `managed`; data sources are not resources and never appear.
    #[serde(default = "managed")]
    pub mode: String,
    /// Planned actions: `create`, `update`, `delete`, `no-op`, `read`. A replace is
    /// `["delete", "create"]` or `["create", "delete"]`. Empty for state inputs.
    #[serde(default)]
    pub actions: Vec<String>,
    /// Name of the input file this resource came from (see [`Inventory::inputs`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// The provider the resource is managed by.
    pub provider: Provider,
    /// Where its data is.
    pub location: Location,
    /// Who holds the data: the region's operator if it has one, else the provider's company.
    pub custody: Custody,
    /// Tags or labels, merged across provider conventions (`tags_all`, `labels`, default tags).
    #[serde(default = "known_empty_map")]
    pub tags: Known<IndexMap<String, Known<String>>>,
    /// Raw planned attribute values (possibly only the ones the policies read).
    #[serde(default = "empty_object")]
    pub attributes: serde_json::Value,
    /// Which parts of `attributes` are unknown until apply, in the shape of Terraform's
    /// `after_unknown`: `true` marks an unknown value, objects and arrays mirror
    /// `attributes`. `null` (or absent) when nothing is unknown.
    #[serde(default, skip_serializing_if = "is_nothing_unknown")]
    pub unknown_attributes: serde_json::Value,
    /// Where copies of this resource's data go, transitively.
    #[serde(default)]
    pub flows: Vec<Flow>,
    /// The Terraform source block that declares it, where juris read the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Declaration>,
}

/// Where something is declared in Terraform source: a `.tf` file relative to the
/// repository root, and the first and last line of the block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    /// `/`-separated path relative to the repository root (the git work tree holding
    /// the source, else the current directory), e.g. `infra/main.tf`.
    pub file: String,
    /// 1-based line of the block's first line.
    pub line: u32,
    /// 1-based line of the block's closing brace.
    pub end_line: u32,
}

/// The provider configuration a resource is bound to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Provider {
    /// Registry source without host, e.g. `hashicorp/aws`.
    pub source: String,
    /// Configuration alias (`eu` for `aws.eu`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Provider family used to key catalogs (`aws`, `azure`, `google`, ...), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// The company that operates the cloud behind the provider; unknown for a provider
    /// the catalog does not describe, `"none"` for a utility provider (`hashicorp/random`,
    /// `null`, `time`, ...) that holds no data at a cloud.
    pub company: Known<String>,
    /// ISO 3166-1 alpha-2 code of the jurisdiction that company is controlled from
    /// (`"none"` for a utility provider, which never equals a country code).
    pub jurisdiction: Known<String>,
}

/// Where a resource's data sits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Region code as the provider names it, normalised (`eu-central-1`, `westeurope`,
    /// `US`, `NAM4`). `null` for global resources that have no region (IAM, DNS, Google
    /// networks) and for utility providers.
    pub region: Known<Option<String>>,
    /// ISO 3166-1 alpha-2 codes of every country the data may sit in, sorted. `[]` when
    /// the region is `null`: a global resource holds no data in any one country, so a
    /// rule "every country is in the EU" holds for it and its custody alone decides.
    /// Known even with an unknown region when every region of the family has the same
    /// countries.
    pub countries: Known<Vec<String>>,
    /// The region's operator, where it differs from the provider's company
    /// (AWS China, Azure China).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<Company>,
    /// How the region was found, in words, for explanations and `juris inventory`, e.g.
    /// "provider `aws.eu` configured in the root module; region from `var.region` =
    /// `eu-central-1`".
    pub derivation: String,
}

/// A company and the jurisdiction it is controlled from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    /// The legal name.
    pub name: String,
    /// ISO 3166-1 alpha-2 code.
    pub jurisdiction: String,
}

/// Custody of a resource's data: the region's operator if it has one, else the
/// provider's company. With the region unknown it is still known when every region of
/// the provider's family has the same holder (Tencent Cloud), and unknown when they
/// differ (AWS, whose China regions are run by Sinnet and NWCD).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "CustodyDoc")]
pub struct Custody {
    /// The holder: the company that runs the region and holds the data.
    pub company: Known<String>,
    /// ISO 3166-1 alpha-2 code of the jurisdiction the holder itself is run from (its
    /// owners, when elsewhere, are in `chain`).
    pub jurisdiction: Known<String>,
    /// The chain of control: the holder first (`control` = `operator`), then every
    /// company with a hold over it, each stating its relation to the holder. Shared,
    /// because every resource in a region has the same chain. A document without it
    /// has the holder alone.
    pub chain: Known<Arc<[Link]>>,
}

/// One company in a chain of control, with where it is run from and how it holds
/// the data's holder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The company's legal name.
    pub company: String,
    /// ISO 3166-1 alpha-2 code.
    pub jurisdiction: String,
    /// How it holds the holder, one of [`CONTROLS`]: `operator` (it is the holder),
    /// `parent` (controls it, directly or through other parents: wholly, by majority
    /// or jointly), `shareholder` (holds a stake, e.g. in a joint venture, without
    /// control), `licensor` (the holder runs the cloud on its technology under
    /// licence).
    pub control: String,
    /// Ids of the catalog sources (`catalog/sources.toml`) that state the link.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// The kinds of [`Link::control`], from the holder outwards.
pub const CONTROLS: &[&str] = &["operator", "parent", "shareholder", "licensor"];

/// The document's custody: `chain` may be absent (older documents, other tools).
#[derive(Deserialize)]
struct CustodyDoc {
    company: Known<String>,
    jurisdiction: Known<String>,
    #[serde(default)]
    chain: Option<Known<Arc<[Link]>>>,
}

impl From<CustodyDoc> for Custody {
    fn from(d: CustodyDoc) -> Custody {
        let chain = d
            .chain
            .unwrap_or_else(|| Custody::holder_alone(&d.company, &d.jurisdiction));
        Custody {
            company: d.company,
            jurisdiction: d.jurisdiction,
            chain,
        }
    }
}

/// An edge from a resource to a place its data is copied to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    /// What copies the data: `s3-replication`, `dynamodb-replica`, `rds-read-replica`,
    /// `backup-copy`, `secret-replica`, `gcs-dual-region`, `cloudsql-replica`,
    /// `cloudsql-backup`, `azure-geo-redundancy`, `cosmosdb-geo-replica`,
    /// `oss-replication`, `rds-cross-region-backup`, `cos-replication`,
    /// `obs-replication` (docs/inventory.md describes each).
    pub kind: String,
    /// The destination: a resource address when it is in the input, otherwise what the
    /// attribute names (an ARN, a bucket name, a region).
    pub target: String,
    /// True when `target` is the address of a resource in the inventory.
    #[serde(default)]
    pub in_inventory: bool,
    /// The attribute that declares the copy, with the address of the resource it is on
    /// (the source, a companion such as a replication configuration, or for a flow of
    /// depth 2 and more the intermediate hop), e.g.
    /// `aws_s3_bucket_replication_configuration.r.rule[0].destination[0].bucket`.
    pub via: String,
    /// Number of hops from the source (1 = direct).
    #[serde(default = "one")]
    pub depth: u32,
    /// Where the copy is.
    pub location: Location,
    /// Who holds the copy.
    pub custody: Custody,
    /// The source block of the resource that declares the copy (the `via` resource),
    /// where juris read the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Declaration>,
}

/// A non-fatal problem found while reading an input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// What is wrong, in words.
    pub message: String,
    /// The input it was found in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// The resource it concerns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

impl Custody {
    /// Custody of data in a region: the region operator if there is one, else the
    /// provider; its chain is the holder alone (the adapters add what the catalog
    /// knows of its owners).
    pub fn of(provider: &Provider, location: &Location) -> Custody {
        let (company, jurisdiction) = match &location.operator {
            Some(op) => (
                Known::Known(op.name.clone()),
                Known::Known(op.jurisdiction.clone()),
            ),
            None => (provider.company.clone(), provider.jurisdiction.clone()),
        };
        let chain = Custody::holder_alone(&company, &jurisdiction);
        Custody {
            company,
            jurisdiction,
            chain,
        }
    }

    /// Custody nobody can tell: holder, jurisdiction and chain unknown.
    pub fn unknown() -> Custody {
        Custody {
            company: Known::Unknown,
            jurisdiction: Known::Unknown,
            chain: Known::Unknown,
        }
    }

    /// The chain of a holder nothing more is known about: itself, or unknown when it is.
    pub fn holder_alone(
        company: &Known<String>,
        jurisdiction: &Known<String>,
    ) -> Known<Arc<[Link]>> {
        match (company, jurisdiction) {
            (Known::Known(c), Known::Known(j)) => Known::Known(Arc::from([Link {
                company: c.clone(),
                jurisdiction: j.clone(),
                control: CONTROLS[0].to_owned(),
                sources: Vec::new(),
            }])),
            _ => Known::Unknown,
        }
    }
}

impl Flow {
    /// The address of the resource that declares the copy: the longest start of `via`
    /// (`aws_s3_bucket_replication_configuration.r.rule[0].destination[0].bucket`)
    /// that `exists` says is a resource.
    pub fn via_resource(&self, exists: impl Fn(&str) -> bool) -> Option<&str> {
        let via = self.via.as_str();
        std::iter::once(via.len())
            .chain(
                via.char_indices()
                    .rev()
                    .filter(|&(_, c)| c == '.' || c == '[')
                    .map(|(i, _)| i),
            )
            .map(|end| &via[..end])
            .find(|a| exists(a))
    }
}

impl Location {
    /// A location that cannot be known at plan time, with the reason.
    pub fn unknown(derivation: impl Into<String>) -> Location {
        Location {
            region: Known::Unknown,
            countries: Known::Unknown,
            operator: None,
            derivation: derivation.into(),
        }
    }
}

fn is_nothing_unknown(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Null => true,
        serde_json::Value::Object(m) => m.is_empty(),
        _ => false,
    }
}

impl Resource {
    /// The unknown-attributes tree, when anything is unknown.
    pub fn unknown_tree(&self) -> Option<&serde_json::Value> {
        (!is_nothing_unknown(&self.unknown_attributes)).then_some(&self.unknown_attributes)
    }
}

/// Build an `after_unknown`-shaped tree from RFC 6901 pointers, using `attributes` to
/// tell arrays (numeric segments of a list) from objects.
pub fn unknown_tree_from_pointers<'a>(
    pointers: impl IntoIterator<Item = &'a str>,
    attributes: &serde_json::Value,
) -> serde_json::Value {
    use serde_json::Value;
    let mut tree = Value::Null;
    for pointer in pointers {
        if pointer.is_empty() {
            return Value::Bool(true);
        }
        let segments: Vec<String> = pointer
            .trim_start_matches('/')
            .split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect();
        let mut node = &mut tree;
        let mut shape = Some(attributes);
        for (i, seg) in segments.iter().enumerate() {
            let last = i + 1 == segments.len();
            let index = seg
                .parse::<usize>()
                .ok()
                .filter(|_| matches!(shape, Some(Value::Array(_))));
            match index {
                Some(n) => {
                    if !node.is_array() {
                        *node = Value::Array(Vec::new());
                    }
                    let Value::Array(items) = node else { break };
                    if items.len() <= n {
                        items.resize(n + 1, Value::Object(Default::default()));
                    }
                    shape = shape.and_then(|s| s.get(n));
                    node = &mut items[n];
                }
                None => {
                    if !node.is_object() {
                        *node = Value::Object(Default::default());
                    }
                    let Value::Object(map) = node else { break };
                    shape = shape.and_then(|s| s.get(seg.as_str()));
                    node = map
                        .entry(seg.clone())
                        .or_insert(Value::Object(Default::default()));
                }
            }
            if last {
                *node = Value::Bool(true);
            }
        }
    }
    tree
}

fn managed() -> String {
    "managed".to_owned()
}

fn one() -> u32 {
    1
}

fn known_empty_map() -> Known<IndexMap<String, Known<String>>> {
    Known::Known(IndexMap::new())
}

fn empty_object() -> serde_json::Value {
    serde_json::Value::Object(Default::default())
}

/// The inventory document with its resource list written by `resources`, and for a
/// WebAssembly module's input the run's `today` (in place of the inventory's own) and
/// `fail_on` (last). With `&inventory.resources` and no run it is, byte for byte, what
/// [`Inventory`] serialises to; `juris inventory` passes a list that reads each
/// resource's attributes as it is written. Serialise it with serde_json.
pub struct Document<'a, R> {
    /// Everything but the resource list is written from here.
    pub inventory: &'a Inventory,
    /// The resource list, e.g. `&inventory.resources`.
    pub resources: R,
    /// `today` (`YYYY-MM-DD`) and `fail_on` (`advisory`, `soft`, `hard`) of a run, for a
    /// module's input.
    pub run: Option<(&'a str, &'a str)>,
}

impl<R: Serialize> Serialize for Document<'_, R> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let inv = self.inventory;
        let mut doc = s.serialize_struct("Inventory", 7)?;
        doc.serialize_field("version", &inv.version)?;
        match self.run.map(|(today, _)| today).or(inv.today.as_deref()) {
            Some(today) => doc.serialize_field("today", today)?,
            None => doc.skip_field("today")?,
        }
        doc.serialize_field("inputs", &inv.inputs)?;
        doc.serialize_field("resources", &self.resources)?;
        if inv.warnings.is_empty() {
            doc.skip_field("warnings")?;
        } else {
            doc.serialize_field("warnings", &inv.warnings)?;
        }
        if inv.sources.is_empty() {
            doc.skip_field("sources")?;
        } else {
            doc.serialize_field("sources", &inv.sources)?;
        }
        if let Some((_, fail_on)) = self.run {
            doc.serialize_field("fail_on", fail_on)?;
        }
        doc.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_writes_what_the_inventory_serialises_to() {
        let text = r#"{"version": 1, "today": "2026-01-02", "inputs": [{"name": "a", "kind": "inventory"}],
            "resources": [], "warnings": [{"message": "m"}]}"#;
        let mut inv: Inventory = serde_json::from_str(text).unwrap();
        inv.sources.insert("s".into(), SourceRef::default());
        for inv in [inv.clone(), Inventory::default()] {
            let document = Document {
                inventory: &inv,
                resources: &inv.resources,
                run: None,
            };
            assert_eq!(
                serde_json::to_string_pretty(&document).unwrap(),
                serde_json::to_string_pretty(&inv).unwrap()
            );
        }
        let run = Document {
            inventory: &inv,
            resources: &inv.resources,
            run: Some(("2030-01-01", "hard")),
        };
        let v: serde_json::Value = serde_json::to_value(&run).unwrap();
        assert_eq!(v["today"], "2030-01-01");
        assert_eq!(v["fail_on"], "hard");
    }

    #[test]
    fn a_flow_names_the_resource_that_declares_it() {
        let flow = Flow {
            kind: "s3-replication".into(),
            target: "aws_s3_bucket.replica".into(),
            in_inventory: true,
            via: "module.m[\"a\"].aws_s3_bucket_replication_configuration.r.rule[0].destination[0].bucket"
                .into(),
            depth: 1,
            location: Location::unknown(""),
            custody: Custody::unknown(),
            source: None,
        };
        let exists = |a: &str| a == "module.m[\"a\"].aws_s3_bucket_replication_configuration.r";
        assert_eq!(
            flow.via_resource(exists),
            Some("module.m[\"a\"].aws_s3_bucket_replication_configuration.r")
        );
        assert_eq!(flow.via_resource(|_| false), None);
    }
}
