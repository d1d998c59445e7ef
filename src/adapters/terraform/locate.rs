//! Where each resource's data sits and who holds it, following Terraform's own rules
//! per provider family (the tables of [`super::families`]), and saying in words how it
//! was found ([`super::how`]). The provider side is [`super::binding`], the holder
//! [`super::custody`].
//!
//! A value the plan cannot know is unknown, never a guess; but an unknown with only one
//! possible outcome is known (every candidate provider configuration has the same
//! region; every region of the family has the same custody).

use std::rc::Rc;

use indexmap::IndexMap;
use rustc_hash::FxHashMap;
use serde_json::Value;

use crate::catalog::{Catalog, RegionEntry};
use crate::model::{Custody, Known, Location, Provider, Warning};

use super::binding::{Binder, BoundRegion};
use super::config::{Config, Resolved};
use super::custody::Custodian;
use super::families::{self, NOT_IN_CATALOG, Otherwise, PLACE_ATTRS, Reading, Step};
use super::how::{How, Whence};
use super::nodes::{Attr, Index, Node, ProviderKind};
use crate::adapters::places;

/// A resource's location and custody, and the provider region (for global resources).
#[derive(Clone, Debug)]
pub(crate) struct Placed {
    pub location: Location,
    pub custody: Custody,
}

/// Where the resolution rules say a resource is, before the catalog is consulted.
enum Place {
    Region {
        code: String,
        how: How,
    },
    /// A region whose data is spread over member regions (Google custom placement).
    Placement {
        code: String,
        members: Vec<String>,
        how: How,
    },
    Global(How),
    Unknown(How),
    /// Wherever the provider configuration puts it (shared by many resources).
    Bound(Rc<BoundRegion>),
    /// The same place as another resource.
    Same {
        node: usize,
        how: How,
    },
    Utility(How),
}

/// What a child's parent argument names.
enum Parent {
    /// Instances of the resource a reference in the configuration points at (none if
    /// it is not in the plan), and how it was found.
    Referenced(Vec<usize>, How),
    /// Resources whose id or name the argument's value is.
    Named(Vec<usize>, How),
    /// The argument has a value that cannot name a parent.
    Invalid(How),
}

/// A place many resources share: (provider, binding, kind of place, region, how).
type PlaceKey = (usize, usize, u8, String, Option<How>);

pub(crate) struct Resolver<'a, 'n> {
    pub catalog: &'a Catalog,
    pub config: &'n Config<'a>,
    pub nodes: &'n [Node<'a>],
    pub index: &'n Index<'n>,
    pub defaults: &'n IndexMap<String, String>,
    pub input: &'n str,
    memo: Vec<Option<Rc<Placed>>>,
    busy: Vec<bool>,
    /// Per placed node: how many `Same` steps lead from it to the node whose own
    /// attributes placed it, and that node (itself when none).
    chain: Vec<(u32, usize)>,
    /// Resolutions in progress inside one another (see [`Resolver::placed`]).
    depth: usize,
    /// A node a resolution needed when `depth` was at its limit.
    suspended: Option<usize>,
    /// What a suspended resolution sees instead; its result is thrown away.
    placeholder: Rc<Placed>,
    /// The provider configuration each resource is bound to.
    pub binder: Binder<'a, 'n>,
    /// Who holds the data in a place.
    custodian: Custodian<'a>,
    /// Places shared by many resources, per (provider, binding, kind, code, derivation).
    places: FxHashMap<PlaceKey, Rc<Placed>>,
    pub warnings: Vec<Warning>,
    warned: rustc_hash::FxHashSet<String>,
}

