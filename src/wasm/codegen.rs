//! IR → WebAssembly text: one function per rule and per user function. Control
//! flow and three-valued logic are inlined; operators and built-ins call the
//! runtime (`rt/*.wat`), which mirrors `eval` function for function.

use std::fmt::Write;

use crate::ir::types::{Rec, Type};

use crate::ir::{
    ArithOp, Builtin, Clause, CmpOp, Collect, Expr, ExprKind, Function, InterpPart, Program, Quant,
    Rule, SetOp,
};

use super::layout::{Data, field_id, tag, value};

/// Addresses of the program's interned data, by IR id.
pub struct Tables {
    pub sets: Vec<u32>,
    pub regexes: Vec<u32>,
}

const V_UNKNOWN: i64 = (tag::UNKNOWN as i64) << 32;
const V_FALSE: i64 = (tag::BOOL as i64) << 32;
const V_TRUE: i64 = V_FALSE | 1;

/// Generates one function body.
struct Gen<'a> {
    data: &'a mut Data,
    tables: &'a Tables,
    /// Whether `Observe` nodes record evidence (rule clauses and verdicts only).
    record: bool,
    locals: String,
    next: u32,
}

impl Gen<'_> {
    fn local(&mut self, ty: &str) -> String {
        self.next += 1;
        let name = format!("$t{}", self.next);
        let _ = write!(self.locals, " (local {name} {ty})");
        name
    }

    fn str(&mut self, s: &str) -> u32 {
        self.data.str(s)
    }

    fn expr(&mut self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::Const(c) => format!("(i64.const {})", self.data.constant(c)),
            ExprKind::Local(s) => format!("(local.get $s{s})"),
            ExprKind::Field(x, f) => {
                format!(
                    "(call $field {} (i32.const {}))",
                    self.expr(x),
                    field_id(*f)
                )
            }
            ExprKind::JsonField(x, key) => {
                let x = self.expr(x);
                format!("(call $json_field {x} (i32.const {}))", self.str(key))
            }
            ExprKind::Index(x, i) => format!("(call $index {} {})", self.expr(x), self.expr(i)),
            ExprKind::Call(id, args) => {
                let args: Vec<String> = args.iter().map(|a| self.expr(a)).collect();
                format!("(call $fn{id} {})", args.join(" "))
            }
            ExprKind::Builtin(b, args) => self.builtin(*b, args),
            ExprKind::Not(x) => format!("(call $not {})", self.expr(x)),
            ExprKind::Neg(x) => format!("(call $neg {})", self.expr(x)),
            ExprKind::And(a, b) | ExprKind::Or(a, b) => {
                let is_and = matches!(e.kind, ExprKind::And(..));
                let t = self.local("i32");
                let a = self.expr(a);
                let b = self.expr(b);
                let (decisive, short, combine) = if is_and {
                    (0, V_FALSE, "$and3")
                } else {
                    (1, V_TRUE, "$or3")
                };
                format!(
                    "(block (result i64) (local.set {t} (call $truth {a})) \
                     (if (result i64) (i32.eq (local.get {t}) (i32.const {decisive})) \
                     (then (i64.const {short})) \
                     (else (call {combine} (local.get {t}) (call $truth {b})))))"
                )
            }
            ExprKind::Cmp(op, a, b) => {
                let op = match op {
                    CmpOp::Eq => 0,
                    CmpOp::Ne => 1,
                    CmpOp::Lt => 2,
                    CmpOp::Le => 3,
                    CmpOp::Gt => 4,
                    CmpOp::Ge => 5,
                };
                format!(
                    "(call $from_tri (call $compare_op (i32.const {op}) {} {}))",
                    self.expr(a),
                    self.expr(b)
                )
            }
            ExprKind::In(x, c) => format!(
                "(call $from_tri (call $member {} {}))",
                self.expr(x),
                self.expr(c)
            ),
            ExprKind::InSet(x, s) => format!(
                "(call $from_tri (call $member_const {} (i32.const {})))",
                self.expr(x),
                self.tables.sets[*s as usize]
            ),
            ExprKind::Subset(a, b) => format!(
                "(call $from_tri (call $subset {} {}))",
                self.expr(a),
                self.expr(b)
            ),
            ExprKind::SetOp(op, a, b) => {
                let op = match op {
                    SetOp::Union => 0,
                    SetOp::Intersect => 1,
                    SetOp::Minus => 2,
                };
                format!(
                    "(call $set_op (i32.const {op}) {} {})",
                    self.expr(a),
                    self.expr(b)
                )
            }
            ExprKind::Arith(op, a, b) => {
                let op = match op {
                    ArithOp::Add => 0,
                    ArithOp::Sub => 1,
                };
                format!(
                    "(call $arith (i32.const {op}) {} {})",
                    self.expr(a),
                    self.expr(b)
                )
            }
            ExprKind::If(c, t, f) => {
                let tc = self.local("i32");
                let tv = self.local("i64");
                let fv = self.local("i64");
                let (c, t, f) = (self.expr(c), self.expr(t), self.expr(f));
                // Both branches run when the condition is unknown; the result is
                // determined only if they agree.
                format!(
                    "(block (result i64) (local.set {tc} (call $truth {c})) \
                     (if (i32.ne (local.get {tc}) (i32.const 0)) (then (local.set {tv} {t}))) \
                     (if (i32.ne (local.get {tc}) (i32.const 1)) (then (local.set {fv} {f}))) \
                     (if (result i64) (i32.eq (local.get {tc}) (i32.const 1)) (then (local.get {tv})) \
                     (else (if (result i64) (i32.eqz (local.get {tc})) (then (local.get {fv})) \
                     (else (select (local.get {tv}) (i64.const {V_UNKNOWN}) \
                     (i32.eq (call $equal (local.get {tv}) (local.get {fv})) (i32.const 1))))))))"
                )
            }
            ExprKind::Quant(q, slot, label, coll, body) => {
                self.quantifier(*q, *slot, *label, coll, body)
            }
            ExprKind::List(items) | ExprKind::Set(items) => {
                let l = self.local("i32");
                let mut s = format!(
                    "(block (result i64) (local.set {l} (call $list_new (i32.const {})))",
                    items.len()
                );
                for (i, item) in items.iter().enumerate() {
                    let v = self.expr(item);
                    let _ = write!(s, " (call $list_set (local.get {l}) (i32.const {i}) {v})");
                }
                if matches!(e.kind, ExprKind::List(_)) {
                    let _ = write!(s, " (call $mk (i32.const {}) (local.get {l})))", tag::LIST);
                } else {
                    let _ = write!(s, " (call $set_or_list (local.get {l})))");
                }
                s
            }
            ExprKind::Comprehension {
                kind,
                slot,
                source,
                filter,
                element,
            } => self.comprehension(*kind, *slot, source, filter.as_deref(), element),
            ExprKind::Interp(parts) => {
                // Parts are evaluated first, then written: evaluation may build text too.
                let mut s = String::from("(block (result i64)");
                let mut writes = String::new();
                for p in parts {
                    match p {
                        InterpPart::Text(t) => {
                            let _ = write!(writes, " (call $sb_str (i32.const {}))", self.str(t));
                        }
                        InterpPart::Expr(x) => {
                            let v = self.local("i64");
                            let x = self.expr(x);
                            let _ = write!(s, " (local.set {v} {x})");
                            let _ = write!(writes, " (call $display (local.get {v}))");
                        }
                    }
                }
                let m = self.local("i32");
                let _ = write!(
                    s,
                    " (local.set {m} (call $sb_begin)){writes} (call $mk_str (call $sb_end (local.get {m}))))"
                );
                s
            }
            ExprKind::Let(slot, v, body) => {
                let v = self.expr(v);
                let body = self.expr(body);
                format!("(block (result i64) (local.set $s{slot} {v}) {body})")
            }
            ExprKind::Observe(label, x) => {
                let x = self.expr(x);
                if !self.record {
                    return x;
                }
                let v = self.local("i64");
                format!(
                    "(block (result i64) (local.set {v} {x}) \
                     (if (local.get $explain) (then (call $observe (i32.const {label}) (local.get {v})))) \
                     (local.get {v}))"
                )
            }
        }
    }

    fn builtin(&mut self, b: Builtin, args: &[Expr]) -> String {
        let a: Vec<String> = args
            .iter()
            .map(|x| format!("(call $normalize {})", self.expr(x)))
            .collect();
        let arg = |i: usize| a.get(i).cloned().unwrap_or_else(|| "(i64.const 0)".into());
        let tables = self.tables;
        let regex = |id: u32| tables.regexes.get(id as usize).copied().unwrap_or(0);
        match b {
            Builtin::Today => format!("(call $mk (i32.const {}) (global.get $today))", tag::DATE),
            Builtin::Known => format!("(call $b_known {})", arg(0)),
            Builtin::Lower => format!("(call $b_lower {})", arg(0)),
            Builtin::Upper => format!("(call $b_upper {})", arg(0)),
            Builtin::Trim => format!("(call $b_trim {})", arg(0)),
            Builtin::Count => format!("(call $b_count {})", arg(0)),
            Builtin::Date => format!("(call $b_date {})", arg(0)),
            Builtin::String => format!("(call $b_string {})", arg(0)),
            Builtin::Int => format!("(call $b_int {})", arg(0)),
            Builtin::Flatten => format!("(call $b_flatten {})", arg(0)),
            Builtin::Keys => format!("(call $b_keys_values (i32.const 0) {})", arg(0)),
            Builtin::Values => format!("(call $b_keys_values (i32.const 1) {})", arg(0)),
            Builtin::Split => format!("(call $b_split {} {})", arg(0), arg(1)),
            Builtin::RegexSplit(id) => format!(
                "(call $b_regex_split (i32.const {}) {} {})",
                regex(id),
                arg(0),
                arg(1)
            ),
            Builtin::Regex(id) => format!(
                "(call $b_regex (i32.const {}) {} {})",
                regex(id),
                arg(0),
                arg(1)
            ),
            Builtin::Replace => format!("(call $b_replace {} {} {})", arg(0), arg(1), arg(2)),
            Builtin::StartsWith => format!("(call $b_pred (i32.const 0) {} {})", arg(0), arg(1)),
            Builtin::EndsWith => format!("(call $b_pred (i32.const 1) {} {})", arg(0), arg(1)),
            Builtin::Contains => format!("(call $b_pred (i32.const 2) {} {})", arg(0), arg(1)),
            Builtin::Glob => format!("(call $b_pred (i32.const 3) {} {})", arg(0), arg(1)),
            Builtin::Tag => match args.get(1).and_then(Expr::as_const) {
                // A constant key is put in canonical form now, not at every call.
                Some(crate::ir::ConstValue::Str(k)) => {
                    let canonical: String = crate::semantics::keys::canonical_key(k).collect();
                    format!(
                        "(call $b_tag_canonical {} (i32.const {}))",
                        arg(0),
                        self.data.str(&canonical)
                    )
                }
                _ => format!("(call $b_tag {} {})", arg(0), arg(1)),
            },
            Builtin::Join => format!("(call $b_join {} {})", arg(0), arg(1)),
        }
    }

    fn quantifier(
        &mut self,
        q: Quant,
        slot: u32,
        label: Option<u32>,
        coll: &Expr,
        body: &Expr,
    ) -> String {
        let (c, n, i, u, t, item, mark, umark) = (
            self.local("i64"),
            self.local("i32"),
            self.local("i32"),
            self.local("i32"),
            self.local("i32"),
            self.local("i64"),
            self.local("i32"),
            self.local("i32"),
        );
        let k = self.next;
        let coll = self.expr(coll);
        let body = self.expr(body);
        // `any` is decided by a true element, `all` by a false one.
        let (decisive, v_decisive, v_other) = match q {
            Quant::Any => (1, V_TRUE, V_FALSE),
            Quant::All => (0, V_FALSE, V_TRUE),
        };
        // In explain mode the first undecided element's evidence is kept (from `umark`)
        // until a deciding element turns up; then the deciding one is the witness.
        let (save, restore, observe, keep_undecided, drop_undecided) = match (self.record, label) {
            (true, l) => (
                format!("(local.set {mark} (global.get $obs_n))"),
                format!("(global.set $obs_n (local.get {mark}))"),
                l.map(|l| {
                    format!(
                        "(if (local.get $explain) (then (call $observe (i32.const {l}) (local.get {item}))))"
                    )
                })
                .unwrap_or_default(),
                format!("(local.set {umark} (local.get {mark}))"),
                format!("(if (local.get {u}) (then (call $obs_drain (local.get {umark}) (local.get {mark}))))"),
            ),
            (false, _) => (String::new(), String::new(), String::new(), String::new(), String::new()),
        };
        format!(
            "(block $q{k} (result i64)
  (local.set {c} {coll})
  (if (call $is_unknown (local.get {c})) (then (br $q{k} (i64.const {V_UNKNOWN}))))
  (local.set {n} (call $len (local.get {c})))
  (local.set {i} (i32.const 0))
  (local.set {u} (i32.const 0))
  (block $e{k} (loop $l{k}
    (br_if $e{k} (i32.ge_u (local.get {i}) (local.get {n})))
    (local.set {item} (call $nth (local.get {c}) (local.get {i})))
    (local.set {i} (i32.add (local.get {i}) (i32.const 1)))
    {save}
    (local.set $s{slot} (local.get {item}))
    (local.set {t} (call $truth {body}))
    (if (i32.eq (local.get {t}) (i32.const {decisive})) (then {drop_undecided} {observe} (br $q{k} (i64.const {v_decisive}))))
    (if (i32.and (i32.eq (local.get {t}) (i32.const 2)) (i32.eqz (local.get {u})))
      (then (local.set {u} (i32.const 1)) {keep_undecided} {observe} (br $l{k})))
    {restore}
    (br $l{k})))
  (select (i64.const {V_UNKNOWN}) (i64.const {v_other}) (local.get {u})))"
        )
    }

    fn comprehension(
        &mut self,
        kind: Collect,
        slot: u32,
        source: &Expr,
        filter: Option<&Expr>,
        element: &Expr,
    ) -> String {
        let (c, n, i, l, count, t) = (
            self.local("i64"),
            self.local("i32"),
            self.local("i32"),
            self.local("i32"),
            self.local("i32"),
            self.local("i32"),
        );
        let k = self.next;
        let source = self.expr(source);
        let filter = match filter {
            Some(f) => {
                let f = self.expr(f);
                format!(
                    "(local.set {t} (call $truth {f}))
    (if (i32.eq (local.get {t}) (i32.const 2)) (then (br $k{k} (i64.const {V_UNKNOWN}))))
    (br_if $l{k} (i32.eqz (local.get {t})))"
                )
            }
            None => String::new(),
        };
        let element = self.expr(element);
        let finish = match kind {
            Collect::List => format!("(call $mk (i32.const {}) (local.get {l}))", tag::LIST),
            Collect::Set => format!("(call $set_or_list (local.get {l}))"),
        };
        format!(
            "(block $k{k} (result i64)
  (local.set {c} {source})
  (if (call $is_unknown (local.get {c})) (then (br $k{k} (i64.const {V_UNKNOWN}))))
  (local.set {n} (call $len (local.get {c})))
  (local.set {l} (call $list_new (local.get {n})))
  (local.set {i} (i32.const 0))
  (local.set {count} (i32.const 0))
  (block $e{k} (loop $l{k}
    (br_if $e{k} (i32.ge_u (local.get {i}) (local.get {n})))
    (local.set $s{slot} (call $nth (local.get {c}) (local.get {i})))
    (local.set {i} (i32.add (local.get {i}) (i32.const 1)))
    {filter}
    (call $list_set (local.get {l}) (local.get {count}) {element})
    (local.set {count} (i32.add (local.get {count}) (i32.const 1)))
    (br $l{k})))
  (i32.store (local.get {l}) (local.get {count}))
  {finish})"
        )
    }
}

