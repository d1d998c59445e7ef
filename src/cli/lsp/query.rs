//! Questions about a place in a document: what the name there stands for, its
//! documentation (hover), where it is declared (definition) and used (references).
//! Answers are byte ranges in documents; the server turns them into positions.

use crate::check::builtins;
use crate::check::symbols::{Target, declared_rule_id};
use crate::diag::Span;
use crate::ir::ConstValue;
use crate::ir::types::{Rec, Type};
use crate::syntax::ast::{self, ExprKind, ItemKind, Literal};

use super::docs;
use super::workspace::{DocId, Workspace};

/// A range in a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub doc: DocId,
    pub start: u32,
    pub end: u32,
}

impl From<Span> for Place {
    fn from(s: Span) -> Place {
        Place {
            doc: s.file,
            start: s.start,
            end: s.end,
        }
    }
}

/// What is at an offset, and the range it covers there.
#[derive(Clone, Debug, PartialEq)]
pub enum Symbol {
    Target(Target),
    /// A record type written in a signature (`r: resource`).
    Record(Rec),
}

/// The symbol under `offset` in `doc`, with its range.
pub fn symbol_at(ws: &Workspace, doc: DocId, offset: u32) -> Option<(Symbol, Span)> {
    let d = ws.doc(doc);
    let contains = |s: &Span| s.start <= offset && offset <= s.end;
    // The innermost recorded use.
    let used = d
        .analysis
        .references
        .iter()
        .filter(|r| contains(&r.span))
        .min_by_key(|r| r.span.len())
        .map(|r| (Symbol::Target(r.target.clone()), r.span));
    if used.is_some() {
        return used;
    }
    let parsed = d.parsed.as_ref()?;
    let file = &parsed.ast;
    if contains(&file.package.span) {
        return Some((
            Symbol::Target(Target::Package(file.package.dotted())),
            file.package.span,
        ));
    }
    for item in &file.items {
        let name = item.kind.name();
        if contains(&name.span) {
            return Some((Symbol::Target(Target::Decl(name.span)), name.span));
        }
    }
    if let Some(b) = d.analysis.declared.iter().find(|b| contains(&b.span)) {
        return Some((Symbol::Target(Target::Decl(b.span)), b.span));
    }
    type_names(file)
        .into_iter()
        .find(|t| contains(&t.span))
        .and_then(|t| record_named(&t.name))
        .map(|(rec, span)| (Symbol::Record(rec), span))
}

/// The record types written in signatures and annotations.
fn type_names(file: &ast::File) -> Vec<&ast::TypeExpr> {
    fn walk<'a>(t: &'a ast::TypeExpr, out: &mut Vec<&'a ast::TypeExpr>) {
        out.push(t);
        for a in &t.args {
            walk(a, out);
        }
    }
    let mut out = Vec::new();
    for item in &file.items {
        match &item.kind {
            ItemKind::Fn(f) => {
                for p in &f.params {
                    walk(&p.ty, &mut out);
                }
                if let Some(r) = &f.ret {
                    walk(r, &mut out);
                }
            }
            ItemKind::Const(c) => {
                if let Some(t) = &c.ty {
                    walk(t, &mut out);
                }
            }
            _ => {}
        }
    }
    out
}

fn record_named(t: &ast::Ident) -> Option<(Rec, Span)> {
    Rec::ALL
        .into_iter()
        .find(|r| r.name() == t.name)
        .map(|r| (r, t.span))
}

/// A declaration found by the span of its name.
pub fn item_at(ws: &Workspace, span: Span) -> Option<(&ast::File, &ast::Item)> {
    let file = &ws.get(span.file)?.parsed.as_ref()?.ast;
    let item = file.items.iter().find(|i| i.kind.name().span == span)?;
    Some((file, item))
}

/// The rule declaring `id`, among the checked documents.
pub fn rule_with_id<'w>(ws: &'w Workspace, id: &str) -> Option<(&'w ast::File, &'w ast::Item)> {
    ws.active().iter().find_map(|&d| {
        let file = &ws.doc(d).parsed.as_ref()?.ast;
        let item = file.items.iter().find(|i| match &i.kind {
            ItemKind::Rule(r) => declared_rule_id(r).is_some_and(|(x, _)| x == id),
            _ => false,
        })?;
        Some((file, item))
    })
}

