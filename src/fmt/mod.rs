//! `juris fmt`: one canonical layout for policy files. The formatter prints the
//! parsed AST again (so it never changes meaning) and puts back the comments, which
//! the grammar skips, by where they stood: above the line they were on or inside,
//! or after it when they ended that line.

#![forbid(unsafe_code)]
// A syntax error carries its source for rendering and ends formatting, so its size
// never matters for speed.
#![allow(clippy::result_large_err)]

mod comments;

use comments::Comment;

use crate::diag::SourceFile;
use crate::syntax::ast::{self, Expr, ExprKind, Item, ItemKind, Literal};
use crate::syntax::print::{chain_to_strings, ends_open, expr_to_string};
use crate::syntax::{self, SyntaxError};

/// Lines longer than this are broken where the layout allows.
pub const WIDTH: usize = 100;

const INDENT: &str = "  ";

/// Format a policy file's text. The text must parse; the error says why not.
pub fn format(name: &str, text: &str) -> Result<String, SyntaxError> {
    let file = SourceFile::new(name, text);
    crate::diag::with_compiler_stack(|| {
        let ast = syntax::parse_file(0, &file)?;
        let mut f = Formatter {
            text,
            comments: comments::collect(text),
            next: 0,
            out: Vec::new(),
        };
        f.file(&ast);
        Ok(f.finish())
    })
}

struct Formatter<'t> {
    text: &'t str,
    comments: Vec<Comment>,
    /// Index of the first comment not yet printed.
    next: usize,
    out: Vec<String>,
}

