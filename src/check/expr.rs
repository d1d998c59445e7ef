//! Typing expressions and resolving their names; builds IR nodes as it goes.

use super::builtins::{self, BUILTINS};
use super::err::CheckError;
use super::symbols::Target;
use super::{Checker, Ctx, ItemRef};
use crate::diag::{Span, did_you_mean};
use crate::ir::types::Type;
use crate::ir::{self, ArithOp, Builtin, CmpOp, Collect, ConstValue, Expr, ExprKind, Quant, SetOp};
use crate::syntax::ast::{self, BinaryOp, ExprKind as A, Literal, UnaryOp};

/// The value an erroneous expression gets: type `any` fits everywhere, so one error
/// does not cause others.
fn poison() -> Expr {
    Expr::constant(ConstValue::Null, Type::Any)
}

fn boxed(e: Expr) -> Box<Expr> {
    Box::new(e)
}

impl Checker<'_> {
    pub(super) fn expr(&mut self, ctx: &mut Ctx, e: &ast::Expr) -> Expr {
        let x = self.expr_observed(ctx, e);
        self.note_type(e.span, &x.ty);
        x
    }

    fn expr_observed(&mut self, ctx: &mut Ctx, e: &ast::Expr) -> Expr {
        if !(ctx.observe && observable(e)) {
            return self.expr_inner(ctx, e);
        }
        // Record the outermost observable expression only: its parts add noise.
        ctx.observe = false;
        let inner = self.expr_inner(ctx, e);
        ctx.observe = true;
        if inner.as_const().is_some() {
            return inner;
        }
        let label = self.expr_label(e);
        let ty = inner.ty.clone();
        Expr::new(ExprKind::Observe(label, boxed(inner)), ty)
    }

    fn expr_inner(&mut self, ctx: &mut Ctx, e: &ast::Expr) -> Expr {
        match &e.kind {
            A::Literal(l) => literal(l),
            A::Interpolated(parts) => {
                let parts = parts
                    .iter()
                    .map(|p| match p {
                        ast::StrPart::Text(t) => ir::InterpPart::Text(t.clone()),
                        ast::StrPart::Expr(x) => ir::InterpPart::Expr(self.expr(ctx, x)),
                    })
                    .collect();
                Expr::new(ExprKind::Interp(parts), Type::Str)
            }
            A::Name(n) => self.name(ctx, n, e.span),
            A::Field(base, field) => self.field(ctx, base, field, e.span),
            A::Index(base, idx) => self.index(ctx, base, idx, e.span),
            A::Call(path, args) => self.call(ctx, path, args, e.span),
            A::Unary(UnaryOp::Not, x) => {
                let x = self.expr(ctx, x);
                self.want_bool(&x, e.span);
                Expr::new(ExprKind::Not(boxed(x)), Type::Bool)
            }
            A::Unary(UnaryOp::Neg, x) => {
                let inner = self.expr(ctx, x);
                if !inner.ty.fits(&Type::Int) {
                    self.mismatch(
                        "`int`",
                        &inner.ty,
                        x.span,
                        Some("only integers can be negated".into()),
                    );
                }
                Expr::new(ExprKind::Neg(boxed(inner)), Type::Int)
            }
            A::Binary(op, l, r) => self.binary(ctx, *op, l, r, e.span),
            A::If(c, t, f) => {
                let c = self.expr(ctx, c);
                self.want_bool(&c, e.span);
                let t_e = self.expr(ctx, t);
                let f_e = self.expr(ctx, f);
                let ty = match t_e.ty.join(&f_e.ty) {
                    Some(ty) => ty,
                    None => {
                        self.mismatch(
                            &format!("`{}` like the `then` branch", t_e.ty),
                            &f_e.ty,
                            f.span,
                            None,
                        );
                        Type::Any
                    }
                };
                Expr::new(ExprKind::If(boxed(c), boxed(t_e), boxed(f_e)), ty)
            }
            A::Quantified(q, var, coll, body) => {
                let observe = ctx.observe;
                ctx.observe = false;
                let coll_e = self.expr(ctx, coll);
                ctx.observe = observe;
                let elem = self.element_type(&coll_e.ty, coll.span);
                let mark = ctx.mark();
                let slot = self.bind(ctx, var, elem, false);
                let label = observe.then(|| self.label(var.span));
                let body_e = self.expr(ctx, body);
                self.want_bool(&body_e, body.span);
                self.pop_scope(ctx, mark);
                let q = match q {
                    ast::Quantifier::All => Quant::All,
                    ast::Quantifier::Any => Quant::Any,
                };
                Expr::new(
                    ExprKind::Quant(q, slot, label, boxed(coll_e), boxed(body_e)),
                    Type::Bool,
                )
            }
            A::List(items) | A::Set(items) => {
                let is_set = matches!(e.kind, A::Set(_));
                let mut elem = Type::Any;
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let x = self.expr(ctx, item);
                    match elem.join(&x.ty) {
                        Some(t) => elem = t,
                        None => {
                            self.diags.push(CheckError::MixedElements {
                                first: elem.to_string(),
                                other: x.ty.to_string(),
                                src: self.src(item.span),
                                at: item.span.into(),
                            });
                        }
                    }
                    out.push(x);
                }
                if is_set {
                    Expr::new(ExprKind::Set(out), Type::Set(Box::new(elem)))
                } else {
                    Expr::new(ExprKind::List(out), Type::List(Box::new(elem)))
                }
            }
            A::Record(_) => {
                self.diags.push(CheckError::RecordLiteral {
                    src: self.src(e.span),
                    at: e.span.into(),
                });
                poison()
            }
            A::Comprehension(c) => {
                let observe = ctx.observe;
                ctx.observe = false;
                let source = self.expr(ctx, &c.source);
                let elem = self.element_type(&source.ty, c.source.span);
                let mark = ctx.mark();
                let slot = self.bind(ctx, &c.var, elem, false);
                let filter = c.filter.as_ref().map(|f| {
                    let x = self.expr(ctx, f);
                    self.want_bool(&x, f.span);
                    boxed(x)
                });
                let element = self.expr(ctx, &c.element);
                self.pop_scope(ctx, mark);
                ctx.observe = observe;
                let (kind, ty) = match c.kind {
                    ast::CollectionKind::List => {
                        (Collect::List, Type::List(Box::new(element.ty.clone())))
                    }
                    ast::CollectionKind::Set => {
                        (Collect::Set, Type::Set(Box::new(element.ty.clone())))
                    }
                };
                Expr::new(
                    ExprKind::Comprehension {
                        kind,
                        slot,
                        source: boxed(source),
                        filter,
                        element: boxed(element),
                    },
                    ty,
                )
            }
        }
    }

    pub(super) fn want_bool(&mut self, x: &Expr, span: Span) {
        if !x.ty.fits(&Type::Bool) {
            self.mismatch("a condition (`bool`)", &x.ty, span, None);
        }
    }

    fn element_type(&mut self, ty: &Type, span: Span) -> Type {
        match ty.element() {
            Some(t) => t,
            None => {
                self.diags.push(CheckError::NotIterable {
                    ty: ty.to_string(),
                    src: self.src(span),
                    at: span.into(),
                });
                Type::Any
            }
        }
    }

    fn name(&mut self, ctx: &mut Ctx, name: &str, span: Span) -> Expr {
        if let Some((slot, ty, decl)) = ctx.lookup(name) {
            self.note_reference(span, Target::Decl(decl));
            return Expr::new(ExprKind::Local(slot), ty);
        }
        let pkg = self.package_of(ctx.file);
        if let Some(r) = self.packages.get(&pkg).and_then(|p| p.get(name)).copied() {
            self.note_item(r, span);
            return self.item_value(r, name, span);
        }
        if let Some(entry) = self.imports[ctx.file].get_mut(name) {
            entry.2 = true;
            let target = Target::Package(entry.0.clone());
            self.note_reference(span, target);
            self.diags.push(CheckError::NotAValue {
                name: name.to_owned(),
                what: "package".into(),
                src: self.sm.named(span),
                at: span.into(),
                help: Some(format!("refer to its declarations as `{name}.something`")),
            });
            return poison();
        }
        if builtins::lookup(name).is_some() {
            self.diags.push(CheckError::NotAValue {
                name: name.to_owned(),
                what: "built-in function".into(),
                src: self.src(span),
                at: span.into(),
                help: Some(format!("call it: `{name}(...)`")),
            });
            return poison();
        }
        let mut candidates: Vec<String> = ctx.scopes.iter().map(|b| b.name.clone()).collect();
        if let Some(p) = self.packages.get(&pkg) {
            candidates.extend(p.keys().cloned());
        }
        candidates.extend(self.imports[ctx.file].keys().cloned());
        let help = did_you_mean(name, candidates.iter().map(String::as_str))
            .map(|s| format!("did you mean `{s}`?"))
            .or_else(|| self.qualified_hint(ctx.file, name));
        self.diags.push(CheckError::UnknownName {
            name: name.to_owned(),
            src: self.src(span),
            at: span.into(),
            help,
        });
        poison()
    }

    /// The package declaring `name`, if any does.
    fn package_declaring(&self, name: &str) -> Option<String> {
        self.packages
            .iter()
            .find(|(_, items)| items.contains_key(name))
            .map(|(p, _)| p.clone())
    }

    /// "`eea` is declared in package `juris.groups`: import it" for a name declared elsewhere.
    fn qualified_hint(&self, file: usize, name: &str) -> Option<String> {
        let (pkg, _) = self
            .packages
            .iter()
            .find(|(_, items)| items.contains_key(name))?;
        let alias = self.imports[file]
            .iter()
            .find(|(_, (p, _, _))| p == pkg)
            .map(|(a, _)| a.clone());
        Some(match alias {
            Some(a) => format!("`{name}` is declared in package `{pkg}`: write `{a}.{name}`"),
            None => {
                let last = pkg.rsplit('.').next().unwrap_or(pkg);
                format!(
                    "`{name}` is declared in package `{pkg}`: add `import {pkg}` and write `{last}.{name}`"
                )
            }
        })
    }

    /// A declaration used as a value: constants fold to their value.
    fn item_value(&mut self, r: ItemRef, name: &str, span: Span) -> Expr {
        match &self.item(r).kind {
            ast::ItemKind::Const(_) => match self.ensure_const(r) {
                Some((v, ty)) => Expr::constant(v, ty),
                None => poison(),
            },
            other => {
                let what = match other {
                    ast::ItemKind::Fn(_) => "function",
                    ast::ItemKind::Rule(_) => "rule",
                    ast::ItemKind::Exception(_) => "exception",
                    _ => "test",
                };
                self.diags.push(CheckError::NotAValue {
                    name: name.to_owned(),
                    what: what.into(),
                    src: self.src(span),
                    at: span.into(),
                    help: (what == "function").then(|| format!("call it: `{name}(...)`")),
                });
                poison()
            }
        }
    }

    /// If `base` names an import (not shadowed by a local), the package it stands for.
    fn package_alias(&mut self, ctx: &mut Ctx, base: &ast::Expr) -> Option<String> {
        let A::Name(n) = &base.kind else {
            return None;
        };
        if ctx.scopes.iter().any(|b| &b.name == n) {
            return None;
        }
        let entry = self.imports[ctx.file].get_mut(n)?;
        entry.2 = true;
        let pkg = entry.0.clone();
        self.note_reference(base.span, Target::Package(pkg.clone()));
        Some(pkg)
    }

    /// Record a use of the declaration `r`.
    fn note_item(&mut self, r: ItemRef, span: Span) {
        let decl = self.item(r).kind.name().span;
        self.note_reference(span, Target::Decl(decl));
    }

    fn field(&mut self, ctx: &mut Ctx, base: &ast::Expr, field: &ast::Ident, span: Span) -> Expr {
        if let Some(pkg) = self.package_alias(ctx, base) {
            if !self.packages.contains_key(&pkg) {
                // The import itself was reported; its uses add nothing.
                return poison();
            }
            let found = self
                .packages
                .get(&pkg)
                .and_then(|p| p.get(&field.name))
                .copied();
            return match found {
                Some(r) => {
                    self.note_item(r, field.span);
                    self.item_value(r, &field.name, field.span)
                }
                None => {
                    let names: Vec<String> = self
                        .packages
                        .get(&pkg)
                        .map(|p| p.keys().cloned().collect())
                        .unwrap_or_default();
                    let help = did_you_mean(&field.name, names.iter().map(String::as_str))
                        .map(|s| format!("did you mean `{s}`?"));
                    self.diags.push(CheckError::UnknownName {
                        name: format!("{pkg}.{}", field.name),
                        src: self.src(field.span),
                        at: field.span.into(),
                        help,
                    });
                    poison()
                }
            };
        }
        let b = self.expr(ctx, base);
        match &b.ty {
            Type::Record(rec) => match rec.field(&field.name) {
                Some(f) => {
                    self.note_reference(field.span, Target::Field(*rec, f.name()));
                    Expr::new(ExprKind::Field(boxed(b), f), f.ty())
                }
                None => {
                    let names = rec.fields().iter().map(|(n, _)| *n);
                    let help = did_you_mean(&field.name, names.clone())
                        .map(|s| format!("did you mean `{s}`?"))
                        .or_else(|| {
                            Some(format!(
                                "`{}` has the fields {}",
                                rec.name(),
                                names
                                    .map(|n| format!("`{n}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ))
                        });
                    self.diags.push(CheckError::UnknownField {
                        field: field.name.clone(),
                        ty: rec.name().to_owned(),
                        src: self.src(field.span),
                        at: field.span.into(),
                        help,
                    });
                    poison()
                }
            },
            Type::Json | Type::Any | Type::Null => Expr::new(
                ExprKind::JsonField(boxed(b), field.name.clone()),
                Type::Json,
            ),
            other => {
                let help = match other {
                    Type::Map(..) => Some(format!("maps are indexed: `[\"{}\"]`", field.name)),
                    _ => None,
                };
                self.diags.push(CheckError::NoFields {
                    ty: other.to_string(),
                    src: self.src(span),
                    at: span.into(),
                    help,
                });
                poison()
            }
        }
    }

    fn index(&mut self, ctx: &mut Ctx, base: &ast::Expr, idx: &ast::Expr, span: Span) -> Expr {
        let b = self.expr(ctx, base);
        let i = self.expr(ctx, idx);
        let ty = match (&b.ty, &i.ty) {
            (Type::List(e), t) if t.fits(&Type::Int) => Some((**e).clone()),
            (Type::Map(k, v), t) if t.fits(k) => Some((**v).clone()),
            (Type::Json | Type::Any | Type::Null, t)
                if t.fits(&Type::Str) || t.fits(&Type::Int) =>
            {
                Some(Type::Json)
            }
            _ => None,
        };
        match ty {
            Some(ty) => Expr::new(ExprKind::Index(boxed(b), boxed(i)), ty),
            None => {
                if !matches!(b.ty, Type::Any) && !matches!(i.ty, Type::Any) {
                    self.diags.push(CheckError::NotIndexable {
                        ty: b.ty.to_string(),
                        index: i.ty.to_string(),
                        src: self.src(span),
                        at: span.into(),
                    });
                }
                poison()
            }
        }
    }

    fn call(&mut self, ctx: &mut Ctx, path: &ast::Path, args: &[ast::Expr], span: Span) -> Expr {
        let (name, target) = match path.segments.as_slice() {
            [name] => (name.clone(), self.package_of(ctx.file)),
            [alias, name] => {
                let alias_expr = ast::Expr {
                    kind: A::Name(alias.clone()),
                    span: Self::path_segment_spans(path)[0],
                };
                match self.package_alias(ctx, &alias_expr) {
                    Some(pkg) if !self.packages.contains_key(&pkg) => {
                        for a in args {
                            self.expr(ctx, a);
                        }
                        return poison();
                    }
                    Some(pkg) => (name.clone(), pkg),
                    None => return self.unknown_function(ctx, path, args, span),
                }
            }
            _ => return self.unknown_function(ctx, path, args, span),
        };
        let found = self
            .packages
            .get(&target)
            .and_then(|p| p.get(&name))
            .copied();
        let typed: Vec<Expr> = args.iter().map(|a| self.expr(ctx, a)).collect();
        let name_span = Self::path_segment_spans(path)
            .last()
            .copied()
            .unwrap_or(path.span);
        if let Some(r) = found {
            self.note_item(r, name_span);
            let Some(&id) = self.fn_ids.get(&(r.file, r.item)) else {
                self.diags.push(CheckError::UnknownFunction {
                    name: path.dotted(),
                    src: self.src(path.span),
                    at: path.span.into(),
                    help: Some(format!("`{}` is not a function", path.dotted())),
                });
                return poison();
            };
            return self.user_call(ctx, id, path, typed, args, span);
        }
        if path.segments.len() == 1
            && let Some(def) = builtins::lookup(&name)
        {
            self.note_reference(name_span, Target::Builtin(def.name));
            return self.builtin_call(def, typed, args, span, path.span);
        }
        self.unknown_function(ctx, path, args, span)
    }

    fn unknown_function(
        &mut self,
        ctx: &mut Ctx,
        path: &ast::Path,
        args: &[ast::Expr],
        _span: Span,
    ) -> Expr {
        // Type the arguments anyway, to report their errors too.
        for a in args {
            self.expr(ctx, a);
        }
        let name = path.segments.last().cloned().unwrap_or_default();
        let pkg = self.package_of(ctx.file);
        let mut candidates: Vec<String> = BUILTINS.iter().map(|b| b.name.to_owned()).collect();
        if let Some(p) = self.packages.get(&pkg) {
            candidates.extend(p.keys().cloned());
        }
        let help = if path.segments.len() > 1
            && !self.imports[ctx.file].contains_key(&path.segments[0])
        {
            let alias = &path.segments[0];
            Some(match self.package_declaring(&name) {
                Some(pkg) if pkg.rsplit('.').next() == Some(alias.as_str()) => {
                    format!("`{alias}` is not imported: add `import {pkg}`")
                }
                Some(pkg) => format!(
                    "`{alias}` is not imported: `{name}` is declared in package `{pkg}`, so add `import {pkg} as {alias}`"
                ),
                None => format!("`{alias}` is not an imported package; add `import ...` for it"),
            })
        } else {
            did_you_mean(&name, candidates.iter().map(String::as_str))
                .map(|s| format!("did you mean `{s}`?"))
                .or_else(|| self.qualified_hint(ctx.file, &name))
        };
        self.diags.push(CheckError::UnknownFunction {
            name: path.dotted(),
            src: self.src(path.span),
            at: path.span.into(),
            help,
        });
        poison()
    }

    fn user_call(
        &mut self,
        ctx: &mut Ctx,
        id: u32,
        path: &ast::Path,
        typed: Vec<Expr>,
        args: &[ast::Expr],
        span: Span,
    ) -> Expr {
        if let Some(caller) = ctx.in_fn {
            self.fns[caller as usize].callees.push((id, path.span));
        }
        let params = self.fns[id as usize].params.clone();
        if params.len() != typed.len() {
            self.diags.push(CheckError::WrongArity {
                name: path.dotted(),
                expected: params.len().to_string(),
                found: typed.len(),
                src: self.src(span),
                at: span.into(),
                help: Some(format!(
                    "`{}` takes ({})",
                    path.dotted(),
                    join_types(&params)
                )),
            });
            return poison();
        }
        for ((a, p), src) in typed.iter().zip(&params).zip(args) {
            if !a.ty.fits(p) {
                self.mismatch(&format!("`{p}`"), &a.ty, src.span, None);
            }
        }
        let ret = self.ensure_fn(id);
        Expr::new(ExprKind::Call(id, typed), ret)
    }

    fn builtin_call(
        &mut self,
        def: &builtins::BuiltinDef,
        typed: Vec<Expr>,
        args: &[ast::Expr],
        span: Span,
        name_span: Span,
    ) -> Expr {
        if typed.len() != def.arity {
            self.diags.push(CheckError::WrongArity {
                name: def.name.to_owned(),
                expected: def.arity.to_string(),
                found: typed.len(),
                src: self.src(span),
                at: span.into(),
                help: Some(format!("the signature is `{}`", def.signature)),
            });
            return poison();
        }
        let tys: Vec<Type> = typed.iter().map(|t| t.ty.clone()).collect();
        let (mut builtin, ret) = match builtins::type_call(def.name, &tys) {
            Ok(x) => x,
            Err(e) => {
                let at = args.get(e.index).map(|a| a.span).unwrap_or(name_span);
                let found = tys.get(e.index).cloned().unwrap_or(Type::Any);
                self.mismatch(
                    &e.expected,
                    &found,
                    at,
                    Some(format!("the signature is `{}`", def.signature)),
                );
                return poison();
            }
        };
        if let Builtin::Regex(_) | Builtin::RegexSplit(_) = builtin {
            let Some(id) = self.regex_arg(&typed[1], args[1].span) else {
                return poison();
            };
            builtin = match builtin {
                Builtin::Regex(_) => Builtin::Regex(id),
                _ => Builtin::RegexSplit(id),
            };
        }
        Expr::new(ExprKind::Builtin(builtin, typed), ret)
    }

    /// A regex pattern argument: constant, valid, and small enough to compile to a DFA.
    fn regex_arg(&mut self, pattern: &Expr, span: Span) -> Option<u32> {
        let folded = crate::fold::fold(pattern.clone());
        let Some(ConstValue::Str(p)) = folded.as_const() else {
            self.diags.push(CheckError::NotConstant {
                what: "a regex pattern".into(),
                src: self.src(span),
                at: span.into(),
            });
            return None;
        };
        // A pattern seen before was validated then: building its automaton is costly.
        if let Some(idx) = self.regexes.get_index_of(p.as_str()) {
            return Some(idx as u32);
        }
        if let Err(reason) = crate::semantics::regex::validate(p) {
            self.diags.push(CheckError::BadRegex {
                reason,
                src: self.src(span),
                at: span.into(),
            });
            return None;
        }
        let (idx, _) = self.regexes.insert_full(p.clone(), ());
        Some(idx as u32)
    }

    fn binary(
        &mut self,
        ctx: &mut Ctx,
        op: BinaryOp,
        l: &ast::Expr,
        r: &ast::Expr,
        span: Span,
    ) -> Expr {
        let le = self.expr(ctx, l);
        let re = self.expr(ctx, r);
        let (lt, rt) = (le.ty.clone(), re.ty.clone());
        let bad = |this: &mut Self, help: Option<String>| {
            if !matches!(lt, Type::Any) && !matches!(rt, Type::Any) {
                this.diags.push(CheckError::BadOperands {
                    op: op.symbol().to_owned(),
                    left: lt.to_string(),
                    right: rt.to_string(),
                    src: this.src(span),
                    at: span.into(),
                    help,
                });
            }
            poison()
        };
        let (a, b) = (boxed(le), boxed(re));
        match op {
            BinaryOp::And | BinaryOp::Or => {
                self.want_bool(&a, l.span);
                self.want_bool(&b, r.span);
                let kind = if op == BinaryOp::And {
                    ExprKind::And(a, b)
                } else {
                    ExprKind::Or(a, b)
                };
                Expr::new(kind, Type::Bool)
            }
            BinaryOp::Eq | BinaryOp::Ne => {
                if lt.join(&rt).is_none() {
                    let member = |c: &Type, x: &Type| {
                        c.is_collection() && c.element().is_some_and(|e| x.join(&e).is_some())
                    };
                    let help = if member(&lt, &rt) || member(&rt, &lt) {
                        "to test membership, write `x in collection`"
                    } else {
                        "values of different types are never equal"
                    };
                    return bad(self, Some(help.into()));
                }
                let c = if op == BinaryOp::Eq {
                    CmpOp::Eq
                } else {
                    CmpOp::Ne
                };
                Expr::new(ExprKind::Cmp(c, a, b), Type::Bool)
            }
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                let ordered = |t: &Type| {
                    matches!(
                        t,
                        Type::Int | Type::Date | Type::Str | Type::Json | Type::Any | Type::Null
                    )
                };
                if !(ordered(&lt) && ordered(&rt) && lt.join(&rt).is_some()) {
                    return bad(
                        self,
                        Some("ordering compares two ints, two dates or two strings".into()),
                    );
                }
                let c = match op {
                    BinaryOp::Lt => CmpOp::Lt,
                    BinaryOp::Le => CmpOp::Le,
                    BinaryOp::Gt => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                Expr::new(ExprKind::Cmp(c, a, b), Type::Bool)
            }
            BinaryOp::In | BinaryOp::NotIn => {
                let elem = match &rt {
                    Type::List(e) | Type::Set(e) | Type::Map(e, _) => (**e).clone(),
                    Type::Json | Type::Any | Type::Null => Type::Any,
                    Type::Str => {
                        return bad(
                            self,
                            Some("to look for text inside a string use `contains(s, part)`".into()),
                        );
                    }
                    _ => return bad(self, Some("the right of `in` is a list, set or map".into())),
                };
                if lt.join(&elem).is_none() {
                    return bad(self, Some(format!("the collection holds `{elem}`")));
                }
                let e = Expr::new(ExprKind::In(a, b), Type::Bool);
                if op == BinaryOp::NotIn {
                    Expr::new(ExprKind::Not(boxed(e)), Type::Bool)
                } else {
                    e
                }
            }
            BinaryOp::Subset => {
                if !(is_collectionish(&lt) && is_collectionish(&rt))
                    || lt
                        .element()
                        .zip(rt.element())
                        .is_some_and(|(x, y)| x.join(&y).is_none())
                {
                    return bad(self, Some("`subset` compares two sets (or lists)".into()));
                }
                Expr::new(ExprKind::Subset(a, b), Type::Bool)
            }
            BinaryOp::Union | BinaryOp::Intersect | BinaryOp::Minus => {
                let elem = match (lt.element(), rt.element()) {
                    (Some(x), Some(y)) if is_collectionish(&lt) && is_collectionish(&rt) => {
                        x.join(&y)
                    }
                    _ => None,
                };
                let Some(elem) = elem else {
                    return bad(
                        self,
                        Some(format!("`{}` combines two sets (or lists)", op.symbol())),
                    );
                };
                let s = match op {
                    BinaryOp::Union => SetOp::Union,
                    BinaryOp::Intersect => SetOp::Intersect,
                    _ => SetOp::Minus,
                };
                Expr::new(ExprKind::SetOp(s, a, b), Type::Set(Box::new(elem)))
            }
            BinaryOp::Add | BinaryOp::Sub => {
                let ty = match (op, &lt, &rt) {
                    (_, Type::Int, Type::Int) => Type::Int,
                    (_, Type::Date, Type::Int) => Type::Date,
                    (BinaryOp::Sub, Type::Date, Type::Date) => Type::Int,
                    (BinaryOp::Add, Type::Str, Type::Str)
                    | (BinaryOp::Add, Type::Str, Type::Json)
                    | (BinaryOp::Add, Type::Json, Type::Str) => Type::Str,
                    (_, Type::Json | Type::Any | Type::Null, t)
                    | (_, t, Type::Json | Type::Any | Type::Null)
                        if matches!(t, Type::Int | Type::Json | Type::Any | Type::Null) =>
                    {
                        Type::Int
                    }
                    _ => {
                        return bad(
                            self,
                            Some("`+` adds ints, adds days to a date, or joins strings; `-` subtracts ints or dates".into()),
                        );
                    }
                };
                let o = if op == BinaryOp::Add {
                    ArithOp::Add
                } else {
                    ArithOp::Sub
                };
                Expr::new(ExprKind::Arith(o, a, b), ty)
            }
        }
    }
}

fn is_collectionish(t: &Type) -> bool {
    matches!(
        t,
        Type::List(_) | Type::Set(_) | Type::Json | Type::Any | Type::Null
    )
}

fn join_types(ts: &[Type]) -> String {
    ts.iter()
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn literal(l: &Literal) -> Expr {
    match l {
        Literal::Bool(b) => Expr::constant(ConstValue::Bool(*b), Type::Bool),
        Literal::Int(i) => Expr::constant(ConstValue::Int(*i), Type::Int),
        Literal::Str(s) => Expr::constant(ConstValue::Str(s.clone()), Type::Str),
        Literal::Date(d) => Expr::constant(ConstValue::Date(*d), Type::Date),
        Literal::Null => Expr::constant(ConstValue::Null, Type::Null),
    }
}

/// Expressions whose value is worth showing as evidence: reads of resource data and
/// calls. Operators, literals and plain variables are not.
fn observable(e: &ast::Expr) -> bool {
    matches!(e.kind, A::Field(..) | A::Index(..) | A::Call(..))
}
