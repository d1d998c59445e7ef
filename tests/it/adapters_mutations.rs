//! Malformed entries are never read: real plans (the fixtures, the seed, the state
//! fixture) with one field juris reads dropped, retyped, repeated, shortened or cut
//! off are always refused — never read, never a panic, never slow. Each property runs
//! `PROPTEST_CASES` cases (default 256: seconds in a debug build).

use crate::adapters_common;

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use adapters_common::{fixture, proptest_config, render};
use juris::adapters::{LoadOptions, load_bytes};
use juris::catalog::Catalog;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// One real document and the JSON pointers of the resource entries juris reads.
struct Doc {
    name: String,
    value: Value,
    entries: Vec<String>,
    plan: bool,
}

fn corpus() -> &'static [Doc] {
    static CORPUS: OnceLock<Vec<Doc>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(fixture("plans"))
            .unwrap()
            .chain(std::fs::read_dir(fixture("state")).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        paths.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/seed/plan.json"));
        paths
            .into_iter()
            .map(|p| {
                let value: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
                let plan = value.get("resource_changes").is_some();
                let mut entries = Vec::new();
                if plan {
                    for i in 0..value["resource_changes"].as_array().unwrap().len() {
                        entries.push(format!("/resource_changes/{i}"));
                    }
                } else {
                    state_entries(
                        &value["values"]["root_module"],
                        "/values/root_module",
                        &mut entries,
                    );
                }
                assert!(!entries.is_empty(), "{}", p.display());
                Doc {
                    name: p.file_name().unwrap().to_string_lossy().into_owned(),
                    value,
                    entries,
                    plan,
                }
            })
            .collect()
    })
}

fn state_entries(module: &Value, at: &str, out: &mut Vec<String>) {
    for i in 0..module["resources"].as_array().map_or(0, Vec::len) {
        out.push(format!("{at}/resources/{i}"));
    }
    for (k, child) in module["child_modules"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        state_entries(child, &format!("{at}/child_modules/{k}"), out);
    }
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::builtin)
}

/// Loads a damaged document: it must be refused, with a diagnostic that renders, and
/// quickly.
fn refused(name: &str, text: &[u8], what: &str) -> Result<(), TestCaseError> {
    let start = Instant::now();
    let result = load_bytes(name, text, &LoadOptions::new(catalog()));
    let took = start.elapsed();
    prop_assert!(took < Duration::from_secs(10), "{what}: {took:?}");
    match result {
        Ok(inv) => Err(TestCaseError::fail(format!(
            "{name}: {what}: read as {} resources",
            inv.resources.len()
        ))),
        Err(e) => {
            let text = render(&e);
            prop_assert!(text.contains("juris::E07"), "{text}");
            Ok(())
        }
    }
}

/// The fields of an entry juris reads, relative to the entry.
fn required(plan: bool) -> &'static [&'static str] {
    if plan {
        &[
            "/address",
            "/mode",
            "/type",
            "/name",
            "/provider_name",
            "/change",
            "/change/actions",
            "/change/after",
            "/change/after_unknown",
        ]
    } else {
        &[
            "/address",
            "/mode",
            "/type",
            "/name",
            "/provider_name",
            "/values",
        ]
    }
}

/// Values each field may not have (JSON Terraform never writes there).
fn wrong_values(field: &str) -> Vec<Value> {
    let mut v = vec![json!(42)];
    match field {
        "/change/after" | "/values" => v.extend([json!(true), json!("x"), json!([{}])]),
        // `true` (everything unknown) and `false` are what Terraform writes for scalars.
        "/change/after_unknown" => v.extend([json!("x"), json!([true]), json!({"x": 1})]),
        "/change/actions" => v.extend([
            json!(true),
            json!("create"),
            json!([]),
            json!([1]),
            json!(["creat"]),
        ]),
        "/mode" => v.extend([
            json!(true),
            json!(null),
            json!("resource"),
            json!(["managed"]),
            json!({"x": 1}),
        ]),
        _ => v.extend([json!(true), json!(null), json!(["x"]), json!({"x": 1})]),
    }
    v
}

fn entry(doc: &Doc, pick: usize) -> (&str, &Value) {
    let at = &doc.entries[pick % doc.entries.len()];
    (at, doc.value.pointer(at).unwrap())
}

/// Where the resource's attributes are.
fn attrs_of(doc: &Doc) -> &'static str {
    if doc.plan { "/change/after" } else { "/values" }
}

/// An entry written by hand with one key repeated (serde_json would keep only one).
fn with_repeated(obj: &Map<String, Value>, key: &str, again: &Value) -> String {
    let mut parts: Vec<String> = obj
        .iter()
        .map(|(k, v)| format!("{}: {}", Value::from(k.as_str()), v))
        .collect();
    parts.push(format!("{}: {}", Value::from(key), again));
    format!("{{{}}}", parts.join(", "))
}

/// The document as text, with the value at `at` replaced by `text`.
fn splice(doc: &Doc, at: &str, text: &str) -> Vec<u8> {
    const MARK: &str = "\u{1}juris-mutation\u{1}";
    let mut value = doc.value.clone();
    *value.pointer_mut(at).unwrap() = Value::from(MARK);
    let whole = serde_json::to_string(&value).unwrap();
    whole
        .replace(&serde_json::to_string(MARK).unwrap(), text)
        .into_bytes()
}