impl Formatter<'_> {
    fn finish(mut self) -> String {
        // Comments after the last declaration.
        self.leading(usize::MAX, "", true);
        while self.out.last().is_some_and(|l| l.is_empty()) {
            self.out.pop();
        }
        let mut s = self.out.join("\n");
        s.push('\n');
        s
    }

    fn blank(&mut self) {
        if self.out.last().is_some_and(|l| !l.is_empty()) {
            self.out.push(String::new());
        }
    }

    fn line(&mut self, indent: &str, text: &str) {
        for (i, l) in text.split('\n').enumerate() {
            if i == 0 {
                self.out.push(format!("{indent}{l}"));
            } else {
                // Continuation lines of a multi-line literal are printed as they are.
                self.out.push(l.to_owned());
            }
        }
    }

    /// Print the comments that start before `before` on their own lines.
    fn leading(&mut self, before: usize, indent: &str, allow_blank: bool) {
        while let Some(c) = self.comments.get(self.next) {
            if c.start >= before {
                break;
            }
            let c = c.clone();
            self.next += 1;
            if c.blank_before && allow_blank && !self.out.is_empty() {
                self.blank();
            }
            let text = c.text.clone();
            self.line(indent, &text);
            if c.blank_after && allow_blank {
                self.blank();
            }
        }
    }

    /// Append a comment that ends the source line `end` is on (after only punctuation).
    fn trailing(&mut self, end: usize) {
        while let Some(c) = self.comments.get(self.next) {
            let between = self.text.get(end..c.start).unwrap_or("\n");
            if c.start < end
                || !between.chars().all(|ch| " \t,{[(".contains(ch))
                || c.text.contains('\n')
            {
                break;
            }
            let text = c.text.clone();
            self.next += 1;
            if let Some(last) = self.out.last_mut() {
                last.push(' ');
                last.push_str(&text);
            }
        }
    }

    fn file(&mut self, file: &ast::File) {
        self.leading(file.package.span.start as usize, "", true);
        self.line("", &format!("package {}", file.package.dotted()));
        self.trailing(file.package.span.end as usize);
        if !file.imports.is_empty() {
            self.blank();
        }
        for imp in &file.imports {
            self.leading(imp.span.start as usize, "", true);
            let alias = imp
                .alias
                .as_ref()
                .map(|a| format!(" as {}", a.name))
                .unwrap_or_default();
            self.line("", &format!("import {}{alias}", imp.path.dotted()));
            let end = imp
                .alias
                .as_ref()
                .map(|a| a.span.end)
                .unwrap_or(imp.path.span.end);
            self.trailing(end as usize);
        }
        let mut previous: Option<&Item> = None;
        for item in &file.items {
            // Constants written one after another, without docs, stay together.
            let together = previous.is_some_and(|p| {
                is_plain_const(p)
                    && is_plain_const(item)
                    && !self
                        .text
                        .get(p.span.end as usize..item.span.start as usize)
                        .unwrap_or("\n\n")
                        .contains("\n\n")
            });
            if !together {
                self.blank();
            }
            self.item(item);
            previous = Some(item);
        }
    }

    fn item(&mut self, item: &Item) {
        let name = item.kind.name();
        self.leading(name.span.start as usize, "", true);
        for d in &item.docs {
            if d.is_empty() {
                self.line("", "///");
            } else {
                self.line("", &format!("/// {d}"));
            }
        }
        match &item.kind {
            ItemKind::Const(c) => {
                let ty =
                    c.ty.as_ref()
                        .map(|t| format!(": {}", type_text(t)))
                        .unwrap_or_default();
                let head = format!("const {}{ty} = ", c.name.name);
                self.statement("", &head, &c.value);
            }
            ItemKind::Fn(f) => self.function(f, item),
            ItemKind::Rule(r) => self.rule(r, item),
            ItemKind::Exception(e) => {
                self.line("", &format!("exception {} {{", e.name.name));
                self.trailing(e.name.span.end as usize);
                self.meta(&e.meta);
                self.close(item);
            }
            ItemKind::Test(t) => {
                let name = self.source(t.name.span.start, t.name.span.end).to_owned();
                self.line("", &format!("test {name} {{"));
                self.trailing(t.name.span.end as usize);
                self.meta(&t.meta);
                self.close(item);
            }
        }
    }

    fn close(&mut self, item: &Item) {
        self.leading(item.span.end as usize, INDENT, true);
        self.trim_blank();
        self.line("", "}");
        self.trailing(item.span.end as usize);
    }

    fn trim_blank(&mut self) {
        while self.out.last().is_some_and(|l| l.is_empty()) {
            self.out.pop();
        }
    }

    fn function(&mut self, f: &ast::FnDecl, item: &Item) {
        let params = f
            .params
            .iter()
            .map(|p| format!("{}: {}", p.name.name, type_text(&p.ty)))
            .collect::<Vec<_>>()
            .join(", ");
        let ret = f
            .ret
            .as_ref()
            .map(|t| format!(" -> {}", type_text(t)))
            .unwrap_or_default();
        let head = format!("fn {}({params}){ret} {{", f.name.name);
        let body = &f.body;
        // A body always goes on its own lines.
        self.line("", &head);
        self.trailing(body.span.start as usize + 1);
        for l in &body.lets {
            self.leading(l.span.start as usize, INDENT, true);
            self.statement(INDENT, &format!("let {} = ", l.name.name), &l.value);
        }
        self.leading(body.result.span.start as usize, INDENT, true);
        self.statement(INDENT, "", &body.result);
        self.close(item);
    }

    fn rule(&mut self, r: &ast::RuleDecl, item: &Item) {
        self.line("", &format!("rule {} {{", r.name.name));
        self.trailing(r.name.span.end as usize);
        self.meta(&r.meta);
        self.leading(r.var.span.start as usize, INDENT, true);
        self.line(INDENT, &format!("for {} in resources", r.var.name));
        let after_var = r.var.span.end as usize;
        let for_end = self
            .text
            .get(after_var..)
            .and_then(|t| t.find("resources"))
            .map(|i| after_var + i + "resources".len())
            .unwrap_or(after_var);
        self.trailing(for_end);
        for c in &r.clauses {
            match c {
                ast::Clause::Where(e) => {
                    self.leading(e.span.start as usize, INDENT, true);
                    self.statement(INDENT, "where ", e);
                }
                ast::Clause::Let(l) => {
                    self.leading(l.span.start as usize, INDENT, true);
                    self.statement(INDENT, &format!("let {} = ", l.name.name), &l.value);
                }
            }
        }
        let v = &r.verdict;
        self.leading(v.span.start as usize, INDENT, true);
        let keyword = match v.kind {
            ast::VerdictKind::DenyIf => "deny if ",
            ast::VerdictKind::Require => "require ",
        };
        self.statement(INDENT, keyword, &v.condition);
        if let Some(m) = &v.message {
            self.leading(m.span.start as usize, INDENT, true);
            self.statement(INDENT, "message ", m);
        }
        self.close(item);
    }

    fn meta(&mut self, entries: &[ast::MetaEntry]) {
        for m in entries {
            self.leading(m.span.start as usize, INDENT, true);
            self.statement(INDENT, &format!("{}: ", m.key.name), &m.value);
        }
    }

    fn has_comments(&self, start: usize, end: usize) -> bool {
        self.comments[self.next..]
            .iter()
            .any(|c| c.start >= start && c.start < end)
    }

    fn source(&self, start: u32, end: u32) -> &str {
        self.text.get(start as usize..end as usize).unwrap_or("")
    }

    /// One statement: `head` then an expression, broken over lines when too long.
    fn statement(&mut self, indent: &str, head: &str, e: &Expr) {
        let (start, end) = (e.span.start as usize, e.span.end as usize);
        // Comments inside a collection laid out one element per line stay beside their
        // elements; any other comment inside a statement moves above it.
        if let Some(items) = collection_items(e)
            && self.has_comments(start, end)
        {
            return self.collection(indent, head, e, items, true);
        }
        self.leading(end, indent, true);
        let one = expr_to_string(e, self.text);
        let width = indent.len() + head.len() + first_line_len(&one);
        if width <= WIDTH {
            self.line(indent, &format!("{head}{}", self.reindent(e, &one, indent)));
            self.trailing(end);
            return;
        }
        if let Some(items) = collection_items(e) {
            return self.collection(indent, head, e, items, false);
        }
        if let Some((op, operands)) = chain_to_strings(e, self.text) {
            let more = format!("{indent}{INDENT}");
            self.line(indent, &format!("{head}{}", operands[0]));
            for o in &operands[1..] {
                self.line(&more, &format!("{} {o}", op.symbol()));
            }
            self.trailing(end);
            return;
        }
        match &e.kind {
            ExprKind::If(..) => {
                let mut lines = Vec::new();
                let mut cur = e;
                while let ExprKind::If(c, t, f) = &cur.kind {
                    let c = expr_to_string(c, self.text);
                    let t = expr_to_string(t, self.text);
                    if lines.is_empty() {
                        lines.push(format!("{head}if {c} then {t}"));
                    } else {
                        lines.push(format!("else if {c} then {t}"));
                    }
                    cur = f;
                }
                lines.push(format!("else {}", expr_to_string(cur, self.text)));
                for l in lines {
                    self.line(indent, &l);
                }
                self.trailing(end);
            }
            ExprKind::Comprehension(c) => {
                let (open, close) = match c.kind {
                    ast::CollectionKind::List => ("[", "]"),
                    ast::CollectionKind::Set => ("{", "}"),
                };
                self.line(indent, &format!("{head}{open}"));
                let more = format!("{indent}{INDENT}");
                let mut element = expr_to_string(&c.element, self.text);
                if ends_open(&c.element) {
                    element = format!("({element})");
                }
                let mut source = expr_to_string(&c.source, self.text);
                if ends_open(&c.source) {
                    source = format!("({source})");
                }
                self.line(&more, &element);
                self.line(&more, &format!("for {} in {source}", c.var.name));
                if let Some(f) = &c.filter {
                    self.line(&more, &format!("where {}", expr_to_string(f, self.text)));
                }
                self.line(indent, close);
                self.trailing(end);
            }
            ExprKind::Quantified(q, var, coll, body) => {
                let mut coll_text = expr_to_string(coll, self.text);
                if ends_open(coll) {
                    coll_text = format!("({coll_text})");
                }
                let q = match q {
                    ast::Quantifier::All => "all",
                    ast::Quantifier::Any => "any",
                };
                self.line(indent, &format!("{head}{q} {} in {coll_text}:", var.name));
                let more = format!("{indent}{INDENT}");
                self.statement(&more, "", body);
            }
            _ => {
                self.line(indent, &format!("{head}{}", self.reindent(e, &one, indent)));
                self.trailing(end);
            }
        }
    }

    /// A set or list literal one element (or, for short literals, one filled line) per
    /// line, with its comments kept beside the elements.
    fn collection(&mut self, indent: &str, head: &str, e: &Expr, items: &[Expr], comments: bool) {
        let (open, close) = match e.kind {
            ExprKind::List(_) => ('[', ']'),
            _ => ('{', '}'),
        };
        self.line(indent, &format!("{head}{open}"));
        self.trailing(e.span.start as usize + 1);
        let inner = format!("{indent}{INDENT}");
        let fill = !comments && items.iter().all(is_short_literal);
        let mut current = String::new();
        for item in items {
            let text = expr_to_string(item, self.text);
            if fill {
                if !current.is_empty() && inner.len() + current.len() + text.len() + 2 > WIDTH {
                    let line = std::mem::take(&mut current);
                    self.line(&inner, line.trim_end());
                }
                current.push_str(&text);
                current.push_str(", ");
                continue;
            }
            self.leading(item.span.start as usize, &inner, true);
            self.line(&inner, &format!("{text},"));
            self.trailing(item.span.end as usize);
        }
        if !current.is_empty() {
            self.line(&inner, current.trim_end());
        }
        self.leading(e.span.end as usize, &inner, true);
        self.trim_blank();
        self.line(indent, &close.to_string());
        self.trailing(e.span.end as usize);
    }

    /// A text block's lines follow the statement's indentation, when moving them
    /// keeps its meaning (it starts on a new line and is indented with spaces).
    fn reindent(&self, e: &Expr, one: &str, indent: &str) -> String {
        if !one.contains('\n') {
            return one.to_owned();
        }
        let is_block = matches!(
            &e.kind,
            ExprKind::Literal(Literal::Str(_)) | ExprKind::Interpolated(_)
        );
        let lit = self.source(e.span.start, e.span.end);
        if !is_block || lit != one {
            return one.to_owned();
        }
        reindent_block(lit, &format!("{indent}{INDENT}")).unwrap_or_else(|| one.to_owned())
    }
}

