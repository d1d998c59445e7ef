//! The resources being normalised, with what every later step asks about them: parsed
//! address parts, provider entry, configuration block, and indexes by address,
//! configuration address, ARN, id and name, so lookups never scan the plan.

use rustc_hash::FxHashMap;
use serde_json::Value;

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

pub(crate) struct Node<'a> {
    pub item: RawItem,
    /// Module instance path (`module.m[0]`), `""` in the root.
    pub module: String,
    /// End offsets of each `module.x[k]` step within `module`.
    pub module_ends: Vec<usize>,
    /// Configuration module path (`module.m`).
    pub config_module: String,
    /// Address inside the module without key (`aws_s3_bucket.b`).
    pub config_address: String,
    /// Normalised provider source (`hashicorp/aws`).
    pub source: String,
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
        match self.item.after.get(key) {
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
                || (pointer.starts_with(p.as_str())
                    && pointer.as_bytes().get(p.len()) == Some(&b'/'))
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
        match depth.checked_sub(1).and_then(|d| self.module_ends.get(d)) {
            Some(&end) => &self.module[..end],
            None => "",
        }
    }
}

/// Lookups over all nodes; built once, used by references and flows.
#[derive(Default)]
pub(crate) struct Index {
    /// (module instance path, configuration address) → instances.
    pub by_config: FxHashMap<(String, String), Vec<usize>>,
    pub by_address: FxHashMap<String, usize>,
    pub by_arn: FxHashMap<String, Vec<usize>>,
    pub by_id: FxHashMap<String, Vec<usize>>,
    /// (resource type, name) → instances; the name is `bucket`, `identifier` or `name`.
    pub by_name: FxHashMap<(String, String), Vec<usize>>,
}

impl Index {
    pub fn build(nodes: &[Node<'_>]) -> Index {
        let mut ix = Index::default();
        for (i, n) in nodes.iter().enumerate() {
            ix.by_config
                .entry((n.module.clone(), n.config_address.clone()))
                .or_default()
                .push(i);
            ix.by_address.insert(n.item.address.clone(), i);
            if let Some(arn) = n.str_attr("arn") {
                ix.by_arn.entry(arn.to_owned()).or_default().push(i);
            }
            if let Some(id) = n.str_attr("id") {
                ix.by_id.entry(id.to_owned()).or_default().push(i);
            }
            for key in ["bucket", "identifier", "name"] {
                if let Some(name) = n.str_attr(key) {
                    ix.by_name
                        .entry((n.item.rtype.clone(), name.to_owned()))
                        .or_default()
                        .push(i);
                    break;
                }
            }
        }
        ix
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
            .get(&(prefix.to_owned(), address.to_owned()))
            .map(|v| v.iter().copied().filter(|&j| j != from).collect())
            .unwrap_or_default()
    }
}
