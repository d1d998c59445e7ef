//! Finishing the IR: constant folding (by running the evaluator on constant
//! sub-expressions, so folding can never disagree with evaluation) and interning of
//! constant sets, so `x in foreign_adversaries` is one hash lookup.
//!
//! A pass above [`crate::ir`] and [`crate::eval`]: the IR is plain data that the
//! evaluator reads, so the pass that needs both lives over both rather than inside the
//! IR (docs/architecture.md). The checker folds through it too, to refuse a constant
//! whose value is wrong (a bad regex pattern, a constant past a limit).

#![forbid(unsafe_code)]

use crate::eval::{Compiled, Evaluator, LimitHit, Value};
use crate::ir::types::Type;
use crate::ir::{Builtin, Clause, ConstSet, ConstValue, Expr, ExprKind, Program};

/// Fold constant sub-expressions of one expression.
pub fn fold(e: Expr) -> Expr {
    let Expr { kind, ty } = e;
    let kind = map_children(kind, &mut fold);
    let e = Expr { kind, ty };
    match &e.kind {
        ExprKind::Observe(_, inner) if inner.as_const().is_some() => {
            let ExprKind::Observe(_, inner) = e.kind else {
                unreachable!()
            };
            *inner
        }
        ExprKind::If(c, _, _) if c.as_const().is_some() => {
            let ExprKind::If(c, t, f) = e.kind else {
                unreachable!()
            };
            if c.as_const() == Some(&ConstValue::Bool(true)) {
                *t
            } else {
                *f
            }
        }
        ExprKind::And(a, _) if a.as_const() == Some(&ConstValue::Bool(false)) => {
            Expr::constant(ConstValue::Bool(false), Type::Bool)
        }
        ExprKind::Or(a, _) if a.as_const() == Some(&ConstValue::Bool(true)) => {
            Expr::constant(ConstValue::Bool(true), Type::Bool)
        }
        _ if foldable(&e) => match evaluate_closed(&e) {
            Some(v) => Expr::constant(v, e.ty),
            None => e,
        },
        _ => e,
    }
}

/// Whether a node may be replaced by its value: all children constant, and no
/// dependence on locals, the runner's date, or compiled regexes.
fn foldable(e: &Expr) -> bool {
    let pure = match &e.kind {
        ExprKind::Const(_)
        | ExprKind::Local(_)
        | ExprKind::Call(..)
        | ExprKind::Quant(..)
        | ExprKind::Comprehension { .. }
        | ExprKind::Let(..)
        | ExprKind::Observe(..)
        | ExprKind::InSet(..) => false,
        ExprKind::Builtin(b, _) => !matches!(
            b,
            Builtin::Today | Builtin::Regex(_) | Builtin::RegexSplit(_) | Builtin::Tag
        ),
        _ => true,
    };
    pure && e.children().iter().all(|c| c.as_const().is_some())
}

fn evaluate_closed(e: &Expr) -> Option<ConstValue> {
    closed(e).ok()?
}

/// The value of a constant expression, or the evaluation limit it ran into. Past a
/// limit there is no value: the expression is left for run time, where the limit stops
/// the rule that uses it with an error naming it.
fn closed(e: &Expr) -> Result<Option<ConstValue>, LimitHit> {
    let program = Program::default();
    let compiled = Compiled {
        regexes: Vec::new(),
    };
    let mut ev = Evaluator::new(&program, &compiled, 0);
    let v = ev.eval_closed(e);
    match ev.limit_hit() {
        Some(hit) => Err(hit),
        None => Ok(to_const(&v)),
    }
}

/// The limit a folded expression that stayed unfolded ran into, if that is why (for
/// the checker's diagnostic about a constant).
pub fn fold_limit(e: &Expr) -> Option<LimitHit> {
    if foldable(e) { closed(e).err() } else { None }
}

/// A run-time value as a constant, when it is one.
pub fn to_const(v: &Value) -> Option<ConstValue> {
    let v = v.clone().normalize();
    Some(match &v {
        Value::Null => ConstValue::Null,
        Value::Bool(b) => ConstValue::Bool(*b),
        Value::Int(i) => ConstValue::Int(*i),
        Value::Date(d) => ConstValue::Date(*d),
        Value::Str(_) | Value::OwnedStr(_) => ConstValue::Str(v.as_str()?.to_owned()),
        Value::ConstList(items) => ConstValue::List(items.to_vec()),
        Value::ConstSet(items) => ConstValue::Set(items.to_vec()),
        Value::List(items) => ConstValue::List(items.iter().map(to_const).collect::<Option<_>>()?),
        Value::Set(items) => ConstValue::set(items.iter().map(to_const).collect::<Option<_>>()?),
        _ => return None,
    })
}