/// Where a symbol is declared.
pub fn definition(ws: &Workspace, symbol: &Symbol) -> Vec<Place> {
    match symbol {
        Symbol::Target(Target::Decl(span)) => vec![(*span).into()],
        Symbol::Target(Target::Package(p)) => ws
            .active()
            .iter()
            .filter_map(|&d| {
                let f = &ws.doc(d).parsed.as_ref()?.ast;
                (f.package.dotted() == *p).then(|| f.package.span.into())
            })
            .collect(),
        Symbol::Target(Target::RuleId(id)) => rule_with_id(ws, id)
            .map(|(_, item)| vec![item.kind.name().span.into()])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Every use of a symbol across the checked documents (and, when asked, its
/// declarations), sorted.
pub fn references(ws: &Workspace, symbol: &Symbol, with_declaration: bool) -> Vec<Place> {
    let Symbol::Target(target) = symbol else {
        return Vec::new();
    };
    // A rule's uses are its id's.
    let rule_id = match target {
        Target::Decl(span) => item_at(ws, *span).and_then(|(_, item)| match &item.kind {
            ItemKind::Rule(r) => declared_rule_id(r).map(|(id, _)| id.to_owned()),
            _ => None,
        }),
        Target::RuleId(id) => Some(id.clone()),
        _ => None,
    };
    let wanted = |t: &Target| match (&rule_id, t) {
        (Some(id), Target::RuleId(x)) => id == x,
        _ => t == target,
    };
    let mut out: Vec<Place> = ws
        .active()
        .iter()
        .flat_map(|&d| ws.doc(d).analysis.references.iter())
        .filter(|r| wanted(&r.target))
        .map(|r| r.span.into())
        .collect();
    if with_declaration {
        out.extend(definition(ws, symbol));
    }
    out.sort();
    out.dedup();
    out
}

/// Markdown documentation of a symbol.
pub fn hover(ws: &Workspace, symbol: &Symbol) -> Option<String> {
    match symbol {
        Symbol::Record(rec) => Some(record_hover(*rec)),
        Symbol::Target(t) => match t {
            Target::Decl(span) => match item_at(ws, *span) {
                Some((file, item)) => Some(item_hover(ws, file, item)),
                None => local_hover(ws, *span),
            },
            Target::Package(p) => Some(package_hover(ws, p)),
            Target::Builtin(name) => {
                let def = builtins::lookup(name)?;
                Some(format!(
                    "{}\n\n{}\n\nbuilt-in function",
                    code(def.signature),
                    docs::builtin(name).unwrap_or("")
                ))
            }
            Target::Field(rec, name) => {
                let ty = rec
                    .field(name)
                    .map(|f| f.ty().to_string())
                    .unwrap_or_default();
                Some(format!(
                    "{}\n\n{}",
                    code(&format!("{}.{name}: {ty}", rec.name())),
                    docs::field(*rec, name).unwrap_or("")
                ))
            }
            Target::RuleId(id) => match rule_with_id(ws, id) {
                Some((file, item)) => Some(item_hover(ws, file, item)),
                None => Some(format!("no rule has id `{id}`")),
            },
        },
    }
}

fn code(s: &str) -> String {
    format!("```juris\n{s}\n```")
}

fn record_hover(rec: Rec) -> String {
    let fields: Vec<String> = rec
        .fields()
        .iter()
        .map(|(n, f)| {
            format!(
                "- `{n}: {}` — {}",
                f.ty(),
                docs::field(rec, n).unwrap_or("")
            )
        })
        .collect();
    format!("{}\n\n{}", code(rec.name()), fields.join("\n"))
}

fn local_hover(ws: &Workspace, span: Span) -> Option<String> {
    let d = ws.doc(span.file);
    let b = d.analysis.declared.iter().find(|b| b.span == span)?;
    let name = d
        .parsed
        .as_ref()?
        .source
        .text
        .get(span.start as usize..span.end as usize)?;
    Some(code(&format!("{name}: {}", b.ty)))
}

fn package_hover(ws: &Workspace, package: &str) -> String {
    let files: Vec<&str> = ws
        .active()
        .iter()
        .filter(|&&d| {
            ws.doc(d)
                .parsed
                .as_ref()
                .is_some_and(|p| p.ast.package.dotted() == package)
        })
        .map(|&d| ws.doc(d).name.as_str())
        .collect();
    let list: Vec<String> = files.iter().map(|f| format!("- `{f}`")).collect();
    format!(
        "{}\n\n{}",
        code(&format!("package {package}")),
        list.join("\n")
    )
}

fn item_hover(ws: &Workspace, file: &ast::File, item: &ast::Item) -> String {
    let package = file.package.dotted();
    let name = &item.kind.name().name;
    let declared = |span: Span| {
        ws.doc(span.file)
            .analysis
            .declared
            .iter()
            .find(|d| d.span == span)
    };
    let mut parts = Vec::new();
    match &item.kind {
        ItemKind::Const(c) => {
            let found = declared(c.name.span);
            let ty = found
                .map(|d| d.ty.to_string())
                .unwrap_or_else(|| "?".into());
            parts.push(code(&format!("const {name}: {ty}")));
            if let Some(v) = found.and_then(|d| d.value.as_ref()) {
                parts.push(format!("`= {}`", truncate(&const_text(v), 400)));
            }
        }
        ItemKind::Fn(f) => {
            let params: Vec<String> = f
                .params
                .iter()
                .map(|p| format!("{}: {}", p.name.name, crate::fmt::type_text(&p.ty)))
                .collect();
            let ret = match (&f.ret, declared(f.name.span)) {
                (Some(t), _) => crate::fmt::type_text(t),
                (None, Some(d)) => d.ty.to_string(),
                (None, None) => "?".into(),
            };
            parts.push(code(&format!("fn {name}({}) -> {ret}", params.join(", "))));
        }
        ItemKind::Rule(r) => {
            parts.push(code(&format!("rule {name}")));
            parts.push(rule_summary(r));
        }
        ItemKind::Exception(e) => {
            parts.push(code(&format!("exception {name}")));
            parts.push(meta_lines(&e.meta));
        }
        ItemKind::Test(t) => {
            parts.push(code(&format!("test {name}")));
            parts.push(meta_lines(&t.meta));
        }
    }
    if !item.docs.is_empty() {
        parts.push(
            item.docs
                .iter()
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    parts.push(format!("package `{package}`"));
    parts.retain(|p| !p.is_empty());
    parts.join("\n\n")
}

fn rule_summary(r: &ast::RuleDecl) -> String {
    let text = |key: &str| {
        r.meta
            .iter()
            .rev()
            .find(|m| m.key.name == key)
            .and_then(|m| literal_text(&m.value))
    };
    let mut lines = Vec::new();
    let id = text("id").unwrap_or_else(|| "(no id)".into());
    match text("title") {
        Some(t) => lines.push(format!("**{id}** — {t}")),
        None => lines.push(format!("**{id}**")),
    }
    let facts: Vec<String> = ["severity", "enforce", "undetermined"]
        .iter()
        .filter_map(|k| text(k).map(|v| format!("{k} `{v}`")))
        .collect();
    if !facts.is_empty() {
        lines.push(facts.join(" · "));
    }
    if let Some(d) = text("description") {
        lines.push(d.lines().map(str::trim).collect::<Vec<_>>().join("\n"));
    }
    if let Some(m) = r.meta.iter().find(|m| m.key.name == "references") {
        let refs: Vec<String> = match &m.value.kind {
            ExprKind::List(items) | ExprKind::Set(items) => {
                items.iter().filter_map(literal_text).collect()
            }
            _ => literal_text(&m.value).into_iter().collect(),
        };
        if !refs.is_empty() {
            lines.push(format!("References: {}", refs.join("; ")));
        }
    }
    if let Some(t) = text("remediation") {
        lines.push(format!("Remediation: {t}"));
    }
    lines.join("\n\n")
}

/// Metadata of an exception or test, one entry a line (plain values only).
fn meta_lines(meta: &[ast::MetaEntry]) -> String {
    meta.iter()
        .filter_map(|m| {
            let v = match &m.value.kind {
                ExprKind::List(items) => items
                    .iter()
                    .filter_map(literal_text)
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => literal_text(&m.value)?,
            };
            (!v.is_empty()).then(|| format!("- {}: {}", m.key.name, truncate(&v, 200)))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn literal_text(e: &ast::Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Literal(Literal::Str(s)) => Some(s.clone()),
        ExprKind::Literal(Literal::Date(d)) => Some(crate::semantics::date::format(*d)),
        ExprKind::Name(n) => Some(n.clone()),
        _ => None,
    }
}

/// A constant written as juris source.
pub fn const_text(v: &ConstValue) -> String {
    let join = |items: &[ConstValue]| items.iter().map(const_text).collect::<Vec<_>>().join(", ");
    match v {
        ConstValue::Null => "null".into(),
        ConstValue::Bool(b) => b.to_string(),
        ConstValue::Int(i) => i.to_string(),
        ConstValue::Str(s) => format!("{s:?}"),
        ConstValue::Date(d) => crate::semantics::date::format(*d),
        ConstValue::List(items) => format!("[{}]", join(items)),
        ConstValue::Set(items) => format!("{{{}}}", join(items)),
        ConstValue::Record(fields) => {
            let f: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{k}: {}", const_text(v)))
                .collect();
            format!("{{{}}}", f.join(", "))
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let cut: String = s.chars().take(max).collect();
    format!("{cut} …")
}

/// The type of the outermost expression ending at `end` (a field access's base).
pub fn type_ending_at(types: &[(Span, Type)], end: u32) -> Option<&Type> {
    types
        .iter()
        .filter(|(s, _)| s.end == end)
        .max_by_key(|(s, _)| s.len())
        .map(|(_, t)| t)
}
