//! Catalogs: where each region is and who controls each provider and region operator.
//!
//! The built-in data (TOML under `catalog/`, sources in `docs/catalog.md`) is compiled
//! into the binary; users extend or override it at run time with files of the same shape
//! ([`Catalog::extend_from_toml`]), e.g. a private cloud family `acme-dc`.

#![forbid(unsafe_code)]

mod err;
mod iso;
mod load;
// Public for the artifact's tests and benchmarks only.
#[doc(hidden)]
pub mod prebuilt;

pub use err::CatalogError;
pub use iso::is_country;

use indexmap::IndexMap;
use rustc_hash::{FxBuildHasher, FxHashMap};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The built-in catalog files, in load order: sources, then providers and operators,
/// then one region file per family (regions name operators, so operators come first).
const BUILTIN: &[(&str, &str)] = &[
    (
        "catalog/sources.toml",
        include_str!("../../catalog/sources.toml"),
    ),
    (
        "catalog/providers.toml",
        include_str!("../../catalog/providers.toml"),
    ),
    (
        "catalog/regions/aws.toml",
        include_str!("../../catalog/regions/aws.toml"),
    ),
    (
        "catalog/regions/azure.toml",
        include_str!("../../catalog/regions/azure.toml"),
    ),
    (
        "catalog/regions/google.toml",
        include_str!("../../catalog/regions/google.toml"),
    ),
    (
        "catalog/regions/alicloud.toml",
        include_str!("../../catalog/regions/alicloud.toml"),
    ),
    (
        "catalog/regions/tencentcloud.toml",
        include_str!("../../catalog/regions/tencentcloud.toml"),
    ),
    (
        "catalog/regions/huaweicloud.toml",
        include_str!("../../catalog/regions/huaweicloud.toml"),
    ),
    (
        "catalog/regions/oci.toml",
        include_str!("../../catalog/regions/oci.toml"),
    ),
];

/// Regions, providers and operators, with where each fact came from.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Catalog {
    sources: IndexMap<String, SourceEntry>,
    providers: Vec<ProviderEntry>,
    /// `namespace/type` → index into `providers`; a later file's claim on a source wins.
    by_source: FxHashMap<String, usize>,
    utilities: Vec<UtilityEntry>,
    utility_by_source: FxHashMap<String, usize>,
    operators: IndexMap<String, OperatorEntry, FxBuildHasher>,
    families: IndexMap<String, Family, FxBuildHasher>,
    origins: Vec<String>,
}

/// A cited source (`[sources.<id>]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceEntry {
    /// The source's title.
    pub title: String,
    /// Where to read it.
    pub url: Option<String>,
    /// Registry packages the facts were read from, pinned (`pypi:botocore==1.44.8`);
    /// `catalog/verify/verify.py` checks the catalog against them.
    pub packages: Vec<String>,
    /// When it was read, `YYYY-MM-DD`.
    pub retrieved: Option<String>,
    /// A remark for the reader of the catalog.
    pub note: Option<String>,
    /// The file this entry was read from.
    pub origin: String,
}

/// A cloud behind one or more Terraform providers (`[[provider]]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProviderEntry {
    /// Key of the region catalog (`aws`, `azure`, `google`, ...).
    pub family: String,
    /// Registry addresses without host, lower case (`hashicorp/aws`).
    pub sources: Vec<String>,
    /// The company that runs the cloud.
    pub company: String,
    /// The group it belongs to, as the provider names it.
    pub parent: Option<String>,
    /// ISO 3166-1 alpha-2 code of the jurisdiction the company is controlled from.
    pub jurisdiction: String,
    /// Companies with a hold over `company`; empty when only `parent` is known.
    pub controllers: Vec<Controller>,
    /// Ids of the `[sources.<id>]` entries that back this entry.
    pub refs: Vec<String>,
    /// A remark for the reader of the catalog.
    pub note: Option<String>,
    /// The catalog file this entry was read from.
    pub origin: String,
}

