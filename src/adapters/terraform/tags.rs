//! Tags and labels in one shape across providers. Keys keep their original spelling
//! (policies compare them case- and separator-insensitively); a value not known until
//! apply is unknown, and so is a map whose keys are not known.

use indexmap::IndexMap;
use serde_json::Value;

use crate::model::Known;

use super::locate::DefaultTags;
use super::nodes::{Attr, Node};

pub(crate) type Tags = Known<IndexMap<String, Known<String>>>;

/// The node's tags after the change.
pub(crate) fn tags(n: &Node<'_>, defaults: &DefaultTags) -> Tags {
    match n.family() {
        Some("aws") => match read(n, "tags_all") {
            Some(Known::Known(all)) => Known::Known(all),
            _ => merged(n, "tags", defaults),
        },
        Some("google") => match read(n, "effective_labels") {
            Some(Known::Known(all)) => Known::Known(all),
            _ => merged(n, "labels", defaults),
        },
        Some("oci") => {
            let free = read(n, "freeform_tags").unwrap_or(Known::Known(IndexMap::new()));
            let defined = read(n, "defined_tags").unwrap_or(Known::Known(IndexMap::new()));
            match (free, defined) {
                (Known::Known(mut f), Known::Known(d)) => {
                    f.extend(d);
                    Known::Known(f)
                }
                _ => Known::Unknown,
            }
        }
        _ => read(n, "tags")
            .or_else(|| read(n, "labels"))
            .unwrap_or(Known::Known(IndexMap::new())),
    }
}

/// Provider default tags under the resource's own (the resource wins on a clash).
fn merged(n: &Node<'_>, key: &str, defaults: &DefaultTags) -> Tags {
    let own = read(n, key).unwrap_or(Known::Known(IndexMap::new()));
    match (defaults, own) {
        (_, Known::Unknown) | (DefaultTags::Unknown, _) => Known::Unknown,
        (DefaultTags::None, own) => own,
        (DefaultTags::Known(d), Known::Known(own)) => {
            let mut out: IndexMap<String, Known<String>> = d
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), Known::Known(scalar(v)?))))
                .collect();
            out.extend(own);
            Known::Known(out)
        }
    }
}

/// A tag map attribute, or `None` when the resource does not have it.
fn read(n: &Node<'_>, key: &str) -> Option<Tags> {
    match n.attr(key) {
        Attr::Unknown => Some(Known::Unknown),
        Attr::Absent => {
            // Absent from `after` but with unknown entries: keys known, values not.
            let prefix = format!("/{key}/");
            let unknown_keys: IndexMap<String, Known<String>> = n
                .item
                .unknown
                .iter()
                .filter_map(|p| p.strip_prefix(&prefix))
                .map(|k| (unescape(k), Known::Unknown))
                .collect();
            (!unknown_keys.is_empty()).then_some(Known::Known(unknown_keys))
        }
        Attr::Known(Value::Object(map)) => {
            let mut out: IndexMap<String, Known<String>> = IndexMap::with_capacity(map.len());
            for (k, v) in map {
                let pointer = format!("/{key}/{}", escape(k));
                if n.is_unknown_at(&pointer) {
                    out.insert(k.clone(), Known::Unknown);
                } else if let Some(s) = scalar(v) {
                    out.insert(k.clone(), Known::Known(s));
                }
            }
            let prefix = format!("/{key}/");
            for p in &n.item.unknown {
                if let Some(k) = p.strip_prefix(&prefix) {
                    out.entry(unescape(k)).or_insert(Known::Unknown);
                }
            }
            Some(Known::Known(out))
        }
        Attr::Known(_) => None,
    }
}

/// Tag values are strings; numbers and booleans are written as text, `null` is no tag.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        Value::Object(_) | Value::Array(_) => Some(v.to_string()),
        other => Some(other.to_string()),
    }
}

fn escape(k: &str) -> String {
    k.replace('~', "~0").replace('/', "~1")
}

fn unescape(k: &str) -> String {
    k.replace("~1", "/").replace("~0", "~")
}
