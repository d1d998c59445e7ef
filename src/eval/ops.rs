//! Operators over values, all three-valued: an unknown operand gives an unknown
//! result unless every value it could take gives the same answer.

use std::cmp::Ordering;

use super::value::{Tri, Value, compare, make_set};
use crate::ir::{ArithOp, CmpOp, ConstSet, SetOp};
use crate::model::Known;

/// `a == b`.
pub fn equal(a: &Value, b: &Value) -> Tri {
    // The common case first: two plain strings.
    if let (Value::Str(x), Value::Str(y)) = (a, b) {
        return Some(x == y);
    }
    if a.is_unknown() || b.is_unknown() {
        return None;
    }
    let (a, b) = (a.clone().normalize(), b.clone().normalize());
    match (&a, &b) {
        (Value::Unknown, _) | (_, Value::Unknown) => None,
        (Value::Null, Value::Null) => Some(true),
        (Value::Null, _) | (_, Value::Null) => Some(false),
        (Value::Bool(x), Value::Bool(y)) => Some(x == y),
        (Value::Int(x), Value::Int(y)) => Some(x == y),
        (Value::Date(x), Value::Date(y)) => Some(x == y),
        (Value::Json(x, _), Value::Json(y, _)) => Some(x == y),
        _ => {
            if let (Some(x), Some(y)) = (a.as_str(), b.as_str()) {
                return Some(x == y);
            }
            if a.is_collection() && b.is_collection() {
                if a.len() != b.len() {
                    return Some(false);
                }
                let mut result = Some(true);
                for i in 0..a.len() {
                    match equal(&a.nth(i), &b.nth(i)) {
                        Some(false) => return Some(false),
                        None => result = None,
                        Some(true) => {}
                    }
                }
                return result;
            }
            match (&a, &b) {
                (Value::Resource(x), Value::Resource(y)) => Some(x.address == y.address),
                (Value::Flow(x), Value::Flow(y)) => Some(std::ptr::eq(*x, *y)),
                _ => Some(
                    compare(&a, &b) == Ordering::Equal
                        && std::mem::discriminant(&a) == std::mem::discriminant(&b),
                ),
            }
        }
    }
}

/// `<`, `<=`, `>`, `>=`, `==`, `!=`.
pub fn compare_op(op: CmpOp, a: &Value, b: &Value) -> Tri {
    match op {
        CmpOp::Eq => equal(a, b),
        CmpOp::Ne => equal(a, b).map(|x| !x),
        _ => {
            if a.is_unknown() || b.is_unknown() {
                return None;
            }
            let (a, b) = (a.clone().normalize(), b.clone().normalize());
            let ord = match (&a, &b) {
                (Value::Int(x), Value::Int(y)) => x.cmp(y),
                (Value::Date(x), Value::Date(y)) => x.cmp(y),
                _ => match (a.as_str(), b.as_str()) {
                    (Some(x), Some(y)) => x.cmp(y),
                    // Ordering values of different kinds (or null) is never true.
                    _ => return Some(false),
                },
            };
            Some(match op {
                CmpOp::Lt => ord == Ordering::Less,
                CmpOp::Le => ord != Ordering::Greater,
                CmpOp::Gt => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            })
        }
    }
}

/// `x in c`.
pub fn member(x: &Value, c: &Value) -> Tri {
    if c.is_unknown() {
        return None;
    }
    // Nothing is a member of an empty collection, whatever it is.
    if c.is_empty() && !matches!(c, Value::Json(serde_json::Value::String(_), _)) {
        return Some(false);
    }
    if x.is_unknown() {
        return None;
    }
    match c {
        Value::Tags(t) => return Some(x.as_str().is_some_and(|k| t.contains_key(k))),
        Value::Json(serde_json::Value::Object(o), _) => {
            return Some(x.as_str().is_some_and(|k| o.contains_key(k)));
        }
        // Scanned, never binary-searched: an inventory document may list countries in
        // any order, and a missed member would be a silent pass.
        Value::StrList(s) | Value::StrSet(s) => {
            let x = x.clone().normalize();
            return Some(x.as_str().is_some_and(|k| s.iter().any(|e| e == k)));
        }
        _ => {}
    }
    let mut result = Some(false);
    for i in 0..c.len() {
        match equal(x, &c.nth(i)) {
            Some(true) => return Some(true),
            None => result = None,
            Some(false) => {}
        }
    }
    result
}