/// A company that operates some regions in place of the provider (`[[operator]]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OperatorEntry {
    /// The id regions name it by (`operator = "..."`).
    pub id: String,
    /// The company that runs the regions.
    pub company: String,
    /// Where the operator itself is run from; its owners are in `controllers`.
    pub jurisdiction: String,
    /// Companies with a hold over it.
    pub controllers: Vec<Controller>,
    /// Ids of the `[sources.<id>]` entries that back this entry.
    pub refs: Vec<String>,
    /// A remark for the reader of the catalog.
    pub note: Option<String>,
    /// The catalog file this entry was read from.
    pub origin: String,
}

/// A company with a hold over a provider's company or a region operator (one entry of
/// `controllers = [...]`), stated relative to that holder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Controller {
    /// The company's legal name.
    pub company: String,
    /// ISO 3166-1 alpha-2 code of where this company is run from.
    pub jurisdiction: String,
    /// How it holds the holder.
    pub control: Control,
    /// At least one source: a chain link is a fact like any other.
    pub refs: Vec<String>,
    /// A remark for the reader of the catalog.
    pub note: Option<String>,
}

/// How a controller holds the holder of the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Control {
    /// Controls the holder, directly or through other parents: wholly, by majority or
    /// jointly with another parent.
    Parent,
    /// Holds a stake (a joint-venture share, a minority holding) without control.
    Shareholder,
    /// The holder runs the cloud on this company's technology under licence.
    Licensor,
}

impl Control {
    /// The word the model and the language use (`parent`, `shareholder`, `licensor`).
    pub fn as_str(self) -> &'static str {
        match self {
            Control::Parent => "parent",
            Control::Shareholder => "shareholder",
            Control::Licensor => "licensor",
        }
    }
}

/// One link of a holder's chain of control, borrowed from the catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainLink<'a> {
    /// The company's legal name.
    pub company: &'a str,
    /// ISO 3166-1 alpha-2 code of where it is run from.
    pub jurisdiction: &'a str,
    /// `operator` for the holder itself, else [`Control::as_str`].
    pub control: &'static str,
    /// Ids of the sources that back the link.
    pub refs: &'a [String],
}

impl ProviderEntry {
    /// The provider's company and what controls it: its `controllers` when given, else
    /// its `parent` (when that is another company) as a parent run from the same
    /// jurisdiction, since `jurisdiction` is where the group is run from.
    pub fn chain(&self) -> Vec<ChainLink<'_>> {
        let mut out = vec![ChainLink::holder(
            &self.company,
            &self.jurisdiction,
            &self.refs,
        )];
        match (&self.parent, self.controllers.is_empty()) {
            (Some(parent), true) if parent != &self.company => out.push(ChainLink {
                company: parent,
                jurisdiction: &self.jurisdiction,
                control: Control::Parent.as_str(),
                refs: &self.refs,
            }),
            _ => out.extend(self.controllers.iter().map(Controller::link)),
        }
        out
    }
}

impl OperatorEntry {
    /// The operator and what controls it.
    pub fn chain(&self) -> Vec<ChainLink<'_>> {
        let mut out = vec![ChainLink::holder(
            &self.company,
            &self.jurisdiction,
            &self.refs,
        )];
        out.extend(self.controllers.iter().map(Controller::link));
        out
    }
}

impl<'a> ChainLink<'a> {
    /// The first link: the company that holds the data.
    fn holder(company: &'a str, jurisdiction: &'a str, refs: &'a [String]) -> ChainLink<'a> {
        ChainLink {
            company,
            jurisdiction,
            control: "operator",
            refs,
        }
    }
}

impl Controller {
    fn link(&self) -> ChainLink<'_> {
        ChainLink {
            company: &self.company,
            jurisdiction: &self.jurisdiction,
            control: self.control.as_str(),
            refs: &self.refs,
        }
    }
}

/// Providers that hold no cloud data (`hashicorp/random`, `null`, `time`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UtilityEntry {
    /// Registry addresses without host, lower case (`hashicorp/random`).
    pub sources: Vec<String>,
    /// A remark for the reader of the catalog.
    pub note: Option<String>,
    /// The catalog file this entry was read from.
    pub origin: String,
}

/// The regions of one provider family.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Family {
    /// The family key (`aws`, `azure`, `google`, ...).
    pub name: String,
    /// Ids of the `[sources.<id>]` entries that back this entry.
    pub refs: Vec<String>,
    /// Keyed by [`normalise_code`] of the region code.
    regions: IndexMap<String, RegionEntry, FxBuildHasher>,
}

