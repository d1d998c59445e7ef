//! How a place was found, as data: placement builds a [`How`], and only the finished
//! location writes it out as the derivation sentence (`Display`). Every sentence a
//! derivation can say is one variant here, so its wording is in one place.

use std::fmt;

/// How a place (or the lack of one) was found.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum How {
    /// `` `region` = `eu-west-1` on the resource ``
    Attr {
        key: &'static str,
        value: String,
        whence: Whence,
    },
    /// An attribute that names a zone of `region`.
    InZone {
        key: &'static str,
        value: String,
        whence: Whence,
        region: String,
    },
    /// A list of zones, all in `region`.
    Zones {
        key: &'static str,
        zones: Vec<String>,
        region: String,
    },
    /// A list of zones in different regions.
    MixedZones {
        key: &'static str,
    },
    /// The region an ARN names.
    Arn {
        value: String,
        whence: Whence,
        region: String,
    },
    /// A Google self link naming a zone of `region`.
    SelfLinkZone {
        key: &'static str,
        zone: String,
        region: String,
    },
    SelfLinkRegion {
        key: &'static str,
        region: String,
    },
    SelfLinkGlobal {
        key: &'static str,
    },
    /// Google Storage custom placement in member regions.
    CustomPlacement {
        code: String,
        members: Vec<String>,
    },
    GlobalType {
        rtype: String,
    },
    Utility {
        source: String,
    },
    NotInCatalog {
        source: String,
    },
    /// The family's tables place no such resource: `` `rtype` {why} ``.
    Unplaced {
        rtype: String,
        why: &'static str,
    },
    /// An attribute computed at apply time from another resource's attribute.
    Computed {
        key: &'static str,
        address: String,
        attr: String,
    },
    /// An attribute unknown until apply, and why (from the configuration).
    UnknownUntilApply {
        key: &'static str,
        why: String,
    },
    /// An attribute that is another resource's place attribute.
    PlaceOf {
        key: &'static str,
        address: String,
        attr: String,
    },
    /// A parent argument that refers to `address` in the configuration.
    RefersTo {
        key: &'static str,
        address: String,
    },
    /// A parent argument whose value is the name or id of `address`.
    Names {
        key: &'static str,
        value: String,
        address: String,
    },
    /// A parent argument whose value is `kind` (a JSON kind), not a name or an id.
    NotAName {
        key: &'static str,
        kind: &'static str,
    },
    /// What `how` points at is not in the plan.
    NotInPlan(Box<How>),
    /// What `how` points at has several instances.
    Several(Box<How>),
    /// What `how` points at is being placed by the resource at `address`: a cycle.
    RefersBack(Box<How>, String),
    /// The instances `how` points at are in different places.
    Scattered(Box<How>),
    /// No place yet, and a default region for `family` from the juris configuration.
    Default {
        why: Box<How>,
        family: String,
        code: String,
    },
    /// No place, and no default region for `family`.
    NoDefault {
        why: Box<How>,
        family: String,
    },
    /// `how`, but region `code` is not in the catalog.
    RegionNotInCatalog {
        how: Box<How>,
        code: String,
    },
    /// `how`, but a member region of a placement is not in the catalog.
    PlacementNotInCatalog(Box<How>),
    /// A global resource whose provider region `region` is in a partition `operator` runs.
    Partition {
        how: Box<How>,
        region: String,
        operator: String,
    },
    /// Where resource `via` is, and how that was found (`there`, already written).
    Via {
        how: Box<How>,
        via: String,
        there: String,
    },
    /// A long chain told by its ends: `via` is where `end` is, `hops` references on.
    ViaChain {
        how: Box<How>,
        via: String,
        end: String,
        hops: u32,
        there: String,
    },
    /// What holds in every region of `family`: its countries, its holder.
    EveryRegion {
        how: Box<How>,
        family: String,
        countries: Option<String>,
        holder: Option<String>,
    },
    /// The input records no provider configurations (a state).
    NoConfigurations {
        input: String,
    },
    /// What one provider configuration says about its region.
    Configured(Configured),
    /// A module's provider comes from a parent module that has no configuration of it.
    PassedWithout {
        local: String,
        module: String,
    },
    /// A module's provider comes from its parent module, which has one candidate.
    OnlyCandidate {
        local: String,
        module: String,
        candidate: Box<How>,
    },
    /// A module's provider comes from its parent module, and an older plan does not
    /// record which of the candidates.
    Unrecorded {
        local: String,
        module: String,
        candidates: Candidates,
    },
    /// A flow destination: the value at `via` (`rule[0].destination[0].location`).
    Value {
        via: String,
        value: String,
    },
    /// A flow destination: a member region of a dual- or multi-region bucket.
    Member {
        member: String,
    },
    /// Geo-redundant copies go to `pair`, the pair of `code`.
    Pair {
        condition: Geo,
        pair: String,
        code: String,
    },
    /// Geo-redundant copies, but region `code` has no pair in the catalog.
    NoPair {
        condition: Geo,
        code: String,
    },
    /// Geo-redundant copies from a resource whose region is unknown.
    PairUnknown {
        condition: Geo,
    },
    /// A flow destination that is a resource with several instances.
    SeveralInstances {
        address: String,
    },
    /// A flow destination unknown until apply.
    DestinationUnknown {
        via: String,
    },
    /// A flow destination that is not a string.
    NotText {
        via: String,
    },
    /// An S3 bucket outside the plan (S3 ARNs name no region).
    BucketElsewhere {
        bucket: String,
    },
    /// A Tencent `qcs::cos:<region>::<bucket>` name.
    Qcs {
        text: String,
        region: String,
    },
    NotQcs {
        text: String,
    },
    /// The region an ARN outside the plan names.
    ArnNames {
        text: String,
        region: String,
    },
    /// A destination outside the plan that names no region: `` `text` {why} ``.
    Elsewhere {
        text: String,
        why: &'static str,
    },
}

