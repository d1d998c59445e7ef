//! Printing an expression back as canonical source text: one line, single spaces,
//! parentheses exactly where precedence needs them, and string literals as written.
//!
//! The formatter lays expressions out with it, and the checker names evidence with
//! it, so evidence keys do not change when a policy is reformatted.

use super::ast::{BinaryOp, Expr, ExprKind, Literal, Quantifier, UnaryOp};

/// Binding strength, loosest first, as in the grammar.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    /// `all`/`any` and `if`: their last part extends as far right as it can.
    Open,
    Or,
    And,
    Not,
    Compare,
    Set,
    Add,
    Neg,
    Postfix,
}

fn binary_prec(op: BinaryOp) -> Prec {
    use BinaryOp::*;
    match op {
        Or => Prec::Or,
        And => Prec::And,
        Eq | Ne | Lt | Le | Gt | Ge | In | NotIn | Subset => Prec::Compare,
        Union | Intersect | Minus => Prec::Set,
        Add | Sub => Prec::Add,
    }
}

fn prec(e: &Expr) -> Prec {
    match &e.kind {
        ExprKind::Quantified(..) | ExprKind::If(..) => Prec::Open,
        ExprKind::Binary(op, ..) => binary_prec(*op),
        ExprKind::Unary(UnaryOp::Not, _) => Prec::Not,
        ExprKind::Unary(UnaryOp::Neg, _) => Prec::Neg,
        _ => Prec::Postfix,
    }
}

/// Whether an expression ends in an `all`/`any`/`if` whose last part would take in
/// whatever text followed it.
pub fn ends_open(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Quantified(..) | ExprKind::If(..) => true,
        ExprKind::Binary(BinaryOp::And | BinaryOp::Or, _, r) => ends_open(r),
        ExprKind::Unary(UnaryOp::Not, x) => ends_open(x),
        _ => false,
    }
}

/// The canonical one-line text of `e`; `text` is the source its spans index.
pub fn expr_to_string(e: &Expr, text: &str) -> String {
    let mut out = String::new();
    Printer { text }.expr(&mut out, e, true);
    out
}

/// For an `and`/`or` chain, its operator and its operands printed as they stand in
/// the chain (with the parentheses they need there); `None` for other expressions.
pub fn chain_to_strings(e: &Expr, text: &str) -> Option<(BinaryOp, Vec<String>)> {
    let ExprKind::Binary(op @ (BinaryOp::And | BinaryOp::Or), ..) = &e.kind else {
        return None;
    };
    // Left-associative: walk down the left spine.
    let mut operands = Vec::new();
    let mut cur = e;
    while let ExprKind::Binary(o, l, r) = &cur.kind {
        if o != op {
            break;
        }
        operands.push(&**r);
        cur = l;
    }
    operands.push(cur);
    operands.reverse();
    let p = Printer { text };
    let last = operands.len() - 1;
    let strings = operands
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let mut out = String::new();
            let needs = if i == 0 {
                prec(x) < binary_prec(*op) || ends_open(x)
            } else {
                // Only the last operand may end open; the rest are followed by the operator.
                let open = matches!(x.kind, ExprKind::Quantified(..) | ExprKind::If(..));
                (prec(x) <= binary_prec(*op) && !open) || (i < last && ends_open(x))
            };
            if needs {
                p.paren(&mut out, x);
            } else {
                p.expr(&mut out, x, i == last);
            }
            out
        })
        .collect();
    Some((*op, strings))
}

struct Printer<'t> {
    text: &'t str,
}

