//! Constant values: what literals and folded constant expressions become.

use std::cmp::Ordering;

/// A value known when the policy is compiled.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ConstValue {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    /// Days since 1970-01-01.
    Date(i32),
    List(Vec<ConstValue>),
    /// Sorted and without duplicates.
    Set(Vec<ConstValue>),
    Record(Vec<(String, ConstValue)>),
}

impl ConstValue {
    /// Build a set: sort and remove duplicates.
    pub fn set(mut items: Vec<ConstValue>) -> ConstValue {
        items.sort_by(ConstValue::total_cmp);
        items.dedup();
        ConstValue::Set(items)
    }

    /// The order sets are kept in: by kind first, then by value.
    pub fn total_cmp(&self, other: &ConstValue) -> Ordering {
        fn rank(v: &ConstValue) -> u8 {
            match v {
                ConstValue::Null => 0,
                ConstValue::Bool(_) => 1,
                ConstValue::Int(_) => 2,
                ConstValue::Date(_) => 3,
                ConstValue::Str(_) => 4,
                ConstValue::List(_) => 5,
                ConstValue::Set(_) => 6,
                ConstValue::Record(_) => 7,
            }
        }
        match (self, other) {
            (ConstValue::Bool(a), ConstValue::Bool(b)) => a.cmp(b),
            (ConstValue::Int(a), ConstValue::Int(b)) => a.cmp(b),
            (ConstValue::Date(a), ConstValue::Date(b)) => a.cmp(b),
            (ConstValue::Str(a), ConstValue::Str(b)) => a.cmp(b),
            (ConstValue::List(a), ConstValue::List(b))
            | (ConstValue::Set(a), ConstValue::Set(b)) => {
                for (x, y) in a.iter().zip(b) {
                    let o = x.total_cmp(y);
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                a.len().cmp(&b.len())
            }
            (ConstValue::Record(a), ConstValue::Record(b)) => {
                for ((ka, va), (kb, vb)) in a.iter().zip(b) {
                    let o = ka.cmp(kb).then_with(|| va.total_cmp(vb));
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                a.len().cmp(&b.len())
            }
            _ => rank(self).cmp(&rank(other)),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            ConstValue::Str(s) => Some(s),
            _ => None,
        }
    }
}
