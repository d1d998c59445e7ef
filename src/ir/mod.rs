//! The intermediate representation: names resolved to slots and ids, fields resolved
//! to [`Field`]s, constants folded, constant sets interned for hashed lookup.
//!
//! The checker builds it; the fold pass (`fold::finish`, above this module) folds and
//! interns; the evaluator and the WebAssembly backend both take a finished [`Program`]
//! and nothing else.

#![forbid(unsafe_code)]

pub mod types;
mod value;

pub use value::ConstValue;

// Rule metadata is public API (reports and embedders read it), so it lives in the
// `rule` leaf; the IR carries it.
pub use crate::rule::{Enforcement, Exception, RuleMeta, Severity};

use std::collections::BTreeSet;

use crate::diag::Position;
use types::{Field, Type};

pub type FnId = u32;
pub type SetId = u32;
pub type RegexId = u32;
pub type LabelId = u32;
pub type Slot = u32;

/// A checked, lowered policy set.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Program {
    pub functions: Vec<Function>,
    pub rules: Vec<Rule>,
    #[serde(with = "crate::rule::stored::exceptions")]
    pub exceptions: Vec<Exception>,
    pub tests: Vec<Test>,
    /// Constant sets used with `in`, interned so membership is a hash lookup.
    pub sets: Vec<ConstSet>,
    /// Regex patterns, validated at check time.
    pub regexes: Vec<String>,
    /// Evidence labels: the source text of each observed sub-expression.
    pub labels: Vec<String>,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Function {
    /// Qualified name, `package.name`.
    pub name: String,
    pub params: Vec<Type>,
    pub ret: Type,
    /// Number of local slots (parameters first).
    pub frame: u32,
    pub body: Expr,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Rule {
    #[serde(with = "crate::rule::stored::Meta")]
    pub meta: RuleMeta,
    pub frame: u32,
    /// Where and let clauses in order; slot 0 is the resource.
    pub clauses: Vec<Clause>,
    /// True means a violation (`require c` is lowered to `not c`).
    pub violation: Expr,
    pub message: Option<Expr>,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum Clause {
    Where(Expr),
    Let(Slot, Expr),
}

/// A policy unit test (`juris test`).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Test {
    pub name: String,
    pub input: TestInput,
    /// Rule ids under test; empty means every rule.
    pub rules: Vec<String>,
    pub today: i32,
    pub expect: Vec<Expectation>,
    pub position: Position,
    /// The test file, to resolve fixture paths against.
    pub file: String,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum TestInput {
    /// A fixture path relative to the test file, with its position for diagnostics.
    Path(String),
    /// An inline JSON document.
    Inline(String),
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Expectation {
    pub rule: String,
    pub address: String,
    pub outcome: String,
}

/// An interned constant set. Stored as its members; the lookup tables are rebuilt.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(from = "Vec<ConstValue>", into = "Vec<ConstValue>")]
pub struct ConstSet {
    /// Members in sorted order (as the set value prints).
    pub members: Vec<ConstValue>,
    /// For string sets: hashed lookup of members longer than [`SHORT`] bytes.
    pub strings: rustc_hash::FxHashSet<Box<str>>,
    /// Members of up to [`SHORT`] bytes (country codes, jurisdictions, most tag
    /// values), packed into one integer each: hashed without reading a second buffer
    /// and compared without a call.
    pub short: rustc_hash::FxHashSet<u64>,
}

/// The longest string [`ConstSet::short`] holds.
const SHORT: usize = 7;

/// A string of up to [`SHORT`] bytes as one integer: its bytes, then its length in
/// the top byte, so no two strings share a packing.
fn pack_short(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.len() > SHORT {
        return None;
    }
    let mut word = [0u8; 8];
    word[..b.len()].copy_from_slice(b);
    word[7] = b.len() as u8;
    Some(u64::from_le_bytes(word))
}

impl From<Vec<ConstValue>> for ConstSet {
    fn from(members: Vec<ConstValue>) -> ConstSet {
        ConstSet::new(members)
    }
}

impl From<ConstSet> for Vec<ConstValue> {
    fn from(set: ConstSet) -> Vec<ConstValue> {
        set.members
    }
}

impl ConstSet {
    pub fn new(members: Vec<ConstValue>) -> ConstSet {
        let mut set = ConstSet {
            members,
            ..ConstSet::default()
        };
        for s in set.members.iter().filter_map(ConstValue::as_str) {
            match pack_short(s) {
                Some(word) => set.short.insert(word),
                None => set.strings.insert(Box::from(s)),
            };
        }
        set
    }

    /// Whether the set has the string `s` as a member.
    #[inline]
    pub fn contains_str(&self, s: &str) -> bool {
        match pack_short(s) {
            Some(word) => self.short.contains(&word),
            None => self.strings.contains(s),
        }
    }
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: Type,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum SetOp {
    Union,
    Intersect,
    Minus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ArithOp {
    Add,
    Sub,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Quant {
    All,
    Any,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Collect {
    List,
    Set,
}

/// Functions the runtime provides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Builtin {
    Lower,
    Upper,
    Trim,
    Split,
    RegexSplit(RegexId),
    Replace,
    StartsWith,
    EndsWith,
    Contains,
    Glob,
    Regex(RegexId),
    Count,
    Known,
    Today,
    Date,
    String,
    Int,
    Keys,
    Values,
    Flatten,
    Tag,
    Join,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum InterpPart {
    Text(String),
    Expr(Expr),
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum ExprKind {
    Const(ConstValue),
    Local(Slot),
    Field(Box<Expr>, Field),
    /// `json.key` on raw attributes.
    JsonField(Box<Expr>, String),
    /// `x[i]`: list by int, map by key, json by string or int.
    Index(Box<Expr>, Box<Expr>),
    Call(FnId, Vec<Expr>),
    Builtin(Builtin, Vec<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    /// Membership in a collection computed at run time.
    In(Box<Expr>, Box<Expr>),
    /// Membership in an interned constant set.
    InSet(Box<Expr>, SetId),
    Subset(Box<Expr>, Box<Expr>),
    SetOp(SetOp, Box<Expr>, Box<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `all`/`any`: the bound slot, its evidence label, the collection, the body.
    Quant(Quant, Slot, Option<LabelId>, Box<Expr>, Box<Expr>),
    List(Vec<Expr>),
    Set(Vec<Expr>),
    Comprehension {
        kind: Collect,
        slot: Slot,
        source: Box<Expr>,
        filter: Option<Box<Expr>>,
        element: Box<Expr>,
    },
    Interp(Vec<InterpPart>),
    Let(Slot, Box<Expr>, Box<Expr>),
    /// Record the value of the inner expression as evidence under a label.
    Observe(LabelId, Box<Expr>),
}

impl Expr {
    pub fn new(kind: ExprKind, ty: Type) -> Expr {
        Expr { kind, ty }
    }

    pub fn constant(value: ConstValue, ty: Type) -> Expr {
        Expr {
            kind: ExprKind::Const(value),
            ty,
        }
    }

    pub fn as_const(&self) -> Option<&ConstValue> {
        match &self.kind {
            ExprKind::Const(v) => Some(v),
            _ => None,
        }
    }

    /// Visit every direct child.
    pub fn children(&self) -> Vec<&Expr> {
        use ExprKind::*;
        match &self.kind {
            Const(_) | Local(_) => vec![],
            Field(e, _) | JsonField(e, _) | Not(e) | Neg(e) | InSet(e, _) | Observe(_, e) => {
                vec![e]
            }
            Index(a, b)
            | And(a, b)
            | Or(a, b)
            | Cmp(_, a, b)
            | In(a, b)
            | Subset(a, b)
            | SetOp(_, a, b)
            | Arith(_, a, b)
            | Quant(_, _, _, a, b)
            | Let(_, a, b) => vec![a, b],
            Call(_, args) | Builtin(_, args) | List(args) | Set(args) => args.iter().collect(),
            If(a, b, c) => vec![a, b, c],
            Comprehension {
                source,
                filter,
                element,
                ..
            } => {
                let mut v: Vec<&Expr> = vec![source, element];
                if let Some(f) = filter {
                    v.push(f);
                }
                v
            }
            Interp(parts) => parts
                .iter()
                .filter_map(|p| match p {
                    InterpPart::Expr(e) => Some(e),
                    InterpPart::Text(_) => None,
                })
                .collect(),
        }
    }
}

impl Program {
    /// The top-level attribute keys the rules read from `r.attributes`, or `None` when
    /// some rule indexes attributes dynamically (then every attribute must be kept).
    pub fn attribute_keys(&self) -> Option<BTreeSet<String>> {
        let mut keys = BTreeSet::new();
        let mut all = false;
        let mut visit = |e: &Expr| collect_attribute_keys(e, &mut keys, &mut all);
        for f in &self.functions {
            visit(&f.body);
        }
        for r in &self.rules {
            for c in &r.clauses {
                match c {
                    Clause::Where(e) | Clause::Let(_, e) => visit(e),
                }
            }
            visit(&r.violation);
            if let Some(m) = &r.message {
                visit(m);
            }
        }
        if all { None } else { Some(keys) }
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.meta.id == id)
    }
}

fn collect_attribute_keys(e: &Expr, keys: &mut BTreeSet<String>, all: &mut bool) {
    match &e.kind {
        ExprKind::JsonField(base, key) if is_attributes(base) => {
            keys.insert(key.clone());
        }
        ExprKind::Index(base, idx) if is_attributes(base) => match idx.as_const() {
            Some(ConstValue::Str(k)) => {
                keys.insert(k.clone());
            }
            _ => *all = true,
        },
        // `r.attributes` used whole (passed on, iterated, printed): keep everything.
        ExprKind::Field(_, Field::Attributes) => *all = true,
        _ => {}
    }
    if !matches!(&e.kind, ExprKind::JsonField(b, _) | ExprKind::Index(b, _) if is_attributes(b)) {
        for c in e.children() {
            collect_attribute_keys(c, keys, all);
        }
    } else {
        for c in e.children().into_iter().skip(1) {
            collect_attribute_keys(c, keys, all);
        }
    }
}

fn is_attributes(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Field(_, Field::Attributes) => true,
        ExprKind::Observe(_, inner) => is_attributes(inner),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn const_sets_find_short_and_long_strings_and_nothing_else() {
        let members = ["", "CN", "HK", "us-east-1", "CNN", "intellectual-property"]
            .map(|s| ConstValue::Str(s.into()))
            .to_vec();
        let set = ConstSet::new(members);
        for s in ["", "CN", "HK", "us-east-1", "CNN", "intellectual-property"] {
            assert!(set.contains_str(s), "{s:?}");
        }
        // Prefixes, a trailing NUL and other lengths never collide with a member.
        for s in [
            "C",
            "CN\0",
            "cn",
            "CNNN",
            "us-east-",
            "us-east-12",
            "\0",
            "HK\0\0\0\0\0",
        ] {
            assert!(!set.contains_str(s), "{s:?}");
        }
    }
}