/// Why a resource's data may have geo-redundant copies.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Geo {
    /// Attribute `key` has a geo-redundant value.
    Set { key: &'static str, value: String },
    /// Attribute `key` is unknown until apply.
    Unknown { key: &'static str },
}

impl fmt::Display for Geo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Geo::Set { key, value } => write!(f, "`{key}` = `{value}`"),
            Geo::Unknown { key } => {
                write!(f, "`{key}` is unknown until apply and may be geo-redundant")
            }
        }
    }
}

/// One provider configuration and what it says about the region.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Configured {
    /// `aws.eu`
    pub local: String,
    /// `the root module` or `` `module.db` ``
    pub place: String,
    pub region: Setting,
}

/// What a provider configuration's region argument is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Setting {
    /// A value (`what` is `region` or `zone`) found as `from` says; a zone's region.
    Value {
        what: &'static str,
        from: String,
        zone_of: Option<String>,
    },
    NotAString {
        arg: &'static str,
        value: String,
    },
    Computed {
        arg: &'static str,
        address: String,
        attr: String,
    },
    Unknown {
        arg: &'static str,
        why: String,
    },
    /// No region argument: the environment decides.
    Absent,
}

/// The candidates for a module's provider configuration, when a plan does not say.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Candidates {
    /// Every candidate has the same region: each key and its region.
    Agree(Vec<(String, Option<String>)>),
    /// Every candidate sets no region, as the first says.
    Absent(Box<How>),
    /// The candidates differ.
    Differ(Vec<(String, Option<String>)>),
}

