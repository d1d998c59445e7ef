//! Completion: fields after `r.` (and deeper, `r.location.`), a package's
//! declarations after its import's name, and at the start of a name the bindings in
//! scope, the package's own constants and functions, imports, built-ins and
//! keywords; package names after `import`.
//!
//! The text being typed rarely parses (`r.` is not an expression), so the document
//! is checked once more with a placeholder name at the cursor (`r.__x`): the
//! checker then types everything up to the cursor. When even that does not parse,
//! the last text that did stands in.

use std::collections::BTreeMap;

use crate::check::builtins::BUILTINS;
use crate::diag::Span;
use crate::ir::types::{Rec, Type};
use crate::syntax::ast::{self, ExprKind, ItemKind};

use super::query::type_ending_at;
use super::workspace::{DocId, FileAnalysis, Parsed, Workspace};

/// A name the checker will not know, put where the cursor is.
const PLACEHOLDER: &str = "__juris_completion__";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Variable,
    Field,
    Constant,
    Function,
    Module,
    Keyword,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: Kind,
    pub detail: Option<String>,
    /// Where the text it replaces starts (by default, the word at the cursor).
    pub replace_from: Option<usize>,
}

impl Completion {
    fn new(label: &str, kind: Kind, detail: Option<String>) -> Completion {
        Completion {
            label: label.to_owned(),
            kind,
            detail,
            replace_from: None,
        }
    }
}

/// Completions at byte `offset` of document `doc`, whose latest text is `text`.
pub fn complete(ws: &Workspace, doc: DocId, text: &str, offset: usize) -> Vec<Completion> {
    let offset = floor_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    if let Some(rest) = line.trim_start().strip_prefix("import")
        && rest.starts_with([' ', '\t'])
        && !rest.trim_start().contains([' ', '\t'])
    {
        let from = offset - rest.trim_start().len();
        return packages(ws, doc, from);
    }
    let word_start = name_start(before, offset);
    let patched = patched(ws, doc, text, offset);
    let (tree, analysis) = match &patched {
        Some((p, a)) => (Some(&p.ast), Some(a)),
        None => (
            ws.doc(doc).parsed.as_ref().map(|p| &p.ast),
            Some(&ws.doc(doc).analysis),
        ),
    };
    if before[..word_start].ends_with('.') {
        let dot = word_start - 1;
        let chain = chain_before(before, dot);
        if let [alias] = chain.as_slice()
            && let Some(pkg) = tree.and_then(|t| imported(t, alias))
        {
            return package_items(ws, &pkg);
        }
        let base = match &patched {
            Some((_, a)) => type_ending_at(&a.types, dot as u32).cloned(),
            None => fallback_type(ws, doc, &chain, offset),
        };
        return match base {
            Some(Type::Record(rec)) => fields(rec),
            _ => Vec::new(),
        };
    }
    let mut out = Vec::new();
    if let (Some(tree), Some(analysis)) = (tree, analysis) {
        out.extend(locals(tree, analysis, text_of(ws, doc, &patched), offset));
        out.extend(package_items(ws, &tree.package.dotted()));
        for imp in &tree.imports {
            let detail = format!("package {}", imp.path.dotted());
            out.push(Completion::new(
                imp.bound_name(),
                Kind::Module,
                Some(detail),
            ));
        }
    }
    for b in BUILTINS {
        out.push(Completion::new(
            b.name,
            Kind::Function,
            Some(b.signature.into()),
        ));
    }
    for k in crate::syntax::KEYWORDS {
        out.push(Completion::new(k, Kind::Keyword, None));
    }
    // One entry per name: the innermost binding wins over a declaration, which wins
    // over a built-in of the same name.
    let mut seen = std::collections::HashSet::new();
    out.retain(|c| seen.insert(c.label.clone()));
    out
}