/// A rule as `(func $ruleN (param $r i32) (param $explain i32) (result i32))`:
/// 0 not applicable, 1 pass, 2 violation, 3 undetermined. With `$explain` set it
/// records evidence and leaves the message in `$msg`.
pub fn rule(index: usize, r: &Rule, data: &mut Data, tables: &Tables) -> String {
    let mut g = Gen {
        data,
        tables,
        record: true,
        locals: String::new(),
        next: 0,
    };
    let mut body = format!(
        "(local.set $s0 (i64.or (i64.const {}) (i64.extend_i32_u (local.get $r))))\n",
        value(tag::RES, 0)
    );
    for c in &r.clauses {
        match c {
            Clause::Where(e) => {
                let e = g.expr(e);
                let _ = writeln!(
                    body,
                    "(local.set $t (call $truth {e}))
(if (i32.eqz (local.get $t)) (then (return (i32.const 0))))
(if (i32.eq (local.get $t) (i32.const 2)) (then (local.set $sel (i32.const 1))))"
                );
            }
            Clause::Let(slot, e) => {
                let e = g.expr(e);
                let _ = writeln!(body, "(local.set $s{slot} {e})");
            }
        }
    }
    let v = g.expr(&r.violation);
    let _ = writeln!(
        body,
        "(local.set $t (call $truth {v}))
(local.set $o (select (i32.const 1) (select (i32.const 2) (i32.const 3)
  (i32.and (i32.eq (local.get $t) (i32.const 1)) (i32.eqz (local.get $sel)))) (i32.eqz (local.get $t))))"
    );
    // The message sees the bindings the clauses left; it records no evidence.
    g.record = false;
    let message = match &r.message {
        Some(m) => format!("(call $display_str {})", g.expr(m)),
        None => {
            let title = g.str(&format!(": {}", r.meta.title));
            format!(
                "(block (result i32) (local.set $m (call $sb_begin)) (call $sb_str (i32.load (local.get $r))) \
                 (call $sb_str (i32.const {title})) (call $sb_end (local.get $m)))"
            )
        }
    };
    let _ = writeln!(
        body,
        "(if (local.get $explain) (then (global.set $msg {message})))\n(local.get $o)"
    );
    let slots: String = (0..r.frame.max(1))
        .map(|s| format!(" (local $s{s} i64)"))
        .collect();
    format!(
        "(func $rule{index} (type $rule_fn) (param $r i32) (param $explain i32) (result i32){slots} (local $t i32) (local $sel i32) (local $o i32) (local $m i32){}\n{body})\n",
        g.locals
    )
}