/// `x in S` for an interned constant set.
pub fn member_const(x: &Value, set: &ConstSet) -> Tri {
    if set.members.is_empty() {
        return Some(false);
    }
    if let Value::Str(s) = x {
        return Some(set.contains_str(s));
    }
    if x.is_unknown() {
        return None;
    }
    let x = x.clone().normalize();
    if let Some(s) = x.as_str() {
        return Some(set.contains_str(s));
    }
    let mut result = Some(false);
    for m in &set.members {
        match equal(&x, &Value::from_const(m)) {
            Some(true) => return Some(true),
            None => result = None,
            Some(false) => {}
        }
    }
    result
}

/// `a subset b`: every member of `a` is in `b`.
pub fn subset(a: &Value, b: &Value) -> Tri {
    if a.is_unknown() {
        return None;
    }
    let mut result = Some(true);
    for i in 0..a.len() {
        match member(&a.nth(i), b) {
            Some(false) => return Some(false),
            None => result = None,
            Some(true) => {}
        }
    }
    result
}

/// `union`, `intersect`, `minus`.
pub fn set_op<'a>(op: SetOp, a: Value<'a>, b: Value<'a>) -> Value<'a> {
    if a.is_unknown() || b.is_unknown() {
        // The empty set absorbs intersection and subtraction whatever the other side.
        return match op {
            SetOp::Intersect
                if (!a.is_unknown() && a.is_empty()) || (!b.is_unknown() && b.is_empty()) =>
            {
                make_set(Vec::new())
            }
            SetOp::Minus if !a.is_unknown() && a.is_empty() => make_set(Vec::new()),
            _ => Value::Unknown,
        };
    }
    let mut out = Vec::new();
    match op {
        SetOp::Union => {
            for i in 0..a.len() {
                out.push(a.nth(i));
            }
            for i in 0..b.len() {
                out.push(b.nth(i));
            }
        }
        SetOp::Intersect | SetOp::Minus => {
            let keep = op == SetOp::Intersect;
            for i in 0..a.len() {
                let x = a.nth(i);
                match member(&x, &b) {
                    Some(m) if m == keep => out.push(x),
                    None => return Value::Unknown,
                    _ => {}
                }
            }
        }
    }
    if out.iter().any(Value::is_unknown) {
        return Value::List(out.into());
    }
    make_set(out)
}

/// `+` and `-` on ints, dates and strings.
pub fn arith<'a>(op: ArithOp, a: Value<'a>, b: Value<'a>) -> Value<'a> {
    if a.is_unknown() || b.is_unknown() {
        return Value::Unknown;
    }
    match (op, a.normalize(), b.normalize()) {
        (ArithOp::Add, Value::Int(x), Value::Int(y)) => Value::Int(x.wrapping_add(y)),
        (ArithOp::Sub, Value::Int(x), Value::Int(y)) => Value::Int(x.wrapping_sub(y)),
        (ArithOp::Add, Value::Date(d), Value::Int(n)) => {
            Value::Date(d.saturating_add(n.clamp(-1_000_000, 1_000_000) as i32))
        }
        (ArithOp::Sub, Value::Date(d), Value::Int(n)) => {
            Value::Date(d.saturating_sub(n.clamp(-1_000_000, 1_000_000) as i32))
        }
        (ArithOp::Sub, Value::Date(x), Value::Date(y)) => Value::Int(x as i64 - y as i64),
        (ArithOp::Add, x, y) => match (x.as_str(), y.as_str()) {
            (Some(s), Some(t)) => Value::owned_str(format!("{s}{t}")),
            _ => Value::Null,
        },
        _ => Value::Null,
    }
}