/// One region, multi-region or dual-region.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegionEntry {
    /// The provider's spelling (`eu-central-1`, `westeurope`, `US`, `NAM4`).
    pub code: String,
    /// The provider's display name (`Europe (Frankfurt)`).
    pub name: String,
    /// Every country the data may sit in (for a multi-region: all of them).
    pub countries: Vec<String>,
    /// What kind of location the code names.
    pub kind: RegionKind,
    /// Operator id, where a company other than the provider runs the region.
    pub operator: Option<String>,
    /// Azure paired region (target of geo-redundant copies).
    pub pair: Option<String>,
    /// Member regions of a Google dual- or multi-region.
    pub members: Vec<String>,
    /// Whether the provider has closed the region to new resources.
    pub retired: bool,
    /// Ids of the `[sources.<id>]` entries that back this entry.
    pub refs: Vec<String>,
    /// A remark for the reader of the catalog.
    pub note: Option<String>,
    /// The catalog file this entry was read from.
    pub origin: String,
}

/// What kind of location a region code names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegionKind {
    /// One region in one place.
    #[default]
    Region,
    /// A multi-region (Google `US`, `EU`): data in any of several countries.
    MultiRegion,
    /// A Google dual-region: two named member regions.
    DualRegion,
    /// A region reserved for government customers.
    Government,
    /// A region of a sovereign cloud, run apart from the provider's public regions.
    Sovereign,
}

/// Region codes compare without case or spaces, so `West Europe`, `westeurope`,
/// `US-CENTRAL1` and `us-central1` find their entries.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl Family {
    /// Regions in file order.
    pub fn regions(&self) -> impl Iterator<Item = &RegionEntry> {
        self.regions.values()
    }
}

impl Catalog {
    /// The catalog compiled into juris.
    pub fn builtin() -> Catalog {
        prebuilt::stored().unwrap_or_else(prebuilt::from_source)
    }

    /// An empty catalog, for tests and embedders that bring all their own data.
    pub fn empty() -> Catalog {
        Catalog::default()
    }

    /// Adds or overrides entries from a file in one of the catalog formats. Later entries
    /// win: a region with an existing code replaces it, a provider entry takes over the
    /// sources it lists, an operator or source with an existing id replaces it. A file
    /// that fails any check changes nothing.
    pub fn extend_from_toml(&mut self, text: &str, origin: &str) -> Result<(), CatalogError> {
        let add = load::read(self, text, origin)?;
        for (id, s) in add.sources {
            self.sources.insert(id, s);
        }
        for o in add.operators {
            self.operators.insert(o.id.clone(), o);
        }
        for p in add.providers {
            let idx = self.providers.len();
            for s in &p.sources {
                self.utility_by_source.remove(s);
                self.by_source.insert(s.clone(), idx);
            }
            self.providers.push(p);
        }
        for u in add.utilities {
            let idx = self.utilities.len();
            for s in &u.sources {
                self.by_source.remove(s);
                self.utility_by_source.insert(s.clone(), idx);
            }
            self.utilities.push(u);
        }
        if let Some((name, refs, regions)) = add.family {
            let family = self.families.entry(name.clone()).or_insert_with(|| Family {
                name,
                ..Family::default()
            });
            family.refs.extend(refs);
            for r in regions {
                family.regions.insert(normalise_code(&r.code), r);
            }
        }
        self.origins.push(origin.to_owned());
        Ok(())
    }

    /// The provider entry for a registry source (`hashicorp/aws`), without host, any case.
    pub fn provider(&self, source: &str) -> Option<&ProviderEntry> {
        let idx = match self.by_source.get(source) {
            Some(i) => *i,
            None => *self.by_source.get(&source.to_ascii_lowercase())?,
        };
        self.providers.get(idx)
    }

    /// The utility entry when `source` is a provider that holds no cloud data.
    pub fn utility(&self, source: &str) -> Option<&UtilityEntry> {
        let idx = self
            .utility_by_source
            .get(&source.to_ascii_lowercase())
            .copied()?;
        self.utilities.get(idx)
    }