/// Move a text block's lines to `indent`, or `None` if that could change its value.
fn reindent_block(lit: &str, indent: &str) -> Option<String> {
    let open = if lit.starts_with("r\"\"\"") { 4 } else { 3 };
    if !lit.ends_with("\"\"\"") || lit.len() < open + 3 {
        return None;
    }
    let body = &lit[open..lit.len() - 3];
    let mut lines: Vec<&str> = body.split('\n').collect();
    // Only blocks whose first line is empty: then the common indentation is removed.
    if lines.len() < 2 || !lines[0].trim().is_empty() || lines[0].contains('\r') {
        return None;
    }
    let last = lines.pop().unwrap_or("");
    if !last.trim().is_empty() || last.contains('\t') {
        return None;
    }
    let content = &lines[1..];
    if content.iter().any(|l| {
        l.contains('\r') || l.starts_with('\t') || l.trim_start_matches(' ').starts_with('\t')
    }) {
        return None;
    }
    let common = content
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()?;
    let mut out = String::from(&lit[..open]);
    for l in content {
        out.push('\n');
        if !l.trim().is_empty() {
            out.push_str(indent);
            out.push_str(&l[common..]);
        }
    }
    out.push('\n');
    out.push_str(indent);
    out.push_str("\"\"\"");
    Some(out)
}

fn is_plain_const(item: &Item) -> bool {
    item.docs.is_empty() && matches!(item.kind, ItemKind::Const(_))
}

fn first_line_len(s: &str) -> usize {
    s.split('\n').next().map(|l| l.chars().count()).unwrap_or(0)
}

fn collection_items(e: &Expr) -> Option<&[Expr]> {
    match &e.kind {
        ExprKind::List(items) | ExprKind::Set(items) if !items.is_empty() => Some(items),
        _ => None,
    }
}

fn is_short_literal(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Literal(l) if !matches!(l, Literal::Str(s) if s.len() > 24 || s.contains('\n')))
}

/// A type as written (`set<string>`).
pub fn type_text(t: &ast::TypeExpr) -> String {
    if t.args.is_empty() {
        t.name.name.clone()
    } else {
        let args: Vec<String> = t.args.iter().map(type_text).collect();
        format!("{}<{}>", t.name.name, args.join(", "))
    }
}