/// `c[i]`.
pub fn index<'a>(c: Value<'a>, i: Value<'a>) -> Value<'a> {
    if c.is_unknown() || i.is_unknown() {
        return Value::Unknown;
    }
    let i = i.normalize();
    match (&c, &i) {
        (Value::Tags(t), _) => match i.as_str().and_then(|k| t.get(k)) {
            Some(Known::Known(v)) => Value::Str(v),
            Some(Known::Unknown) => Value::Unknown,
            None => Value::Null,
        },
        (Value::Json(serde_json::Value::Object(o), u), _) => match i.as_str() {
            Some(k) => {
                let uk = u.and_then(|u| u.get(k));
                match o.get(k) {
                    Some(v) => Value::Json(v, uk).normalize(),
                    None if uk.is_some_and(|u| u.as_bool() == Some(true)) => Value::Unknown,
                    None => Value::Null,
                }
            }
            None => Value::Null,
        },
        (Value::Json(serde_json::Value::Array(a), u), Value::Int(n)) => {
            let uk = u.and_then(|u| usize::try_from(*n).ok().and_then(|n| u.get(n)));
            match usize::try_from(*n).ok().and_then(|n| a.get(n)) {
                Some(v) => Value::Json(v, uk).normalize(),
                None if uk.is_some_and(|u| u.as_bool() == Some(true)) => Value::Unknown,
                None => Value::Null,
            }
        }
        (_, Value::Int(n)) if c.is_collection() => match usize::try_from(*n) {
            Ok(n) if n < c.len() => c.nth(n),
            _ => Value::Null,
        },
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list<'a>(items: Vec<Value<'a>>) -> Value<'a> {
        Value::List(items.into())
    }

    #[test]
    fn equality_is_unknown_only_when_an_operand_is() {
        assert_eq!(equal(&Value::Str("CN"), &Value::Str("CN")), Some(true));
        assert_eq!(equal(&Value::Str("CN"), &Value::Unknown), None);
        assert_eq!(equal(&Value::Null, &Value::Str("CN")), Some(false));
        // A list with an unknown member equals another only if the known parts allow it.
        let a = list(vec![Value::Str("a"), Value::Unknown]);
        assert_eq!(
            equal(&a, &list(vec![Value::Str("a"), Value::Str("b")])),
            None
        );
        assert_eq!(
            equal(&a, &list(vec![Value::Str("x"), Value::Str("b")])),
            Some(false)
        );
        assert_eq!(equal(&a, &list(vec![Value::Str("a")])), Some(false));
    }

    #[test]
    fn comparisons_of_unknowns_are_unknown() {
        assert_eq!(
            compare_op(CmpOp::Lt, &Value::Int(1), &Value::Int(2)),
            Some(true)
        );
        assert_eq!(
            compare_op(CmpOp::Ge, &Value::Date(10), &Value::Date(3)),
            Some(true)
        );
        assert_eq!(compare_op(CmpOp::Lt, &Value::Unknown, &Value::Int(2)), None);
        assert_eq!(
            compare_op(CmpOp::Ne, &Value::Str("a"), &Value::Unknown),
            None
        );
    }

    #[test]
    fn membership_decides_what_the_known_members_decide() {
        let c = list(vec![Value::Str("CN"), Value::Unknown]);
        assert_eq!(member(&Value::Str("CN"), &c), Some(true));
        // "US" may be the unknown member.
        assert_eq!(member(&Value::Str("US"), &c), None);
        assert_eq!(member(&Value::Unknown, &list(vec![])), Some(false));
        assert_eq!(member(&Value::Str("CN"), &Value::Unknown), None);
        let known = list(vec![Value::Str("CN"), Value::Str("RU")]);
        assert_eq!(member(&Value::Str("US"), &known), Some(false));
        assert_eq!(subset(&list(vec![Value::Str("RU")]), &known), Some(true));
        assert_eq!(subset(&list(vec![Value::Str("US")]), &c), None);
    }

    #[test]
    fn the_empty_set_absorbs_an_unknown_operand() {
        let empty = || make_set(Vec::new());
        assert!(set_op(SetOp::Intersect, empty(), Value::Unknown).is_empty());
        assert!(set_op(SetOp::Minus, empty(), Value::Unknown).is_empty());
        assert!(set_op(SetOp::Union, empty(), Value::Unknown).is_unknown());
        let a = make_set(vec![Value::Str("a"), Value::Str("b")]);
        let b = make_set(vec![Value::Str("b"), Value::Str("c")]);
        let u = set_op(SetOp::Union, a.clone(), b.clone());
        assert_eq!(u.len(), 3);
        let i = set_op(SetOp::Intersect, a.clone(), b.clone());
        assert_eq!(equal(&i, &make_set(vec![Value::Str("b")])), Some(true));
        let m = set_op(SetOp::Minus, a, b);
        assert_eq!(equal(&m, &make_set(vec![Value::Str("a")])), Some(true));
    }

    #[test]
    fn arithmetic_stays_in_range_and_types() {
        let int = |v: Value| match v {
            Value::Int(i) => i,
            other => panic!("not an int: {other:?}"),
        };
        assert_eq!(
            int(arith(ArithOp::Add, Value::Int(i64::MAX), Value::Int(1))),
            i64::MIN
        );
        assert_eq!(int(arith(ArithOp::Sub, Value::Date(10), Value::Date(3))), 7);
        assert!(matches!(
            arith(ArithOp::Add, Value::Date(0), Value::Int(i64::MAX)),
            Value::Date(1_000_000)
        ));
        assert_eq!(
            arith(ArithOp::Add, Value::Str("a"), Value::Str("b")).as_str(),
            Some("ab")
        );
        assert!(matches!(
            arith(ArithOp::Sub, Value::Str("a"), Value::Int(1)),
            Value::Null
        ));
        assert!(arith(ArithOp::Add, Value::Int(1), Value::Unknown).is_unknown());
    }
}
