//! Values of Terraform expressions as juris evaluates them statically: what Terraform
//! would know at plan time, and `Unknown` (with the reason) for everything it would
//! only learn at apply time or that juris does not evaluate.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::rc::Rc;

use serde_json::Value;

/// A Terraform value. Maps and objects iterate in lexical key order, as Terraform's do.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Val {
    Null,
    Bool(bool),
    Number(f64),
    String(Rc<str>),
    /// Tuples, lists and sets (a set is a list without duplicates).
    List(Rc<Vec<Val>>),
    /// Objects and maps.
    Object(Rc<BTreeMap<String, Val>>),
    /// Not known before apply, or not evaluated by juris: the reason, in words.
    Unknown(Rc<str>),
}

impl Val {
    pub fn str(s: impl Into<Rc<str>>) -> Val {
        Val::String(s.into())
    }

    pub fn unknown(why: impl Into<Rc<str>>) -> Val {
        Val::Unknown(why.into())
    }

    pub fn list(items: Vec<Val>) -> Val {
        Val::List(Rc::new(items))
    }

    pub fn object(map: BTreeMap<String, Val>) -> Val {
        Val::Object(Rc::new(map))
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Val::Unknown(_))
    }

    /// The reason of the first unknown anywhere in the value, if there is one.
    pub fn first_unknown(&self) -> Option<&Rc<str>> {
        match self {
            Val::Unknown(why) => Some(why),
            Val::List(items) => items.iter().find_map(Val::first_unknown),
            Val::Object(map) => map.values().find_map(Val::first_unknown),
            _ => None,
        }
    }

    /// True when no part of the value is unknown.
    pub fn is_wholly_known(&self) -> bool {
        self.first_unknown().is_none()
    }

    /// Terraform's name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "bool",
            Val::Number(_) => "number",
            Val::String(_) => "string",
            Val::List(_) => "list",
            Val::Object(_) => "object",
            Val::Unknown(_) => "unknown",
        }
    }

    /// The value as a string, converting numbers and bools the way Terraform does.
    pub fn as_string(&self) -> Option<Rc<str>> {
        match self {
            Val::String(s) => Some(s.clone()),
            Val::Number(n) => Some(number_text(*n).into()),
            Val::Bool(b) => Some(if *b { "true" } else { "false" }.into()),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            Val::Number(n) => Some(*n),
            Val::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Val::Bool(b) => Some(*b),
            Val::String(s) if &**s == "true" => Some(true),
            Val::String(s) if &**s == "false" => Some(false),
            _ => None,
        }
    }

    /// From JSON (tfvars.json, `-var` values, plan-shaped documents).
    pub fn from_json(v: &Value) -> Val {
        match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => n.as_f64().map_or(Val::Null, Val::Number),
            Value::String(s) => Val::str(s.as_str()),
            Value::Array(a) => Val::list(a.iter().map(Val::from_json).collect()),
            Value::Object(o) => Val::object(
                o.iter()
                    .map(|(k, v)| (k.clone(), Val::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// The value as plan JSON writes it: unknown parts are `null` in the value and
    /// `true` at the same place in the second tree (Terraform's `after_unknown`), which
    /// is `None` when nothing is unknown.
    pub fn to_json(&self) -> (Value, Option<Value>) {
        match self {
            Val::Null => (Value::Null, None),
            Val::Bool(b) => (Value::Bool(*b), None),
            Val::Number(n) => (number_json(*n), None),
            Val::String(s) => (Value::String(s.to_string()), None),
            Val::Unknown(_) => (Value::Null, Some(Value::Bool(true))),
            Val::List(items) => {
                let mut values = Vec::with_capacity(items.len());
                let mut unknown = Vec::with_capacity(items.len());
                let mut any = false;
                for item in items.iter() {
                    let (v, u) = item.to_json();
                    any |= u.is_some();
                    values.push(v);
                    unknown.push(u.unwrap_or(Value::Bool(false)));
                }
                (Value::Array(values), any.then_some(Value::Array(unknown)))
            }
            Val::Object(map) => {
                let mut values = serde_json::Map::new();
                let mut unknown = serde_json::Map::new();
                for (k, item) in map.iter() {
                    let (v, u) = item.to_json();
                    if let Some(u) = u {
                        unknown.insert(k.clone(), u);
                    }
                    values.insert(k.clone(), v);
                }
                let u = (!unknown.is_empty()).then_some(Value::Object(unknown));
                (Value::Object(values), u)
            }
        }
    }

    /// A short rendering for derivations and warnings: `` `eu-west-1` ``.
    pub fn shown(&self) -> String {
        match self {
            Val::String(s) => format!("`{s}`"),
            Val::Unknown(_) => "(unknown)".to_owned(),
            other => format!("`{}`", other.to_json().0),
        }
    }
}

/// Terraform prints whole numbers without a fraction.
pub(crate) fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let mut s = String::new();
        let _ = write!(s, "{n}");
        s
    }
}

fn number_json(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_parts_become_an_after_unknown_tree() {
        let v = Val::object(BTreeMap::from([
            ("a".to_owned(), Val::str("x")),
            (
                "b".to_owned(),
                Val::list(vec![Val::Number(1.0), Val::unknown("later")]),
            ),
        ]));
        let (value, unknown) = v.to_json();
        assert_eq!(value, json!({"a": "x", "b": [1, null]}));
        assert_eq!(unknown, Some(json!({"b": [false, true]})));
        assert_eq!(Val::str("x").to_json().1, None);
    }

    #[test]
    fn numbers_print_like_terraform() {
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(2.5), "2.5");
        assert_eq!(Val::Number(10.0).as_string().as_deref(), Some("10"));
    }
}
