//! Terraform plan and state JSON → the resource model.
//!
//! [`read`] collects what is needed in one streaming pass; [`check`] validates addresses
//! and provider names while the input text is still there to point into; then
//! [`normalise`] binds providers ([`config`], [`binding`]), places resources ([`locate`]
//! by the tables of [`families`], [`custody`] saying who holds them, [`how`] how each
//! place was found), reads tags ([`tags`]) and follows data flows ([`flows`]) without
//! the input text.

#![forbid(unsafe_code)]

mod binding;
pub(crate) mod config;
mod custody;
mod families;
mod flows;
mod how;
mod locate;
mod nodes;
pub(crate) mod read;
mod tags;

use std::rc::Rc;

use indexmap::IndexMap;
use rustc_hash::FxHashMap;
use serde_json::{Map, Value};

use crate::catalog::Catalog;
use crate::model::{INVENTORY_VERSION, InputInfo, Inventory, Known, Resource, Warning};

use super::err::{AdapterError, Input};
use super::{address, scan};
use config::Config;
use nodes::{Index, Node, ProviderKind};
use read::{Keep, RawConfig, RawItem};

/// A Terraform document that passed every check, owning all it needs.
pub(crate) struct Checked {
    pub kind: &'static str,
    pub tool_version: Option<String>,
    pub variables: IndexMap<String, Value>,
    pub config: Option<RawConfig>,
    pub items: Vec<RawItem>,
}

/// Validates addresses and provider names, and drops what is not a resource after the
/// change: data sources, deposed objects, and resources only being deleted or forgotten.
pub(crate) fn check(
    input: Input<'_>,
    keep: Keep<'_>,
    kind: &'static str,
    tool_version: Option<String>,
    variables: IndexMap<String, Value>,
    config: Option<RawConfig>,
    raw_items: Vec<RawItem>,
) -> Result<Checked, AdapterError> {
    let mut items = raw_items;
    // Plans name a handful of providers many times over.
    let mut sources: FxHashMap<Rc<str>, Option<Rc<str>>> = FxHashMap::default();
    let mut strings = keep.strings.borrow_mut();
    let mut gone = false;
    let mut scratch = String::new();
    refuse_incomplete(input, &items)?;
    for raw in &mut items {
        let addr = match address::parse(&raw.address) {
            Ok(a) => a,
            Err(reason) => {
                let (src, span, path) = input.at_path(&raw.origin.path("address"));
                return Err(AdapterError::BadAddress {
                    path,
                    reason,
                    src,
                    span,
                });
            }
        };
        let source = match sources.get(&raw.provider_name) {
            Some(known) => known.clone(),
            None => {
                let written = address::unwrap_provider_ref(&raw.provider_name);
                let s = if written.is_empty() {
                    // Some hand-made documents omit it; the type's prefix names the provider.
                    address::provider_source(addr.rtype.split('_').next().unwrap_or(addr.rtype))
                } else {
                    address::provider_source(written)
                }
                .map(|s| strings.get(&s));
                sources.insert(raw.provider_name.clone(), s.clone());
                s
            }
        };
        let Some(source) = source else {
            let (src, span, path) = input.at_path(&raw.origin.path("provider_name"));
            return Err(AdapterError::BadProviderSource {
                provider: raw.provider_name.to_string(),
                path,
                src,
                span,
            });
        };
        if let Some((field, message)) = disagreement(raw, &addr) {
            return Err(inconsistent(input, raw, field, message));
        }
        let actions = raw.actions.as_deref().unwrap_or(&[]);
        let only_leaving =
            !actions.is_empty() && actions.iter().all(|a| a == "delete" || a == "forget");
        raw.data |= addr.data;
        if raw.data || raw.deposed.is_some() || only_leaving {
            // Not a resource after the change; dropped below.
            raw.data = true;
            gone = true;
            continue;
        }
        raw.module = strings.get(addr.module);
        addr.write_config_module(&mut scratch);
        raw.config_module = strings.get(&scratch);
        addr.write_config_address(&mut scratch);
        raw.config_address = strings.get(&scratch);
        raw.source = source;
    }
    drop(strings);
    if gone {
        items.retain(|r| !r.data);
    }
    Ok(Checked {
        kind,
        tool_version,
        variables,
        config,
        items,
    })
}