impl<'a, 'n> Resolver<'a, 'n> {
    pub fn new(
        catalog: &'a Catalog,
        config: &'n Config<'a>,
        nodes: &'n [Node<'a>],
        index: &'n Index<'n>,
        defaults: &'n IndexMap<String, String>,
        input: &'n str,
    ) -> Self {
        let mut r = Resolver {
            catalog,
            config,
            nodes,
            index,
            defaults,
            input,
            memo: vec![None; nodes.len()],
            busy: vec![false; nodes.len()],
            chain: (0..nodes.len()).map(|i| (0, i)).collect(),
            depth: 0,
            suspended: None,
            placeholder: Rc::new(Placed {
                location: Location::unknown("not resolved yet"),
                custody: Custody::unknown(),
            }),
            binder: Binder::new(catalog, config, nodes, input),
            custodian: Custodian::new(catalog),
            places: FxHashMap::default(),
            warnings: Vec::new(),
            warned: Default::default(),
        };
        r.check_defaults();
        r
    }

    /// Default regions are checked against the catalog as a plan's regions are: one
    /// it does not know gets the same warning (said once, used or not), and a family it
    /// does not know would apply to nothing.
    fn check_defaults(&mut self) {
        let defaults: &'n IndexMap<String, String> = self.defaults;
        for (family, code) in defaults {
            if self.catalog.family(family).is_none() {
                let known: Vec<&str> = self.catalog.families().map(|f| f.name.as_str()).collect();
                self.warn_once(
                    format!("default-family:{family}"),
                    format!(
                        "the default region `{code}` is given for `{family}`, which is not a provider family in the catalog, so it applies to nothing; the families are {}",
                        known.join(", ")
                    ),
                    None,
                );
            } else if self.catalog.region(family, code).is_none() {
                self.warn_once(
                    format!("region:{family}:{code}"),
                    format!(
                        "region `{code}` of `{family}` (a default region from --default-region or juris.toml) is not in the catalog, so its countries are unknown; add it with a catalog extension file if it is real"
                    ),
                    None,
                );
            }
        }
    }

    /// Location and custody of node `i`, computed once.
    ///
    /// A resource can take its place from another (`location = other.location`, a
    /// parent), which can take it from a third, and so on. Resolutions nest at most
    /// [`MAX_NESTED`] deep on the native stack; a node needed deeper than that is
    /// *suspended*: the resolutions in progress unwind without keeping their results,
    /// the outermost call resolves the needed node first (from a fresh depth), then tries
    /// again. So a chain of any length is resolved with bounded stack, in time linear in
    /// its length, and to the same result.
    pub fn placed(&mut self, i: usize) -> Rc<Placed> {
        if let Some(p) = &self.memo[i] {
            return p.clone();
        }
        if self.depth > 0 {
            if self.depth >= MAX_NESTED || self.suspended.is_some() {
                self.suspended.get_or_insert(i);
                return self.placeholder.clone();
            }
            return self.resolve(i);
        }
        // Nodes below the top wait for the one above them: they are being resolved
        // (`busy`), so a reference back to one of them is a cycle, as it is when nested.
        let mut waiting = vec![i];
        while let Some(&top) = waiting.last() {
            if self.memo[top].is_some() {
                waiting.pop();
                if let Some(&below) = waiting.last() {
                    self.busy[below] = false;
                }
                continue;
            }
            self.resolve(top);
            if let Some(needed) = self.suspended.take() {
                self.busy[top] = true;
                waiting.push(needed);
            }
        }
        self.memo[i]
            .clone()
            .unwrap_or_else(|| self.placeholder.clone())
    }

    /// Resolves node `i` one level deeper; keeps the result unless a resolution inside
    /// it was suspended (then the result rests on a placeholder).
    fn resolve(&mut self, i: usize) -> Rc<Placed> {
        self.depth += 1;
        self.busy[i] = true;
        self.chain[i] = (0, i);
        let place = self.place(i);
        let placed = self.finish(i, place);
        self.busy[i] = false;
        self.depth -= 1;
        if self.suspended.is_none() {
            self.memo[i] = Some(placed.clone());
        }
        placed
    }

    /// The location of a region of node `i`'s family (a flow destination).
    pub fn region_placed(&mut self, i: usize, code: &str, how: How) -> Rc<Placed> {
        self.finish(
            i,
            Place::Region {
                code: code.to_owned(),
                how,
            },
        )
    }

    /// An unknown place for node `i`'s family, custody decided where the family agrees.
    pub fn unknown_placed(&mut self, i: usize, how: How) -> Rc<Placed> {
        self.finish(i, Place::Unknown(how))
    }

    fn place(&mut self, i: usize) -> Place {
        let nodes: &'n [Node<'a>] = self.nodes;
        let n = &nodes[i];
        let family = match n.provider {
            ProviderKind::Utility => {
                return Place::Utility(How::Utility {
                    source: n.source.to_string(),
                });
            }
            ProviderKind::Unknown => {
                self.warn_once(
                    format!("provider:{}", n.source),
                    format!(
                        "provider `{}` is not in the catalog, so its resources have unknown location and custody; describe it in a catalog extension file (see docs/inventory.md)",
                        n.source
                    ),
                    Some(n.item.address.clone()),
                );
                return self.steps(i, NOT_IN_CATALOG).unwrap_or_else(|| {
                    Place::Unknown(How::NotInCatalog {
                        source: n.source.to_string(),
                    })
                });
            }
            ProviderKind::Cloud(p) => p.family.as_str(),
        };
        let table = families::family(family);
        if let Some(p) = self.steps(i, table.place) {
            return p;
        }
        let rtype = &*n.item.rtype;
        if table.global.covers(rtype) {
            return Place::Global(How::GlobalType {
                rtype: rtype.to_owned(),
            });
        }
        match table.otherwise {
            Otherwise::NoRegion(why) => {
                let why = How::Unplaced {
                    rtype: rtype.to_owned(),
                    why,
                };
                self.default_or_unknown(family, why)
            }
            Otherwise::Provider(_) => self.by_provider(i),
        }
    }

    /// The first of `steps` that says where the resource is.
    fn steps(&mut self, i: usize, steps: &[Step]) -> Option<Place> {
        steps.iter().find_map(|step| self.step(i, step))
    }

    fn step(&mut self, i: usize, step: &Step) -> Option<Place> {
        match step {
            Step::Attr(key, reading) => self.read_attr(i, key, *reading),
            Step::Only(rtype, step) if *rtype == &*self.nodes[i].item.rtype => self.step(i, step),
            Step::Only(..) => None,
            Step::Parent(keys) => self.parent(i, keys),
            Step::CustomPlacement => self.placement(i),
        }
    }

    fn read_attr(&mut self, i: usize, key: &'static str, reading: Reading) -> Option<Place> {
        let n = &self.nodes[i];
        match n.attr(key) {
            Attr::Known(Value::String(s)) if !s.is_empty() => {
                self.read_value(n.family(), key, s, reading, Whence::OnTheResource)
            }
            // Several zones (the reader allows lists for zones only): one region if
            // they all lie in it.
            Attr::Known(Value::Array(zones)) if !zones.is_empty() => {
                let mut places = zones
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|z| self.read_value(n.family(), key, z, reading, Whence::OnTheResource));
                let first = places.next()??;
                let Place::Region { code, .. } = &first else {
                    return Some(first);
                };
                let all_in = |p: Option<Place>| matches!(p, Some(Place::Region { code: c, .. }) if c == *code);
                if places.all(all_in) {
                    let zones = zones
                        .iter()
                        .map(|z| z.as_str().unwrap_or("").to_owned())
                        .collect();
                    Some(Place::Region {
                        code: code.clone(),
                        how: How::Zones {
                            key,
                            zones,
                            region: code.clone(),
                        },
                    })
                } else {
                    Some(Place::Unknown(How::MixedZones { key }))
                }
            }
            Attr::Known(_) | Attr::Absent => None,
            Attr::Unknown => {
                // Zones and ARNs of providers that place everything in the provider's region
                // only confirm it; unknown, they say nothing.
                let decides = match reading {
                    Reading::Zone | Reading::Arn => {
                        n.family().is_none_or(|f| families::family(f).zones_decide)
                    }
                    _ => true,
                };
                // Computed with no argument in the configuration: a default the provider
                // fills in from its own configuration, so fall through to that.
                let expr = n.expr(key).filter(|_| decides)?;
                match self.config.resolve(expr, &n.config_module) {
                    Resolved::Value(Value::String(s), how) => {
                        self.read_value(n.family(), key, &s, reading, Whence::From(how))
                    }
                    Resolved::Ref {
                        module,
                        address,
                        attr,
                    } if PLACE_ATTRS.contains(&attr.as_str()) => {
                        let how = How::PlaceOf {
                            key,
                            address: address.clone(),
                            attr,
                        };
                        Some(self.follow(i, &module, &address, how))
                    }
                    Resolved::Ref { address, attr, .. } => {
                        Some(Place::Unknown(How::Computed { key, address, attr }))
                    }
                    Resolved::Unknown(why) => {
                        Some(Place::Unknown(How::UnknownUntilApply { key, why }))
                    }
                    Resolved::Value(..) | Resolved::Null => None,
                }
            }
        }
    }

    fn read_value(
        &self,
        family: Option<&str>,
        key: &'static str,
        value: &str,
        reading: Reading,
        whence: Whence,
    ) -> Option<Place> {
        let region = |code: &str, how: How| {
            Some(Place::Region {
                code: code.to_owned(),
                how,
            })
        };
        let attr = || How::Attr {
            key,
            value: value.to_owned(),
            whence: whence.clone(),
        };
        let in_zone = |r: &RegionEntry| {
            let how = How::InZone {
                key,
                value: value.to_owned(),
                whence: whence.clone(),
                region: r.code.clone(),
            };
            region(&r.code, how)
        };
        let known = |code: &str| family.and_then(|f| self.catalog.region(f, code));
        let zone = |z: &str| family.and_then(|f| places::zone_region(self.catalog, f, z));
        match reading {
            Reading::Region => region(value, attr()),
            Reading::Location => {
                if value.eq_ignore_ascii_case("global") {
                    return Some(Place::Global(attr()));
                }
                match (known(value), zone(value)) {
                    (Some(r), _) => region(&r.code, attr()),
                    (None, Some(r)) => in_zone(r),
                    (None, None) => region(value, attr()),
                }
            }
            Reading::Zone => zone(value).and_then(in_zone),
            Reading::Oss => region(places::oss_region(value), attr()),
            Reading::Arn => {
                let arn = places::arn(value)?;
                (!arn.region.is_empty()).then(|| Place::Region {
                    code: arn.region.to_owned(),
                    how: How::Arn {
                        value: value.to_owned(),
                        whence: whence.clone(),
                        region: arn.region.to_owned(),
                    },
                })
            }
            Reading::SelfLink => match places::google_self_link(value)? {
                places::SelfLink::Zone(z) => zone(z).and_then(|r| {
                    let how = How::SelfLinkZone {
                        key,
                        zone: z.to_owned(),
                        region: r.code.clone(),
                    };
                    region(&r.code, how)
                }),
                places::SelfLink::Region(r) => region(
                    r,
                    How::SelfLinkRegion {
                        key,
                        region: r.to_owned(),
                    },
                ),
                places::SelfLink::Global => Some(Place::Global(How::SelfLinkGlobal { key })),
            },
        }
    }

    /// Google Storage custom dual-region: `custom_placement_config[0].data_locations`.
    fn placement(&mut self, i: usize) -> Option<Place> {
        let n = &self.nodes[i];
        if &*n.item.rtype != "google_storage_bucket" {
            return None;
        }
        let members: Vec<String> = n
            .item
            .get("custom_placement_config")?
            .get(0)?
            .get("data_locations")?
            .as_array()?
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        if members.is_empty() {
            return None;
        }
        let code = n.str_attr("location").unwrap_or("").to_owned();
        let how = How::CustomPlacement {
            code: code.clone(),
            members: members.clone(),
        };
        Some(Place::Placement { code, members, how })
    }

    /// A child resource takes the location of the parent it lives in.
    fn parent(&mut self, i: usize, keys: &'static [&'static str]) -> Option<Place> {
        Some(match self.parent_of(i, keys)? {
            Parent::Referenced(candidates, how) if candidates.is_empty() => {
                Place::Unknown(How::NotInPlan(Box::new(how)))
            }
            Parent::Referenced(candidates, how) | Parent::Named(candidates, how) => {
                self.same_as(i, &candidates, how)
            }
            Parent::Invalid(why) => Place::Unknown(why),
        })
    }

    /// The resource a child keeps its tags on (Azure sub-resources have no `tags` of
    /// their own; [`super::tags::TAGS_ON_PARENT`]): one node, or why it is not known.
    pub fn tag_parent(&self, i: usize) -> Option<Result<usize, String>> {
        let n = &self.nodes[i];
        let keys = super::tags::tags_on_parent(n.family(), &n.item.rtype)?;
        Some(match self.parent_of(i, keys) {
            Some(Parent::Referenced(c, _) | Parent::Named(c, _)) if c.len() == 1 => Ok(c[0]),
            Some(Parent::Referenced(c, how) | Parent::Named(c, how)) if c.is_empty() => {
                Err(How::NotInPlan(Box::new(how)).to_string())
            }
            Some(Parent::Referenced(_, how) | Parent::Named(_, how)) => {
                Err(How::Several(Box::new(how)).to_string())
            }
            Some(Parent::Invalid(why)) => Err(why.to_string()),
            None => Err(format!(
                "none of {} names a resource {}",
                keys.iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                // "this plan", "a Terraform state", "in the Terraform source".
                if self.input.starts_with("in ") {
                    self.input.to_owned()
                } else {
                    format!("in {}", self.input)
                }
            )),
        })
    }

    /// The first of `keys` that names a parent: by reference in the configuration, or
    /// by id or name among the plan's resources.
    fn parent_of(&self, i: usize, keys: &'static [&'static str]) -> Option<Parent> {
        for &key in keys {
            let n = &self.nodes[i];
            if let Some(expr) = n.expr(key)
                && let Resolved::Ref {
                    module, address, ..
                } = self.config.resolve(expr, &n.config_module)
            {
                let candidates = self.index.referenced(self.nodes, i, &module, &address);
                return Some(Parent::Referenced(
                    candidates,
                    How::RefersTo { key, address },
                ));
            }
            let value = match n.attr(key) {
                Attr::Known(Value::String(s)) if !s.is_empty() => s.as_str(),
                // Some type may spell a parent's name or id otherwise: not refused, but
                // never read as "no parent" either.
                Attr::Known(v) if !v.is_string() => {
                    return Some(Parent::Invalid(How::NotAName {
                        key,
                        kind: super::read::json_kind(v),
                    }));
                }
                _ => continue,
            };
            let family = n.family();
            let group = n.str_attr("resource_group_name");
            let candidates: Vec<usize> = if key.ends_with("_id") {
                self.index.by_id(value).to_vec()
            } else {
                // Names repeat across types and groups: same family and group only.
                self.index
                    .by_name(value)
                    .iter()
                    .copied()
                    .filter(|&j| {
                        j != i
                            && self.nodes[j].family() == family
                            && (group.is_none()
                                || self.nodes[j].str_attr("resource_group_name") == group)
                    })
                    .collect()
            };
            if !candidates.is_empty() {
                let how = How::Names {
                    key,
                    value: value.to_owned(),
                    address: self.nodes[candidates[0]].item.address.clone(),
                };
                return Some(Parent::Named(candidates, how));
            }
        }
        None
    }

    /// The place of the resource(s) `address` in `module`, as seen from node `i`.
    fn follow(&mut self, i: usize, module: &str, address: &str, how: How) -> Place {
        let candidates = self.index.referenced(self.nodes, i, module, address);
        if candidates.is_empty() {
            return Place::Unknown(How::NotInPlan(Box::new(how)));
        }
        self.same_as(i, &candidates, how)
    }

    /// One place if every candidate is in the same one, else unknown.
    fn same_as(&mut self, i: usize, candidates: &[usize], how: How) -> Place {
        let mut first: Option<(usize, Rc<Placed>)> = None;
        for &c in candidates {
            if self.busy[c] {
                let back = self.nodes[i].item.address.clone();
                return Place::Unknown(How::RefersBack(Box::new(how), back));
            }
            let p = self.placed(c);
            match &first {
                None => first = Some((c, p)),
                Some((_, f))
                    if f.location.region == p.location.region
                        && f.location.countries == p.location.countries
                        && f.custody == p.custody => {}
                Some(_) => {
                    return Place::Unknown(How::Scattered(Box::new(how)));
                }
            }
        }
        match first {
            Some((node, _)) => Place::Same { node, how },
            None => Place::Unknown(how),
        }
    }

    fn by_provider(&mut self, i: usize) -> Place {
        let bound = self.binder.bound(i);
        if bound.ambiguous {
            self.warn_once(
                "ambiguous-providers".to_owned(),
                "this plan does not record which provider configuration each module received (Terraform before 1.2), and the candidates have different regions, so some locations are unknown; plan with Terraform 1.2 or later".to_owned(),
                Some(self.nodes[i].item.address.clone()),
            );
        }
        Place::Bound(bound)
    }

    fn default_or_unknown(&self, family: &str, why: How) -> Place {
        let why = Box::new(why);
        let family = family.to_owned();
        match self.defaults.get(&family) {
            Some(code) => Place::Region {
                code: code.clone(),
                how: How::Default {
                    why,
                    family,
                    code: code.clone(),
                },
            },
            None => Place::Unknown(How::NoDefault { why, family }),
        }
    }

    /// Turns a place into a location and custody with the catalog. Most resources share
    /// their place with many others (same provider configuration, same region), so those
    /// are computed once.
    fn finish(&mut self, i: usize, place: Place) -> Rc<Placed> {
        let provider = self.binder.provider(i);
        let pp = Rc::as_ptr(&provider) as usize;
        let key = match &place {
            Place::Bound(b) => Some((pp, Rc::as_ptr(b) as usize, 0, String::new(), None)),
            Place::Region { code, how } => Some((pp, 0, 1, code.clone(), Some(how.clone()))),
            Place::Unknown(how) => Some((pp, 0, 2, String::new(), Some(how.clone()))),
            Place::Global(how) => {
                let b = match self.nodes[i].provider {
                    ProviderKind::Cloud(_) => Rc::as_ptr(&self.binder.bound(i)) as usize,
                    _ => 0,
                };
                Some((pp, b, 3, String::new(), Some(how.clone())))
            }
            Place::Utility(how) => Some((pp, 0, 4, String::new(), Some(how.clone()))),
            Place::Same { .. } | Place::Placement { .. } => None,
        };
        if let Some(p) = key.as_ref().and_then(|k| self.places.get(k)) {
            return p.clone();
        }
        let place = match place {
            Place::Bound(b) => {
                let family = self.nodes[i].family().unwrap_or("");
                match &b.region {
                    Some(code) => Place::Region {
                        code: code.clone(),
                        how: b.how.clone(),
                    },
                    None if b.absent => self.default_or_unknown(family, b.how.clone()),
                    None => Place::Unknown(b.how.clone()),
                }
            }
            other => other,
        };
        let placed = Rc::new(self.compute(i, &provider, place));
        if let Some(k) = key {
            self.places.insert(k, placed.clone());
        }
        placed
    }

    fn compute(&mut self, i: usize, provider: &Provider, place: Place) -> Placed {
        let n = &self.nodes[i];
        let family = n.family();
        match place {
            Place::Bound(_) => Placed {
                location: Location::unknown("the provider binding is resolved by `finish`"),
                custody: Custody::unknown(),
            },
            Place::Utility(how) => Placed {
                location: Location {
                    region: Known::Known(None),
                    countries: Known::Known(Vec::new()),
                    operator: None,
                    derivation: how.to_string(),
                },
                // A utility provider's block says "none" for company and jurisdiction.
                custody: Custody::of(provider, &Location::unknown("")),
            },
            Place::Same { node, how } => {
                let other = self.placed(node);
                let (hops, end) = self.chain[node];
                self.chain[i] = (hops + 1, end);
                let mut location = other.location.clone();
                let how = Box::new(how);
                let via = self.nodes[node].item.address.clone();
                location.derivation = if hops < SHOWN_HOPS {
                    let there = other.location.derivation.clone();
                    How::Via { how, via, there }
                } else {
                    // A long chain is told by its ends, so a derivation stays short
                    // however many resources pass the place on.
                    let there = self.memo[end]
                        .as_ref()
                        .map_or(String::new(), |p| p.location.derivation.clone());
                    How::ViaChain {
                        how,
                        via,
                        end: self.nodes[end].item.address.clone(),
                        hops,
                        there,
                    }
                }
                .to_string();
                Placed {
                    location,
                    custody: other.custody.clone(),
                }
            }
            Place::Region { code, how } => {
                let entry = family.and_then(|f| self.catalog.region(f, &code));
                match (family, entry) {
                    (Some(f), Some(entry)) => {
                        let countries = self.catalog.countries_of(f, entry);
                        self.custodian
                            .in_region(provider, entry, Known::Known(countries), how)
                    }
                    (Some(f), None) => {
                        self.warn_once(
                            format!("region:{f}:{code}"),
                            format!(
                                "region `{code}` of `{f}` is not in the catalog, so its countries are unknown; add it with a catalog extension file if it is real"
                            ),
                            Some(n.item.address.clone()),
                        );
                        self.custodian.unknown_region(
                            provider,
                            f,
                            Known::Known(Some(code.clone())),
                            How::RegionNotInCatalog {
                                how: Box::new(how),
                                code,
                            },
                        )
                    }
                    (None, _) => Placed {
                        location: Location {
                            region: Known::Known(Some(code)),
                            countries: Known::Unknown,
                            operator: None,
                            derivation: how.to_string(),
                        },
                        custody: Custody::of(provider, &Location::unknown("")),
                    },
                }
            }
            Place::Placement { code, members, how } => {
                let f = family.unwrap_or("");
                let entries: Option<Vec<&RegionEntry>> =
                    members.iter().map(|m| self.catalog.region(f, m)).collect();
                let region = self.catalog.region(f, &code);
                match entries {
                    Some(entries) => {
                        let mut countries: Vec<String> = entries
                            .iter()
                            .flat_map(|e| self.catalog.countries_of(f, e))
                            .collect();
                        countries.sort();
                        countries.dedup();
                        let code = region.map_or(code, |r| r.code.clone());
                        let held = entries.iter().copied().find(|e| e.operator.is_some());
                        let location = Location {
                            region: Known::Known(Some(code)),
                            countries: Known::Known(countries),
                            operator: held.and_then(|e| self.custodian.operator(e)),
                            derivation: how.to_string(),
                        };
                        let custody = self.custodian.custody(provider, held);
                        Placed { location, custody }
                    }
                    None => self.custodian.unknown_region(
                        provider,
                        f,
                        Known::Known(Some(code)),
                        How::PlacementNotInCatalog(Box::new(how)),
                    ),
                }
            }
            Place::Global(how) => {
                // A global resource lives in the provider's partition; a China partition is
                // reached only through a China region, which the provider region shows.
                let bound = match n.provider {
                    ProviderKind::Cloud(_) => Some(self.binder.bound(i)),
                    _ => None,
                };
                let entry = bound
                    .as_ref()
                    .and_then(|b| b.region.as_deref())
                    .and_then(|r| family.and_then(|f| self.catalog.region(f, r)));
                let operator = entry.and_then(|e| self.custodian.operator(e));
                let derivation = match (&operator, entry) {
                    (Some(op), Some(e)) => How::Partition {
                        how: Box::new(how),
                        region: e.code.clone(),
                        operator: op.name.clone(),
                    },
                    _ => how,
                }
                .to_string();
                let location = Location {
                    region: Known::Known(None),
                    countries: Known::Known(Vec::new()),
                    operator,
                    derivation,
                };
                let custody = self.custodian.custody(provider, entry);
                Placed { location, custody }
            }
            Place::Unknown(how) => match family {
                Some(f) => self
                    .custodian
                    .unknown_region(provider, f, Known::Unknown, how),
                None => Placed {
                    location: Location::unknown(how.to_string()),
                    custody: Custody::unknown(),
                },
            },
        }
    }

    fn warn_once(&mut self, key: String, message: String, address: Option<String>) {
        if self.warned.insert(key) {
            self.warnings.push(Warning {
                message,
                input: None,
                address,
            });
        }
    }
}

/// How many resolutions may nest on the native stack (see [`Resolver::placed`]).
const MAX_NESTED: usize = 64;

/// How many steps of a chain of references a derivation spells out.
const SHOWN_HOPS: u32 = 4;
