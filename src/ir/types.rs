//! The static types of the language and the fields of the built-in record types.
//!
//! Every type also admits `null` (a missing value) and *unknown* (a value Terraform
//! only learns at apply time); those are runtime facts the three-valued evaluator
//! handles, not separate types.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Type {
    Bool,
    Int,
    Str,
    Date,
    Null,
    /// Raw planned attribute values: dynamically typed.
    Json,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>, Box<Type>),
    Record(Rec),
    /// The element type of an empty collection: fits anything.
    Any,
}

/// The model's record types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Rec {
    Resource,
    Provider,
    Location,
    Custody,
    Flow,
    Company,
    Link,
}

/// A field of a model record, resolved at check time so evaluation never looks names up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Field {
    Address,
    Type,
    Name,
    Mode,
    Actions,
    Input,
    Provider,
    Location,
    Custody,
    Tags,
    Attributes,
    Flows,
    ProviderSource,
    ProviderAlias,
    ProviderFamily,
    ProviderCompany,
    ProviderJurisdiction,
    Region,
    Countries,
    Operator,
    Derivation,
    CustodyCompany,
    CustodyJurisdiction,
    FlowKind,
    FlowTarget,
    FlowInInventory,
    FlowVia,
    FlowDepth,
    FlowLocation,
    FlowCustody,
    CompanyName,
    CompanyJurisdiction,
    CustodyChain,
    LinkCompany,
    LinkJurisdiction,
    LinkControl,
    LinkSources,
}

impl Rec {
    /// Every record type, in documentation order.
    pub const ALL: [Rec; 7] = [
        Rec::Resource,
        Rec::Provider,
        Rec::Location,
        Rec::Custody,
        Rec::Flow,
        Rec::Company,
        Rec::Link,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Rec::Resource => "resource",
            Rec::Provider => "provider",
            Rec::Location => "location",
            Rec::Custody => "custody",
            Rec::Flow => "flow",
            Rec::Company => "company",
            Rec::Link => "link",
        }
    }

    /// The fields of this record with their names and types, in documentation order.
    pub fn fields(self) -> &'static [(&'static str, Field)] {
        use Field::*;
        match self {
            Rec::Resource => &[
                ("address", Address),
                ("type", Type),
                ("name", Name),
                ("mode", Mode),
                ("actions", Actions),
                ("input", Input),
                ("provider", Provider),
                ("location", Location),
                ("custody", Custody),
                ("tags", Tags),
                ("attributes", Attributes),
                ("flows", Flows),
            ],
            Rec::Provider => &[
                ("source", ProviderSource),
                ("alias", ProviderAlias),
                ("family", ProviderFamily),
                ("company", ProviderCompany),
                ("jurisdiction", ProviderJurisdiction),
            ],
            Rec::Location => &[
                ("region", Region),
                ("countries", Countries),
                ("operator", Operator),
                ("derivation", Derivation),
            ],
            Rec::Custody => &[
                ("company", CustodyCompany),
                ("jurisdiction", CustodyJurisdiction),
                ("chain", CustodyChain),
            ],
            Rec::Flow => &[
                ("kind", FlowKind),
                ("target", FlowTarget),
                ("in_inventory", FlowInInventory),
                ("via", FlowVia),
                ("depth", FlowDepth),
                ("location", FlowLocation),
                ("custody", FlowCustody),
            ],
            Rec::Company => &[("name", CompanyName), ("jurisdiction", CompanyJurisdiction)],
            Rec::Link => &[
                ("company", LinkCompany),
                ("jurisdiction", LinkJurisdiction),
                ("control", LinkControl),
                ("sources", LinkSources),
            ],
        }
    }

    pub fn field(self, name: &str) -> Option<Field> {
        self.fields()
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
    }
}

impl Field {
    pub fn ty(self) -> Type {
        use super::types::Type as T;
        use Field::*;
        let s = || Box::new(T::Str);
        match self {
            Address | Type | Name | Mode | Input | ProviderSource | ProviderAlias
            | ProviderFamily | ProviderCompany | ProviderJurisdiction | Region | Derivation
            | CustodyCompany | CustodyJurisdiction | FlowKind | FlowTarget | FlowVia
            | CompanyName | CompanyJurisdiction | LinkCompany | LinkJurisdiction | LinkControl => {
                T::Str
            }
            Actions | LinkSources => T::List(s()),
            CustodyChain => T::List(Box::new(T::Record(Rec::Link))),
            Countries => T::Set(s()),
            Provider => T::Record(Rec::Provider),
            Location | FlowLocation => T::Record(Rec::Location),
            Custody | FlowCustody => T::Record(Rec::Custody),
            Operator => T::Record(Rec::Company),
            Tags => T::Map(s(), s()),
            Attributes => T::Json,
            Flows => T::List(Box::new(T::Record(Rec::Flow))),
            FlowInInventory => T::Bool,
            FlowDepth => T::Int,
        }
    }