impl Printer<'_> {
    /// Print `e`; `open_ok` says whether it may end open (nothing follows it that its
    /// last part could take in).
    fn expr(&self, out: &mut String, e: &Expr, open_ok: bool) {
        if !open_ok && ends_open(e) {
            out.push('(');
            self.expr(out, e, true);
            out.push(')');
            return;
        }
        match &e.kind {
            ExprKind::Literal(l) => self.literal(out, l, e),
            ExprKind::Interpolated(_) => out.push_str(self.source(e)),
            ExprKind::Name(n) => out.push_str(n),
            ExprKind::Field(base, f) => {
                self.operand(out, base, Prec::Postfix);
                out.push('.');
                out.push_str(&f.name);
            }
            ExprKind::Index(base, i) => {
                self.operand(out, base, Prec::Postfix);
                out.push('[');
                self.expr(out, i, true);
                out.push(']');
            }
            ExprKind::Call(path, args) => {
                out.push_str(&path.dotted());
                out.push('(');
                self.list(out, args);
                out.push(')');
            }
            ExprKind::Unary(UnaryOp::Not, x) => {
                out.push_str("not ");
                if matches!(x.kind, ExprKind::Quantified(..) | ExprKind::If(..)) {
                    self.expr(out, x, open_ok);
                } else {
                    self.operand(out, x, Prec::Not);
                }
            }
            ExprKind::Unary(UnaryOp::Neg, x) => {
                out.push('-');
                // `- -1` keeps its space: `--1` would read as a typo.
                if matches!(x.kind, ExprKind::Unary(UnaryOp::Neg, _)) {
                    out.push(' ');
                }
                self.operand(out, x, Prec::Neg);
            }
            ExprKind::Binary(op, l, r) => {
                let p = binary_prec(*op);
                let open_right = matches!(op, BinaryOp::And | BinaryOp::Or);
                // Left operand: looser needs parentheses, and so does anything that ends
                // open (the operator would be read into it).
                if prec(l) < p || (p == Prec::Compare && prec(l) == p) || ends_open(l) {
                    self.paren(out, l);
                } else {
                    self.expr(out, l, false);
                }
                out.push(' ');
                out.push_str(op.symbol());
                out.push(' ');
                let r_open = matches!(r.kind, ExprKind::Quantified(..) | ExprKind::If(..));
                if open_right && r_open {
                    self.expr(out, r, open_ok);
                } else if prec(r) <= p {
                    self.paren(out, r);
                } else {
                    self.expr(out, r, open_right && open_ok);
                }
            }
            ExprKind::If(c, t, f) => {
                out.push_str("if ");
                self.expr(out, c, true);
                out.push_str(" then ");
                self.expr(out, t, true);
                out.push_str(" else ");
                self.expr(out, f, true);
            }
            ExprKind::Quantified(q, var, coll, body) => {
                out.push_str(match q {
                    Quantifier::All => "all ",
                    Quantifier::Any => "any ",
                });
                out.push_str(&var.name);
                out.push_str(" in ");
                if prec(coll) == Prec::Open {
                    self.paren(out, coll);
                } else {
                    self.expr(out, coll, false);
                }
                out.push_str(": ");
                self.expr(out, body, true);
            }
            ExprKind::List(items) => {
                out.push('[');
                self.list(out, items);
                out.push(']');
            }
            ExprKind::Set(items) => {
                out.push('{');
                self.list(out, items);
                out.push('}');
            }
            ExprKind::Record(fields) => {
                out.push('{');
                for (i, (name, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&name.name);
                    out.push_str(": ");
                    self.expr(out, value, true);
                }
                out.push('}');
            }
            ExprKind::Comprehension(c) => {
                let (open, close) = match c.kind {
                    super::ast::CollectionKind::List => ('[', ']'),
                    super::ast::CollectionKind::Set => ('{', '}'),
                };
                out.push(open);
                // `{ {` would read as an escaped brace in an interpolation.
                if close == '}'
                    && matches!(
                        c.element.kind,
                        ExprKind::Set(_) | ExprKind::Record(_) | ExprKind::Comprehension(_)
                    )
                {
                    out.push(' ');
                }
                self.closed(out, &c.element);
                out.push_str(" for ");
                out.push_str(&c.var.name);
                out.push_str(" in ");
                self.closed(out, &c.source);
                if let Some(f) = &c.filter {
                    out.push_str(" where ");
                    self.expr(out, f, true);
                }
                out.push(close);
            }
        }
    }

    /// An operand that must bind at least as tightly as `min`.
    fn operand(&self, out: &mut String, e: &Expr, min: Prec) {
        if prec(e) < min {
            self.paren(out, e);
        } else {
            self.expr(out, e, false);
        }
    }

    /// An expression followed by a keyword: `all`/`any`/`if` get parentheses.
    fn closed(&self, out: &mut String, e: &Expr) {
        if prec(e) == Prec::Open {
            self.paren(out, e);
        } else {
            self.expr(out, e, false);
        }
    }

    fn paren(&self, out: &mut String, e: &Expr) {
        out.push('(');
        self.expr(out, e, true);
        out.push(')');
    }

    fn list(&self, out: &mut String, items: &[Expr]) {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            self.expr(out, item, true);
        }
    }

    fn literal(&self, out: &mut String, l: &Literal, e: &Expr) {
        match l {
            Literal::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Literal::Null => out.push_str("null"),
            Literal::Int(i) => out.push_str(&i.to_string()),
            Literal::Date(d) => out.push_str(&crate::semantics::date::format(*d)),
            Literal::Str(_) => out.push_str(self.source(e)),
        }
    }

    /// The source text of a node (string literals are kept exactly as written).
    fn source(&self, e: &Expr) -> &str {
        self.text
            .get(e.span.start as usize..e.span.end as usize)
            .unwrap_or("\"\"")
    }
}
