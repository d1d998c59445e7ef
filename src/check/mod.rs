//! The checker: resolves names across packages and imports, types every expression,
//! validates rule, exception and test metadata, and builds the (unfolded) IR.
//!
//! It reports every problem it can find in one run; an erroneous expression gets the
//! type `any` so one mistake does not cascade into many.

#![forbid(unsafe_code)]

pub mod builtins;
pub mod err;
mod expr;
mod meta;
pub mod symbols;

use std::collections::HashMap;

use indexmap::IndexMap;

use crate::diag::{Diagnostics, SourceMap, Span, did_you_mean};
use crate::ir::types::Type;
use crate::ir::{self, ConstValue, FnId, LabelId};
use crate::syntax::ast;
pub use err::CheckError;

/// Calls may nest at most this deep, so evaluation never exhausts the stack.
pub const MAX_CALL_DEPTH: usize = 32;

/// The deepest recursion evaluating a rule may need, counted in evaluator frames
/// across function calls. The evaluator runs on the caller's stack; at this depth it
/// needs well under 2 MiB even in an unoptimised build.
pub const MAX_EVAL_DEPTH: usize = 512;

/// The result of checking: the IR (before folding) and any warnings.
pub struct Checked {
    pub program: ir::Program,
    pub warnings: Diagnostics,
}

/// Check parsed files together as one policy set.
pub fn check(files: &[ast::File], sm: &SourceMap) -> Result<Checked, Diagnostics> {
    crate::diag::with_compiler_stack(|| check_here(files, sm))
}

fn check_here(files: &[ast::File], sm: &SourceMap) -> Result<Checked, Diagnostics> {
    let files: Vec<&ast::File> = files.iter().collect();
    let mut c = Checker::new(&files, sm);
    c.index_declarations();
    c.run();
    if c.diags.error_count() == 0 {
        c.check_eval_depth();
    }
    let mut diags = std::mem::take(&mut c.diags);
    let warnings = diags.take_warnings();
    if diags.is_empty() {
        let mut program = c.program;
        program.labels = c.labels.into_keys().collect();
        program.regexes = c.regexes.into_keys().collect();
        Ok(Checked { program, warnings })
    } else {
        diags.extend(warnings);
        Err(diags)
    }
}

/// Where a declaration lives.
#[derive(Clone, Copy, Debug)]
struct ItemRef {
    file: usize,
    item: usize,
}

#[derive(Clone, Debug)]
enum ConstState {
    Pending,
    InProgress,
    Done(ConstValue, Type),
    Failed,
}

#[derive(Clone, Debug)]
struct FnSig {
    name: String,
    at: ItemRef,
    params: Vec<Type>,
    ret: Option<Type>,
    state: FnState,
    callees: Vec<(FnId, Span)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FnState {
    Pending,
    InProgress,
    Done,
}

struct Checker<'a> {
    files: &'a [&'a ast::File],
    sm: &'a SourceMap,
    diags: Diagnostics,
    /// Package name → declaration name → where.
    packages: IndexMap<String, IndexMap<String, ItemRef>>,
    /// Per file: import alias → (package, span, used).
    imports: Vec<IndexMap<String, (String, Span, bool)>>,
    fn_ids: HashMap<(usize, usize), FnId>,
    fns: Vec<FnSig>,
    consts: HashMap<(usize, usize), ConstState>,
    /// Declarations being checked, innermost last, for cycle messages.
    stack: Vec<String>,
    program: ir::Program,
    labels: IndexMap<String, ()>,
    regexes: IndexMap<String, ()>,
    /// The files checked by [`symbols::analyse`]; `None` checks every file.
    focus: Option<Vec<bool>>,
    /// What names refer to, recorded only for [`symbols::analyse`].
    symbols: Option<symbols::Symbols>,
}

/// Per-declaration checking state: the scopes of local bindings.
struct Ctx {
    file: usize,
    scopes: Vec<Binding>,
    frame: u32,
    /// Record evidence for sub-expressions (rule clauses and verdicts only).
    observe: bool,
    /// The function being checked, if any (for its call list).
    in_fn: Option<FnId>,
}

