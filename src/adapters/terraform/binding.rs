//! Which provider configuration each resource is bound to, and what it says: the
//! alias, the region (with how it was found) and the default tags. Computed once per
//! (module, provider key, provider type) and shared by every resource bound there.

use std::rc::Rc;

use rustc_hash::FxHashMap;
use serde_json::Value;

use crate::catalog::Catalog;
use crate::model::{Known, Provider};

use super::config::{Binding, Candidate, Config, Resolved};
use super::families;
use super::how::{Candidates, Configured, How, Setting};
use super::nodes::{Node, ProviderKind};
use super::tags::DefaultTags;
use crate::adapters::places;

/// What a utility provider's company and jurisdiction are: no cloud holds the data.
pub(crate) const NONE: &str = "none";

/// What a provider binding says about the region, as a sentence and a value.
#[derive(Debug)]
pub(crate) struct BoundRegion {
    pub alias: Option<String>,
    /// `Some(code)` when the configuration determines it.
    pub region: Option<String>,
    /// The configuration sets no region at all (the environment decides).
    pub absent: bool,
    pub how: How,
    /// Provider `default_tags` (AWS) / `default_labels` (Google), when constant.
    pub default_tags: DefaultTags,
    /// Several candidate configurations disagree (an older plan without passed providers).
    pub ambiguous: bool,
}

