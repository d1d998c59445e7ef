//! Terraform's built-in functions that configurations use to compute names, regions
//! and tags (strings, collections, numbers, type conversions), with Terraform's
//! semantics: an unknown argument makes the result unknown unless the function can
//! answer without it (`length` of a list with unknown elements is known). A function
//! juris does not evaluate gives an unknown, never a guess.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::eval::{Fail, equal};
use super::value::{Val, number_text};

/// Why a function stops: its result is unknown, or Terraform would refuse the call.
enum Halt {
    Unknown(Rc<str>),
    Fail(Rc<str>),
}

type R<T> = Result<T, Halt>;

fn fail<T>(msg: impl Into<String>) -> R<T> {
    Err(Halt::Fail(Rc::from(msg.into())))
}

/// Calls built-in function `name`.
pub(crate) fn call(name: &str, args: &[Val]) -> Result<Val, Fail> {
    match dispatch(name, args) {
        Ok(v) => Ok(v),
        Err(Halt::Unknown(why)) => Ok(Val::Unknown(why)),
        Err(Halt::Fail(msg)) => Err(Rc::from(format!("`{name}`: {msg}"))),
    }
}

/// The argument, unless it is unknown at the top.
fn known(v: &Val) -> R<&Val> {
    match v {
        Val::Unknown(why) => Err(Halt::Unknown(why.clone())),
        other => Ok(other),
    }
}

/// The argument, unless any part of it is unknown.
fn whole(v: &Val) -> R<&Val> {
    match v.first_unknown() {
        Some(why) => Err(Halt::Unknown(why.clone())),
        None => Ok(v),
    }
}

fn string(v: &Val) -> R<Rc<str>> {
    match known(v)?.as_string() {
        Some(s) => Ok(s),
        None => fail(format!("expected a string, got {}", v.type_name())),
    }
}

fn number(v: &Val) -> R<f64> {
    match known(v)?.as_number() {
        Some(n) => Ok(n),
        None => fail(format!("expected a number, got {}", v.type_name())),
    }
}

fn list(v: &Val) -> R<Rc<Vec<Val>>> {
    match known(v)? {
        Val::List(items) => Ok(items.clone()),
        other => fail(format!("expected a list, got {}", other.type_name())),
    }
}

fn map(v: &Val) -> R<Rc<BTreeMap<String, Val>>> {
    match known(v)? {
        Val::Object(m) => Ok(m.clone()),
        other => fail(format!(
            "expected a map or object, got {}",
            other.type_name()
        )),
    }
}

fn arity(args: &[Val], n: usize) -> R<()> {
    if args.len() == n {
        Ok(())
    } else {
        fail(format!("takes {n} argument(s), got {}", args.len()))
    }
}

fn arg(args: &[Val], i: usize) -> R<&Val> {
    match args.get(i) {
        Some(v) => Ok(v),
        None => fail(format!("needs at least {} argument(s)", i + 1)),
    }
}

fn strings(items: &[Val]) -> R<Vec<Rc<str>>> {
    items.iter().map(string).collect()
}

/// Sets are sorted, duplicate-free lists.
fn set_of(items: Vec<Val>) -> Val {
    let mut out: Vec<Val> = Vec::with_capacity(items.len());
    for v in items {
        if !out.iter().any(|o| equal(o, &v)) {
            out.push(v);
        }
    }
    if out.iter().all(|v| matches!(v, Val::String(_))) {
        out.sort_by_key(Val::as_string);
    }
    Val::list(out)
}

/// The most elements a function may build (`range`, `chunklist`, ...).
const MAX_BUILT: usize = 1 << 20;

