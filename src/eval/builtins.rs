//! The built-in functions at run time. Null in, null out; unknown in, unknown out.

use super::value::{Value, make_set};
use super::{Evaluator, render};
use crate::ir::{Builtin, Expr};
use crate::model::Known;
use crate::semantics::glob::glob;
use crate::semantics::keys::canonical_key;

impl<'a> Evaluator<'a> {
    pub(super) fn builtin(&mut self, b: Builtin, args: &'a [Expr], base: usize) -> Value<'a> {
        let mut vals: [Value<'a>; 3] = [Value::Null, Value::Null, Value::Null];
        for (slot, a) in vals.iter_mut().zip(args) {
            *slot = self.eval(a, base).normalize();
        }
        let [a, b2, c] = vals;
        match b {
            Builtin::Known => return Value::Bool(deep_known(&a)),
            Builtin::Today => return Value::Date(self.today),
            _ => {}
        }
        if a.is_unknown() || b2.is_unknown() || c.is_unknown() {
            return Value::Unknown;
        }
        // What walks a collection pays per element; what builds a string may not pass
        // the value cap (checked before building where the size is known beforehand).
        if matches!(
            b,
            Builtin::Join | Builtin::Flatten | Builtin::Keys | Builtin::Values
        ) && !self.charge(a.len() as u64)
        {
            return Value::Unknown;
        }
        let v = self.builtin_value(b, a, b2, c);
        match &v {
            Value::OwnedStr(s) if !self.fits(s.len()) => Value::Unknown,
            Value::List(_) | Value::Set(_) => self.sized(v),
            _ => v,
        }
    }

    fn builtin_value(
        &mut self,
        b: Builtin,
        a: Value<'a>,
        b2: Value<'a>,
        c: Value<'a>,
    ) -> Value<'a> {
        match b {
            Builtin::Lower => map_str(&a, |s| s.to_lowercase()),
            Builtin::Upper => map_str(&a, |s| s.to_uppercase()),
            Builtin::Trim => map_str(&a, |s| s.trim().to_owned()),
            Builtin::Split => match (a.as_str(), b2.as_str()) {
                (Some(s), Some(sep)) => strings(split(s, sep)),
                _ => Value::Null,
            },
            Builtin::RegexSplit(id) => match a.as_str() {
                Some(s) => strings(self.compiled.regexes[id as usize].split(s)),
                None => Value::Null,
            },
            Builtin::Replace => match (a.as_str(), b2.as_str(), c.as_str()) {
                (Some(s), Some(from), Some(to)) if !from.is_empty() => {
                    // Each replacement may grow the text: refused before it is built.
                    let grows = to.len().saturating_sub(from.len());
                    let n = if grows == 0 {
                        0
                    } else {
                        s.matches(from).count()
                    };
                    if !self.fits(s.len().saturating_add(n.saturating_mul(grows))) {
                        return Value::Unknown;
                    }
                    Value::owned_str(s.replace(from, to))
                }
                (Some(s), Some(_), Some(_)) => Value::owned_str(s.to_owned()),
                _ => Value::Null,
            },
            Builtin::StartsWith => pred(&a, &b2, |s, p| s.starts_with(p)),
            Builtin::EndsWith => pred(&a, &b2, |s, p| s.ends_with(p)),
            Builtin::Contains => pred(&a, &b2, |s, p| s.contains(p)),
            Builtin::Glob => pred(&a, &b2, glob),
            Builtin::Regex(id) => match a.as_str() {
                Some(s) => Value::Bool(self.compiled.regexes[id as usize].is_match(s)),
                None => Value::Null,
            },
            Builtin::Count => match &a {
                Value::Null => Value::Int(0),
                v if v.is_collection() => Value::Int(v.len() as i64),
                v => match v.as_str() {
                    Some(s) => Value::Int(s.chars().count() as i64),
                    None => Value::Null,
                },
            },
            Builtin::Date => match a.as_str().and_then(crate::semantics::date::parse) {
                Some(d) => Value::Date(d),
                None => Value::Null,
            },
            Builtin::String => match &a {
                Value::Null => Value::Null,
                v => Value::owned_str(render::display(v)),
            },
            Builtin::Int => match &a {
                Value::Int(i) => Value::Int(*i),
                v => match v.as_str().and_then(|s| s.trim().parse::<i64>().ok()) {
                    Some(i) => Value::Int(i),
                    None => Value::Null,
                },
            },
            Builtin::Keys => match &a {
                Value::Tags(t) => make_set(t.keys().map(|k| Value::Str(k)).collect()),
                Value::Json(serde_json::Value::Object(o), _) => {
                    make_set(o.keys().map(|k| Value::Str(k)).collect())
                }
                _ => Value::Null,
            },
            Builtin::Values => match &a {
                Value::Tags(t) => Value::List(
                    t.values()
                        .map(|v| match v {
                            Known::Known(s) => Value::Str(s),
                            Known::Unknown => Value::Unknown,
                        })
                        .collect::<Vec<_>>()
                        .into(),
                ),
                Value::Json(serde_json::Value::Object(o), u) => Value::List(
                    o.iter()
                        .map(|(k, v)| Value::Json(v, u.and_then(|u| u.get(k))).normalize())
                        .collect::<Vec<_>>()
                        .into(),
                ),
                _ => Value::Null,
            },
            Builtin::Flatten => {
                let mut out = Vec::new();
                for i in 0..a.len() {
                    let inner = a.nth(i);
                    if inner.is_unknown() {
                        return Value::Unknown;
                    }
                    for j in 0..inner.len() {
                        out.push(inner.nth(j));
                    }
                }
                if out.iter().any(Value::is_unknown) {
                    Value::List(out.into())
                } else {
                    make_set(out)
                }
            }
            Builtin::Tag => match (&a, b2.as_str()) {
                (Value::Resource(r), Some(key)) => tag(r, key),
                _ => Value::Null,
            },
            Builtin::Join => {
                let Some(sep) = b2.as_str() else {
                    return Value::Null;
                };
                let mut parts = Vec::with_capacity(a.len());
                let mut len = 0usize;
                for i in 0..a.len() {
                    let v = a.nth(i);
                    if v.is_unknown() {
                        return Value::Unknown;
                    }
                    let part = render::display(&v);
                    len = len.saturating_add(part.len() + sep.len());
                    if !self.fits(len) {
                        return Value::Unknown;
                    }
                    parts.push(part);
                }
                Value::owned_str(parts.join(sep))
            }
            Builtin::Known | Builtin::Today => Value::Null,
        }
    }
}

fn strings<'a>(parts: Vec<String>) -> Value<'a> {
    Value::List(
        parts
            .into_iter()
            .map(Value::owned_str)
            .collect::<Vec<_>>()
            .into(),
    )
}

fn map_str<'a>(v: &Value<'a>, f: impl Fn(&str) -> String) -> Value<'a> {
    match v.as_str() {
        Some(s) => Value::owned_str(f(s)),
        None => Value::Null,
    }
}