struct Binding {
    name: String,
    slot: u32,
    ty: Type,
    span: Span,
    used: bool,
    /// Only `let` bindings are reported when unused.
    warn_unused: bool,
}

impl Ctx {
    fn new(file: usize, observe: bool, in_fn: Option<FnId>) -> Ctx {
        Ctx {
            file,
            scopes: Vec::new(),
            frame: 0,
            observe,
            in_fn,
        }
    }

    fn bind(&mut self, name: &str, ty: Type, span: Span, warn_unused: bool) -> u32 {
        let slot = self.frame;
        self.frame += 1;
        self.scopes.push(Binding {
            name: name.to_owned(),
            slot,
            ty,
            span,
            used: false,
            warn_unused,
        });
        slot
    }

    /// The slot, type and declaration span of the innermost binding of `name`.
    fn lookup(&mut self, name: &str) -> Option<(u32, Type, Span)> {
        let b = self.scopes.iter_mut().rev().find(|b| b.name == name)?;
        b.used = true;
        Some((b.slot, b.ty.clone(), b.span))
    }

    fn mark(&self) -> usize {
        self.scopes.len()
    }
}

impl<'a> Checker<'a> {
    fn new(files: &'a [&'a ast::File], sm: &'a SourceMap) -> Checker<'a> {
        Checker {
            files,
            sm,
            diags: Diagnostics::new(),
            packages: IndexMap::new(),
            imports: Vec::new(),
            fn_ids: HashMap::new(),
            fns: Vec::new(),
            consts: HashMap::new(),
            stack: Vec::new(),
            program: ir::Program::default(),
            labels: IndexMap::new(),
            regexes: IndexMap::new(),
            focus: None,
            symbols: None,
        }
    }

    /// Bind a local name, recording its type for editors.
    fn bind(&mut self, ctx: &mut Ctx, name: &ast::Ident, ty: Type, warn_unused: bool) -> u32 {
        self.note_declared(name.span, &ty, None);
        ctx.bind(&name.name, ty, name.span, warn_unused)
    }

    fn src(&self, span: Span) -> miette::NamedSource<std::sync::Arc<str>> {
        self.sm.named(span)
    }