/// A field of the entry that contradicts its address, and how.
fn disagreement(raw: &RawItem, addr: &address::Address<'_>) -> Option<(&'static str, String)> {
    let says = |what: &str, field: &str| {
        format!(
            "`{what}` does not match the address `{}`, whose {field} is `{}`",
            raw.address,
            match field {
                "type" => addr.rtype,
                _ => addr.name,
            }
        )
    };
    if *raw.rtype != *addr.rtype {
        return Some(("type", says(&raw.rtype, "type")));
    }
    if *raw.name != *addr.name {
        return Some(("name", says(&raw.name, "name")));
    }
    if raw.data != addr.data {
        let (mode, is) = if raw.data {
            ("data", "a managed resource")
        } else {
            ("managed", "a data source")
        };
        return Some((
            "mode",
            format!(
                "`{mode}` does not match the address `{}`, which is {is}",
                raw.address
            ),
        ));
    }
    None
}

fn inconsistent(input: Input<'_>, raw: &RawItem, field: &str, message: String) -> AdapterError {
    let (src, span, path) = input.at_path(&raw.origin.path(field));
    AdapterError::BadEntry {
        message,
        path,
        src,
        span,
    }
}

/// Refuses an entry that lacks a field Terraform always writes, one the reader found a
/// problem in, and an object listed twice (a deposed object shares its resource's
/// address, so an object is its address and deposed key).
fn refuse_incomplete(input: Input<'_>, items: &[RawItem]) -> Result<(), AdapterError> {
    let mut first: FxHashMap<(&str, Option<&str>), &RawItem> =
        FxHashMap::with_capacity_and_hasher(items.len(), Default::default());
    for raw in items {
        if let Some(field) = raw.missing {
            let (src, span, path) = input.at_nearest(&raw.origin.path(field));
            return Err(AdapterError::MissingField {
                field,
                path,
                src,
                span,
            });
        }
        if let Some(problem) = &raw.problem {
            let mut path = raw.origin.path("");
            path.extend(problem.at.iter().cloned());
            let (src, span, path) = input.at_nearest(&path);
            return Err(AdapterError::BadEntry {
                message: problem.message.clone(),
                path,
                src,
                span,
            });
        }
        if let Some(before) = first.insert((&raw.address, raw.deposed.as_deref()), raw) {
            let at = scan::fmt_path(&before.origin.path(""));
            let message = format!("`{}` is listed twice (first at {at})", raw.address);
            return Err(inconsistent(input, raw, "address", message));
        }
    }
    Ok(())
}

/// Resources that keep their tags on a parent ([`tags::TAGS_ON_PARENT`]) take the
/// parent's, following parents of parents, unless they have tags of their own; where
/// the parent is not known, neither are the tags, and a warning says why.
fn inherit_tags(
    resources: &mut [Resource],
    parents: &[Option<Result<usize, String>>],
    input: &str,
    warnings: &mut Vec<Warning>,
) {
    for i in 0..resources.len() {
        // A resource with tags of its own (a provider version that added them) keeps them.
        if !matches!(&resources[i].tags, Known::Known(own) if own.is_empty()) {
            continue;
        }
        let mut at = i;
        let mut steps = 0;
        let found = loop {
            match &parents[at] {
                None => break Ok(at),
                Some(Err(why)) => break Err(why.clone()),
                // A chain longer than any real nesting is a cycle.
                Some(Ok(_)) if steps > 8 => {
                    break Err("its parents refer back to it".to_owned());
                }
                Some(Ok(p)) => {
                    at = *p;
                    steps += 1;
                }
            }
        };
        match found {
            Ok(holder) if holder == i => {}
            Ok(holder) => resources[i].tags = resources[holder].tags.clone(),
            Err(why) => {
                warnings.push(Warning {
                    message: format!(
                        "`{}` keeps its tags on its parent resource: {why}, so its tags are unknown",
                        resources[i].address
                    ),
                    input: Some(input.to_owned()),
                    address: Some(resources[i].address.clone()),
                });
                resources[i].tags = Known::Unknown;
            }
        }
    }
}