/// The provider side of every resource.
pub(crate) struct Binder<'a, 'n> {
    catalog: &'a Catalog,
    config: &'n Config<'a>,
    nodes: &'n [Node<'a>],
    input: &'n str,
    /// Per (configuration module, provider_config_key, provider type).
    bindings: FxHashMap<(&'n str, Option<&'a str>, &'n str), Rc<BoundRegion>>,
    /// Per (source, binding): the model's provider block.
    providers: FxHashMap<(&'n str, usize), Rc<Provider>>,
}

impl<'a, 'n> Binder<'a, 'n> {
    pub fn new(
        catalog: &'a Catalog,
        config: &'n Config<'a>,
        nodes: &'n [Node<'a>],
        input: &'n str,
    ) -> Self {
        Binder {
            catalog,
            config,
            nodes,
            input,
            bindings: FxHashMap::default(),
            providers: FxHashMap::default(),
        }
    }

    /// The model's provider block for a node.
    pub fn provider(&mut self, i: usize) -> Rc<Provider> {
        let nodes: &'n [Node<'a>] = self.nodes;
        let n = &nodes[i];
        let bound = match n.provider {
            ProviderKind::Cloud(_) => Some(self.bound(i)),
            _ => None,
        };
        let key = (
            &*n.source,
            bound.as_ref().map_or(0, |b| Rc::as_ptr(b) as usize),
        );
        if let Some(p) = self.providers.get(&key) {
            return p.clone();
        }
        let alias = bound.and_then(|b| b.alias.clone());
        let p = Rc::new(match n.provider {
            ProviderKind::Cloud(p) => Provider {
                source: n.source.to_string(),
                alias,
                family: Some(p.family.clone()),
                company: Known::Known(p.company.clone()),
                jurisdiction: Known::Known(p.jurisdiction.clone()),
            },
            ProviderKind::Utility => Provider {
                source: n.source.to_string(),
                alias,
                family: None,
                company: Known::Known(NONE.to_owned()),
                jurisdiction: Known::Known(NONE.to_owned()),
            },
            ProviderKind::Unknown => Provider {
                source: n.source.to_string(),
                alias,
                family: None,
                company: Known::Unknown,
                jurisdiction: Known::Unknown,
            },
        });
        self.providers.insert(key, p.clone());
        p
    }

    /// Provider default tags for a node's provider configuration.
    pub fn default_tags(&mut self, i: usize) -> DefaultTags {
        match self.nodes[i].provider {
            ProviderKind::Cloud(_) => self.bound(i).default_tags.clone(),
            _ => DefaultTags::None,
        }
    }

    /// The region (and alias, default tags) the node's provider configuration gives.
    pub fn bound(&mut self, i: usize) -> Rc<BoundRegion> {
        let nodes: &'n [Node<'a>] = self.nodes;
        let n = &nodes[i];
        let ptype = n.source.rsplit('/').next().unwrap_or(&n.source);
        let key = n.cfg.and_then(|c| c.provider_config_key.as_deref());
        let cache_key = (&*n.config_module, key, ptype);
        if let Some(b) = self.bindings.get(&cache_key) {
            return b.clone();
        }
        let family = n.family().unwrap_or("");
        let b = Rc::new(if self.config.has_configuration() {
            let binding = self.config.binding(&n.config_module, key, ptype);
            self.bound_region(family, &binding)
        } else {
            BoundRegion {
                alias: None,
                region: None,
                absent: true,
                how: How::NoConfigurations {
                    input: self.input.to_owned(),
                },
                default_tags: DefaultTags::None,
                ambiguous: false,
            }
        });
        self.bindings.insert(cache_key, b.clone());
        b
    }

    fn bound_region(&self, family: &str, binding: &Binding<'_>) -> BoundRegion {
        let args = families::family(family).provider_region();
        let mut outcomes: Vec<(String, Option<String>, bool, How)> = Vec::new();
        for cand in &binding.candidates {
            let mut region = None;
            let mut setting = Setting::Absent;
            for &arg in args {
                let Some(expr) = cand.arg(arg) else { continue };
                match self.config.resolve(expr, &cand.module) {
                    Resolved::Value(Value::String(s), from) => {
                        let code = if arg == "zone" {
                            match places::zone_region(self.catalog, family, &s) {
                                Some(r) => r.code.clone(),
                                None => continue,
                            }
                        } else {
                            s
                        };
                        let zone = arg == "zone";
                        setting = Setting::Value {
                            what: if zone { "zone" } else { "region" },
                            from,
                            zone_of: zone.then(|| code.clone()),
                        };
                        region = Some(code);
                        break;
                    }
                    Resolved::Null => {}
                    Resolved::Value(v, _) => {
                        let value = v.to_string();
                        setting = Setting::NotAString { arg, value };
                        break;
                    }
                    Resolved::Ref { address, attr, .. } => {
                        setting = Setting::Computed { arg, address, attr };
                        break;
                    }
                    Resolved::Unknown(why) => {
                        setting = Setting::Unknown { arg, why };
                        break;
                    }
                }
            }
            let absent = setting == Setting::Absent;
            let how = How::Configured(Configured {
                local: cand.local().to_owned(),
                place: cand.place(),
                region: setting,
            });
            outcomes.push((cand.key.clone(), region, absent, how));
        }
        let default_tags = binding
            .candidates
            .first()
            .map(|c| self.default_tags_of(c, family))
            .unwrap_or(DefaultTags::None);
        let alias = match binding.candidates.as_slice() {
            [one] => one.alias(),
            _ => binding.local.split_once('.').map(|(_, a)| a.to_owned()),
        };
        match (outcomes.as_slice(), &binding.unrecorded) {
            ([], _) => BoundRegion {
                alias,
                region: None,
                absent: false,
                how: How::PassedWithout {
                    local: binding.local.clone(),
                    module: binding.unrecorded.clone().unwrap_or_default(),
                },
                default_tags,
                ambiguous: false,
            },
            ([(_, region, absent, how)], None) => BoundRegion {
                alias,
                region: region.clone(),
                absent: *absent,
                how: how.clone(),
                default_tags,
                ambiguous: false,
            },
            (many, unrecorded) => {
                let local = binding.local.clone();
                let module = unrecorded.clone().unwrap_or_default();
                let first = &many[0];
                let agree = many.iter().all(|o| o.1 == first.1 && o.2 == first.2);
                let list: Vec<(String, Option<String>)> = many
                    .iter()
                    .map(|(k, r, _, _)| (k.clone(), r.clone()))
                    .collect();
                let unrecorded = |candidates| How::Unrecorded {
                    local: local.clone(),
                    module: module.clone(),
                    candidates,
                };
                if agree && first.1.is_some() {
                    BoundRegion {
                        alias,
                        region: first.1.clone(),
                        absent: false,
                        how: if many.len() == 1 {
                            How::OnlyCandidate {
                                local: local.clone(),
                                module: module.clone(),
                                candidate: Box::new(first.3.clone()),
                            }
                        } else {
                            unrecorded(Candidates::Agree(list))
                        },
                        default_tags,
                        ambiguous: false,
                    }
                } else if agree && first.2 {
                    BoundRegion {
                        alias,
                        region: None,
                        absent: true,
                        how: unrecorded(Candidates::Absent(Box::new(first.3.clone()))),
                        default_tags,
                        ambiguous: false,
                    }
                } else {
                    BoundRegion {
                        alias,
                        region: None,
                        absent: false,
                        how: unrecorded(Candidates::Differ(list)),
                        default_tags: DefaultTags::Unknown,
                        ambiguous: true,
                    }
                }
            }
        }
    }

    fn default_tags_of(&self, cand: &Candidate<'_>, family: &str) -> DefaultTags {
        let path = families::family(family).default_tags;
        let expr = path.split_first().and_then(|(arg, rest)| {
            rest.iter()
                .try_fold(cand.arg(arg)?, |v, step| match step.parse() {
                    Ok(k) => v.get::<usize>(k),
                    Err(_) => v.get(*step),
                })
        });
        let Some(expr) = expr else {
            return DefaultTags::None;
        };
        match self.config.resolve(expr, &cand.module) {
            Resolved::Value(Value::Object(m), _) => DefaultTags::Known(Rc::new(m)),
            Resolved::Null => DefaultTags::None,
            _ => DefaultTags::Unknown,
        }
    }
}
