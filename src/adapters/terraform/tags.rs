//! Tags and labels in one shape across providers. Keys keep their original spelling
//! (policies compare them case- and separator-insensitively); a value not known until
//! apply is unknown, and so is a map whose keys are not known.

use std::rc::Rc;

use indexmap::IndexMap;
use serde_json::Value;

use crate::model::Known;

use super::read::{Keep, RawItem, RawTags, TagMap};

pub(crate) type Tags = Known<TagMap>;

/// Provider-level tags merged into every resource's (AWS `default_tags`, Google
/// `default_labels`).
#[derive(Clone, Debug)]
pub(crate) enum DefaultTags {
    None,
    Known(Rc<serde_json::Map<String, Value>>),
    Unknown,
}

/// Where a resource keeps its tags, by provider family and resource type: the first
/// row whose family and type match decides (`"*"` matches any). This table is the one
/// place that says it; docs/inventory.md prints it and tests/it/adapters_tags.rs tests
/// each row with a plan in the real shape.
pub(crate) const TAG_TABLE: &[(&str, &str, TagSource)] = &[
    // Cloud SQL keeps user labels inside its settings block, not in `labels`, and the
    // provider's `default_labels` do not reach them (hashicorp/terraform-provider-google
    // issue 16375).
    (
        "google",
        "google_sql_database_instance",
        TagSource::Nested(&["settings", "0", "user_labels"]),
    ),
    // Provider 5+: `effective_labels` (all, incl. provider `default_labels` and labels set
    // outside Terraform) is often known only after apply; `terraform_labels` (labels set
    // in Terraform plus `default_labels`) is known at plan time; before 5.0 there is only
    // `labels`.
    ("google", "*", TagSource::GoogleLabels),
    // `tags_all` merges the provider's `default_tags`; before it is known, `tags` over
    // the provider's constant `default_tags`.
    ("aws", "*", TagSource::AwsTags),
    // Free-form tags and defined tags (`Namespace.key`) together.
    (
        "oci",
        "*",
        TagSource::Union(&["freeform_tags", "defined_tags"]),
    ),
    // azurerm, alicloud, tencentcloud, huaweicloud and user families: `tags`, else
    // `labels`.
    ("*", "*", TagSource::First(&["tags", "labels"])),
];

/// Azure sub-resources whose provider schema has no `tags`: their tags are those of the
/// parent they live in, named by the first of the listed arguments that names one (the
/// same arguments that give them their location). A container's data is classified
/// where its storage account is tagged. From the azurerm provider's resource pages
/// (registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/<type>),
/// whose argument lists have no `tags`; docs/inventory.md prints the table.
pub(crate) const TAGS_ON_PARENT: &[(&str, &[&str])] = &[
    ("azurerm_storage_container", STORAGE_ACCOUNT),
    ("azurerm_storage_queue", STORAGE_ACCOUNT),
    ("azurerm_storage_share", STORAGE_ACCOUNT),
    ("azurerm_storage_data_lake_gen2_filesystem", STORAGE_ACCOUNT),
    ("azurerm_storage_blob", &["storage_account_name"]),
    ("azurerm_storage_table", &["storage_account_name"]),
    ("azurerm_cosmosdb_sql_database", &["account_name"]),
    ("azurerm_cosmosdb_sql_container", &["account_name"]),
    ("azurerm_cosmosdb_mongo_database", &["account_name"]),
    ("azurerm_cosmosdb_mongo_collection", &["account_name"]),
    ("azurerm_cosmosdb_cassandra_keyspace", &["account_name"]),
    ("azurerm_cosmosdb_gremlin_database", &["account_name"]),
    ("azurerm_cosmosdb_gremlin_graph", &["account_name"]),
    ("azurerm_cosmosdb_table", &["account_name"]),
    (
        "azurerm_postgresql_flexible_server_database",
        &["server_id"],
    ),
    ("azurerm_postgresql_database", &["server_name"]),
    ("azurerm_mysql_flexible_database", &["server_name"]),
    ("azurerm_eventhub", &["namespace_id", "namespace_name"]),
    ("azurerm_servicebus_queue", &["namespace_id"]),
    ("azurerm_servicebus_topic", &["namespace_id"]),
    ("azurerm_redis_enterprise_database", &["cluster_id"]),
];

const STORAGE_ACCOUNT: &[&str] = &["storage_account_id", "storage_account_name"];

/// Every top-level attribute the tag tables read.
pub(crate) fn reads(out: &mut Vec<&'static str>) {
    for (_, _, source) in TAG_TABLE {
        match source {
            TagSource::Nested(path) => out.push(path[0]),
            TagSource::GoogleLabels => {
                out.extend(["effective_labels", "terraform_labels", "labels"])
            }
            TagSource::AwsTags => out.extend(["tags_all", "tags"]),
            TagSource::Union(keys) | TagSource::First(keys) => out.extend_from_slice(keys),
        }
    }
    for (_, keys) in TAGS_ON_PARENT {
        out.extend_from_slice(keys);
    }
}