fn dispatch(name: &str, args: &[Val]) -> R<Val> {
    let s = |i: usize| arg(args, i).and_then(string);
    Ok(match name {
        // Strings.
        "lower" | "upper" | "title" | "trimspace" | "chomp" | "strrev" => {
            arity(args, 1)?;
            let x = s(0)?;
            Val::str(match name {
                "lower" => x.to_lowercase(),
                "upper" => x.to_uppercase(),
                "title" => title(&x),
                "trimspace" => x.trim().to_owned(),
                "chomp" => x.trim_end_matches(['\n', '\r']).to_owned(),
                _ => x.chars().rev().collect(),
            })
        }
        "format" => format(&s(0)?, &args[1..])?,
        "formatlist" => formatlist(&s(0)?, &args[1..])?,
        "join" => {
            let sep = s(0)?;
            let mut parts = Vec::new();
            for l in &args[1..] {
                parts.extend(strings(&list(l)?)?);
            }
            Val::str(parts.iter().map(|p| &**p).collect::<Vec<_>>().join(&sep))
        }
        "split" => {
            arity(args, 2)?;
            let (sep, x) = (s(0)?, s(1)?);
            if sep.is_empty() {
                return fail("the separator is empty");
            }
            Val::list(x.split(&*sep).map(Val::str).collect())
        }
        "replace" => {
            arity(args, 3)?;
            let (x, from, to) = (s(0)?, s(1)?, s(2)?);
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                let re = regex(&from[1..from.len() - 1])?;
                Val::str(
                    re.replace_all(&x, to.replace("$", "$$").as_str())
                        .into_owned(),
                )
            } else {
                Val::str(x.replace(&*from, &to))
            }
        }
        "substr" => {
            arity(args, 3)?;
            let x = s(0)?;
            let chars: Vec<char> = x.chars().collect();
            let offset = number(&args[1])?;
            let length = number(&args[2])?;
            let len = chars.len() as i64;
            let mut start = offset as i64;
            if start < 0 {
                start += len;
            }
            let start = start.clamp(0, len) as usize;
            let end = if length < 0.0 {
                chars.len()
            } else {
                (start + length as usize).min(chars.len())
            };
            Val::str(chars[start..end].iter().collect::<String>())
        }
        "trim" | "trimprefix" | "trimsuffix" => {
            arity(args, 2)?;
            let (x, t) = (s(0)?, s(1)?);
            Val::str(match name {
                "trim" => x.trim_matches(|c| t.contains(c)).to_owned(),
                "trimprefix" => x.strip_prefix(&*t).unwrap_or(&x).to_owned(),
                _ => x.strip_suffix(&*t).unwrap_or(&x).to_owned(),
            })
        }
        "startswith" | "endswith" | "strcontains" => {
            arity(args, 2)?;
            let (x, p) = (s(0)?, s(1)?);
            Val::Bool(match name {
                "startswith" => x.starts_with(&*p),
                "endswith" => x.ends_with(&*p),
                _ => x.contains(&*p),
            })
        }
        "indent" => {
            arity(args, 2)?;
            let n = number(&args[0])? as usize;
            let x = s(1)?;
            let pad = " ".repeat(n.min(1024));
            Val::str(x.replace('\n', &format!("\n{pad}")))
        }
        "regex" | "regexall" => {
            arity(args, 2)?;
            let re = regex(&s(0)?)?;
            let x = s(1)?;
            let one = |c: regex::Captures<'_>| -> Val {
                let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
                if names.is_empty() {
                    Val::str(c.get(0).map_or("", |m| m.as_str()))
                } else if names.iter().all(Option::is_some) {
                    Val::object(
                        names
                            .iter()
                            .flatten()
                            .map(|n| {
                                (
                                    n.to_string(),
                                    c.name(n).map_or(Val::Null, |m| Val::str(m.as_str())),
                                )
                            })
                            .collect(),
                    )
                } else {
                    Val::list(
                        (1..c.len())
                            .map(|i| c.get(i).map_or(Val::Null, |m| Val::str(m.as_str())))
                            .collect(),
                    )
                }
            };
            if name == "regex" {
                match re.captures(&x) {
                    Some(c) => one(c),
                    None => return fail("the pattern does not match"),
                }
            } else {
                Val::list(re.captures_iter(&x).map(one).collect())
            }
        }
        "tostring" => {
            arity(args, 1)?;
            match known(&args[0])? {
                Val::Null => Val::Null,
                v => Val::String(string(v)?),
            }
        }
        "tonumber" => {
            arity(args, 1)?;
            match known(&args[0])? {
                Val::Null => Val::Null,
                v => Val::Number(number(v)?),
            }
        }
        "tobool" => {
            arity(args, 1)?;
            match known(&args[0])? {
                Val::Null => Val::Null,
                v => match v.as_bool() {
                    Some(b) => Val::Bool(b),
                    None => return fail(format!("cannot convert {} to bool", v.shown())),
                },
            }
        }
        // Collections.
        "length" => {
            arity(args, 1)?;
            match known(&args[0])? {
                Val::List(items) => Val::Number(items.len() as f64),
                Val::Object(m) => Val::Number(m.len() as f64),
                Val::String(x) => Val::Number(x.chars().count() as f64),
                other => return fail(format!("cannot take the length of {}", other.type_name())),
            }
        }
        "lookup" => {
            if args.len() != 2 && args.len() != 3 {
                return fail("takes 2 or 3 arguments");
            }
            let m = map(&args[0])?;
            let k = s(1)?;
            match m.get(&*k) {
                Some(v) => v.clone(),
                None => match args.get(2) {
                    Some(d) => d.clone(),
                    None => {
                        return fail(format!("the map has no key `{k}` and no default is given"));
                    }
                },
            }
        }
        "element" => {
            arity(args, 2)?;
            let l = list(&args[0])?;
            if l.is_empty() {
                return fail("cannot use element on an empty list");
            }
            let i = number(&args[1])?;
            if i < 0.0 {
                return fail("the index must not be negative");
            }
            l[(i as usize) % l.len()].clone()
        }
        "index" => {
            arity(args, 2)?;
            let l = list(&args[0])?;
            let v = whole(&args[1])?;
            for item in l.iter() {
                whole(item)?;
            }
            match l.iter().position(|x| equal(x, v)) {
                Some(i) => Val::Number(i as f64),
                None => return fail("the item is not in the list"),
            }
        }
        "contains" => {
            arity(args, 2)?;
            let l = match known(&args[0])? {
                Val::Object(m) => Rc::new(m.values().cloned().collect()),
                _ => list(&args[0])?,
            };
            let v = whole(&args[1])?;
            if l.iter().any(|x| x.is_wholly_known() && equal(x, v)) {
                Val::Bool(true)
            } else {
                for item in l.iter() {
                    whole(item)?;
                }
                Val::Bool(false)
            }
        }
        "concat" => {
            let mut out = Vec::new();
            for l in args {
                out.extend(list(l)?.iter().cloned());
            }
            Val::list(out)
        }
        "merge" => {
            let mut out = BTreeMap::new();
            for m in args {
                if matches!(m, Val::Null) {
                    continue;
                }
                for (k, v) in map(m)?.iter() {
                    out.insert(k.clone(), v.clone());
                }
            }
            Val::object(out)
        }
        "keys" => {
            arity(args, 1)?;
            Val::list(
                map(&args[0])?
                    .keys()
                    .map(|k| Val::str(k.as_str()))
                    .collect(),
            )
        }
        "values" => {
            arity(args, 1)?;
            Val::list(map(&args[0])?.values().cloned().collect())
        }
        "coalesce" => {
            for a in args {
                match known(a)? {
                    Val::Null => continue,
                    Val::String(x) if x.is_empty() => continue,
                    v => return Ok(v.clone()),
                }
            }
            return fail("no non-null, non-empty argument");
        }
        "coalescelist" => {
            for a in args {
                if !list(a)?.is_empty() {
                    return Ok(a.clone());
                }
            }
            return fail("no non-empty list");
        }
        "compact" => {
            arity(args, 1)?;
            let l = list(&args[0])?;
            let mut out = Vec::new();
            for v in l.iter() {
                match known(v)? {
                    Val::Null => {}
                    Val::String(x) if x.is_empty() => {}
                    other => out.push(other.clone()),
                }
            }
            Val::list(out)
        }
        "distinct" => {
            arity(args, 1)?;
            let l = list(&args[0])?;
            let mut out: Vec<Val> = Vec::new();
            for v in l.iter() {
                whole(v)?;
                if !out.iter().any(|o| equal(o, v)) {
                    out.push(v.clone());
                }
            }
            Val::list(out)
        }
        "flatten" => {
            arity(args, 1)?;
            let mut out = Vec::new();
            flatten(&args[0], &mut out, 0)?;
            Val::list(out)
        }
        "reverse" => {
            arity(args, 1)?;
            let mut l = list(&args[0])?.as_ref().clone();
            l.reverse();
            Val::list(l)
        }
        "slice" => {
            arity(args, 3)?;
            let l = list(&args[0])?;
            let (a, b) = (number(&args[1])? as usize, number(&args[2])? as usize);
            if a > b || b > l.len() {
                return fail(format!(
                    "indexes {a}..{b} are out of range for a list of {}",
                    l.len()
                ));
            }
            Val::list(l[a..b].to_vec())
        }
        "sort" => {
            arity(args, 1)?;
            let l = list(&args[0])?;
            let mut out = strings(&l)?;
            out.sort();
            Val::list(out.into_iter().map(Val::String).collect())
        }
        "one" => {
            arity(args, 1)?;
            let l = list(&args[0])?;
            match l.len() {
                0 => Val::Null,
                1 => l[0].clone(),
                n => return fail(format!("the list has {n} elements, not at most one")),
            }
        }
        "range" => {
            let nums: Vec<f64> = args.iter().map(number).collect::<R<_>>()?;
            let (start, end, step) = match nums.as_slice() {
                [e] => (0.0, *e, 1.0),
                [s, e] => (*s, *e, if s <= e { 1.0 } else { -1.0 }),
                [s, e, st] => (*s, *e, *st),
                _ => return fail("takes 1 to 3 arguments"),
            };
            if step == 0.0 || (end - start) / step > MAX_BUILT as f64 {
                return fail("the range is empty-stepped or too long");
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                out.push(Val::Number(x));
                x += step;
            }
            Val::list(out)
        }
        "zipmap" => {
            arity(args, 2)?;
            let (k, v) = (list(&args[0])?, list(&args[1])?);
            if k.len() != v.len() {
                return fail("the lists have different lengths");
            }
            Val::object(
                strings(&k)?
                    .into_iter()
                    .map(|k| k.to_string())
                    .zip(v.iter().cloned())
                    .collect(),
            )
        }
        "chunklist" => {
            arity(args, 2)?;
            let l = list(&args[0])?;
            let n = number(&args[1])? as usize;
            if n == 0 {
                Val::list(vec![Val::list(l.as_ref().clone())])
            } else {
                Val::list(l.chunks(n).map(|c| Val::list(c.to_vec())).collect())
            }
        }
        "toset" => {
            arity(args, 1)?;
            let l = list(&args[0])?;
            for v in l.iter() {
                whole(v)?;
            }
            set_of(l.as_ref().clone())
        }
        "tolist" => {
            arity(args, 1)?;
            Val::List(list(&args[0])?)
        }
        "tomap" => {
            arity(args, 1)?;
            Val::Object(map(&args[0])?)
        }
        "setunion" | "setintersection" | "setsubtract" => {
            let sets: Vec<Rc<Vec<Val>>> = args.iter().map(list).collect::<R<_>>()?;
            for s in &sets {
                for v in s.iter() {
                    whole(v)?;
                }
            }
            let Some((first, rest)) = sets.split_first() else {
                return fail("needs at least one set");
            };
            let has = |s: &Rc<Vec<Val>>, v: &Val| s.iter().any(|x| equal(x, v));
            let out: Vec<Val> = match name {
                "setunion" => sets.iter().flat_map(|s| s.iter().cloned()).collect(),
                "setintersection" => first
                    .iter()
                    .filter(|v| rest.iter().all(|s| has(s, v)))
                    .cloned()
                    .collect(),
                _ => first
                    .iter()
                    .filter(|v| !rest.iter().any(|s| has(s, v)))
                    .cloned()
                    .collect(),
            };
            set_of(out)
        }
        "alltrue" | "anytrue" => {
            arity(args, 1)?;
            let l = list(&args[0])?;
            let all = name == "alltrue";
            let mut unknown = None;
            for v in l.iter() {
                match v {
                    Val::Unknown(why) => unknown = Some(why.clone()),
                    v => match v.as_bool() {
                        Some(b) if b != all => return Ok(Val::Bool(!all)),
                        Some(_) => {}
                        None => return fail("the list must hold true and false only"),
                    },
                }
            }
            match unknown {
                Some(why) => return Err(Halt::Unknown(why)),
                None => Val::Bool(all),
            }
        }
        // Numbers.
        "min" | "max" | "sum" => {
            let nums: Vec<f64> = if name == "sum" {
                arity(args, 1)?;
                list(&args[0])?.iter().map(number).collect::<R<_>>()?
            } else {
                args.iter().map(number).collect::<R<_>>()?
            };
            if nums.is_empty() {
                return fail("needs at least one number");
            }
            Val::Number(match name {
                "min" => nums.iter().copied().fold(f64::INFINITY, f64::min),
                "max" => nums.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                _ => nums.iter().sum(),
            })
        }
        "abs" | "ceil" | "floor" | "signum" => {
            arity(args, 1)?;
            let n = number(&args[0])?;
            Val::Number(match name {
                "abs" => n.abs(),
                "ceil" => n.ceil(),
                "floor" => n.floor(),
                _ => n.signum(),
            })
        }
        "jsonencode" => {
            arity(args, 1)?;
            Val::str(whole(&args[0])?.to_json().0.to_string())
        }
        "jsondecode" => {
            arity(args, 1)?;
            match serde_json::from_str::<serde_json::Value>(&s(0)?) {
                Ok(v) => Val::from_json(&v),
                Err(e) => return fail(format!("not JSON: {e}")),
            }
        }
        // Values only Terraform knows when it runs, or from outside the configuration.
        "timestamp" | "uuid" | "plantimestamp" | "bcrypt" => {
            return Err(Halt::Unknown(Rc::from(format!(
                "`{name}()` is only known when Terraform runs"
            ))));
        }
        other => {
            return Err(Halt::Unknown(Rc::from(format!(
                "it calls `{other}`, a function juris does not evaluate"
            ))));
        }
    })
}