fn regions(list: &[(String, Option<String>)]) -> String {
    list.iter()
        .map(|(k, r)| match r {
            Some(r) => format!("`{k}` has region `{r}`"),
            None => format!("`{k}` has no known region"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for Configured {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "provider `{}` configured in {}", self.local, self.place)?;
        match &self.region {
            // A constant: "region `eu-west-1`".
            Setting::Value {
                what,
                from,
                zone_of,
            } => {
                if from.starts_with('`') && !from.contains(" = ") {
                    write!(f, "; {what} {from}")?;
                } else {
                    write!(f, "; {what} from {from}")?;
                }
                if let Some(code) = zone_of {
                    write!(f, ", in region `{code}`")?;
                }
                Ok(())
            }
            Setting::NotAString { arg, value } => {
                write!(f, "; its {arg} `{value}` is not a string")
            }
            Setting::Computed { arg, address, attr } => {
                write!(f, "; its {arg} is computed from `{address}.{attr}`")
            }
            Setting::Unknown { arg, why } => {
                write!(f, "; its {arg} is unknown at plan time: {why}")
            }
            Setting::Absent => {
                f.write_str(" sets no region (Terraform takes it from the environment)")
            }
        }
    }
}

/// Where an attribute's value came from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Whence {
    OnTheResource,
    /// Followed through the configuration: how `config` resolved it.
    From(String),
}

impl fmt::Display for Whence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Whence::OnTheResource => f.write_str("on the resource"),
            Whence::From(how) => write!(f, "from {how}"),
        }
    }
}

/// `` `a`, `b` `` with `sep` between.
fn quoted(items: &[String], sep: &str) -> String {
    items
        .iter()
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(sep)
}