/// The arguments naming the parent that holds a resource's tags, if it keeps them there.
pub(crate) fn tags_on_parent(family: Option<&str>, rtype: &str) -> Option<&'static [&'static str]> {
    if family != Some("azure") {
        return None;
    }
    TAGS_ON_PARENT
        .iter()
        .find(|(t, _)| *t == rtype)
        .map(|(_, keys)| *keys)
}

/// How to read one row of [`TAG_TABLE`].
#[derive(Clone, Copy, Debug)]
pub(crate) enum TagSource {
    /// A map inside a block: the attribute, then list indexes and keys.
    Nested(&'static [&'static str]),
    /// Google's `effective_labels`, `terraform_labels`, then `labels` over the provider's
    /// `default_labels`.
    GoogleLabels,
    /// AWS `tags_all`, then `tags` over the provider's `default_tags`.
    AwsTags,
    /// Every listed map merged, later ones winning; unknown if any is.
    Union(&'static [&'static str]),
    /// The first listed map the resource has.
    First(&'static [&'static str]),
}

/// The row of [`TAG_TABLE`] for a resource.
pub(crate) fn tag_source(family: Option<&str>, rtype: &str) -> TagSource {
    let family = family.unwrap_or("");
    TAG_TABLE
        .iter()
        .find(|(f, t, _)| (*f == "*" || *f == family) && (*t == "*" || *t == rtype))
        .map_or(TagSource::First(&["tags", "labels"]), |(_, _, s)| *s)
}

/// The resource's tags after the change. Takes the maps out of the item (they are
/// copied only when the policies also read them as attributes).
pub(crate) fn tags(
    item: &mut RawItem,
    family: Option<&str>,
    defaults: &DefaultTags,
    keep: Keep<'_>,
) -> Tags {
    match tag_source(family, &item.rtype) {
        TagSource::Nested(path) => nested(item, path),
        TagSource::AwsTags => match take(item, "tags_all", keep) {
            Some(Known::Known(all)) => Known::Known(all),
            _ => merged(take(item, "tags", keep), defaults),
        },
        TagSource::GoogleLabels => match take(item, "effective_labels", keep) {
            Some(Known::Known(all)) => Known::Known(all),
            _ => match take(item, "terraform_labels", keep) {
                Some(Known::Known(all)) => Known::Known(all),
                _ => merged(take(item, "labels", keep), defaults),
            },
        },
        TagSource::Union(keys) => {
            let mut out = IndexMap::new();
            for key in keys {
                match take(item, key, keep).unwrap_or(Known::Known(IndexMap::new())) {
                    Known::Known(m) => out.extend(m),
                    Known::Unknown => return Known::Unknown,
                }
            }
            Known::Known(out)
        }
        TagSource::First(keys) => keys
            .iter()
            .find_map(|k| take(item, k, keep))
            .unwrap_or(Known::Known(IndexMap::new())),
    }
}

/// A tag map nested in a block of the planned values (`settings[0].user_labels`), with
/// the values `after_unknown` marks unknown; unknown when the map or a block holding it
/// is.
fn nested(item: &RawItem, path: &[&str]) -> Tags {
    let pointer: String = path.iter().map(|p| format!("/{p}")).collect();
    let covers = |p: &str| p.is_empty() || pointer.starts_with(&format!("{p}/")) || p == pointer;
    if item.unknown.iter().any(covers) {
        return Known::Unknown;
    }
    let mut node = item.get(path[0]);
    for seg in &path[1..] {
        node = match (node, seg.parse::<usize>()) {
            (Some(Value::Array(a)), Ok(i)) => a.get(i),
            (Some(Value::Object(o)), _) => o.get(*seg),
            _ => None,
        };
    }
    let empty = serde_json::Map::new();
    let map = match node {
        Some(Value::Object(map)) => map,
        _ => &empty,
    };
    let unknown_key = |k: &str| {
        let escaped = k.replace('~', "~0").replace('/', "~1");
        item.unknown
            .iter()
            .any(|p| p.strip_prefix(pointer.as_str()) == Some(&format!("/{escaped}")))
    };
    let mut out: TagMap = map
        .iter()
        .filter(|(k, v)| !v.is_null() || unknown_key(k))
        .map(|(k, v)| {
            let value = match v {
                _ if unknown_key(k) => Known::Unknown,
                Value::String(s) => Known::Known(s.clone()),
                other => Known::Known(other.to_string()),
            };
            (k.clone(), value)
        })
        .collect();
    // Terraform leaves a value unknown at plan time out of `after` and marks its key in
    // `after_unknown`: the key is known, its value is not.
    for p in item.unknown.iter() {
        if let Some(key) = p
            .strip_prefix(pointer.as_str())
            .and_then(|k| k.strip_prefix('/'))
            && !key.contains('/')
        {
            let key = key.replace("~1", "/").replace("~0", "~");
            out.entry(key).or_insert(Known::Unknown);
        }
    }
    Known::Known(out)
}

