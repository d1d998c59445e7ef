//! What the checker learns about names while it checks, kept for editors: which
//! declaration each name refers to, the type of every expression, and the types and
//! constant values of declarations. [`analyse`] checks part of a policy set and
//! returns these with the diagnostics; `juris check` never records them.

use super::Checker;
use crate::diag::{Diagnostics, SourceMap, Span};
use crate::ir::ConstValue;
use crate::ir::types::{Rec, Type};
use crate::syntax::ast;

/// What a name in the source stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A declaration (constant, function, rule, ...) or a local binding (rule
    /// variable, parameter, `let`, quantifier or comprehension variable), named by
    /// the span of its declared name.
    Decl(Span),
    /// A package, by its dotted name (an import path or an import's alias).
    Package(String),
    /// A built-in function.
    Builtin(&'static str),
    /// A field of a model record.
    Field(Rec, &'static str),
    /// A rule id written as a string (`id:` of a rule, `rule:` of an exception, ...).
    RuleId(String),
}

/// One use of a name: where it is written and what it stands for.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    pub span: Span,
    pub target: Target,
}

/// The type (and for constants the value) of a declared name.
#[derive(Clone, Debug, PartialEq)]
pub struct Declared {
    /// The span of the declared name.
    pub span: Span,
    /// A constant's or binding's type; a function's return type.
    pub ty: Type,
    pub value: Option<ConstValue>,
}

/// Everything recorded during one [`analyse`] run.
#[derive(Clone, Debug, Default)]
pub struct Symbols {
    pub references: Vec<Reference>,
    /// Every typed expression's span and type, in the order checked.
    pub types: Vec<(Span, Type)>,
    pub declared: Vec<Declared>,
}

/// The result of [`analyse`]: every diagnostic (errors and warnings, in the order
/// found) and the symbols recorded.
pub struct Analysis {
    pub diagnostics: Diagnostics,
    pub symbols: Symbols,
}

/// Check the files marked in `focus` as part of the whole set `files`: every file's
/// declarations and rule ids are known, but only focused files are checked, with the
/// declarations they use checked on demand. Diagnostics and symbols about a focused
/// file are the same as a full check gives; those about other files are partial.
pub fn analyse(files: &[&ast::File], sm: &SourceMap, focus: &[bool]) -> Analysis {
    crate::diag::with_compiler_stack(|| {
        let mut c = Checker::new(files, sm);
        c.focus = Some(focus.to_vec());
        c.symbols = Some(Symbols::default());
        c.index_declarations();
        c.run();
        if c.diags.error_count() == 0 {
            c.check_eval_depth();
        }
        Analysis {
            diagnostics: std::mem::take(&mut c.diags),
            symbols: c.symbols.take().unwrap_or_default(),
        }
    })
}

/// The id a rule declares, as the checker registers it: the last `id:` entry, when
/// it is a plain, non-blank string.
pub fn declared_rule_id(rule: &ast::RuleDecl) -> Option<(&str, Span)> {
    let entry = rule.meta.iter().rev().find(|m| m.key.name == "id")?;
    match &entry.value.kind {
        ast::ExprKind::Literal(ast::Literal::Str(s)) if !s.trim().is_empty() => {
            Some((s.as_str(), entry.value.span))
        }
        _ => None,
    }
}

impl Checker<'_> {
    /// Whether file `fi` is checked in this run (always, outside [`analyse`]).
    pub(super) fn in_focus(&self, fi: usize) -> bool {
        self.focus
            .as_ref()
            .is_none_or(|f| f.get(fi).copied().unwrap_or(false))
    }

    pub(super) fn note_reference(&mut self, span: Span, target: Target) {
        if let Some(s) = &mut self.symbols {
            s.references.push(Reference { span, target });
        }
    }

    pub(super) fn note_type(&mut self, span: Span, ty: &Type) {
        if let Some(s) = &mut self.symbols {
            s.types.push((span, ty.clone()));
        }
    }

    pub(super) fn note_declared(&mut self, span: Span, ty: &Type, value: Option<&ConstValue>) {
        if let Some(s) = &mut self.symbols {
            s.declared.push(Declared {
                span,
                ty: ty.clone(),
                value: value.cloned(),
            });
        }
    }

    /// The spans of the alias and the name in a written `alias.name` path (paths are
    /// written without spaces, so each segment's span follows from the lengths).
    pub(super) fn path_segment_spans(path: &ast::Path) -> Vec<Span> {
        let mut at = path.span.start as usize;
        path.segments
            .iter()
            .map(|s| {
                let span = Span::new(path.span.file, at, at + s.len());
                at += s.len() + 1;
                span
            })
            .collect()
    }
}