fn flatten(v: &Val, out: &mut Vec<Val>, depth: usize) -> R<()> {
    if depth > 64 {
        return fail("the lists nest too deep");
    }
    for item in list(v)?.iter() {
        match item {
            Val::List(_) => flatten(item, out, depth + 1)?,
            Val::Unknown(why) => return Err(Halt::Unknown(why.clone())),
            other => out.push(other.clone()),
        }
    }
    Ok(())
}

fn regex(pattern: &str) -> R<regex::Regex> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .or_else(|e| fail(format!("invalid pattern: {e}")))
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric();
    }
    out
}

/// Terraform's `format`: `%s`, `%d`, `%f`, `%v`, `%q`, `%t`, `%%`, with `%[n]` indexes.
fn format(spec: &str, args: &[Val]) -> R<Val> {
    let mut out = String::new();
    let mut next = 0usize;
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek() {
            if f.is_ascii_digit() || matches!(f, '.' | '-' | '+' | '#' | ' ' | '[' | ']') {
                flags.push(f);
                chars.next();
            } else {
                break;
            }
        }
        if let Some(i) = flags.strip_prefix('[').and_then(|r| r.split(']').next()) {
            next = i.parse::<usize>().map_or(next, |n| n.saturating_sub(1));
        }
        let Some(verb) = chars.next() else {
            return fail("the format ends in the middle of a verb");
        };
        let Some(a) = args.get(next) else {
            return fail("not enough arguments for the format");
        };
        next += 1;
        let a = whole(a)?;
        match verb {
            's' => out.push_str(&string(a)?),
            'd' => out.push_str(&format!("{}", number(a)?.trunc() as i64)),
            'f' => {
                let prec = flags
                    .split('.')
                    .nth(1)
                    .and_then(|p| p.parse::<usize>().ok())
                    .unwrap_or(6);
                out.push_str(&format!("{:.*}", prec, number(a)?));
            }
            'v' => match a {
                Val::String(x) => out.push_str(x),
                Val::Number(n) => out.push_str(&number_text(*n)),
                other => out.push_str(&other.to_json().0.to_string()),
            },
            'q' => out.push_str(&serde_json::Value::from(&*string(a)?).to_string()),
            't' => match a.as_bool() {
                Some(b) => out.push_str(if b { "true" } else { "false" }),
                None => return fail("`%t` needs a bool"),
            },
            other => return fail(format!("the verb `%{other}` is not supported")),
        }
    }
    Ok(Val::str(out))
}