fn pred<'a>(a: &Value<'a>, b: &Value<'a>, f: impl Fn(&str, &str) -> bool) -> Value<'a> {
    match (a.as_str(), b.as_str()) {
        (Some(s), Some(p)) => Value::Bool(f(s, p)),
        _ => Value::Null,
    }
}

/// `split` with an empty separator gives the characters.
pub fn split(s: &str, sep: &str) -> Vec<String> {
    if sep.is_empty() {
        s.chars().map(String::from).collect()
    } else {
        s.split(sep).map(str::to_owned).collect()
    }
}

/// Whether a value is known all the way down (a location with a known region and
/// countries, a list without unknown members).
pub fn deep_known(v: &Value) -> bool {
    match v {
        Value::Unknown => false,
        Value::Location(l) => !l.region.is_unknown() && !l.countries.is_unknown(),
        Value::Custody(c) => {
            !c.company.is_unknown() && !c.jurisdiction.is_unknown() && !c.chain.is_unknown()
        }
        Value::Provider(p) => !p.company.is_unknown() && !p.jurisdiction.is_unknown(),
        Value::Flow(f) => {
            deep_known(&Value::Location(&f.location)) && deep_known(&Value::Custody(&f.custody))
        }
        Value::Tags(t) => t.values().all(|v| !v.is_unknown()),
        Value::Json(_, Some(u)) => !contains_true(u),
        Value::List(items) | Value::Set(items) => items.iter().all(deep_known),
        _ => true,
    }
}

fn contains_true(u: &serde_json::Value) -> bool {
    match u {
        serde_json::Value::Bool(b) => *b,
        serde_json::Value::Array(a) => a.iter().any(contains_true),
        serde_json::Value::Object(o) => o.values().any(contains_true),
        _ => false,
    }
}

/// `tag(r, key)`: the value of the first tag whose key matches case- and
/// separator-insensitively; unknown when the tags are unknown.
pub fn tag<'a>(r: &'a crate::model::Resource, key: &str) -> Value<'a> {
    let Known::Known(tags) = &r.tags else {
        return Value::Unknown;
    };
    for (k, v) in tags {
        if canonical_key(k).eq(canonical_key(key)) {
            return match v {
                Known::Known(s) => Value::Str(s),
                Known::Unknown => Value::Unknown,
            };
        }
    }
    Value::Null
}
