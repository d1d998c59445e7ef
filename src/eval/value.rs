//! Run-time values. Most borrow from the inventory or the program, so reading a
//! field and comparing it allocates nothing; only computed strings and collections
//! are reference-counted.

use std::cmp::Ordering;
use std::rc::Rc;

use indexmap::IndexMap;

use crate::ir::ConstValue;
use crate::model::{Company, Custody, Flow, Known, Link, Location, Provider, Resource};

#[derive(Clone, Debug)]
pub enum Value<'a> {
    /// Not known until apply.
    Unknown,
    Null,
    Bool(bool),
    Int(i64),
    /// Days since 1970-01-01.
    Date(i32),
    Str(&'a str),
    OwnedStr(Rc<str>),
    Resource(&'a Resource),
    Provider(&'a Provider),
    Location(&'a Location),
    Custody(&'a Custody),
    Company(&'a Company),
    Flow(&'a Flow),
    /// One company of a custody chain.
    Link(&'a Link),
    /// A raw attribute value, with the matching part of the "unknown" tree
    /// (Terraform's `after_unknown` shape: `true` marks an unknown value).
    Json(&'a serde_json::Value, Option<&'a serde_json::Value>),
    Tags(&'a IndexMap<String, Known<String>>),
    /// A list of model strings (`actions`).
    StrList(&'a [String]),
    /// A sorted set of model strings (`countries`).
    StrSet(&'a [String]),
    Flows(&'a [Flow]),
    /// A custody chain.
    Links(&'a [Link]),
    /// A constant list or (sorted) set from the program.
    ConstList(&'a [ConstValue]),
    ConstSet(&'a [ConstValue]),
    List(Rc<[Value<'a>]>),
    /// Sorted by [`compare`], without duplicates.
    Set(Rc<[Value<'a>]>),
}

/// The three truth values.
pub type Tri = Option<bool>;

impl<'a> Value<'a> {
    pub fn from_const(c: &'a ConstValue) -> Value<'a> {
        match c {
            ConstValue::Null => Value::Null,
            ConstValue::Bool(b) => Value::Bool(*b),
            ConstValue::Int(i) => Value::Int(*i),
            ConstValue::Str(s) => Value::Str(s),
            ConstValue::Date(d) => Value::Date(*d),
            ConstValue::List(items) => Value::ConstList(items),
            ConstValue::Set(items) => Value::ConstSet(items),
            // Records only appear in test expectations, never in evaluated code.
            ConstValue::Record(_) => Value::Null,
        }
    }

    pub fn from_known_str(k: &'a Known<String>) -> Value<'a> {
        match k {
            Known::Known(s) => Value::Str(s),
            Known::Unknown => Value::Unknown,
        }
    }

    pub fn from_opt_str(o: &'a Option<String>) -> Value<'a> {
        match o {
            Some(s) => Value::Str(s),
            None => Value::Null,
        }
    }

    pub fn owned_str(s: String) -> Value<'a> {
        Value::OwnedStr(Rc::from(s))
    }

    pub fn is_unknown(&self) -> bool {
        match self {
            Value::Unknown => true,
            Value::Json(_, Some(u)) => u.as_bool() == Some(true),
            _ => false,
        }
    }

    /// Strip the json wrapper from scalars so every operation sees one representation.
    pub fn normalize(self) -> Value<'a> {
        match self {
            Value::Json(j, unknown) => {
                if unknown.and_then(|u| u.as_bool()) == Some(true) {
                    return Value::Unknown;
                }
                match j {
                    serde_json::Value::Null => Value::Null,
                    serde_json::Value::Bool(b) => Value::Bool(*b),
                    serde_json::Value::String(s) => Value::Str(s),
                    serde_json::Value::Number(n) => match n.as_i64() {
                        Some(i) => Value::Int(i),
                        None => Value::Json(j, unknown),
                    },
                    _ => Value::Json(j, unknown),
                }
            }
            v => v,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            Value::OwnedStr(s) => Some(s),
            Value::Json(serde_json::Value::String(s), None) => Some(s),
            _ => None,
        }
    }

    /// Truth of a condition: null counts as false, unknown stays unknown.
    pub fn truth(&self) -> Tri {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Unknown => None,
            Value::Json(j, u) => {
                if u.and_then(|u| u.as_bool()) == Some(true) {
                    None
                } else {
                    Some(j.as_bool() == Some(true))
                }
            }
            _ => Some(false),
        }
    }

    pub fn from_tri(t: Tri) -> Value<'a> {
        match t {
            Some(b) => Value::Bool(b),
            None => Value::Unknown,
        }
    }

    /// Whether this value can be iterated (null iterates as empty).
    pub fn is_collection(&self) -> bool {
        matches!(
            self,
            Value::StrList(_)
                | Value::StrSet(_)
                | Value::Flows(_)
                | Value::Links(_)
                | Value::ConstList(_)
                | Value::ConstSet(_)
                | Value::List(_)
                | Value::Set(_)
                | Value::Tags(_)
                | Value::Json(
                    serde_json::Value::Array(_) | serde_json::Value::Object(_),
                    _
                )
                | Value::Null
        )
    }

    pub fn len(&self) -> usize {
        match self {
            Value::StrList(s) | Value::StrSet(s) => s.len(),
            Value::Flows(f) => f.len(),
            Value::Links(l) => l.len(),
            Value::ConstList(c) | Value::ConstSet(c) => c.len(),
            Value::List(v) | Value::Set(v) => v.len(),
            Value::Tags(t) => t.len(),
            Value::Json(serde_json::Value::Array(a), _) => a.len(),
            Value::Json(serde_json::Value::Object(o), _) => o.len(),
            _ => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Element `i` of a collection (map-like collections yield their keys).
    pub fn nth(&self, i: usize) -> Value<'a> {
        match self {
            Value::StrList(s) | Value::StrSet(s) => Value::Str(&s[i]),
            Value::Flows(f) => Value::Flow(&f[i]),
            Value::Links(l) => Value::Link(&l[i]),
            Value::ConstList(c) | Value::ConstSet(c) => Value::from_const(&c[i]),
            Value::List(v) | Value::Set(v) => v[i].clone(),
            Value::Tags(t) => t
                .get_index(i)
                .map(|(k, _)| Value::Str(k))
                .unwrap_or(Value::Null),
            Value::Json(serde_json::Value::Array(a), u) => {
                Value::Json(&a[i], u.and_then(|u| u.get(i))).normalize()
            }
            Value::Json(serde_json::Value::Object(o), _) => o
                .keys()
                .nth(i)
                .map(|k| Value::Str(k))
                .unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }

    /// Whether iterating this collection can give a value in a different order than
    /// its set form would (lists, json arrays) — used to decide when to sort.
    pub fn is_sorted_set(&self) -> bool {
        matches!(self, Value::StrSet(_) | Value::ConstSet(_) | Value::Set(_))
    }
}

/// Build a set value: sort and deduplicate.
pub fn make_set<'a>(mut items: Vec<Value<'a>>) -> Value<'a> {
    items.sort_by(compare);
    items.dedup_by(|a, b| compare(a, b) == Ordering::Equal);
    Value::Set(items.into())
}

/// Kind rank for the total order across kinds.
fn rank(v: &Value) -> u8 {
    match v {
        Value::Unknown => 0,
        Value::Null => 1,
        Value::Bool(_) => 2,
        Value::Int(_) => 3,
        Value::Date(_) => 4,
        Value::Str(_) | Value::OwnedStr(_) => 5,
        _ if v.is_collection() => 7,
        _ => 6,
    }
}

/// A total order over values, used for sets and sorting: kind first, then value.
/// Records order by their display text (addresses, targets).
pub fn compare(a: &Value, b: &Value) -> Ordering {
    let (a, b) = (a.clone().normalize(), b.clone().normalize());
    match (&a, &b) {
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Date(x), Value::Date(y)) => x.cmp(y),
        _ => {
            if let (Some(x), Some(y)) = (a.as_str(), b.as_str()) {
                return x.cmp(y);
            }
            let (ra, rb) = (rank(&a), rank(&b));
            if ra != rb {
                return ra.cmp(&rb);
            }
            if a.is_collection() && b.is_collection() {
                for i in 0..a.len().min(b.len()) {
                    let o = compare(&a.nth(i), &b.nth(i));
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                return a.len().cmp(&b.len());
            }
            super::render::display(&a).cmp(&super::render::display(&b))
        }
    }
}