proptest! {
    #![proptest_config(proptest_config(256))]

    #[test]
    fn a_dropped_field_is_refused(d in any::<usize>(), e in any::<usize>(), f in any::<usize>()) {
        let doc = &corpus()[d % corpus().len()];
        let (at, _) = entry(doc, e);
        let fields = required(doc.plan);
        let field = fields[f % fields.len()];
        let mut value = doc.value.clone();
        let (parent, key) = field.rsplit_once('/').unwrap();
        let removed = value
            .pointer_mut(&format!("{at}{parent}"))
            .and_then(Value::as_object_mut)
            .and_then(|o| o.shift_remove(key));
        prop_assume!(removed.is_some());
        refused(&doc.name, &serde_json::to_vec(&value).unwrap(), &format!("{at}{field} dropped"))?;
    }

    #[test]
    fn a_retyped_field_is_refused(d in any::<usize>(), e in any::<usize>(), f in any::<usize>(), w in any::<usize>()) {
        let doc = &corpus()[d % corpus().len()];
        let (at, item) = entry(doc, e);
        // The entry's fields, and the tags and places among its attributes.
        let attrs = attrs_of(doc);
        let mut fields: Vec<String> = required(doc.plan).iter().map(|f| f.to_string()).collect();
        if let Some(Value::Object(after)) = item.pointer(attrs) {
            for key in ["tags", "tags_all", "labels", "region", "location", "zone"] {
                if after.get(key).is_some_and(|v| !v.is_null()) {
                    fields.push(format!("{attrs}/{key}"));
                }
            }
        }
        let field = &fields[f % fields.len()];
        let key = field.rsplit('/').next().unwrap();
        let wrong = match key {
            "tags" | "tags_all" | "labels" => vec![
                json!("pii"),
                json!(3),
                json!(false),
                json!({"k": {"v": 1}}),
                json!({"k": ["v"]}),
                json!([1]),
                json!([{"key": 1, "value": "v"}]),
            ],
            "region" | "location" => vec![json!(1), json!(true), json!({"name": "x"}), json!(["eu-west-1"])],
            "zone" => vec![json!(1), json!({}), json!([1])],
            _ => wrong_values(field),
        };
        let value = &wrong[w % wrong.len()];
        prop_assume!(item.pointer(field).is_some() && item.pointer(field) != Some(value));
        let text = splice(doc, &format!("{at}{field}"), &value.to_string());
        refused(&doc.name, &text, &format!("{at}{field} = {value}"))?;
    }

    #[test]
    fn a_repeated_field_or_entry_is_refused(d in any::<usize>(), e in any::<usize>(), f in any::<usize>()) {
        let doc = &corpus()[d % corpus().len()];
        let (at, item) = entry(doc, e);
        let obj = item.as_object().unwrap();
        let keys: Vec<&str> = required(doc.plan)
            .iter()
            .filter(|f| f.matches('/').count() == 1)
            .map(|f| &f[1..])
            .collect();
        match f % (keys.len() + 2) {
            // The whole entry twice.
            n if n == keys.len() => {
                let (list, _) = at.rsplit_once('/').unwrap();
                let mut value = doc.value.clone();
                value.pointer_mut(list).unwrap().as_array_mut().unwrap().push(item.clone());
                refused(&doc.name, &serde_json::to_vec(&value).unwrap(), &format!("{at} twice"))?;
            }
            // A tag or place attribute twice in the attributes.
            n if n == keys.len() + 1 => {
                let attrs = attrs_of(doc);
                let Some(Value::Object(after)) = item.pointer(attrs) else {
                    return Err(TestCaseError::reject("no attributes"));
                };
                let Some(key) = ["tags", "region", "location", "bucket", "name"].into_iter().find(|k| after.contains_key(*k)) else {
                    return Err(TestCaseError::reject("no attribute juris reads"));
                };
                let text = splice(doc, &format!("{at}{attrs}"), &with_repeated(after, key, &after[key]));
                refused(&doc.name, &text, &format!("{at}{attrs}/{key} twice"))?;
            }
            n => {
                let key = keys[n];
                let text = splice(doc, at, &with_repeated(obj, key, &obj[key]));
                refused(&doc.name, &text, &format!("{at}/{key} twice"))?;
            }
        }
    }

    #[test]
    fn a_shortened_or_cut_off_field_is_refused(d in any::<usize>(), e in any::<usize>(), f in any::<usize>(), cut in any::<usize>()) {
        let doc = &corpus()[d % corpus().len()];
        let (at, item) = entry(doc, e);
        let fields = ["/type", "/name", "/mode", "/change/actions/0"];
        let field = fields[f % fields.len()];
        if let Some(Value::String(s)) = item.pointer(field).filter(|_| doc.plan || !field.starts_with("/change")) {
            // A shorter string: the address no longer matches, or the word is none.
            let n = cut % s.len().max(1);
            let short: String = s.chars().take(n).collect();
            let text = splice(doc, &format!("{at}{field}"), &Value::from(short.as_str()).to_string());
            refused(&doc.name, &text, &format!("{at}{field} = {short:?}"))?;
        }
        // The document cut off inside the field.
        let whole = serde_json::to_string(&doc.value).unwrap();
        let mark = splice(doc, &format!("{at}/address"), "\"\u{2}\"");
        let start = String::from_utf8(mark).unwrap().find('\u{2}').unwrap();
        let end = (start + 1 + cut % 200).min(whole.len() - 1);
        refused(&doc.name, &whole.as_bytes()[..end], &format!("cut at {end} in {at}"))?;
    }
}