    /// A region of `family` by code, compared without case or spaces.
    pub fn region(&self, family: &str, code: &str) -> Option<&RegionEntry> {
        let regions = &self.families.get(family)?.regions;
        // Most codes are already in normal form; only the rest pay for a copy.
        if code
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase() && !b.is_ascii_whitespace())
        {
            regions.get(code)
        } else {
            regions.get(&normalise_code(code))
        }
    }

    /// The regions of a family.
    pub fn family(&self, name: &str) -> Option<&Family> {
        self.families.get(name)
    }

    /// Every family, in load order.
    pub fn families(&self) -> impl Iterator<Item = &Family> {
        self.families.values()
    }

    /// The operator with this id.
    pub fn operator(&self, id: &str) -> Option<&OperatorEntry> {
        self.operators.get(id)
    }

    /// Every cited source, by id.
    pub fn sources(&self) -> impl Iterator<Item = (&str, &SourceEntry)> {
        self.sources.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Every provider entry, in load order.
    pub fn providers(&self) -> impl Iterator<Item = &ProviderEntry> {
        self.providers.iter()
    }

    /// Every operator entry, in load order.
    pub fn operators(&self) -> impl Iterator<Item = &OperatorEntry> {
        self.operators.values()
    }

    /// Every country a region's data may sit in: its own list, else its members'.
    pub fn countries_of(&self, family: &str, region: &RegionEntry) -> Vec<String> {
        let mut out: Vec<String> = if region.countries.is_empty() {
            region
                .members
                .iter()
                .filter_map(|m| self.region(family, m))
                .flat_map(|m| m.countries.iter().cloned())
                .collect()
        } else {
            region.countries.clone()
        };
        out.sort();
        out.dedup();
        out
    }

    /// `refs` ids used anywhere that no `[sources.<id>]` defines, as `(origin, id)`.
    pub fn dangling_refs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut check = |origin: &str, refs: &[String]| {
            for r in refs {
                if !self.sources.contains_key(r) {
                    out.push((origin.to_owned(), r.clone()));
                }
            }
        };
        for p in &self.providers {
            check(&p.origin, &p.refs);
            for c in &p.controllers {
                check(&p.origin, &c.refs);
            }
        }
        for o in self.operators.values() {
            check(&o.origin, &o.refs);
            for c in &o.controllers {
                check(&o.origin, &c.refs);
            }
        }
        for f in self.families.values() {
            let origin = f
                .regions
                .values()
                .next()
                .map(|r| r.origin.as_str())
                .unwrap_or("");
            check(origin, &f.refs);
            for r in f.regions.values() {
                check(&r.origin, &r.refs);
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// A stable digest of the data (not of the file bytes), for audit records:
    /// `sha256:<hex>`. Comments and formatting do not change it; any fact does.
    pub fn version(&self) -> String {
        #[derive(Serialize)]
        struct View<'a> {
            sources: Vec<(&'a String, &'a SourceEntry)>,
            providers: Vec<&'a ProviderEntry>,
            claims: Vec<(&'a String, &'a usize)>,
            utilities: Vec<(&'a String, &'a usize)>,
            operators: Vec<&'a OperatorEntry>,
            families: Vec<&'a Family>,
        }
        let mut claims: Vec<_> = self.by_source.iter().collect();
        claims.sort();
        let mut utilities: Vec<_> = self.utility_by_source.iter().collect();
        utilities.sort();
        let view = View {
            sources: self.sources.iter().collect(),
            providers: self.providers.iter().collect(),
            claims,
            utilities,
            operators: self.operators.values().collect(),
            families: self.families.values().collect(),
        };
        let mut hasher = Sha256::new();
        // Serialising plain structs of strings cannot fail; an empty digest input would
        // still give a well-formed (if useless) version rather than a panic.
        let bytes = serde_json::to_vec(&view).unwrap_or_default();
        hasher.update(&bytes);
        let digest = hasher.finalize();
        let mut hex = String::with_capacity(71);
        hex.push_str("sha256:");
        for b in digest {
            hex.push_str(&format!("{b:02x}"));
        }
        hex
    }

    /// The files loaded, in order.
    pub fn origins(&self) -> &[String] {
        &self.origins
    }
}