/// A user function as `(func $fnN (param i64)... (result i64))`; functions never
/// record evidence (their result is what counts).
pub fn function(index: usize, f: &Function, data: &mut Data, tables: &Tables) -> String {
    let mut g = Gen {
        data,
        tables,
        record: false,
        locals: String::new(),
        next: 0,
    };
    let body = g.expr(&f.body);
    let n = f.params.len() as u32;
    let params: String = (0..n).map(|s| format!(" (param $s{s} i64)")).collect();
    let slots: String = (n..f.frame.max(n))
        .map(|s| format!(" (local $s{s} i64)"))
        .collect();
    if !memoised(f) {
        return format!(
            "(func $fn{index}{params} (result i64){slots}{}\n{body})\n",
            g.locals
        );
    }
    // As the native evaluator does: several rules ask the same question of a
    // resource, and functions are pure. Only immediate results (a truth value holds no
    // pointer) are kept: the heap is released after every rule.
    format!(
        "(global $memo_key{index} (mut i64) (i64.const -1))\n\
         (global $memo_val{index} (mut i64) (i64.const 0))\n\
         (func $fn{index} (param $s0 i64) (result i64)\n\
         (if (i64.ne (global.get $memo_key{index}) (local.get $s0))\n\
         (then (global.set $memo_val{index} (call $fn{index}_body (local.get $s0)))\n\
         (global.set $memo_key{index} (local.get $s0))))\n\
         (global.get $memo_val{index}))\n\
         (func $fn{index}_body{params} (result i64){slots}{}\n{body})\n",
        g.locals
    )
}

/// Whether calls of `f` are memoised: one resource in, a truth value out.
fn memoised(f: &Function) -> bool {
    matches!(f.params.as_slice(), [Type::Record(Rec::Resource)]) && f.ret == Type::Bool
}

/// Forgets every memoised result: a resource value names another resource in the
/// next document. No value is -1 (its tag would be 0xFFFFFFFF).
fn memo_reset(p: &Program) -> String {
    let resets: String = (0..p.functions.len())
        .filter(|&i| memoised(&p.functions[i]))
        .map(|i| format!(" (global.set $memo_key{i} (i64.const -1))"))
        .collect();
    format!("(func $memo_reset{resets})\n")
}

/// Every rule and function of a program.
pub fn program(p: &Program, data: &mut Data, tables: &Tables) -> String {
    let mut out = memo_reset(p);
    for (i, f) in p.functions.iter().enumerate() {
        out.push_str(&function(i, f, data, tables));
    }
    for (i, r) in p.rules.iter().enumerate() {
        out.push_str(&rule(i, r, data, tables));
    }
    out
}