impl fmt::Display for How {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            How::Attr { key, value, whence } => write!(f, "`{key}` = `{value}` {whence}"),
            How::InZone {
                key,
                value,
                whence,
                region,
            } => write!(
                f,
                "`{key}` = `{value}` {whence}, a zone of region `{region}`"
            ),
            How::Zones { key, zones, region } => write!(
                f,
                "`{key}` = [{}] on the resource, zones of region `{region}`",
                quoted(zones, ", ")
            ),
            How::MixedZones { key } => write!(f, "`{key}` lists zones of different regions"),
            How::Arn {
                value,
                whence,
                region,
            } => write!(f, "the ARN `{value}` {whence} names region `{region}`"),
            How::SelfLinkZone { key, zone, region } => {
                write!(f, "`{key}` names zone `{zone}` of region `{region}`")
            }
            How::SelfLinkRegion { key, region } => write!(f, "`{key}` names region `{region}`"),
            How::SelfLinkGlobal { key } => write!(f, "`{key}` is global"),
            How::CustomPlacement { code, members } => write!(
                f,
                "`location` = `{code}` with custom placement in {}",
                quoted(members, " and ")
            ),
            How::GlobalType { rtype } => {
                write!(f, "`{rtype}` is a global resource type: it has no region")
            }
            How::Utility { source } => write!(
                f,
                "`{source}` is a utility provider: it holds no data at a cloud"
            ),
            How::NotInCatalog { source } => write!(f, "provider `{source}` is not in the catalog"),
            How::Unplaced { rtype, why } => write!(f, "`{rtype}` {why}"),
            How::Computed { key, address, attr } => write!(
                f,
                "`{key}` is computed at apply time from `{address}.{attr}`"
            ),
            How::UnknownUntilApply { key, why } => {
                write!(f, "`{key}` is unknown until apply: {why}")
            }
            How::PlaceOf { key, address, attr } => write!(f, "`{key}` is `{address}.{attr}`"),
            How::RefersTo { key, address } => write!(f, "`{key}` refers to `{address}`"),
            How::Names {
                key,
                value,
                address,
            } => write!(f, "`{key}` = `{value}` names `{address}`"),
            How::NotAName { key, kind } => write!(
                f,
                "`{key}` is {kind}, not the name or id of a parent resource"
            ),
            How::NotInPlan(how) => write!(f, "{how}, which is not in this plan"),
            How::Several(how) => write!(f, "{how}, which has several instances"),
            How::RefersBack(how, address) => write!(f, "{how}, which refers back to `{address}`"),
            How::Scattered(how) => write!(f, "{how}, whose instances are in different places"),
            How::Default { why, family, code } => write!(
                f,
                "{why}; default region for `{family}` from the juris configuration = `{code}`"
            ),
            How::NoDefault { why, family } => write!(
                f,
                "{why}; juris.toml can set a default region for `{family}`"
            ),
            How::RegionNotInCatalog { how, code } => {
                write!(f, "{how}; `{code}` is not in the catalog")
            }
            How::PlacementNotInCatalog(how) => {
                write!(f, "{how}; a placement region is not in the catalog")
            }
            How::Partition {
                how,
                region,
                operator,
            } => write!(
                f,
                "{how}; its provider is configured for `{region}`, whose partition {operator} operates"
            ),
            How::Via { how, via, there } => write!(f, "{how}; `{via}`: {there}"),
            How::ViaChain {
                how,
                via,
                end,
                hops,
                there,
            } => write!(
                f,
                "{how}; `{via}` is where `{end}` is, through {hops} more references; `{end}`: {there}"
            ),
            How::EveryRegion {
                how,
                family,
                countries,
                holder,
            } => {
                write!(f, "{how}")?;
                if let Some(c) = countries {
                    write!(f, "; every `{family}` region is in {c}")?;
                }
                if let Some(h) = holder {
                    write!(f, "; every `{family}` region is held by {h}")?;
                }
                Ok(())
            }
            How::NoConfigurations { input } => {
                write!(f, "{input} does not record provider configurations")
            }
            How::Configured(c) => write!(f, "{c}"),
            How::PassedWithout { local, module } => write!(
                f,
                "provider `{local}` is passed into `{module}` by its parent module, which has no configuration of it"
            ),
            How::OnlyCandidate {
                local,
                module,
                candidate,
            } => write!(
                f,
                "provider `{local}` of `{module}` comes from its parent module; the only candidate is {candidate}"
            ),
            How::Unrecorded {
                local,
                module,
                candidates,
            } => {
                write!(
                    f,
                    "provider `{local}` of `{module}` comes from its parent module, and this plan does not record which configuration was passed in (Terraform 1.2 and later do)"
                )?;
                match candidates {
                    Candidates::Agree(list) => {
                        write!(f, "; every candidate agrees: {}", regions(list))
                    }
                    Candidates::Absent(first) => write!(f, "; {first}"),
                    Candidates::Differ(list) => write!(f, ": {}", regions(list)),
                }
            }
            How::Value { via, value } => write!(f, "`{via}` = `{value}`"),
            How::Member { member } => {
                write!(f, "member region `{member}` of the bucket's location")
            }
            How::Pair {
                condition,
                pair,
                code,
            } => write!(
                f,
                "{condition}: copies go to `{pair}`, the pair of `{code}`"
            ),
            How::NoPair { condition, code } => write!(
                f,
                "{condition}, but `{code}` has no paired region in the catalog"
            ),
            How::PairUnknown { condition } => write!(
                f,
                "{condition}; the paired region is unknown because the resource's region is"
            ),
            How::SeveralInstances { address } => write!(
                f,
                "`{address}` has several instances and the plan does not say which one"
            ),
            How::DestinationUnknown { via } => write!(f, "`{via}` is unknown until apply"),
            How::NotText { via } => write!(f, "`{via}` is not a string"),
            How::BucketElsewhere { bucket } => write!(
                f,
                "bucket `{bucket}` is not in this plan, and S3 bucket ARNs do not name a region"
            ),
            How::Qcs { text, region } => write!(f, "`{text}` names region `{region}`"),
            How::NotQcs { text } => {
                write!(f, "`{text}` is not a `qcs::cos:<region>::<bucket>` name")
            }
            How::ArnNames { text, region } => {
                write!(f, "the ARN `{text}` names region `{region}`")
            }
            How::Elsewhere { text, why } => write!(f, "`{text}` {why}"),
        }
    }
}
