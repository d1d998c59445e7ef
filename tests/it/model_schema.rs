//! The inventory juris writes matches its published JSON Schema
//! (`docs/inventory.schema.json`): every snapshot of an adapter's output and every
//! inventory fixture validates. The validator here covers exactly the keywords the schema
//! uses (type, const, enum, pattern, required, properties, additionalProperties, items,
//! oneOf, minimum, $ref), so no schema crate is needed.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> Value {
    let text = std::fs::read_to_string(root().join("docs/inventory.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Errors as `path: problem`; empty when `v` is valid.
fn validate(root: &Value, s: &Value, v: &Value, path: &str, out: &mut Vec<String>) {
    let Some(s) = s.as_object() else { return };
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return validate(root, &root["$defs"][name], v, path, out);
    }
    if let Some(c) = s.get("const")
        && v != c
    {
        out.push(format!("{path}: expected {c}, found {v}"));
    }
    if let Some(t) = s.get("type").and_then(Value::as_str) {
        let ok = match t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "boolean" => v.is_boolean(),
            "integer" => v.is_i64() || v.is_u64(),
            "null" => v.is_null(),
            _ => true,
        };
        if !ok {
            out.push(format!("{path}: expected {t}, found {v}"));
            return;
        }
    }
    if let (Some(p), Some(text)) = (s.get("pattern").and_then(Value::as_str), v.as_str())
        && !regex::Regex::new(p).unwrap().is_match(text)
    {
        out.push(format!("{path}: `{text}` does not match {p}"));
    }
    if let (Some(min), Some(n)) = (s.get("minimum").and_then(Value::as_i64), v.as_i64())
        && n < min
    {
        out.push(format!("{path}: {n} < {min}"));
    }
    if let Some(options) = s.get("oneOf").and_then(Value::as_array) {
        let passing = options
            .iter()
            .filter(|o| {
                let mut e = Vec::new();
                validate(root, o, v, path, &mut e);
                e.is_empty()
            })
            .count();
        if passing != 1 {
            out.push(format!("{path}: {passing} of oneOf match {v}"));
        }
    }
    if let Some(obj) = v.as_object() {
        for r in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let r = r.as_str().unwrap();
            if !obj.contains_key(r) {
                out.push(format!("{path}: missing `{r}`"));
            }
        }
        let props = s.get("properties").and_then(Value::as_object);
        for (k, x) in obj {
            let here = format!("{path}/{k}");
            match props.and_then(|p| p.get(k)) {
                Some(ps) => validate(root, ps, x, &here, out),
                None => match s.get("additionalProperties") {
                    Some(Value::Bool(false)) => out.push(format!("{path}: unexpected `{k}`")),
                    Some(extra @ Value::Object(_)) => validate(root, extra, x, &here, out),
                    _ => {}
                },
            }
        }
    }
    if let (Some(items), Some(arr)) = (s.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            validate(root, items, x, &format!("{path}/{i}"), out);
        }
    }
}

fn errors(doc: &Value) -> Vec<String> {
    let s = schema();
    let mut out = Vec::new();
    validate(&s, &s, doc, "", &mut out);
    out
}

/// The JSON body of an insta snapshot (after its `---` header).
fn snapshot_body(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    let body = text.splitn(3, "---\n").nth(2)?;
    serde_json::from_str(body).ok()
}

#[test]
fn every_inventory_snapshot_matches_the_schema() {
    let mut checked = 0;
    for entry in std::fs::read_dir(root().join("tests/it/snapshots")).unwrap() {
        let path = entry.unwrap().path();
        let Some(doc) = snapshot_body(&path) else {
            continue;
        };
        if doc.get("resources").is_none() {
            continue;
        }
        let e = errors(&doc);
        assert!(e.is_empty(), "{}:\n{}", path.display(), e.join("\n"));
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} inventory snapshots found");
}

#[test]
fn the_inventory_fixtures_match_the_schema() {
    for entry in std::fs::read_dir(root().join("tests/fixtures/inventory")).unwrap() {
        let path = entry.unwrap().path();
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let e = errors(&doc);
        assert!(e.is_empty(), "{}:\n{}", path.display(), e.join("\n"));
    }
}

#[test]
fn the_validator_rejects_what_the_schema_forbids() {
    let bad = serde_json::json!({
        "version": 2,
        "resources": [{
            "address": "a.b", "type": "a", "name": "b",
            "provider": {"source": "x/y", "company": "X", "jurisdiction": "Germany"},
            "location": {"region": {"unknown": false}, "countries": ["de"], "derivation": ""},
            "custody": {"company": {"unknown": true}},
            "colour": "blue"
        }]
    });
    let e = errors(&bad);
    for expected in [
        "expected 1",
        "/resources/0/provider/jurisdiction: 0 of oneOf",
        "/resources/0/location/region: 0 of oneOf",
        "/resources/0/location/countries: 0 of oneOf",
        "/resources/0/custody: missing `jurisdiction`",
        "unexpected `colour`",
    ] {
        assert!(
            e.iter().any(|x| x.contains(expected)),
            "no `{expected}` in {e:#?}"
        );
    }
}
