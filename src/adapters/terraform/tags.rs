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

/// The resource's tags after the change. Takes the maps out of the item (they are
/// copied only when the policies also read them as attributes).
pub(crate) fn tags(
    item: &mut RawItem,
    family: Option<&str>,
    defaults: &DefaultTags,
    keep: Keep<'_>,
) -> Tags {
    match family {
        Some("aws") => match take(item, "tags_all", keep) {
            Some(Known::Known(all)) => Known::Known(all),
            _ => merged(take(item, "tags", keep), defaults),
        },
        Some("google") => match take(item, "effective_labels", keep) {
            Some(Known::Known(all)) => Known::Known(all),
            _ => merged(take(item, "labels", keep), defaults),
        },
        Some("oci") => {
            let free = take(item, "freeform_tags", keep).unwrap_or(Known::Known(IndexMap::new()));
            let defined = take(item, "defined_tags", keep).unwrap_or(Known::Known(IndexMap::new()));
            match (free, defined) {
                (Known::Known(mut f), Known::Known(d)) => {
                    f.extend(d);
                    Known::Known(f)
                }
                _ => Known::Unknown,
            }
        }
        _ => take(item, "tags", keep)
            .or_else(|| take(item, "labels", keep))
            .unwrap_or(Known::Known(IndexMap::new())),
    }
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