/// Where the name ending at `end` starts (`end` itself when none does).
fn name_start(text: &str, end: usize) -> usize {
    text[..end]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
        .last()
        .map_or(end, |(i, _)| i)
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The document checked with the placeholder at the cursor, if that parses.
fn patched(
    ws: &Workspace,
    doc: DocId,
    text: &str,
    offset: usize,
) -> Option<(Parsed, FileAnalysis)> {
    let mut t = String::with_capacity(text.len() + PLACEHOLDER.len());
    t.push_str(&text[..offset]);
    t.push_str(PLACEHOLDER);
    t.push_str(&text[offset..]);
    let parsed = ws.parse_as(doc, &t)?;
    let active = ws.active();
    if !active.contains(&doc) {
        return None;
    }
    let focus: Vec<bool> = active.iter().map(|&d| d == doc).collect();
    let analysis = ws.analyse(&focus, Some((doc, &parsed)));
    let mut split = ws.distribute(analysis, &[doc]);
    let a = split.remove(&doc)?;
    Some((parsed, a))
}

fn text_of<'a>(
    ws: &'a Workspace,
    doc: DocId,
    patched: &'a Option<(Parsed, FileAnalysis)>,
) -> &'a str {
    match patched {
        Some((p, _)) => &p.source.text,
        None => ws
            .doc(doc)
            .parsed
            .as_ref()
            .map(|p| &*p.source.text)
            .unwrap_or(""),
    }
}

/// The names before a `.` at `dot`: `r.location.` gives `["r", "location"]`.
fn chain_before(before: &str, dot: usize) -> Vec<String> {
    let mut end = dot;
    let mut out = Vec::new();
    loop {
        let start = name_start(before, end);
        if start == end {
            break;
        }
        out.push(before[start..end].to_owned());
        if start > 0 && before[..start].ends_with('.') {
            end = start - 1;
        } else {
            break;
        }
    }
    out.reverse();
    out
}

/// The package an import alias of this file stands for.
fn imported(tree: &ast::File, alias: &str) -> Option<String> {
    tree.imports
        .iter()
        .find(|i| i.bound_name() == alias)
        .map(|i| i.path.dotted())
}

fn fields(rec: Rec) -> Vec<Completion> {
    rec.fields()
        .iter()
        .map(|(n, f)| {
            let mut c = Completion::new(n, Kind::Field, Some(f.ty().to_string()));
            c.detail = Some(format!("{}: {}", n, f.ty()));
            c
        })
        .collect()
}

/// Without a patched check: the type of the nearest binding named like the chain's
/// root in the last good analysis, followed field by field.
fn fallback_type(ws: &Workspace, doc: DocId, chain: &[String], offset: usize) -> Option<Type> {
    let d = ws.doc(doc);
    let text = &d.parsed.as_ref()?.source.text;
    let (root, rest) = chain.split_first()?;
    let binding = d
        .analysis
        .declared
        .iter()
        .filter(|b| text.get(b.span.start as usize..b.span.end as usize) == Some(root.as_str()))
        .min_by_key(|b| (b.span.start as usize).abs_diff(offset))?;
    let mut ty = binding.ty.clone();
    for f in rest {
        let Type::Record(rec) = ty else { return None };
        ty = rec.field(f)?.ty();
    }
    Some(ty)
}

/// Declarations (constants, functions) of a package, named in any of its files.
fn package_items(ws: &Workspace, package: &str) -> Vec<Completion> {
    let mut out = BTreeMap::new();
    for &d in ws.active() {
        let doc = ws.doc(d);
        let Some(p) = &doc.parsed else { continue };
        if p.ast.package.dotted() != package {
            continue;
        }
        let ty = |span: Span| {
            doc.analysis
                .declared
                .iter()
                .find(|x| x.span == span)
                .map(|x| x.ty.to_string())
        };
        for item in &p.ast.items {
            let (kind, detail) = match &item.kind {
                ItemKind::Const(c) => (
                    Kind::Constant,
                    ty(c.name.span).map(|t| format!("const {}: {t}", c.name.name)),
                ),
                ItemKind::Fn(f) => {
                    let params: Vec<&str> = f.params.iter().map(|p| p.name.name.as_str()).collect();
                    let ret = ty(f.name.span)
                        .map(|t| format!(" -> {t}"))
                        .unwrap_or_default();
                    (
                        Kind::Function,
                        Some(format!("fn {}({}){ret}", f.name.name, params.join(", "))),
                    )
                }
                _ => continue,
            };
            let name = &item.kind.name().name;
            out.entry(name.clone())
                .or_insert_with(|| Completion::new(name, kind, detail));
        }
    }
    out.into_values().collect()
}

