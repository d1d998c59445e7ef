//! How values read in messages (`display`) and in evidence (`to_json`). The
//! WebAssembly runtime renders the same way, byte for byte.

use serde_json::{Map, Value as Json, json};

use super::value::Value;
use crate::model::{Custody, Known, Location};

/// Text for message interpolation.
pub fn display(v: &Value) -> String {
    let v = v.clone().normalize();
    match &v {
        Value::Unknown => "(unknown)".into(),
        Value::Null => "(none)".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Date(d) => crate::semantics::date::format(*d),
        Value::Str(s) => (*s).to_owned(),
        Value::OwnedStr(s) => s.to_string(),
        Value::Resource(r) => r.address.clone(),
        Value::Provider(p) => p.source.clone(),
        Value::Location(l) => location_text(l),
        Value::Custody(c) => custody_text(c),
        Value::Company(c) => format!("{} ({})", c.name, c.jurisdiction),
        Value::Flow(f) => f.target.clone(),
        Value::Link(l) => format!("{} ({}, {})", l.company, l.jurisdiction, l.control),
        Value::Json(j, _) => match j {
            Json::String(s) => s.clone(),
            other => other.to_string(),
        },
        Value::Tags(t) => t
            .iter()
            .map(|(k, v)| match v {
                Known::Known(s) => format!("{k}={s}"),
                Known::Unknown => format!("{k}=(unknown)"),
            })
            .collect::<Vec<_>>()
            .join(", "),
        c => (0..c.len())
            .map(|i| display(&c.nth(i)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn known_text(k: &Known<String>) -> &str {
    match k {
        Known::Known(s) => s,
        Known::Unknown => "(unknown)",
    }
}

fn custody_text(c: &Custody) -> String {
    format!(
        "{} ({})",
        known_text(&c.company),
        known_text(&c.jurisdiction)
    )
}

fn location_text(l: &Location) -> String {
    let countries = match &l.countries {
        Known::Known(c) => c.join(", "),
        Known::Unknown => "(unknown)".into(),
    };
    match &l.region {
        Known::Unknown => "(unknown)".into(),
        Known::Known(None) if countries.is_empty() => "(global)".into(),
        Known::Known(None) => countries,
        Known::Known(Some(r)) if countries.is_empty() => r.clone(),
        Known::Known(Some(r)) => format!("{r} ({countries})"),
    }
}

fn unknown() -> Json {
    json!({"unknown": true})
}

fn known_json(k: &Known<String>) -> Json {
    match k {
        Known::Known(s) => Json::String(s.clone()),
        Known::Unknown => unknown(),
    }
}

fn location_json(l: &Location) -> Json {
    let mut m = Map::new();
    m.insert(
        "region".into(),
        match &l.region {
            Known::Known(Some(r)) => Json::String(r.clone()),
            Known::Known(None) => Json::Null,
            Known::Unknown => unknown(),
        },
    );
    m.insert(
        "countries".into(),
        match &l.countries {
            Known::Known(c) => Json::Array(c.iter().map(|s| Json::String(s.clone())).collect()),
            Known::Unknown => unknown(),
        },
    );
    Json::Object(m)
}

fn custody_json(c: &Custody) -> Json {
    let mut m = Map::new();
    m.insert("company".into(), known_json(&c.company));
    m.insert("jurisdiction".into(), known_json(&c.jurisdiction));
    Json::Object(m)
}

/// JSON for evidence.
pub fn to_json(v: &Value) -> Json {
    let v = v.clone().normalize();
    match &v {
        Value::Unknown => unknown(),
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Date(d) => Json::String(crate::semantics::date::format(*d)),
        Value::Str(_) | Value::OwnedStr(_) => Json::String(v.as_str().unwrap_or("").to_owned()),
        Value::Resource(r) => Json::String(r.address.clone()),
        Value::Provider(p) => Json::String(p.source.clone()),
        Value::Location(l) => location_json(l),
        Value::Custody(c) => custody_json(c),
        Value::Company(c) => json!({"name": c.name, "jurisdiction": c.jurisdiction}),
        Value::Flow(f) => {
            let mut m = Map::new();
            m.insert("kind".into(), Json::String(f.kind.clone()));
            m.insert("target".into(), Json::String(f.target.clone()));
            m.insert("location".into(), location_json(&f.location));
            m.insert("custody".into(), custody_json(&f.custody));
            Json::Object(m)
        }
        Value::Link(l) => json!({
            "company": l.company,
            "jurisdiction": l.jurisdiction,
            "control": l.control,
            "sources": l.sources,
        }),
        Value::Json(j, _) => (*j).clone(),
        Value::Tags(t) => Json::Object(t.iter().map(|(k, v)| (k.clone(), known_json(v))).collect()),
        c => Json::Array((0..c.len()).map(|i| to_json(&c.nth(i))).collect()),
    }
}
