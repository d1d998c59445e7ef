//! The resources being normalised, with what every later step asks about them: parsed
//! address parts, provider entry, configuration block, and indexes by address,
//! configuration address, ARN, id and name, so lookups never scan the plan.

use std::collections::hash_map::Entry;
use std::rc::Rc;

use rustc_hash::FxHashMap;
use serde_json::Value;

use crate::adapters::address;
use crate::catalog::ProviderEntry;

use super::read::{RawConfigResource, RawItem};

/// What kind of provider a resource belongs to.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ProviderKind<'a> {
    Cloud(&'a ProviderEntry),
    /// `hashicorp/random` and friends: no cloud data.
    Utility,
    /// Not in the catalog.
    Unknown,
}

/// The strings below repeat across thousands of instances of one configuration
/// resource, so they are interned (`Rc<str>`).
pub(crate) struct Node<'a> {
    pub item: RawItem,
    /// Module instance path (`module.m[0]`), `""` in the root.
    pub module: Rc<str>,
    /// Configuration module path (`module.m`).
    pub config_module: Rc<str>,
    /// Address inside the module without key (`aws_s3_bucket.b`).
    pub config_address: Rc<str>,
    /// Normalised provider source (`hashicorp/aws`).
    pub source: Rc<str>,
    pub provider: ProviderKind<'a>,
    pub cfg: Option<&'a RawConfigResource>,
}

/// A resource attribute as the plan knows it.
pub(crate) enum Attr<'v> {
    Known(&'v Value),
    /// Unknown until apply (`after_unknown`).
    Unknown,
    /// Not set (absent or `null`).
    Absent,
}

impl<'a> Node<'a> {
    pub fn family(&self) -> Option<&'a str> {
        match self.provider {
            ProviderKind::Cloud(p) => Some(p.family.as_str()),
            _ => None,
        }
    }

    pub fn attr(&self, key: &str) -> Attr<'_> {
        if self.is_unknown(key) {
            return Attr::Unknown;
        }
        match self.item.get(key) {
            None | Some(Value::Null) => Attr::Absent,
            Some(v) => Attr::Known(v),
        }
    }

    /// True when `after_unknown` marks the whole of top-level attribute `key` unknown.
    pub fn is_unknown(&self, key: &str) -> bool {
        self.item
            .unknown
            .iter()
            .any(|p| p.is_empty() || p.strip_prefix('/') == Some(key))
    }

    /// True when the value at JSON pointer `pointer` (or a parent of it) is unknown.
    pub fn is_unknown_at(&self, pointer: &str) -> bool {
        self.item.unknown.iter().any(|p| {
            p.is_empty()
                || p == pointer
                || (pointer.starts_with(p) && pointer.as_bytes().get(p.len()) == Some(&b'/'))
        })
    }

    /// True when top-level attribute `key`, or anything inside it, is unknown.
    pub fn is_unknown_under(&self, key: &str) -> bool {
        self.item.unknown.iter().any(|p| {
            p.is_empty()
                || p.strip_prefix('/')
                    .and_then(|r| r.strip_prefix(key))
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }

    pub fn str_attr(&self, key: &str) -> Option<&str> {
        match self.attr(key) {
            Attr::Known(Value::String(s)) if !s.is_empty() => Some(s),
            _ => None,
        }
    }

    /// The configuration expression of a top-level argument, if the configuration sets it.
    pub fn expr(&self, key: &str) -> Option<&'a Value> {
        self.cfg?.expressions.get(key)
    }

    /// The instance path of the module `depth` steps below the root that contains this
    /// resource (`module.a[0]` for depth 1 of `module.a[0].module.b`).
    pub fn module_prefix(&self, depth: usize) -> &str {
        address::module_prefix(&self.module, depth)
    }
}

/// The attributes a resource is known by, in order: the first it has is its name.
pub(crate) const NAME_KEYS: &[&str] = &["bucket", "identifier", "name"];

/// Lookups over all nodes; built once, used by references and flows. Keys borrow from
/// the nodes, and a key with one node (nearly all) needs no allocation of its own.
#[derive(Default)]
pub(crate) struct Index<'n> {
    /// (module instance path, configuration address) → instances.
    by_config: FxHashMap<(&'n str, &'n str), Hits>,
    by_arn: FxHashMap<&'n str, Hits>,
    by_id: FxHashMap<&'n str, Hits>,
    /// The name a resource is known by (`bucket`, `identifier` or `name`).
    by_name: FxHashMap<&'n str, Hits>,
}

/// The nodes under one key.
enum Hits {
    One(usize),
    Many(Vec<usize>),
}

impl Hits {
    fn as_slice(&self) -> &[usize] {
        match self {
            Hits::One(i) => std::slice::from_ref(i),
            Hits::Many(v) => v,
        }
    }
}

fn add<K: std::hash::Hash + Eq>(map: &mut FxHashMap<K, Hits>, key: K, i: usize) {
    match map.entry(key) {
        Entry::Vacant(e) => {
            e.insert(Hits::One(i));
        }
        Entry::Occupied(mut e) => {
            let hits = e.get_mut();
            match hits {
                Hits::One(first) => *hits = Hits::Many(vec![*first, i]),
                Hits::Many(v) => v.push(i),
            }
        }
    }
}

fn get<'m>(map: &'m FxHashMap<&str, Hits>, key: &str) -> &'m [usize] {
    map.get(key).map_or(&[], Hits::as_slice)
}

impl<'n> Index<'n> {
    pub fn build(nodes: &'n [Node<'_>]) -> Index<'n> {
        let mut ix = Index::default();
        for (i, n) in nodes.iter().enumerate() {
            add(&mut ix.by_config, (&*n.module, &*n.config_address), i);
            if let Some(arn) = n.str_attr("arn") {
                add(&mut ix.by_arn, arn, i);
            }
            if let Some(id) = n.str_attr("id") {
                add(&mut ix.by_id, id, i);
            }
            if let Some(name) = NAME_KEYS.iter().find_map(|k| n.str_attr(k)) {
                add(&mut ix.by_name, name, i);
            }
        }
        ix
    }

    pub fn by_arn(&self, arn: &str) -> &[usize] {
        get(&self.by_arn, arn)
    }

    pub fn by_id(&self, id: &str) -> &[usize] {
        get(&self.by_id, id)
    }

    /// Nodes known by `name`, of any type.
    pub fn by_name(&self, name: &str) -> &[usize] {
        get(&self.by_name, name)
    }

    /// Instances of `address` written in configuration module `config_module`, seen from
    /// node `from` (a reference stays inside the module instance it is written in).
    pub fn referenced(
        &self,
        nodes: &[Node<'_>],
        from: usize,
        config_module: &str,
        address: &str,
    ) -> Vec<usize> {
        // Module names cannot contain `.`, so `module.a.module.b` has two steps.
        let depth = if config_module.is_empty() {
            0
        } else {
            config_module.split('.').count() / 2
        };
        let prefix = nodes[from].module_prefix(depth);
        self.by_config
            .get(&(prefix, address))
            .map_or(&[][..], Hits::as_slice)
            .iter()
            .copied()
            .filter(|&j| j != from)
            .collect()
    }
}