fn formatlist(spec: &str, args: &[Val]) -> R<Val> {
    let mut len = None;
    for a in args {
        if let Val::List(l) = known(a)? {
            match len {
                Some(n) if n != l.len() => return fail("the lists have different lengths"),
                _ => len = Some(l.len()),
            }
        }
    }
    let Some(n) = len else {
        return Ok(Val::list(vec![format(spec, args)?]));
    };
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let row: Vec<Val> = args
            .iter()
            .map(|a| match a {
                Val::List(l) => l[i].clone(),
                other => other.clone(),
            })
            .collect();
        out.push(format(spec, &row)?);
    }
    Ok(Val::list(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Val {
        Val::str(x)
    }

    fn ok(name: &str, args: &[Val]) -> Val {
        call(name, args).unwrap()
    }

    #[test]
    fn string_functions() {
        assert_eq!(
            ok("format", &[s("%s-%d"), s("eu"), Val::Number(3.0)]),
            s("eu-3")
        );
        assert_eq!(ok("lower", &[s("EU-West-1")]), s("eu-west-1"));
        assert_eq!(
            ok("join", &[s("-"), Val::list(vec![s("a"), s("b")])]),
            s("a-b")
        );
        assert_eq!(ok("replace", &[s("a_b"), s("_"), s("-")]), s("a-b"));
        assert_eq!(
            ok("replace", &[s("a1b22"), s("/[0-9]+/"), s("#")]),
            s("a#b#")
        );
        assert_eq!(
            ok(
                "substr",
                &[s("europe-west1"), Val::Number(0.0), Val::Number(6.0)]
            ),
            s("europe")
        );
        assert_eq!(ok("title", &[s("hello world")]), s("Hello World"));
    }

    #[test]
    fn collection_functions() {
        let m = Val::object(BTreeMap::from([("eu".to_owned(), s("eu-west-1"))]));
        assert_eq!(ok("lookup", &[m.clone(), s("eu")]), s("eu-west-1"));
        assert_eq!(
            ok("lookup", &[m.clone(), s("us"), s("us-east-1")]),
            s("us-east-1")
        );
        assert!(call("lookup", &[m, s("us")]).is_err());
        assert_eq!(ok("coalesce", &[Val::Null, s(""), s("x")]), s("x"));
        assert_eq!(
            ok("length", &[Val::list(vec![Val::unknown("later"), s("x")])]),
            Val::Number(2.0)
        );
        assert_eq!(
            ok("toset", &[Val::list(vec![s("b"), s("a"), s("b")])]),
            Val::list(vec![s("a"), s("b")])
        );
    }

    #[test]
    fn unknowns_propagate_and_unknown_functions_are_unknown() {
        assert!(ok("upper", &[Val::unknown("later")]).is_unknown());
        assert!(ok("coalesce", &[Val::unknown("later"), s("x")]).is_unknown());
        assert!(ok("filebase64", &[s("x")]).is_unknown());
        assert!(ok("timestamp", &[]).is_unknown());
    }
}