    fn item(&self, r: ItemRef) -> &'a ast::Item {
        &self.files[r.file].items[r.item]
    }

    fn package_of(&self, file: usize) -> String {
        self.files[file].package.dotted()
    }

    /// Index every declaration by package and name; assign function ids.
    fn index_declarations(&mut self) {
        for (fi, file) in self.files.iter().enumerate() {
            let pkg = file.package.dotted();
            // A package exists once a file declares it, even with nothing in it yet.
            self.packages.entry(pkg.clone()).or_default();
            for (ii, item) in file.items.iter().enumerate() {
                let name = item.kind.name();
                let entry = self.packages.entry(pkg.clone()).or_default();
                if entry.contains_key(&name.name) {
                    self.diags.push(CheckError::Duplicate {
                        name: name.name.clone(),
                        package: pkg.clone(),
                        src: self.sm.named(name.span),
                        at: name.span.into(),
                    });
                    continue;
                }
                entry.insert(name.name.clone(), ItemRef { file: fi, item: ii });
                match &item.kind {
                    ast::ItemKind::Fn(f) => {
                        let id = self.fns.len() as FnId;
                        self.fn_ids.insert((fi, ii), id);
                        self.fns.push(FnSig {
                            name: format!("{pkg}.{}", f.name.name),
                            at: ItemRef { file: fi, item: ii },
                            params: Vec::new(),
                            ret: None,
                            state: FnState::Pending,
                            callees: Vec::new(),
                        });
                    }
                    ast::ItemKind::Const(_) => {
                        self.consts.insert((fi, ii), ConstState::Pending);
                    }
                    _ => {}
                }
            }
        }
        // Imports, per file.
        for file in self.files {
            let mut map: IndexMap<String, (String, Span, bool)> = IndexMap::new();
            for imp in &file.imports {
                let target = imp.path.dotted();
                self.note_reference(imp.path.span, symbols::Target::Package(target.clone()));
                if let Some(alias) = &imp.alias {
                    self.note_reference(alias.span, symbols::Target::Package(target.clone()));
                }
                if !self.packages.contains_key(&target) {
                    let help = did_you_mean(&target, self.packages.keys().map(String::as_str))
                        .map(|s| format!("did you mean `{s}`?"))
                        .or_else(|| Some(format!("known packages: {}", self.package_list())));
                    self.diags.push(CheckError::UnknownPackage {
                        name: target.clone(),
                        src: self.sm.named(imp.path.span),
                        at: imp.path.span.into(),
                        help,
                    });
                }
                let bound = imp.bound_name().to_owned();
                // An import that failed is reported once: never again as unused.
                let known = self.packages.contains_key(&target);
                if map.contains_key(&bound) {
                    self.diags.push(CheckError::DuplicateImport {
                        name: bound,
                        src: self.sm.named(imp.span),
                        at: imp.span.into(),
                    });
                    continue;
                }
                map.insert(bound, (target, imp.span, !known));
            }
            self.imports.push(map);
        }
        // Function signatures: parameter types and declared return types.
        for id in 0..self.fns.len() {
            let at = self.fns[id].at;
            let ast::ItemKind::Fn(f) = &self.item(at).kind else {
                continue;
            };
            let params = f.params.iter().map(|p| self.resolve_type(&p.ty)).collect();
            let ret = f.ret.as_ref().map(|t| self.resolve_type(t));
            self.fns[id].params = params;
            self.fns[id].ret = ret;
        }
    }

    fn package_list(&self) -> String {
        self.packages
            .keys()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn resolve_type(&mut self, t: &ast::TypeExpr) -> Type {
        let args: Vec<Type> = t.args.iter().map(|a| self.resolve_type(a)).collect();
        match Type::from_name(&t.name.name, args) {
            Ok(ty) => ty,
            Err(msg) => {
                let help = did_you_mean(&t.name.name, Type::NAMES.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"))
                    .or(Some(msg.clone()));
                let help = if msg.starts_with("unknown") {
                    help
                } else {
                    Some(msg)
                };
                self.diags.push(CheckError::UnknownType {
                    name: t.name.name.clone(),
                    src: self.src(t.span),
                    at: t.span.into(),
                    help,
                });
                Type::Any
            }
        }
    }

    fn run(&mut self) {
        // Declarations outside the focus are checked only when a focused file uses them.
        let focused: Vec<usize> = (0..self.files.len())
            .filter(|&f| self.in_focus(f))
            .collect();
        for &fi in &focused {
            for ii in 0..self.files[fi].items.len() {
                let r = ItemRef { file: fi, item: ii };
                match &self.item(r).kind {
                    ast::ItemKind::Const(_) => {
                        self.ensure_const(r);
                    }
                    ast::ItemKind::Fn(_) => {
                        if let Some(&id) = self.fn_ids.get(&(fi, ii)) {
                            self.ensure_fn(id);
                        }
                    }
                    _ => {}
                }
            }
        }
        self.check_call_graph();
        let mut rule_ids: HashMap<String, Span> = HashMap::new();
        for fi in 0..self.files.len() {
            for ii in 0..self.files[fi].items.len() {
                let item = self.item(ItemRef { file: fi, item: ii });
                if let ast::ItemKind::Rule(rule) = &item.kind {
                    if self.in_focus(fi) {
                        self.check_rule(fi, item, rule, &mut rule_ids);
                    } else if let Some((id, span)) = symbols::declared_rule_id(rule) {
                        // Outside the focus only the id matters, to find duplicates and
                        // the rules exceptions and tests name.
                        rule_ids.entry(id.to_owned()).or_insert(span);
                    }
                }
            }
        }
        for &fi in &focused {
            for ii in 0..self.files[fi].items.len() {
                let item = self.item(ItemRef { file: fi, item: ii });
                match &item.kind {
                    ast::ItemKind::Exception(e) => self.check_exception(fi, e, &rule_ids),
                    ast::ItemKind::Test(t) => self.check_test(fi, t, &rule_ids),
                    _ => {}
                }
            }
        }
        for (fi, imports) in self.imports.iter().enumerate() {
            for (name, (_, span, used)) in imports {
                if !used && self.in_focus(fi) {
                    self.diags.push(CheckError::UnusedImport {
                        name: name.clone(),
                        src: self.sm.named(*span),
                        at: (*span).into(),
                    });
                }
            }
        }
    }

    /// Check a constant (once) and return its folded value and type.
    fn ensure_const(&mut self, r: ItemRef) -> Option<(ConstValue, Type)> {
        match self.consts.get(&(r.file, r.item)).cloned() {
            Some(ConstState::Done(v, t)) => return Some((v, t)),
            Some(ConstState::Failed) | None => return None,
            Some(ConstState::InProgress) => {
                let item = self.item(r);
                let name = item.kind.name();
                let cycle = self.cycle_text(&name.name);
                self.diags.push(CheckError::ConstCycle {
                    name: name.name.clone(),
                    cycle,
                    src: self.src(name.span),
                    at: name.span.into(),
                });
                self.consts.insert((r.file, r.item), ConstState::Failed);
                return None;
            }
            Some(ConstState::Pending) => {}
        }
        let item = self.item(r);
        let ast::ItemKind::Const(c) = &item.kind else {
            return None;
        };
        if self.stack.len() >= MAX_CALL_DEPTH {
            self.too_deep(c.name.span);
            self.consts.insert((r.file, r.item), ConstState::Failed);
            return None;
        }
        self.consts.insert((r.file, r.item), ConstState::InProgress);
        self.stack.push(c.name.name.clone());
        let mut ctx = Ctx::new(r.file, false, None);
        let errors_before = self.diags.error_count();
        let value = self.expr(&mut ctx, &c.value);
        self.stack.pop();
        let declared = c.ty.as_ref().map(|t| self.resolve_type(t));
        if let Some(d) = &declared
            && !value.ty.fits(d)
        {
            self.mismatch(&format!("`{d}`"), &value.ty, c.value.span, None);
        }
        let folded = crate::fold::fold(value);
        let state = match folded.as_const() {
            Some(v) => ConstState::Done(v.clone(), declared.unwrap_or(folded.ty.clone())),
            None => {
                if self.diags.error_count() == errors_before {
                    let name = c.name.name.clone();
                    let (src, at) = (self.src(c.value.span), c.value.span.into());
                    self.diags.push(match crate::fold::fold_limit(&folded) {
                        Some(hit) => CheckError::ConstTooCostly {
                            name,
                            limit: hit.name(),
                            src,
                            at,
                        },
                        None => CheckError::ConstNotConstant { name, src, at },
                    });
                }
                ConstState::Failed
            }
        };
        self.consts.insert((r.file, r.item), state.clone());
        if let ConstState::Done(v, t) = &state {
            self.note_declared(c.name.span, t, Some(v));
        }
        match state {
            ConstState::Done(v, t) => Some((v, t)),
            _ => None,
        }
    }

    fn cycle_text(&self, name: &str) -> String {
        let start = self.stack.iter().position(|n| n == name).unwrap_or(0);
        let mut parts: Vec<&str> = self.stack[start..].iter().map(String::as_str).collect();
        parts.push(name);
        parts.join(" → ")
    }

    fn too_deep(&mut self, span: Span) {
        self.diags.push(CheckError::CallChainTooDeep {
            limit: MAX_CALL_DEPTH,
            chain: self.stack.join(" → "),
            src: self.src(span),
            at: span.into(),
        });
    }

    /// Check a function body (once); returns its return type.
    fn ensure_fn(&mut self, id: FnId) -> Type {
        let sig = &self.fns[id as usize];
        match sig.state {
            FnState::Done => return sig.ret.clone().unwrap_or(Type::Any),
            // A cycle: reported by the call-graph check; the declared type (if any) serves.
            FnState::InProgress => return sig.ret.clone().unwrap_or(Type::Any),
            FnState::Pending => {}
        }
        let at = sig.at;
        let ast::ItemKind::Fn(f) = &self.item(at).kind else {
            return Type::Any;
        };
        if self.stack.len() >= MAX_CALL_DEPTH {
            self.too_deep(f.name.span);
            self.fns[id as usize].state = FnState::Done;
            return Type::Any;
        }
        self.fns[id as usize].state = FnState::InProgress;
        self.stack.push(f.name.name.clone());
        let mut ctx = Ctx::new(at.file, false, Some(id));
        let params = self.fns[id as usize].params.clone();
        for (p, ty) in f.params.iter().zip(&params) {
            self.bind(&mut ctx, &p.name, ty.clone(), false);
        }
        let body = self.block(&mut ctx, &f.body);
        self.stack.pop();
        let ret = match self.fns[id as usize].ret.clone() {
            Some(declared) => {
                if !body.ty.fits(&declared) {
                    self.mismatch(
                        &format!("`{declared}` (the declared return type)"),
                        &body.ty,
                        f.body.result.span,
                        None,
                    );
                }
                declared
            }
            None => body.ty.clone(),
        };
        self.note_declared(f.name.span, &ret, None);
        let sig = &mut self.fns[id as usize];
        sig.ret = Some(ret.clone());
        sig.state = FnState::Done;
        let name = sig.name.clone();
        let function = ir::Function {
            name,
            params,
            ret: ret.clone(),
            frame: ctx.frame,
            body,
        };
        let idx = id as usize;
        if self.program.functions.len() <= idx {
            self.program
                .functions
                .resize_with(idx + 1, || ir::Function {
                    name: String::new(),
                    params: Vec::new(),
                    ret: Type::Any,
                    frame: 0,
                    body: ir::Expr::constant(ConstValue::Null, Type::Null),
                });
        }
        self.program.functions[idx] = function;
        ret
    }

    /// Reject functions and rules whose evaluation would recurse deeper than
    /// [`MAX_EVAL_DEPTH`]; only the innermost offender is reported.
    fn check_eval_depth(&mut self) {
        let n = self.program.functions.len();
        let mut depths: Vec<usize> = vec![0; n];
        let mut over = vec![false; n];
        // Callees come first: a function is checked after everything it calls.
        for id in self.call_order() {
            let f = &self.program.functions[id];
            let d = eval_depth(&f.body, &depths);
            depths[id] = d;
            let callee_over = self.fns[id].callees.iter().any(|(c, _)| over[*c as usize]);
            over[id] = d > MAX_EVAL_DEPTH;
            if over[id] && !callee_over {
                let span = self.item(self.fns[id].at).kind.name().span;
                let what = format!("function `{}`", self.fns[id].name);
                self.eval_too_deep(what, d, span);
            }
        }
        for rule in &self.program.rules {
            let d = rule
                .clauses
                .iter()
                .map(|c| match c {
                    ir::Clause::Where(e) | ir::Clause::Let(_, e) => e,
                })
                .chain(std::iter::once(&rule.violation))
                .chain(rule.message.as_ref())
                .map(|e| eval_depth(e, &depths))
                .max()
                .unwrap_or(0);
            let calls_over = over.iter().any(|o| *o);
            if d > MAX_EVAL_DEPTH && !calls_over {
                let pos = &rule.meta.position;
                self.diags.push(CheckError::EvalTooDeep {
                    what: format!("rule `{}` ({pos})", rule.meta.name),
                    depth: d,
                    limit: MAX_EVAL_DEPTH,
                    src: None,
                    at: None,
                });
            }
        }
    }

    fn eval_too_deep(&mut self, what: String, depth: usize, span: Span) {
        self.diags.push(CheckError::EvalTooDeep {
            what,
            depth,
            limit: MAX_EVAL_DEPTH,
            src: Some(self.src(span)),
            at: Some(span.into()),
        });
    }

    /// Function ids, every callee before its callers (cycles were reported already).
    fn call_order(&self) -> Vec<usize> {
        let n = self.fns.len().min(self.program.functions.len());
        let mut order = Vec::with_capacity(n);
        walk_calls(&self.fns[..n], |step| {
            if let CallStep::Done(f) = step {
                order.push(f);
            }
        });
        order
    }

    /// Reject recursion and over-long call chains; both would threaten termination
    /// or the evaluator's stack.
    fn check_call_graph(&mut self) {
        // depth[i] = longest chain from i (a call back into the path counts nothing).
        let mut depth = vec![0usize; self.fns.len()];
        let mut cycles = Vec::new();
        walk_calls(&self.fns, |step| match step {
            CallStep::Cycle(cycle, span) => cycles.push((cycle, span)),
            CallStep::Done(f) => {
                let callees = self.fns[f].callees.iter();
                depth[f] = 1 + callees.map(|(c, _)| depth[*c as usize]).max().unwrap_or(0);
            }
        });
        for (cycle, span) in cycles {
            let names: Vec<&str> = cycle.iter().map(|&f| self.fns[f].name.as_str()).collect();
            self.diags.push(CheckError::Recursion {
                cycle: names.join(" → "),
                src: self.src(span),
                at: span.into(),
            });
        }
        for (i, d) in depth.iter().enumerate() {
            if *d > MAX_CALL_DEPTH {
                let at = self.fns[i].at;
                let span = self.item(at).kind.name().span;
                self.diags.push(CheckError::CallChainTooDeep {
                    limit: MAX_CALL_DEPTH,
                    chain: format!("{} starts a chain of {d} calls", self.fns[i].name),
                    src: self.src(span),
                    at: span.into(),
                });
                break;
            }
        }
    }

    fn block(&mut self, ctx: &mut Ctx, b: &ast::Block) -> ir::Expr {
        let mark = ctx.mark();
        let mut lets = Vec::new();
        for l in &b.lets {
            let value = self.expr(ctx, &l.value);
            let slot = self.bind(ctx, &l.name, value.ty.clone(), true);
            lets.push((slot, value));
        }
        let mut result = self.expr(ctx, &b.result);
        self.pop_scope(ctx, mark);
        for (slot, value) in lets.into_iter().rev() {
            let ty = result.ty.clone();
            result = ir::Expr::new(
                ir::ExprKind::Let(slot, Box::new(value), Box::new(result)),
                ty,
            );
        }
        result
    }

    /// Leave scopes down to `mark`, warning about unused `let`s.
    fn pop_scope(&mut self, ctx: &mut Ctx, mark: usize) {
        while ctx.scopes.len() > mark {
            if let Some(b) = ctx.scopes.pop()
                && b.warn_unused
                && !b.used
                && !b.name.starts_with('_')
            {
                self.diags.push(CheckError::UnusedBinding {
                    name: b.name,
                    src: self.src(b.span),
                    at: b.span.into(),
                });
            }
        }
    }

    fn label(&mut self, span: Span) -> LabelId {
        let text = collapse_whitespace(self.sm.text(span));
        let (idx, _) = self.labels.insert_full(text, ());
        idx as LabelId
    }

    /// An evidence label for an expression: its canonical text, so reformatting a
    /// policy never renames its evidence.
    fn expr_label(&mut self, e: &ast::Expr) -> LabelId {
        let text = self.canonical(e);
        let (idx, _) = self.labels.insert_full(text, ());
        idx as LabelId
    }

    /// The canonical one-line text of an expression.
    fn canonical(&self, e: &ast::Expr) -> String {
        let source = &self.sm.file(e.span.file).text;
        collapse_whitespace(&crate::syntax::expr_to_string(e, source))
    }

    fn mismatch(&mut self, expected: &str, found: &Type, span: Span, help: Option<String>) {
        if matches!(found, Type::Any) {
            return;
        }
        self.diags.push(CheckError::TypeMismatch {
            expected: expected.to_owned(),
            found: found.to_string(),
            src: self.src(span),
            at: span.into(),
            help,
        });
    }
}

/// Evaluator frames needed to evaluate `e`, given each function's own depth. Nodes
/// evaluated through a helper (calls, builtins, quantifiers, comprehensions) count
/// twice.
fn eval_depth(e: &ir::Expr, functions: &[usize]) -> usize {
    use ir::ExprKind as K;
    let children = e
        .children()
        .into_iter()
        .map(|c| eval_depth(c, functions))
        .max()
        .unwrap_or(0);
    match &e.kind {
        K::Call(id, _) => 2 + children.max(functions.get(*id as usize).copied().unwrap_or(0)),
        K::Builtin(..) | K::Quant(..) | K::Comprehension { .. } => 2 + children,
        _ => 1 + children,
    }
}

/// Evidence labels are source text on one line.
fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What [`walk_calls`] meets.
enum CallStep {
    /// A call back into a function on the path: the functions of the cycle, from that
    /// function round to it again, and the call that closes it.
    Cycle(Vec<usize>, Span),
    /// A function whose callees are all done: functions come in post-order.
    Done(usize),
}

/// Depth-first over the call graph of `fns`, with a path of its own rather than the
/// stack (user code may chain calls as deep as it likes). Calls to functions past the
/// end of `fns` are not followed.
fn walk_calls(fns: &[FnSig], mut step: impl FnMut(CallStep)) {
    // 0 = unvisited, 1 = on the path, 2 = done.
    let mut state = vec![0u8; fns.len()];
    for root in 0..fns.len() {
        if state[root] != 0 {
            continue;
        }
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            let Some(&(callee, span)) = fns[node].callees.get(*next) else {
                state[node] = 2;
                step(CallStep::Done(node));
                path.pop();
                continue;
            };
            *next += 1;
            let callee = callee as usize;
            match state.get(callee) {
                Some(0) => {
                    state[callee] = 1;
                    path.push((callee, 0));
                }
                Some(1) => {
                    let start = path.iter().position(|(f, _)| *f == callee).unwrap_or(0);
                    let mut cycle: Vec<usize> = path[start..].iter().map(|(f, _)| *f).collect();
                    cycle.push(callee);
                    step(CallStep::Cycle(cycle, span));
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceFile;

    fn check_text(text: &str) -> Result<Checked, Diagnostics> {
        let mut sm = SourceMap::default();
        let file = SourceFile::new("p.juris", text);
        let parsed = crate::syntax::parse_file(0, &file).expect("it parses");
        sm.add(file);
        check(&[parsed], &sm)
    }

    fn checks(text: &str) -> Checked {
        check_text(text).unwrap_or_else(|d| panic!("{}", d.render_plain()))
    }

    fn errors(text: &str) -> Diagnostics {
        match check_text(text) {
            Ok(_) => panic!("checked without an error:\n{text}"),
            Err(d) => d,
        }
    }

    fn rule(body: &str) -> String {
        format!(
            "package p\nrule r {{\n  id: \"P-1\" severity: high enforce: hard\n  for r in resources\n{body}\n}}\n"
        )
    }

    #[test]
    fn a_well_typed_rule_lowers_to_one_ir_rule() {
        let checked = checks(&rule("  deny if r.type == \"aws_s3_bucket\""));
        assert_eq!(checked.program.rules.len(), 1);
        assert_eq!(
            checked.program.rule("P-1").map(|r| r.meta.id.as_str()),
            Some("P-1")
        );
        assert!(checked.warnings.is_empty());
    }

    #[test]
    fn a_misspelt_field_is_e0202_with_the_closest_name() {
        let err = errors(&rule("  deny if r.tpye == \"x\""));
        assert_eq!(err.codes(), ["juris::E0202"]);
        assert!(
            err.render_plain().contains("`type`"),
            "{}",
            err.render_plain()
        );
    }

    #[test]
    fn an_unknown_name_is_e0201() {
        let err = errors(&rule("  deny if s.type == \"x\""));
        assert_eq!(err.codes(), ["juris::E0201"]);
    }

    #[test]
    fn every_error_is_reported_not_only_the_first() {
        let err = errors(&rule("  where s.type == \"x\"\n  deny if nope(r)"));
        assert_eq!(err.codes(), ["juris::E0201", "juris::E0203"]);
    }

    #[test]
    fn an_unused_binding_is_a_warning_not_an_error() {
        let checked = checks(&rule("  let unused = 1\n  deny if false"));
        assert_eq!(checked.warnings.codes(), ["juris::W0101"]);
    }

    #[test]
    fn a_constant_that_depends_on_itself_is_refused() {
        let err = errors("package p\nconst a = b\nconst b = a\n");
        assert!(
            err.codes().iter().all(|c| c == "juris::E0209"),
            "{:?}",
            err.codes()
        );
    }
}