/// Package names for an `import` line, replacing the dotted name typed so far.
fn packages(ws: &Workspace, doc: DocId, from: usize) -> Vec<Completion> {
    let own = ws.doc(doc).parsed.as_ref().map(|p| p.ast.package.dotted());
    let mut names: Vec<String> = ws
        .active()
        .iter()
        .filter_map(|&d| ws.doc(d).parsed.as_ref().map(|p| p.ast.package.dotted()))
        .filter(|p| Some(p) != own.as_ref())
        .collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|n| {
            let mut c = Completion::new(&n, Kind::Module, Some("package".into()));
            c.replace_from = Some(from);
            c
        })
        .collect()
}

/// The local bindings visible at `offset`, innermost first.
fn locals(tree: &ast::File, analysis: &FileAnalysis, text: &str, offset: usize) -> Vec<Completion> {
    let offset = offset as u32;
    let inside = |s: Span| s.start <= offset && offset <= s.end;
    let mut found: Vec<&ast::Ident> = Vec::new();
    for item in tree.items.iter().filter(|i| inside(i.span)) {
        match &item.kind {
            ItemKind::Rule(r) => {
                found.push(&r.var);
                for c in &r.clauses {
                    match c {
                        ast::Clause::Let(l) if l.span.end < offset => found.push(&l.name),
                        ast::Clause::Let(l) => scoped(&l.value, offset, &mut found),
                        ast::Clause::Where(e) => scoped(e, offset, &mut found),
                    }
                }
                scoped(&r.verdict.condition, offset, &mut found);
                if let Some(m) = &r.verdict.message {
                    scoped(m, offset, &mut found);
                }
            }
            ItemKind::Fn(f) => {
                found.extend(f.params.iter().map(|p| &p.name));
                for l in &f.body.lets {
                    if l.span.end < offset {
                        found.push(&l.name);
                    } else {
                        scoped(&l.value, offset, &mut found);
                    }
                }
                scoped(&f.body.result, offset, &mut found);
            }
            ItemKind::Const(c) => scoped(&c.value, offset, &mut found),
            _ => {}
        }
    }
    found
        .into_iter()
        .rev()
        .filter(|i| {
            i.name != PLACEHOLDER
                && text.get(i.span.start as usize..i.span.end as usize) == Some(i.name.as_str())
        })
        .map(|i| {
            let ty = analysis
                .declared
                .iter()
                .find(|d| d.span == i.span)
                .map(|d| format!("{}: {}", i.name, d.ty));
            Completion::new(&i.name, Kind::Variable, ty)
        })
        .collect()
}

/// Quantifier and comprehension variables whose scope holds `offset`.
fn scoped<'a>(e: &'a ast::Expr, offset: u32, out: &mut Vec<&'a ast::Ident>) {
    let inside = |s: Span| s.start <= offset && offset <= s.end;
    if !inside(e.span) {
        return;
    }
    match &e.kind {
        ExprKind::Quantified(_, var, coll, body) => {
            scoped(coll, offset, out);
            if inside(body.span) || offset > coll.span.end {
                out.push(var);
                scoped(body, offset, out);
            }
        }
        ExprKind::Comprehension(c) => {
            scoped(&c.source, offset, out);
            if !inside(c.source.span) {
                out.push(&c.var);
                scoped(&c.element, offset, out);
                if let Some(f) = &c.filter {
                    scoped(f, offset, out);
                }
            }
        }
        _ => {
            for c in e.children() {
                scoped(c, offset, out);
            }
        }
    }
}