fn map_children(kind: ExprKind, f: &mut dyn FnMut(Expr) -> Expr) -> ExprKind {
    use ExprKind::*;
    let mut b = |e: Box<Expr>| Box::new(f(*e));
    match kind {
        Const(_) | Local(_) => kind,
        Field(e, x) => Field(b(e), x),
        JsonField(e, k) => JsonField(b(e), k),
        Index(a, i) => Index(b(a), b(i)),
        Call(id, args) => Call(id, args.into_iter().map(|e| *b(Box::new(e))).collect()),
        Builtin(x, args) => Builtin(x, args.into_iter().map(|e| *b(Box::new(e))).collect()),
        Not(e) => Not(b(e)),
        Neg(e) => Neg(b(e)),
        And(x, y) => And(b(x), b(y)),
        Or(x, y) => Or(b(x), b(y)),
        Cmp(op, x, y) => Cmp(op, b(x), b(y)),
        In(x, y) => In(b(x), b(y)),
        InSet(x, s) => InSet(b(x), s),
        Subset(x, y) => Subset(b(x), b(y)),
        SetOp(op, x, y) => SetOp(op, b(x), b(y)),
        Arith(op, x, y) => Arith(op, b(x), b(y)),
        If(c, t, e) => If(b(c), b(t), b(e)),
        Quant(q, s, l, c, body) => Quant(q, s, l, b(c), b(body)),
        List(items) => List(items.into_iter().map(|e| *b(Box::new(e))).collect()),
        Set(items) => Set(items.into_iter().map(|e| *b(Box::new(e))).collect()),
        Comprehension {
            kind,
            slot,
            source,
            filter,
            element,
        } => Comprehension {
            kind,
            slot,
            source: b(source),
            filter: filter.map(&mut b),
            element: b(element),
        },
        Interp(parts) => Interp(
            parts
                .into_iter()
                .map(|p| match p {
                    crate::ir::InterpPart::Expr(e) => crate::ir::InterpPart::Expr(*b(Box::new(e))),
                    t => t,
                })
                .collect(),
        ),
        Let(s, v, body) => Let(s, b(v), b(body)),
        Observe(l, e) => Observe(l, b(e)),
    }
}

/// Fold every expression of a checked program and intern its constant sets.
pub fn finish(program: Program) -> Program {
    crate::diag::with_compiler_stack(|| finish_here(program))
}

fn finish_here(mut program: Program) -> Program {
    let mut sets: Vec<ConstSet> = Vec::new();
    let mut finish_expr = |e: Expr| intern(fold(e), &mut sets);
    for f in &mut program.functions {
        f.body = finish_expr(std::mem::replace(&mut f.body, placeholder()));
    }
    for r in &mut program.rules {
        for c in &mut r.clauses {
            match c {
                Clause::Where(e) | Clause::Let(_, e) => {
                    *e = finish_expr(std::mem::replace(e, placeholder()))
                }
            }
        }
        r.violation = finish_expr(std::mem::replace(&mut r.violation, placeholder()));
        if let Some(m) = r.message.take() {
            r.message = Some(finish_expr(m));
        }
    }
    program.sets = sets;
    program
}

fn placeholder() -> Expr {
    Expr::constant(ConstValue::Null, Type::Null)
}

/// Replace membership in a constant collection by a lookup in an interned set.
fn intern(e: Expr, sets: &mut Vec<ConstSet>) -> Expr {
    let Expr { kind, ty } = e;
    let kind = match kind {
        ExprKind::In(x, c) => match c.kind {
            ExprKind::Const(ConstValue::Set(items) | ConstValue::List(items)) => {
                let id = intern_set(items, sets);
                ExprKind::InSet(Box::new(intern(*x, sets)), id)
            }
            other => ExprKind::In(
                Box::new(intern(*x, sets)),
                Box::new(intern(
                    Expr {
                        kind: other,
                        ty: c.ty,
                    },
                    sets,
                )),
            ),
        },
        other => map_children(other, &mut |e| intern(e, sets)),
    };
    Expr { kind, ty }
}

fn intern_set(items: Vec<ConstValue>, sets: &mut Vec<ConstSet>) -> u32 {
    let members = match ConstValue::set(items) {
        ConstValue::Set(m) => m,
        _ => Vec::new(),
    };
    if let Some(i) = sets.iter().position(|s| s.members == members) {
        return i as u32;
    }
    sets.push(ConstSet::new(members));
    (sets.len() - 1) as u32
}