    pub fn name(self) -> &'static str {
        for rec in Rec::ALL {
            if let Some((n, _)) = rec.fields().iter().find(|(_, f)| *f == self) {
                return n;
            }
        }
        "?"
    }
}

impl Type {
    /// Whether a value of type `self` may be used where `expected` is wanted.
    pub fn fits(&self, expected: &Type) -> bool {
        match (self, expected) {
            (a, b) if a == b => true,
            (Type::Any | Type::Null | Type::Json, _) | (_, Type::Any | Type::Json) => true,
            (Type::List(a), Type::List(b)) | (Type::Set(a), Type::Set(b)) => a.fits(b),
            (Type::Map(ka, va), Type::Map(kb, vb)) => ka.fits(kb) && va.fits(vb),
            _ => false,
        }
    }

    /// The common type of two values of one collection or both branches of an `if`.
    pub fn join(&self, other: &Type) -> Option<Type> {
        match (self, other) {
            (a, b) if a == b => Some(a.clone()),
            (Type::Any | Type::Null, b) => Some(b.clone()),
            (a, Type::Any | Type::Null) => Some(a.clone()),
            (Type::Json, _) | (_, Type::Json) => Some(Type::Json),
            (Type::List(a), Type::List(b)) => a.join(b).map(|t| Type::List(Box::new(t))),
            (Type::Set(a), Type::Set(b)) => a.join(b).map(|t| Type::Set(Box::new(t))),
            (Type::Map(ka, va), Type::Map(kb, vb)) => {
                Some(Type::Map(Box::new(ka.join(kb)?), Box::new(va.join(vb)?)))
            }
            _ => None,
        }
    }

    /// The element type when iterating, or `None` if the type cannot be iterated.
    pub fn element(&self) -> Option<Type> {
        match self {
            Type::List(t) | Type::Set(t) => Some((**t).clone()),
            Type::Map(k, _) => Some((**k).clone()),
            Type::Json | Type::Any | Type::Null => Some(Type::Json),
            _ => None,
        }
    }

    pub fn is_collection(&self) -> bool {
        matches!(self, Type::List(_) | Type::Set(_))
    }

    /// Parse a type written in source (`set<string>`), given its name and arguments.
    pub fn from_name(name: &str, args: Vec<Type>) -> Result<Type, String> {
        let arity = |n: usize, t: Type| {
            if args.len() == n {
                Ok(t)
            } else {
                Err(format!(
                    "`{name}` takes {n} type argument(s), found {}",
                    args.len()
                ))
            }
        };
        let mut a = args.clone().into_iter();
        match name {
            "bool" => arity(0, Type::Bool),
            "int" => arity(0, Type::Int),
            "string" => arity(0, Type::Str),
            "date" => arity(0, Type::Date),
            "json" => arity(0, Type::Json),
            "null" => arity(0, Type::Null),
            "resource" => arity(0, Type::Record(Rec::Resource)),
            "provider" => arity(0, Type::Record(Rec::Provider)),
            "location" => arity(0, Type::Record(Rec::Location)),
            "custody" => arity(0, Type::Record(Rec::Custody)),
            "flow" => arity(0, Type::Record(Rec::Flow)),
            "company" => arity(0, Type::Record(Rec::Company)),
            "link" => arity(0, Type::Record(Rec::Link)),
            "list" => arity(1, Type::List(Box::new(a.next().unwrap_or(Type::Any)))),
            "set" => arity(1, Type::Set(Box::new(a.next().unwrap_or(Type::Any)))),
            "map" => {
                let k = a.next().unwrap_or(Type::Any);
                let v = a.next().unwrap_or(Type::Any);
                arity(2, Type::Map(Box::new(k), Box::new(v)))
            }
            _ => Err(format!("unknown type `{name}`")),
        }
    }

    pub const NAMES: &'static [&'static str] = &[
        "bool", "int", "string", "date", "json", "null", "resource", "provider", "location",
        "custody", "flow", "company", "link", "list", "set", "map",
    ];
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Bool => write!(f, "bool"),
            Type::Int => write!(f, "int"),
            Type::Str => write!(f, "string"),
            Type::Date => write!(f, "date"),
            Type::Null => write!(f, "null"),
            Type::Json => write!(f, "json"),
            Type::List(t) => write!(f, "list<{t}>"),
            Type::Set(t) => write!(f, "set<{t}>"),
            Type::Map(k, v) => write!(f, "map<{k}, {v}>"),
            Type::Record(r) => write!(f, "{}", r.name()),
            Type::Any => write!(f, "any"),
        }
    }
}
