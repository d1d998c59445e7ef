//! Terraform plan and state JSON → the resource model.
//!
//! [`read`] collects what is needed in one streaming pass; [`check`] validates addresses
//! and provider names while the input text is still there to point into; then
//! [`normalise`] binds providers ([`config`]), places resources ([`locate`]), reads tags
//! ([`tags`]) and follows data flows ([`flows`]) without the input text.

pub(crate) mod config;
mod flows;
mod locate;
mod nodes;
pub(crate) mod read;
mod tags;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::catalog::Catalog;
use crate::model::{INVENTORY_VERSION, InputInfo, Inventory, Resource};

use super::address;
use super::err::{AdapterError, Input};
use config::Config;
use nodes::{Index, Node, ProviderKind};
use read::{Keep, RawConfig, RawItem};

/// A Terraform document that passed every check, owning all it needs.
pub(crate) struct Checked {
    pub kind: &'static str,
    pub tool_version: Option<String>,
    pub variables: IndexMap<String, Value>,
    pub config: Option<RawConfig>,
    pub items: Vec<Item>,
}

/// A resource with its address taken apart.
pub(crate) struct Item {
    raw: RawItem,
    module: String,
    module_ends: Vec<usize>,
    config_module: String,
    config_address: String,
    source: String,
}

/// Validates addresses and provider names, and drops what is not a resource after the
/// change: data sources, deposed objects, and resources only being deleted or forgotten.
pub(crate) fn check(
    input: Input<'_>,
    kind: &'static str,
    tool_version: Option<String>,
    variables: IndexMap<String, Value>,
    config: Option<RawConfig>,
    raw_items: Vec<RawItem>,
) -> Result<Checked, AdapterError> {
    let mut items = Vec::with_capacity(raw_items.len());
    for raw in raw_items {
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
        let written = address::unwrap_provider_ref(&raw.provider_name);
        let source = if written.is_empty() {
            // Some hand-made documents omit it; the type's prefix names the provider.
            address::provider_source(addr.rtype.split('_').next().unwrap_or(addr.rtype))
        } else {
            address::provider_source(written)
        };
        let Some(source) = source else {
            let (src, span, path) = input.at_path(&raw.origin.path("provider_name"));
            return Err(AdapterError::BadProviderSource {
                provider: raw.provider_name.clone(),
                path,
                src,
                span,
            });
        };
        let only_leaving =
            !raw.actions.is_empty() && raw.actions.iter().all(|a| a == "delete" || a == "forget");
        if addr.data || raw.mode == "data" || raw.deposed || only_leaving {
            continue;
        }
        let mut module_ends = Vec::with_capacity(addr.module_names.len());
        let mut pos = 0;
        // Each step is `module.<name>` plus an optional key; re-walk to find the ends.
        for name in &addr.module_names {
            pos += "module.".len() + name.len();
            let rest = &addr.module[pos..];
            if rest.starts_with('[') {
                pos += key_len(rest);
            }
            module_ends.push(pos);
            pos += 1;
        }
        let (module, config_module, config_address) = (
            addr.module.to_owned(),
            addr.config_module(),
            addr.config_address(),
        );
        items.push(Item {
            module,
            module_ends,
            config_module,
            config_address,
            source,
            raw,
        });
    }
    Ok(Checked {
        kind,
        tool_version,
        variables,
        config,
        items,
    })
}

/// Length of a leading `[...]` instance key (strings may contain `]`).
fn key_len(s: &str) -> usize {
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            '\\' if in_str && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => in_str = !in_str,
            ']' if !in_str => return i + 1,
            _ => {}
        }
        escaped = false;
    }
    s.len()
}

/// Builds the inventory of one checked document.
pub(crate) fn normalise(
    name: &str,
    doc: Checked,
    catalog: &Catalog,
    defaults: &IndexMap<String, String>,
    keep: Keep<'_>,
) -> Inventory {
    let config = Config::new(doc.config.as_ref(), &doc.variables);
    let nodes: Vec<Node<'_>> = doc
        .items
        .into_iter()
        .map(|it| {
            let provider = match (catalog.provider(&it.source), catalog.utility(&it.source)) {
                (Some(p), _) => ProviderKind::Cloud(p),
                (None, Some(_)) => ProviderKind::Utility,
                (None, None) => ProviderKind::Unknown,
            };
            let cfg = config.resource(&it.config_module, &it.config_address);
            Node {
                item: it.raw,
                module: it.module,
                module_ends: it.module_ends,
                config_module: it.config_module,
                config_address: it.config_address,
                source: it.source,
                provider,
                cfg,
            }
        })
        .collect();
    let index = Index::build(&nodes);
    let whence = match doc.kind {
        "terraform-state" => "a Terraform state",
        _ => "this plan",
    };
    let mut r = locate::Resolver::new(catalog, &config, &nodes, &index, defaults, whence);
    let mut built = Vec::with_capacity(nodes.len());
    for (i, node) in nodes.iter().enumerate() {
        let provider = r.provider(i);
        let placed = r.placed(i);
        let tags = tags::tags(node, &r.default_tags(i));
        built.push((provider, placed, tags));
    }
    let mut flows = flows::flows(&mut r);
    let mut warnings = std::mem::take(&mut r.warnings);
    for w in &mut warnings {
        w.input = Some(name.to_owned());
    }
    drop(r);

    let mut resources = Vec::with_capacity(nodes.len());
    for ((node, (provider, placed, tags)), flows) in
        nodes.into_iter().zip(built).zip(flows.iter_mut())
    {
        let item = node.item;
        let attributes: Map<String, Value> = item
            .after
            .into_iter()
            .filter(|(k, _)| keep.projects(k))
            .collect();
        let unknown_attributes = item
            .unknown
            .into_iter()
            .filter(|p| {
                let top = p.trim_start_matches('/').split('/').next().unwrap_or("");
                p.is_empty() || keep.projects(&top.replace("~1", "/").replace("~0", "~"))
            })
            .collect();
        let placed = std::rc::Rc::try_unwrap(placed).unwrap_or_else(|rc| (*rc).clone());
        resources.push(Resource {
            address: item.address,
            resource_type: item.rtype,
            name: item.name,
            mode: "managed".to_owned(),
            actions: item.actions,
            input: Some(name.to_owned()),
            provider,
            location: placed.location,
            custody: placed.custody,
            tags,
            attributes: Value::Object(attributes),
            unknown_attributes,
            flows: std::mem::take(flows),
        });
    }
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
    }
}