/// Provider default tags under the resource's own (the resource wins on a clash).
fn merged(own: Option<Tags>, defaults: &DefaultTags) -> Tags {
    let own = own.unwrap_or(Known::Known(IndexMap::new()));
    match (defaults, own) {
        (_, Known::Unknown) | (DefaultTags::Unknown, _) => Known::Unknown,
        (DefaultTags::None, own) => own,
        (DefaultTags::Known(d), Known::Known(own)) => {
            let mut out: TagMap = d
                .iter()
                .filter_map(|(k, v)| {
                    let text = match v {
                        Value::String(s) => s.clone(),
                        Value::Null => return None,
                        other => other.to_string(),
                    };
                    Some((k.clone(), Known::Known(text)))
                })
                .collect();
            out.extend(own);
            Known::Known(out)
        }
    }
}

/// A tag map attribute, or `None` when the resource does not have it.
fn take(item: &mut RawItem, key: &str, keep: Keep<'_>) -> Option<Tags> {
    let whole_unknown = item
        .unknown
        .iter()
        .any(|p| p.is_empty() || p.strip_prefix('/') == Some(key));
    if whole_unknown {
        return Some(Known::Unknown);
    }
    match item.tag_maps.iter().position(|(k, _)| *k == key) {
        Some(pos) if item.tag_maps[pos].1.keys_unknown => Some(Known::Unknown),
        Some(pos) if keep.projects(key) => {
            Some(Known::Known(item.tag_maps[pos].1.clone().into_map()))
        }
        Some(pos) => Some(Known::Known(item.tag_maps.swap_remove(pos).1.into_map())),
        None => {
            // Absent from `after` but with unknown entries: keys known, values not.
            let unknown: TagMap = item
                .unknown
                .iter()
                .filter_map(|p| p.strip_prefix('/')?.strip_prefix(key)?.strip_prefix('/'))
                .map(|k| (k.replace("~1", "/").replace("~0", "~"), Known::Unknown))
                .collect();
            (!unknown.is_empty()).then_some(Known::Known(unknown))
        }
    }
}

/// A tag map as a plain attribute value (unknown values are `null`, as in `after`).
pub(crate) fn as_value(map: &RawTags) -> Value {
    Value::Object(
        map.iter()
            .map(|(k, v)| {
                (
                    k.to_owned(),
                    v.map_or(Value::Null, |v| Value::String(v.to_owned())),
                )
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::{LoadOptions, load_bytes};
    use crate::catalog::Catalog;

    /// A plan in Terraform's shape: a tagged storage account, and a child of `rtype`
    /// whose `key` refers to it in the configuration.
    fn plan(rtype: &str, key: &str) -> String {
        let change = |after: serde_json::Value| serde_json::json!({"actions": ["create"], "before": null, "after": after, "after_unknown": {"id": true}});
        let rc = |address: &str, ty: &str, after: serde_json::Value| {
            serde_json::json!({"address": address, "mode": "managed", "type": ty,
                "name": address.rsplit('.').next(), "provider_name": "registry.terraform.io/hashicorp/azurerm",
                "change": change(after)})
        };
        let child = format!("{rtype}.child");
        serde_json::json!({
            "format_version": "1.2",
            "resource_changes": [
                rc("azurerm_storage_account.parent", "azurerm_storage_account",
                   serde_json::json!({"name": "parent", "location": "westeurope", "tags": {"data-classification": "pii"}})),
                rc(&child, rtype, serde_json::json!({"name": "child"})),
            ],
            "configuration": {"provider_config": {"azurerm": {"name": "azurerm", "full_name": "registry.terraform.io/hashicorp/azurerm"}},
                "root_module": {"resources": [
                    {"address": "azurerm_storage_account.parent", "mode": "managed", "type": "azurerm_storage_account",
                     "name": "parent", "provider_config_key": "azurerm", "expressions": {}},
                    {"address": child, "mode": "managed", "type": rtype, "name": "child", "provider_config_key": "azurerm",
                     "expressions": {key: {"references": ["azurerm_storage_account.parent.id", "azurerm_storage_account.parent"]}}}
                ]}}
        })
        .to_string()
    }

    #[test]
    fn every_row_of_tags_on_parent_takes_the_parents_tags_by_each_of_its_arguments() {
        let catalog = Catalog::builtin();
        let opts = LoadOptions::new(&catalog);
        for (rtype, keys) in TAGS_ON_PARENT {
            for key in *keys {
                let inv = load_bytes("plan.json", plan(rtype, key).as_bytes(), &opts)
                    .unwrap_or_else(|e| panic!("{rtype} by {key}: {e}"));
                let child = &inv.resources[1];
                let Known::Known(tags) = &child.tags else {
                    panic!("{rtype} by {key}: unknown tags")
                };
                assert_eq!(
                    tags.get("data-classification"),
                    Some(&Known::Known("pii".to_owned())),
                    "{rtype} by {key}"
                );
                assert_eq!(
                    child.location.region.known().and_then(|r| r.as_deref()),
                    Some("westeurope"),
                    "{rtype} by {key}: the same argument gives the location"
                );
            }
        }
    }
}
