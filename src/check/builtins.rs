//! The built-in functions: their names, documentation lines and type rules.

use crate::ir::Builtin;
use crate::ir::types::{Rec, Type};

/// A built-in function as the checker sees it before its arguments are typed.
pub struct BuiltinDef {
    pub name: &'static str,
    pub arity: usize,
    /// Shown in arity errors and `docs/language.md`.
    pub signature: &'static str,
}

pub const BUILTINS: &[BuiltinDef] = &[
    def("lower", 1, "lower(s: string) -> string"),
    def("upper", 1, "upper(s: string) -> string"),
    def("trim", 1, "trim(s: string) -> string"),
    def(
        "split",
        2,
        "split(s: string, separator: string) -> list<string>",
    ),
    def(
        "regex_split",
        2,
        "regex_split(s: string, pattern: constant string) -> list<string>",
    ),
    def(
        "replace",
        3,
        "replace(s: string, from: string, to: string) -> string",
    ),
    def(
        "starts_with",
        2,
        "starts_with(s: string, prefix: string) -> bool",
    ),
    def(
        "ends_with",
        2,
        "ends_with(s: string, suffix: string) -> bool",
    ),
    def("contains", 2, "contains(s: string, part: string) -> bool"),
    def("glob", 2, "glob(s: string, pattern: string) -> bool"),
    def(
        "regex",
        2,
        "regex(s: string, pattern: constant string) -> bool",
    ),
    def(
        "count",
        1,
        "count(c: list<T> | set<T> | map<K, V> | string | json) -> int",
    ),
    def("known", 1, "known(x: any) -> bool"),
    def("today", 0, "today() -> date"),
    def("date", 1, "date(s: string) -> date"),
    def("string", 1, "string(x: any) -> string"),
    def("int", 1, "int(x: string | int | json) -> int"),
    def("keys", 1, "keys(m: map<K, V> | json) -> set<K>"),
    def("values", 1, "values(m: map<K, V>) -> list<V>"),
    def(
        "flatten",
        1,
        "flatten(c: list<set<T>> | list<list<T>> | set<set<T>>) -> set<T>",
    ),
    def("tag", 2, "tag(r: resource, key: string) -> string"),
    def(
        "join",
        2,
        "join(c: list<string> | set<string>, separator: string) -> string",
    ),
];

const fn def(name: &'static str, arity: usize, signature: &'static str) -> BuiltinDef {
    BuiltinDef {
        name,
        arity,
        signature,
    }
}

pub fn lookup(name: &str) -> Option<&'static BuiltinDef> {
    BUILTINS.iter().find(|b| b.name == name)
}

/// What went wrong with an argument: its index and the type that was expected.
pub struct ArgError {
    pub index: usize,
    pub expected: String,
}

/// Type a builtin call given its argument types. Regex builtins get their id later,
/// once the pattern is known to be constant.
pub fn type_call(name: &str, args: &[Type]) -> Result<(Builtin, Type), ArgError> {
    use Type as T;
    let want = |i: usize, t: &Type| -> Result<(), ArgError> {
        if args[i].fits(t) {
            Ok(())
        } else {
            Err(ArgError {
                index: i,
                expected: format!("`{t}`"),
            })
        }
    };
    let coll = |i: usize| -> Result<Type, ArgError> {
        match &args[i] {
            T::List(e) | T::Set(e) => Ok((**e).clone()),
            T::Any | T::Null | T::Json => Ok(T::Json),
            _ => Err(ArgError {
                index: i,
                expected: "a list or a set".into(),
            }),
        }
    };
    Ok(match name {
        "lower" | "upper" | "trim" => {
            want(0, &T::Str)?;
            let b = match name {
                "lower" => Builtin::Lower,
                "upper" => Builtin::Upper,
                _ => Builtin::Trim,
            };
            (b, T::Str)
        }
        "split" | "regex_split" => {
            want(0, &T::Str)?;
            want(1, &T::Str)?;
            let b = if name == "split" {
                Builtin::Split
            } else {
                Builtin::RegexSplit(0)
            };
            (b, T::List(Box::new(T::Str)))
        }
        "replace" => {
            for i in 0..3 {
                want(i, &T::Str)?;
            }
            (Builtin::Replace, T::Str)
        }
        "starts_with" | "ends_with" | "contains" | "glob" | "regex" => {
            want(0, &T::Str)?;
            want(1, &T::Str)?;
            let b = match name {
                "starts_with" => Builtin::StartsWith,
                "ends_with" => Builtin::EndsWith,
                "contains" => Builtin::Contains,
                "glob" => Builtin::Glob,
                _ => Builtin::Regex(0),
            };
            (b, T::Bool)
        }
        "count" => match &args[0] {
            T::List(_) | T::Set(_) | T::Map(..) | T::Str | T::Json | T::Any | T::Null => {
                (Builtin::Count, T::Int)
            }
            _ => {
                return Err(ArgError {
                    index: 0,
                    expected: "a list, set, map, string or json".into(),
                });
            }
        },
        "known" => (Builtin::Known, T::Bool),
        "today" => (Builtin::Today, T::Date),
        "date" => {
            want(0, &T::Str)?;
            (Builtin::Date, T::Date)
        }
        "string" => (Builtin::String, T::Str),
        "int" => match &args[0] {
            T::Str | T::Int | T::Json | T::Any | T::Null => (Builtin::Int, T::Int),
            _ => {
                return Err(ArgError {
                    index: 0,
                    expected: "a string, an int or json".into(),
                });
            }
        },
        "keys" => match &args[0] {
            T::Map(k, _) => (Builtin::Keys, T::Set(k.clone())),
            T::Json | T::Any | T::Null => (Builtin::Keys, T::Set(Box::new(T::Str))),
            _ => {
                return Err(ArgError {
                    index: 0,
                    expected: "a map or json".into(),
                });
            }
        },
        "values" => match &args[0] {
            T::Map(_, v) => (Builtin::Values, T::List(v.clone())),
            T::Json | T::Any | T::Null => (Builtin::Values, T::List(Box::new(T::Json))),
            _ => {
                return Err(ArgError {
                    index: 0,
                    expected: "a map or json".into(),
                });
            }
        },
        "flatten" => {
            let inner = coll(0)?;
            let elem = match inner {
                T::List(e) | T::Set(e) => *e,
                T::Any | T::Null | T::Json => T::Json,
                _ => {
                    return Err(ArgError {
                        index: 0,
                        expected: "a collection of collections".into(),
                    });
                }
            };
            (Builtin::Flatten, T::Set(Box::new(elem)))
        }
        "tag" => {
            want(0, &T::Record(Rec::Resource))?;
            want(1, &T::Str)?;
            (Builtin::Tag, T::Str)
        }
        "join" => {
            let e = coll(0)?;
            if !e.fits(&T::Str) {
                return Err(ArgError {
                    index: 0,
                    expected: "a list or set of strings".into(),
                });
            }
            want(1, &T::Str)?;
            (Builtin::Join, T::Str)
        }
        _ => {
            return Err(ArgError {
                index: usize::MAX,
                expected: String::new(),
            });
        }
    })
}