/// A resource's `attributes` (its kept `after` keys in order, each tag map put back
/// where its placeholder is) and `unknown_attributes` (the `after_unknown` leaves under
/// kept keys), from its item once its tags are read.
pub(crate) fn attributes(
    after: Vec<(std::borrow::Cow<'static, str>, Value)>,
    mut tag_maps: Vec<(&'static str, read::RawTags)>,
    unknown: &read::Pointers,
    keep: Keep<'_>,
) -> (Value, Value) {
    let mut attributes: Map<String, Value> = Map::new();
    for (k, v) in after {
        if !keep.projects(&k) {
            continue;
        }
        // Tag maps were read apart; put each back where its placeholder is (a tag
        // list is kept as written).
        let v = match tag_maps.iter().position(|(t, _)| *t == k) {
            Some(pos) if v.is_null() => tags::as_value(&tag_maps.swap_remove(pos).1),
            _ => v,
        };
        attributes.insert(k.into_owned(), v);
    }
    let attributes = Value::Object(attributes);
    let unknown_attributes = crate::model::unknown_tree_from_pointers(
        unknown.iter().filter(|p: &&str| {
            let top = p.trim_start_matches('/').split('/').next().unwrap_or("");
            // Attribute names never contain `/` or `~`, so `top` needs no unescaping.
            p.is_empty() || keep.projects(top)
        }),
        &attributes,
    );
    (attributes, unknown_attributes)
}

/// Builds the inventory of one checked document; `entries` gets each resource's
/// [`read::RawItem::entry`], in the inventory's order.
pub(crate) fn normalise(
    name: &str,
    doc: Checked,
    catalog: &Catalog,
    defaults: &IndexMap<String, String>,
    keep: Keep<'_>,
    entries: &mut Vec<Option<read::EntryAt>>,
) -> Inventory {
    let config = Config::new(doc.config.as_ref(), &doc.variables);
    let mut nodes: Vec<Node<'_>> = doc
        .items
        .into_iter()
        .map(|item| {
            let provider = match (
                catalog.provider(&item.source),
                catalog.utility(&item.source),
            ) {
                (Some(p), _) => ProviderKind::Cloud(p),
                (None, Some(_)) => ProviderKind::Utility,
                (None, None) => ProviderKind::Unknown,
            };
            let cfg = config.resource(&item.config_module, &item.config_address);
            Node {
                module: item.module.clone(),
                config_module: item.config_module.clone(),
                config_address: item.config_address.clone(),
                source: item.source.clone(),
                item,
                provider,
                cfg,
            }
        })
        .collect();
    let whence = match doc.kind {
        "terraform-state" => "a Terraform state",
        "terraform-source" => "in the Terraform source",
        _ => "this plan",
    };
    let (placed, flows, tag_parents, warnings) = {
        let index = Index::build(&nodes);
        let mut r = locate::Resolver::new(catalog, &config, &nodes, &index, defaults, whence);
        let placed: Vec<_> = (0..nodes.len())
            .map(|i| (r.binder.provider(i), r.placed(i), r.binder.default_tags(i)))
            .collect();
        let tag_parents: Vec<_> = (0..nodes.len()).map(|i| r.tag_parent(i)).collect();
        let flows = flows::flows(&mut r);
        let mut warnings = std::mem::take(&mut r.warnings);
        for w in &mut warnings {
            w.input = Some(name.to_owned());
        }
        (placed, flows, tag_parents, warnings)
    };
    let mut warnings = warnings;

    let mut resources = Vec::with_capacity(nodes.len());
    for ((node, (provider, placed, defaults)), flows) in nodes.drain(..).zip(placed).zip(flows) {
        let family = node.family();
        let mut item = node.item;
        let tags = tags::tags(&mut item, family, &defaults, keep);
        entries.push(item.entry);
        let (attributes, unknown_attributes) =
            attributes(item.after, item.tag_maps, &item.unknown, keep);
        let placed = Rc::unwrap_or_clone(placed);
        resources.push(Resource {
            address: item.address,
            resource_type: item.rtype.to_string(),
            name: item.name.to_string(),
            mode: "managed".to_owned(),
            actions: item.actions.map_or_else(Vec::new, |a| a.to_vec()),
            input: Some(name.to_owned()),
            provider: Rc::unwrap_or_clone(provider),
            location: placed.location,
            custody: placed.custody,
            tags,
            attributes,
            unknown_attributes,
            flows,
            source: None,
        });
    }
    inherit_tags(&mut resources, &tag_parents, name, &mut warnings);
    Inventory {
        version: INVENTORY_VERSION,
        today: None,
        inputs: vec![InputInfo {
            name: name.to_owned(),
            kind: doc.kind.to_owned(),
            tool_version: doc.tool_version,
        }],
        resources,
        warnings,
        sources: Default::default(),
    }
}
