//! The abstract syntax tree. Every node carries the [`Span`] it was parsed from, so
//! later stages can point at the exact text a diagnostic is about.

use crate::diag::Span;

/// One parsed `.juris` file.
#[derive(Clone, Debug, PartialEq)]
pub struct File {
    pub package: Path,
    pub imports: Vec<Import>,
    pub items: Vec<Item>,
    pub span: Span,
}

/// A dotted name such as `juris.groups`.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    pub segments: Vec<String>,
    pub span: Span,
}

impl Path {
    pub fn dotted(&self) -> String {
        self.segments.join(".")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub path: Path,
    /// `import juris.groups as g` binds `g`; without `as` the last segment is bound.
    pub alias: Option<Ident>,
    pub span: Span,
}

impl Import {
    pub fn bound_name(&self) -> &str {
        match &self.alias {
            Some(a) => &a.name,
            None => self.path.segments.last().map(String::as_str).unwrap_or(""),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// The `///` lines above the declaration, without the markers.
    pub docs: Vec<String>,
    pub kind: ItemKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ItemKind {
    Const(ConstDecl),
    Fn(FnDecl),
    Rule(RuleDecl),
    Exception(ExceptionDecl),
    Test(TestDecl),
}

impl ItemKind {
    /// The declared name, which is unique per package.
    pub fn name(&self) -> &Ident {
        match self {
            ItemKind::Const(c) => &c.name,
            ItemKind::Fn(f) => &f.name,
            ItemKind::Rule(r) => &r.name,
            ItemKind::Exception(e) => &e.name,
            ItemKind::Test(t) => &t.name,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConstDecl {
    pub name: Ident,
    pub ty: Option<TypeExpr>,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FnDecl {
    pub name: Ident,
    pub params: Vec<Param>,
    pub ret: Option<TypeExpr>,
    pub body: Block,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub ty: TypeExpr,
}

/// `{ let a = ...  let b = ...  result }`
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub lets: Vec<Let>,
    pub result: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Let {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

/// A type as written: `string`, `set<string>`, `map<string, string>`.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr {
    pub name: Ident,
    pub args: Vec<TypeExpr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MetaEntry {
    pub key: Ident,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RuleDecl {
    pub name: Ident,
    pub meta: Vec<MetaEntry>,
    /// The variable bound to each resource in `for r in resources`.
    pub var: Ident,
    pub clauses: Vec<Clause>,
    pub verdict: Verdict,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Clause {
    Where(Expr),
    Let(Let),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub kind: VerdictKind,
    /// The condition as written: for `deny if`, true means a violation; for `require`,
    /// false means a violation.
    pub condition: Expr,
    pub message: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerdictKind {
    DenyIf,
    Require,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExceptionDecl {
    pub name: Ident,
    pub meta: Vec<MetaEntry>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TestDecl {
    pub name: Ident,
    pub meta: Vec<MetaEntry>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Literal(Literal),
    /// A string with `{expr}` parts.
    Interpolated(Vec<StrPart>),
    Name(String),
    Field(Box<Expr>, Ident),
    Index(Box<Expr>, Box<Expr>),
    Call(Path, Vec<Expr>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Quantified(Quantifier, Ident, Box<Expr>, Box<Expr>),
    List(Vec<Expr>),
    Set(Vec<Expr>),
    Record(Vec<(Ident, Expr)>),
    Comprehension(Comprehension),
}

impl Expr {
    /// The sub-expressions, in source order.
    pub fn children(&self) -> Vec<&Expr> {
        use ExprKind::*;
        match &self.kind {
            Literal(_) | Name(_) => Vec::new(),
            Interpolated(parts) => parts
                .iter()
                .filter_map(|p| match p {
                    StrPart::Expr(e) => Some(e),
                    StrPart::Text(_) => None,
                })
                .collect(),
            Field(e, _) | Unary(_, e) => vec![e],
            Index(a, b) | Binary(_, a, b) => vec![a, b],
            Quantified(_, _, a, b) => vec![a, b],
            Call(_, args) | List(args) | Set(args) => args.iter().collect(),
            If(a, b, c) => vec![a, b, c],
            Record(fields) => fields.iter().map(|(_, e)| e).collect(),
            Comprehension(c) => {
                let mut v: Vec<&Expr> = vec![&c.element, &c.source];
                if let Some(f) = &c.filter {
                    v.push(f);
                }
                v
            }
        }
    }

    /// The first node found more than `limit` levels below this one, if any. Recurses
    /// at most `limit` levels, so it is safe on any tree.
    pub fn deeper_than(&self, limit: usize) -> Option<Span> {
        if limit == 0 {
            return Some(self.span);
        }
        self.children()
            .into_iter()
            .find_map(|c| c.deeper_than(limit - 1))
    }
}

impl File {
    /// Every top-level expression of the file: constant values, function bodies,
    /// metadata values, rule clauses, verdicts and messages.
    pub fn expressions(&self) -> Vec<&Expr> {
        let mut out = Vec::new();
        for item in &self.items {
            match &item.kind {
                ItemKind::Const(c) => out.push(&c.value),
                ItemKind::Fn(f) => {
                    out.extend(f.body.lets.iter().map(|l| &l.value));
                    out.push(&f.body.result);
                }
                ItemKind::Rule(r) => {
                    out.extend(r.meta.iter().map(|m| &m.value));
                    for c in &r.clauses {
                        match c {
                            Clause::Where(e) => out.push(e),
                            Clause::Let(l) => out.push(&l.value),
                        }
                    }
                    out.push(&r.verdict.condition);
                    out.extend(r.verdict.message.as_ref());
                }
                ItemKind::Exception(e) => out.extend(e.meta.iter().map(|m| &m.value)),
                ItemKind::Test(t) => out.extend(t.meta.iter().map(|m| &m.value)),
            }
        }
        out
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comprehension {
    pub kind: CollectionKind,
    pub element: Box<Expr>,
    pub var: Ident,
    pub source: Box<Expr>,
    pub filter: Option<Box<Expr>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CollectionKind {
    List,
    Set,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StrPart {
    Text(String),
    Expr(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Bool(bool),
    Int(i64),
    Str(String),
    /// Days since 1970-01-01.
    Date(i32),
    Null,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantifier {
    All,
    Any,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Neg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Subset,
    Union,
    Intersect,
    Minus,
    Add,
    Sub,
}

impl BinaryOp {
    /// The operator as written in source.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "in",
            BinaryOp::NotIn => "not in",
            BinaryOp::Subset => "subset",
            BinaryOp::Union => "union",
            BinaryOp::Intersect => "intersect",
            BinaryOp::Minus => "minus",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
        }
    }
}
