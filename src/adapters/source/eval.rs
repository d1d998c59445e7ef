//! Static evaluation of Terraform expressions over a module tree: variables (with
//! where each value came from), locals, module arguments and outputs, `count` and
//! `for_each`, and references to other resources' configured arguments. Anything
//! Terraform would only learn at apply time, or that juris does not evaluate, is
//! [`Val::Unknown`] with the reason: never a guess.
//!
//! Evaluation is lazy and memoised; cycles, depth and the total work are bounded, and
//! exceeding a bound is a clean error (`SourceError`), never a stack overflow or a hang.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::ops::Range;
use std::rc::Rc;

use hcl_edit::Span as _;
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::template::{Directive, Element, Template};
use indexmap::IndexMap;
use rustc_hash::{FxHashMap, FxHashSet};

use super::err::SourceError;
use super::funcs;
use super::module::{Block, Body, Module};
use super::tree::Tree;
use super::value::Val;

/// A Terraform evaluation error (Terraform itself would refuse the configuration).
pub(crate) type Fail = Rc<str>;

/// How deep a chain of references may go (`a = b.x`, `b.x = local.y`, ...).
pub(crate) const MAX_REFERENCE_DEPTH: usize = 128;
/// Instances one `count` or `for_each` may make.
pub(crate) const MAX_INSTANCES: u64 = 100_000;

/// A root module variable's value given from outside, and where it was given.
#[derive(Clone, Debug)]
pub(crate) struct Given {
    pub value: Val,
    /// `terraform.tfvars:2`, `--var`, `TF_VAR_region`.
    pub origin: String,
}

/// The key of a `count` or `for_each` instance.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum InstKey {
    None,
    Int(u64),
    Str(String),
}

impl InstKey {
    /// The address suffix: ``, `[0]`, `["eu"]`.
    pub fn suffix(&self) -> String {
        match self {
            InstKey::None => String::new(),
            InstKey::Int(i) => format!("[{i}]"),
            InstKey::Str(s) => format!("[{}]", serde_json::Value::from(s.as_str())),
        }
    }
}

/// Traversal steps after a name (`.a`, `[0]`, `[*]`).
type Ops = [hcl_edit::Decorated<TraversalOperator>];

/// What to do with one instance of a `count`/`for_each` block and the steps after it.
type PerInstance<'a> = &'a dyn Fn(&Instance, &Ops) -> Result<Val, Fail>;

/// Names bound in a scope: `each`, `count`, `self`, `for` variables.
pub(crate) type Bindings = Rc<Vec<(Rc<str>, Val)>>;

/// One instance of a module (the root, or one key of a module call).
pub(crate) struct ModInst {
    pub module: usize,
    /// Configuration path: `module.a.module.b`.
    pub config_path: String,
    /// Address prefix of its resources: `module.a[0].module.b`, `""` for the root.
    pub path: String,
    pub parent: Option<usize>,
    /// The call's name in the parent module.
    pub call: Option<String>,
    /// `count` / `each` of this module instance, for evaluating its call's arguments.
    pub bindings: Bindings,
}

/// The instances of a `count`/`for_each` block. When the number is not known, one
/// representative instance (with `each`/`count` unknown) stands for all of them.
pub(crate) struct Expansion {
    pub instances: Vec<Instance>,
    pub unknown: Option<Rc<str>>,
}

pub(crate) struct Instance {
    pub key: InstKey,
    pub bindings: Bindings,
    /// For module calls: the module instance.
    pub child: Option<usize>,
}

/// Where an expression is evaluated.
#[derive(Clone)]
pub(crate) struct Scope {
    pub inst: usize,
    pub file: usize,
    pub bindings: Bindings,
}

impl Scope {
    /// The top of a module instance's file, where no `for`, `each` or `count` binds.
    fn top(inst: usize, file: usize) -> Scope {
        Scope {
            inst,
            file,
            bindings: Rc::default(),
        }
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    Var(usize, String),
    Local(usize, String),
    Output(usize, String),
    Attr(usize, String, InstKey, String),
}

struct Memo {
    value: Result<Val, Fail>,
    trace: Rc<[String]>,
}

/// The evaluation of one configuration.
pub(crate) struct World<'t> {
    pub tree: &'t Tree,
    given: IndexMap<String, Given>,
    pub insts: RefCell<Vec<ModInst>>,
    memo: RefCell<FxHashMap<Key, Rc<Memo>>>,
    active: RefCell<FxHashSet<Key>>,
    calls: RefCell<FxHashMap<(usize, String), Rc<Expansion>>>,
    resources: RefCell<FxHashMap<(usize, String), Rc<Expansion>>>,
    steps_left: Cell<u64>,
    step_limit: u64,
    depth: Cell<usize>,
    fatal: RefCell<Option<SourceError>>,
    traces: RefCell<Vec<Vec<String>>>,
    /// Things Terraform would refuse or juris could not expand: (message, address).
    pub warnings: RefCell<Vec<(String, Option<String>)>>,
}

impl<'t> World<'t> {
    pub fn new(tree: &'t Tree, given: IndexMap<String, Given>, step_limit: u64) -> World<'t> {
        let root = ModInst {
            module: tree.paths.get("").copied().unwrap_or(0),
            config_path: String::new(),
            path: String::new(),
            parent: None,
            call: None,
            bindings: Rc::default(),
        };
        World {
            tree,
            given,
            insts: RefCell::new(vec![root]),
            memo: RefCell::default(),
            active: RefCell::default(),
            calls: RefCell::default(),
            resources: RefCell::default(),
            steps_left: Cell::new(step_limit),
            step_limit,
            depth: Cell::new(0),
            fatal: RefCell::default(),
            traces: RefCell::default(),
            warnings: RefCell::default(),
        }
    }

    /// True once an error has stopped evaluation.
    pub fn failed(&self) -> bool {
        self.fatal.borrow().is_some()
    }

    /// The first error that stopped evaluation, if any.
    pub fn take_fatal(&self) -> Option<SourceError> {
        self.fatal.borrow_mut().take()
    }

    pub fn module_of(&self, inst: usize) -> &'t Module {
        let m = self.insts.borrow()[inst].module;
        &self.tree.modules[m]
    }

    pub fn warn(&self, message: String, address: Option<String>) {
        let mut w = self.warnings.borrow_mut();
        if !w.iter().any(|(m, a)| *m == message && *a == address) {
            w.push((message, address));
        }
    }

    /// Evaluates `f`, returning its result with every variable and local it consulted,
    /// in words (for derivations).
    pub fn traced<T>(&self, f: impl FnOnce() -> T) -> (T, Vec<String>) {
        self.traces.borrow_mut().push(Vec::new());
        let out = f();
        let trace = self.traces.borrow_mut().pop().unwrap_or_default();
        self.extend_trace(&trace);
        (out, trace)
    }

    fn note(&self, s: String) {
        if let Some(top) = self.traces.borrow_mut().last_mut()
            && !top.contains(&s)
        {
            top.push(s);
        }
    }

    fn extend_trace(&self, items: &[String]) {
        if let Some(top) = self.traces.borrow_mut().last_mut() {
            for s in items {
                if !top.contains(s) {
                    top.push(s.clone());
                }
            }
        }
    }

    /// The value of an expression, with a Terraform error turned into an unknown (and a
    /// warning, since `terraform plan` would refuse the configuration).
    pub fn value_of(&self, expr: &Expression, sc: &Scope, address: Option<&str>) -> Val {
        match self.eval(expr, sc) {
            Ok(v) => v,
            Err(e) => {
                if self.fatal.borrow().is_none() {
                    let at = self.place(sc, expr);
                    self.warn(
                        format!("{at}: Terraform would refuse this expression: {e}"),
                        address.map(str::to_owned),
                    );
                }
                Val::unknown(format!("Terraform would refuse its expression: {e}"))
            }
        }
    }

    fn place(&self, sc: &Scope, expr: &Expression) -> String {
        let file = self.module_of(sc.inst).file(sc.file);
        file.place(&expr.span().unwrap_or(0..0))
    }

    fn stop(&self, error: SourceError) -> Fail {
        let mut fatal = self.fatal.borrow_mut();
        if fatal.is_none() {
            *fatal = Some(error);
        }
        Rc::from("evaluation stopped")
    }

    /// Charges `cost` steps of the budget.
    pub fn charge(&self, cost: u64, sc: &Scope, span: Option<Range<usize>>) -> Result<(), Fail> {
        let left = self.steps_left.get();
        if left >= cost && self.fatal.borrow().is_none() {
            self.steps_left.set(left - cost);
            return Ok(());
        }
        if self.fatal.borrow().is_some() {
            return Err(Rc::from("evaluation stopped"));
        }
        let file = self.module_of(sc.inst).file(sc.file);
        let (src, span) = file.error_at(&span.unwrap_or(0..0));
        Err(self.stop(SourceError::Budget {
            limit: self.step_limit,
            src,
            span,
        }))
    }

    fn enter(&self, sc: &Scope, expr: &Expression) -> Result<DepthGuard<'_, 't>, Fail> {
        let d = self.depth.get() + 1;
        if d > MAX_REFERENCE_DEPTH {
            let file = self.module_of(sc.inst).file(sc.file);
            let (src, span) = file.error_at(&expr.span().unwrap_or(0..0));
            return Err(self.stop(SourceError::ReferenceDepth {
                limit: MAX_REFERENCE_DEPTH,
                src,
                span,
            }));
        }
        self.depth.set(d);
        Ok(DepthGuard(self))
    }

    /// Memoised evaluation of a named item, with cycle detection.
    fn memoised(&self, key: Key, compute: impl FnOnce() -> Result<Val, Fail>) -> Result<Val, Fail> {
        if let Some(m) = self.memo.borrow().get(&key).cloned() {
            self.extend_trace(&m.trace);
            return m.value.clone();
        }
        if !self.active.borrow_mut().insert(key.clone()) {
            return Err(Rc::from(format!("{} refers to itself", describe(&key))));
        }
        let (value, trace) = self.traced(compute);
        self.active.borrow_mut().remove(&key);
        // A result cut short by the budget or depth limit is not a value to remember.
        if self.fatal.borrow().is_none() {
            self.memo.borrow_mut().insert(
                key,
                Rc::new(Memo {
                    value: value.clone(),
                    trace: trace.into(),
                }),
            );
        }
        value
    }

    pub fn eval(&self, expr: &Expression, sc: &Scope) -> Result<Val, Fail> {
        self.charge(1, sc, expr.span())?;
        Ok(match expr {
            Expression::Null(_) => Val::Null,
            Expression::Bool(b) => Val::Bool(*b.value()),
            Expression::Number(n) => n.as_f64().map_or(Val::Null, Val::Number),
            Expression::String(s) => Val::str(s.value().as_str()),
            Expression::Array(a) => {
                let mut items = Vec::with_capacity(a.len());
                for e in a.iter() {
                    items.push(self.eval(e, sc)?);
                }
                Val::list(items)
            }
            Expression::Object(o) => {
                let mut map = BTreeMap::new();
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_owned(),
                        ObjectKey::Expression(e) => match self.object_key(e, sc)? {
                            Ok(k) => k,
                            Err(unknown) => return Ok(unknown),
                        },
                    };
                    map.insert(key, self.eval(v.expr(), sc)?);
                }
                Val::object(map)
            }
            Expression::StringTemplate(t) => self.template(t, sc)?,
            Expression::HeredocTemplate(h) => self.template(&h.template, sc)?,
            Expression::Parenthesis(p) => self.eval(p.inner(), sc)?,
            Expression::Variable(v) => self.root(v.as_str(), &[], sc, expr)?,
            Expression::Traversal(t) => match &t.expr {
                Expression::Variable(v) => self.root(v.as_str(), &t.operators, sc, expr)?,
                other => {
                    let base = self.eval(other, sc)?;
                    self.apply(base, &t.operators, sc)?
                }
            },
            Expression::Conditional(c) => match self.eval(&c.cond_expr, sc)? {
                Val::Unknown(why) => Val::Unknown(why),
                cond => match cond.as_bool() {
                    Some(true) => self.eval(&c.true_expr, sc)?,
                    Some(false) => self.eval(&c.false_expr, sc)?,
                    None => {
                        return Err(Rc::from(format!(
                            "a condition must be true or false, not {}",
                            cond.type_name()
                        )));
                    }
                },
            },
            Expression::FuncCall(call) => {
                let name = call.name.name.as_str();
                if call.name.is_namespaced() {
                    return Ok(Val::unknown(format!(
                        "it calls provider function `{name}`, which juris does not evaluate"
                    )));
                }
                match name {
                    "try" => return self.try_(call.args.iter(), sc),
                    "can" => {
                        let Some(arg) = call.args.iter().next() else {
                            return Err(Rc::from("`can` takes one argument"));
                        };
                        return Ok(match self.eval(arg, sc) {
                            Ok(v) if !v.is_wholly_known() => v,
                            Ok(_) => Val::Bool(true),
                            Err(_) if self.fatal.borrow().is_some() => {
                                return Err(Rc::from("evaluation stopped"));
                            }
                            Err(_) => Val::Bool(false),
                        });
                    }
                    _ => {}
                }
                let mut args = Vec::with_capacity(call.args.len());
                for a in call.args.iter() {
                    args.push(self.eval(a, sc)?);
                }
                if call.args.expand_final() {
                    match args.pop() {
                        Some(Val::List(items)) => args.extend(items.iter().cloned()),
                        Some(Val::Unknown(why)) => return Ok(Val::Unknown(why)),
                        Some(other) => {
                            return Err(Rc::from(format!(
                                "`...` expands a list, not {}",
                                other.type_name()
                            )));
                        }
                        None => {}
                    }
                }
                let out = funcs::call(name, &args)?;
                self.charge(cost_of(&out), sc, expr.span())?;
                out
            }
            Expression::UnaryOp(op) => {
                let v = self.eval(&op.expr, sc)?;
                if let Val::Unknown(why) = v {
                    return Ok(Val::Unknown(why));
                }
                match op.operator.value() {
                    UnaryOperator::Neg => match v.as_number() {
                        Some(n) => Val::Number(-n),
                        None => return Err(Rc::from("`-` needs a number")),
                    },
                    UnaryOperator::Not => match v.as_bool() {
                        Some(b) => Val::Bool(!b),
                        None => return Err(Rc::from("`!` needs true or false")),
                    },
                }
            }
            Expression::BinaryOp(op) => {
                let l = self.eval(&op.lhs_expr, sc)?;
                let r = self.eval(&op.rhs_expr, sc)?;
                binary(*op.operator.value(), &l, &r)?
            }
            Expression::ForExpr(f) => self.for_expr(f, sc)?,
        })
    }

    /// An object key written as an expression: its string, or the unknown object.
    fn object_key(&self, e: &Expression, sc: &Scope) -> Result<Result<String, Val>, Fail> {
        // `(var.x) = 1` and `"k" = 1` evaluate; a bare word is the word itself.
        if let Expression::Variable(v) = e {
            return Ok(Ok(v.as_str().to_owned()));
        }
        match self.eval(e, sc)? {
            Val::Unknown(why) => Ok(Err(Val::Unknown(why))),
            k => match k.as_string() {
                Some(s) => Ok(Ok(s.to_string())),
                None => Err(Rc::from(format!(
                    "an object key must be a string, not {}",
                    k.type_name()
                ))),
            },
        }
    }

    fn try_<'e>(
        &self,
        args: impl Iterator<Item = &'e Expression>,
        sc: &Scope,
    ) -> Result<Val, Fail> {
        let mut last = Rc::from("`try` needs at least one argument");
        for a in args {
            match self.eval(a, sc) {
                Ok(v) => return Ok(v),
                Err(_) if self.fatal.borrow().is_some() => {
                    return Err(Rc::from("evaluation stopped"));
                }
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    fn template(&self, t: &Template, sc: &Scope) -> Result<Val, Fail> {
        // A template that is one interpolation is that value, not its string.
        if let Some(Element::Interpolation(i)) = t.as_single_element() {
            return self.eval(&i.expr, sc);
        }
        let mut out = String::new();
        if let Some(unknown) = self.render(t, sc, &mut out)? {
            return Ok(unknown);
        }
        self.charge(out.len() as u64 / 64, sc, None)?;
        Ok(Val::str(out))
    }

    /// Appends a template's text to `out`; an unknown part makes the whole unknown.
    fn render(&self, t: &Template, sc: &Scope, out: &mut String) -> Result<Option<Val>, Fail> {
        let elements: Vec<&Element> = t.iter().collect();
        for (i, e) in elements.iter().enumerate() {
            match e {
                Element::Literal(s) => {
                    let mut text: &str = s.as_str();
                    if i > 0 && strips_after(elements[i - 1]) {
                        text = text.trim_start();
                    }
                    if elements.get(i + 1).is_some_and(|n| strips_before(n)) {
                        text = text.trim_end();
                    }
                    out.push_str(text);
                }
                Element::Interpolation(interp) => match self.eval(&interp.expr, sc)? {
                    Val::Unknown(why) => return Ok(Some(Val::Unknown(why))),
                    v => match v.as_string() {
                        Some(s) => out.push_str(&s),
                        None if matches!(v, Val::Null) => {
                            return Err(Rc::from("a template cannot include null"));
                        }
                        None => {
                            return Err(Rc::from(format!(
                                "a template cannot include a {}",
                                v.type_name()
                            )));
                        }
                    },
                },
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => match self.eval(&d.if_expr.cond_expr, sc)? {
                        Val::Unknown(why) => return Ok(Some(Val::Unknown(why))),
                        c => {
                            let branch = match c.as_bool() {
                                Some(true) => Some(&d.if_expr.template),
                                Some(false) => d.else_expr.as_ref().map(|e| &e.template),
                                None => return Err(Rc::from("`%{if}` needs true or false")),
                            };
                            if let Some(b) = branch
                                && let Some(u) = self.render(b, sc, out)?
                            {
                                return Ok(Some(u));
                            }
                        }
                    },
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        let items = match self.eval(&f.collection_expr, sc)? {
                            Val::Unknown(why) => return Ok(Some(Val::Unknown(why))),
                            v => pairs(&v)?,
                        };
                        for (k, v) in items {
                            let mut b = sc.bindings.as_ref().clone();
                            if let Some(kv) = &f.key_var {
                                b.push((Rc::from(kv.as_str()), k));
                            }
                            b.push((Rc::from(f.value_var.as_str()), v));
                            let inner = Scope {
                                bindings: Rc::new(b),
                                ..sc.clone()
                            };
                            if let Some(u) = self.render(&f.template, &inner, out)? {
                                return Ok(Some(u));
                            }
                            self.charge(1, sc, None)?;
                        }
                    }
                },
            }
        }
        Ok(None)
    }

    fn for_expr(&self, f: &hcl_edit::expr::ForExpr, sc: &Scope) -> Result<Val, Fail> {
        let items = match self.eval(&f.intro.collection_expr, sc)? {
            Val::Unknown(why) => return Ok(Val::Unknown(why)),
            v => pairs(&v)?,
        };
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Val> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Val>> = BTreeMap::new();
        for (k, v) in items {
            self.charge(1, sc, None)?;
            let mut b = sc.bindings.as_ref().clone();
            if let Some(kv) = &f.intro.key_var {
                b.push((Rc::from(kv.as_str()), k));
            }
            b.push((Rc::from(f.intro.value_var.as_str()), v));
            let inner = Scope {
                bindings: Rc::new(b),
                ..sc.clone()
            };
            if let Some(cond) = &f.cond {
                match self.eval(&cond.expr, &inner)? {
                    Val::Unknown(why) => return Ok(Val::Unknown(why)),
                    c => match c.as_bool() {
                        Some(true) => {}
                        Some(false) => continue,
                        None => return Err(Rc::from("a `for` condition must be true or false")),
                    },
                }
            }
            let value = self.eval(&f.value_expr, &inner)?;
            match &f.key_expr {
                None => list.push(value),
                Some(ke) => {
                    let key = match self.eval(ke, &inner)? {
                        Val::Unknown(why) => return Ok(Val::Unknown(why)),
                        k => k.as_string().ok_or_else(|| {
                            Rc::from(format!(
                                "a `for` key must be a string, not {}",
                                k.type_name()
                            ))
                        })?,
                    };
                    if f.grouping {
                        groups.entry(key.to_string()).or_default().push(value);
                    } else if map.insert(key.to_string(), value).is_some() {
                        return Err(Rc::from(format!(
                            "the `for` expression makes key `{key}` twice; add `...` to group the values"
                        )));
                    }
                }
            }
        }
        Ok(match (&f.key_expr, f.grouping) {
            (None, _) => Val::list(list),
            (Some(_), true) => {
                Val::object(groups.into_iter().map(|(k, v)| (k, Val::list(v))).collect())
            }
            (Some(_), false) => Val::object(map),
        })
    }

    /// A traversal that starts at a root name (`var`, `local`, a resource type, ...).
    fn root(&self, name: &str, ops: &Ops, sc: &Scope, expr: &Expression) -> Result<Val, Fail> {
        if let Some((_, v)) = sc.bindings.iter().rev().find(|(n, _)| &**n == name) {
            return self.apply(v.clone(), ops, sc);
        }
        let attr = |i: usize| match ops.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
            _ => None,
        };
        match name {
            "var" | "local" => {
                let Some(n) = attr(0) else {
                    return Err(Rc::from(format!("`{name}` must be followed by `.NAME`")));
                };
                let _guard = self.enter(sc, expr)?;
                let v = if name == "var" {
                    self.var(sc.inst, n)?
                } else {
                    self.local(sc.inst, n)?
                };
                self.apply(v, &ops[1..], sc)
            }
            "module" => {
                let Some(n) = attr(0) else {
                    return Err(Rc::from("`module` must be followed by `.NAME`"));
                };
                let _guard = self.enter(sc, expr)?;
                self.module_ref(sc, n, &ops[1..])
            }
            "data" => {
                let what = match (attr(0), attr(1)) {
                    (Some(t), Some(n)) => format!("`data.{t}.{n}`"),
                    _ => "a data source".to_owned(),
                };
                Ok(Val::unknown(format!(
                    "it is read from data source {what} when Terraform plans"
                )))
            }
            "path" => {
                let v = match attr(0) {
                    Some("module") => Val::str(self.path_of(sc.inst)),
                    Some("root") => Val::str("."),
                    Some("cwd") => Val::unknown("`path.cwd` is where Terraform runs"),
                    _ => return Err(Rc::from("`path` has `module`, `root` and `cwd`")),
                };
                self.apply(v, &ops[1..], sc)
            }
            "terraform" => Ok(Val::unknown(
                "`terraform.workspace` is chosen when Terraform runs",
            )),
            "count" | "each" | "self" => Err(Rc::from(format!(
                "`{name}` is not available here (it is only valid in a block that sets it)"
            ))),
            _ => {
                let Some(n) = attr(0) else {
                    return Err(Rc::from(format!("there is no variable named `{name}`")));
                };
                let _guard = self.enter(sc, expr)?;
                self.resource_ref(sc, &format!("{name}.{n}"), &ops[1..])
            }
        }
    }

    /// Applies traversal steps (`.a`, `[0]`, `[*]`) to a value.
    fn apply(&self, mut v: Val, ops: &Ops, sc: &Scope) -> Result<Val, Fail> {
        for (i, op) in ops.iter().enumerate() {
            if let Val::Unknown(_) = v {
                return Ok(v);
            }
            v = match op.value() {
                TraversalOperator::GetAttr(a) => get_attr(&v, a.as_str())?,
                TraversalOperator::LegacyIndex(n) => index(&v, &Val::Number(*n.value() as f64))?,
                TraversalOperator::Index(e) => {
                    let k = self.eval(e, sc)?;
                    if let Val::Unknown(why) = k {
                        return Ok(Val::Unknown(why));
                    }
                    index(&v, &k)?
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let items = match v {
                        Val::Null => Vec::new(),
                        Val::List(items) => items.as_ref().clone(),
                        other => vec![other],
                    };
                    let mut out = Vec::with_capacity(items.len());
                    for item in items {
                        out.push(self.apply(item, &ops[i + 1..], sc)?);
                    }
                    return Ok(Val::list(out));
                }
            };
        }
        Ok(v)
    }

    /// `path.module`: the module's folder relative to the root module.
    fn path_of(&self, inst: usize) -> String {
        let m = self.module_of(inst);
        let shown = super::module::shown_path(&m.dir, &self.tree.root);
        if shown == "." {
            ".".to_owned()
        } else {
            format!("./{shown}")
        }
    }

    /// The value of `var.NAME` in a module instance, noting where it came from.
    pub fn var(&self, inst: usize, name: &str) -> Result<Val, Fail> {
        self.memoised(Key::Var(inst, name.to_owned()), || {
            let (module_path, parent, call, bindings) = {
                let insts = self.insts.borrow();
                let i = &insts[inst];
                (i.config_path.clone(), i.parent, i.call.clone(), i.bindings.clone())
            };
            let module = self.module_of(inst);
            let Some(decl) = module.variables.get(name) else {
                return Err(undeclared("variable", name));
            };
            let here = if module_path.is_empty() {
                format!("`var.{name}`")
            } else {
                format!("`var.{name}` of `{module_path}`")
            };
            // The value a caller gives: the root's from outside, a module's from its call.
            let given = match (parent, &call) {
                (None, _) => self.given.get(name).map(|g| (g.value.clone(), g.origin.clone())),
                (Some(p), Some(c)) => {
                    let pm = self.module_of(p);
                    pm.calls.get(c).and_then(|b| b.attr(name)).map(|a| {
                        let sc = Scope {
                            inst: p,
                            file: a.file,
                            bindings: bindings.clone(),
                        };
                        let v = self.eval(&a.expr, &sc);
                        (v, pm.file(a.file).place(&a.span))
                    }).map(|(v, at)| (v.unwrap_or_else(|e| Val::unknown(format!("Terraform would refuse its expression: {e}"))), format!("set in `{at}`")))
                }
                (Some(_), None) => None,
            };
            let (value, origin) = match given {
                Some((Val::Null, _)) | None => match decl.attr("default") {
                    Some(d) => {
                        let sc = Scope::top(inst, d.file);
                        let v = self.eval(&d.expr, &sc)?;
                        (v, format!("its default in `{}`", module.file(d.file).place(&d.span)))
                    }
                    None => {
                        let why = if parent.is_none() {
                            format!("{here} has no value: give it in terraform.tfvars, a --var-file or --var")
                        } else {
                            format!("{here} is not set by its module call and has no default")
                        };
                        self.note(why.clone());
                        return Ok(Val::unknown(why));
                    }
                },
                Some((v, origin)) => (v, origin),
            };
            let value = convert(value, decl);
            if value.is_wholly_known() {
                self.note(format!("{here} = {} ({origin})", value.shown()));
            } else {
                self.note(format!("{here} ({origin}) is not known"));
            }
            Ok(value)
        })
    }

    pub fn local(&self, inst: usize, name: &str) -> Result<Val, Fail> {
        self.memoised(Key::Local(inst, name.to_owned()), || {
            let module = self.module_of(inst);
            let Some(attr) = module.locals.get(name) else {
                return Err(undeclared("local value", name));
            };
            let sc = Scope::top(inst, attr.file);
            let v = self.eval(&attr.expr, &sc)?;
            let at = module.file(attr.file).place(&attr.span);
            if v.is_wholly_known() {
                self.note(format!("`local.{name}` = {} (in `{at}`)", v.shown()));
            } else {
                self.note(format!("`local.{name}` (in `{at}`) is not known"));
            }
            Ok(v)
        })
    }

    /// `module.NAME...`: outputs of a module call's instances.
    fn module_ref(&self, sc: &Scope, name: &str, ops: &Ops) -> Result<Val, Fail> {
        let module = self.module_of(sc.inst);
        if !module.calls.contains_key(name) {
            return Err(undeclared("module call", name));
        }
        let exp = self.expand_call(sc.inst, name)?;
        self.instances_ref(&exp, ops, sc, &|i: &Instance, rest| match i.child {
            Some(child) => self.module_value(child, rest, sc),
            None => Ok(Val::unknown(format!("module `{name}` could not be read"))),
        })
    }

    fn module_value(&self, child: usize, ops: &Ops, sc: &Scope) -> Result<Val, Fail> {
        match ops.first().map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(out)) => {
                let v = self.output(child, out.as_str())?;
                self.apply(v, &ops[1..], sc)
            }
            _ => {
                let module = self.module_of(child);
                let mut map = BTreeMap::new();
                for name in module.outputs.keys() {
                    map.insert(name.clone(), self.output(child, name)?);
                }
                self.apply(Val::object(map), ops, sc)
            }
        }
    }

    pub fn output(&self, inst: usize, name: &str) -> Result<Val, Fail> {
        self.memoised(Key::Output(inst, name.to_owned()), || {
            let module = self.module_of(inst);
            let Some(decl) = module.outputs.get(name) else {
                return Err(Rc::from(format!("the module has no output `{name}`")));
            };
            let Some(attr) = decl.attr("value") else {
                return Err(Rc::from(format!("output `{name}` has no `value`")));
            };
            let sc = Scope::top(inst, attr.file);
            self.eval(&attr.expr, &sc)
        })
    }

    /// `TYPE.NAME...`: another resource's configured arguments.
    fn resource_ref(&self, sc: &Scope, address: &str, ops: &Ops) -> Result<Val, Fail> {
        let module = self.module_of(sc.inst);
        if !module.resources.contains_key(address) {
            return Err(undeclared("resource", address));
        }
        let exp = self.expand_resource(sc.inst, address)?;
        self.instances_ref(&exp, ops, sc, &|i: &Instance, rest| {
            self.resource_value(sc.inst, address, i, rest, sc)
        })
    }

    /// Selects instances of a `count`/`for_each` block by the traversal that follows.
    fn instances_ref(
        &self,
        exp: &Expansion,
        ops: &Ops,
        sc: &Scope,
        one: PerInstance<'_>,
    ) -> Result<Val, Fail> {
        if let Some(why) = &exp.unknown {
            return Ok(Val::Unknown(why.clone()));
        }
        let single = matches!(exp.instances.as_slice(), [i] if i.key == InstKey::None);
        if single {
            return one(&exp.instances[0], ops);
        }
        match ops.first().map(|o| o.value()) {
            Some(TraversalOperator::Index(e)) => {
                let k = self.eval(e, sc)?;
                self.pick(exp, &k, &ops[1..], one)
            }
            Some(TraversalOperator::LegacyIndex(n)) => {
                self.pick(exp, &Val::Number(*n.value() as f64), &ops[1..], one)
            }
            Some(TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_)) => {
                let mut out = Vec::new();
                for i in &exp.instances {
                    out.push(one(i, &ops[1..])?);
                }
                Ok(Val::list(out))
            }
            _ => {
                // The collection as a whole: a list (count) or a map (for_each).
                let by_str = exp
                    .instances
                    .iter()
                    .any(|i| matches!(i.key, InstKey::Str(_)));
                let whole = |i: &Instance| one(i, &[]);
                let v = if by_str {
                    let mut map = BTreeMap::new();
                    for i in &exp.instances {
                        if let InstKey::Str(k) = &i.key {
                            map.insert(k.clone(), whole(i)?);
                        }
                    }
                    Val::object(map)
                } else {
                    let mut list = Vec::new();
                    for i in &exp.instances {
                        list.push(whole(i)?);
                    }
                    Val::list(list)
                };
                self.apply(v, ops, sc)
            }
        }
    }

    fn pick(
        &self,
        exp: &Expansion,
        key: &Val,
        rest: &Ops,
        one: PerInstance<'_>,
    ) -> Result<Val, Fail> {
        if let Val::Unknown(why) = key {
            return Ok(Val::Unknown(why.clone()));
        }
        let found = exp.instances.iter().find(|i| match (&i.key, key) {
            (InstKey::Int(n), k) => k.as_number() == Some(*n as f64),
            (InstKey::Str(s), k) => k.as_string().as_deref() == Some(s.as_str()),
            (InstKey::None, _) => false,
        });
        match found {
            Some(i) => one(i, rest),
            None => Err(Rc::from(format!(
                "there is no instance with key {}",
                key.shown()
            ))),
        }
    }

    /// One resource instance's attribute (and the steps after it).
    fn resource_value(
        &self,
        inst: usize,
        address: &str,
        instance: &Instance,
        ops: &Ops,
        sc: &Scope,
    ) -> Result<Val, Fail> {
        let shown = format!("{address}{}", instance.key.suffix());
        let Some(TraversalOperator::GetAttr(attr)) = ops.first().map(|o| o.value()) else {
            return Ok(Val::unknown(format!(
                "`{shown}` as a whole is known only after apply"
            )));
        };
        let attr = attr.as_str();
        let key = Key::Attr(
            inst,
            address.to_owned(),
            instance.key.clone(),
            attr.to_owned(),
        );
        let v = self.memoised(key, || {
            let module = self.module_of(inst);
            let block = &module.resources[address];
            let isc = Scope {
                inst,
                file: block.file,
                bindings: instance.bindings.clone(),
            };
            if META_ARGS.contains(&attr) {
                return Ok(Val::unknown(format!(
                    "`{shown}.{attr}` is known only after apply"
                )));
            }
            match block.body.attrs.get(attr) {
                Some(a) => self.eval(&a.expr, &isc),
                None if block
                    .body
                    .blocks
                    .iter()
                    .any(|b| b.ident == attr || is_dynamic_of(b, attr)) =>
                {
                    let body = self.body_value(&block.body, &isc, None)?;
                    Ok(get_attr(&body, attr).unwrap_or(Val::Null))
                }
                None => Ok(Val::unknown(format!(
                    "`{shown}.{attr}` is computed by the provider, known only after apply"
                ))),
            }
        })?;
        self.apply(v, &ops[1..], sc)
    }

    /// A block's arguments and nested blocks as one object (nested blocks are lists of
    /// objects, as plan JSON writes them); meta-arguments are left out.
    pub fn body_value(&self, body: &Body, sc: &Scope, address: Option<&str>) -> Result<Val, Fail> {
        let mut map = BTreeMap::new();
        for (name, a) in &body.attrs {
            if META_ARGS.contains(&name.as_str()) {
                continue;
            }
            let a_sc = Scope {
                file: a.file,
                ..sc.clone()
            };
            let v = match address {
                Some(addr) => self.value_of(&a.expr, &a_sc, Some(addr)),
                None => self.eval(&a.expr, &a_sc)?,
            };
            map.insert(name.clone(), v);
        }
        let mut blocks: IndexMap<String, Vec<Val>> = IndexMap::new();
        let mut unknown_blocks: IndexMap<String, Val> = IndexMap::new();
        for b in &body.blocks {
            if META_BLOCKS.contains(&b.ident.as_str()) {
                continue;
            }
            if b.ident == "dynamic" {
                let Some(ident) = b.labels.first() else {
                    continue;
                };
                match self.dynamic(b, sc, address)? {
                    Ok(items) => blocks.entry(ident.clone()).or_default().extend(items),
                    Err(unknown) => {
                        unknown_blocks.insert(ident.clone(), unknown);
                    }
                }
                continue;
            }
            let v = self.body_value(&b.body, sc, address)?;
            blocks.entry(b.ident.clone()).or_default().push(v);
        }
        for (k, v) in blocks {
            map.insert(k, Val::list(v));
        }
        for (k, v) in unknown_blocks {
            map.insert(k, v);
        }
        Ok(Val::object(map))
    }

    /// `dynamic "x" { for_each = ...; content { ... } }`: the generated blocks, or the
    /// unknown value when the collection is not known.
    fn dynamic(
        &self,
        b: &Block,
        sc: &Scope,
        address: Option<&str>,
    ) -> Result<Result<Vec<Val>, Val>, Fail> {
        let ident = b.labels.first().map(String::as_str).unwrap_or("dynamic");
        let iterator = b
            .attr("iterator")
            .and_then(|a| match &a.expr {
                Expression::Variable(v) => Some(v.as_str().to_owned()),
                _ => None,
            })
            .unwrap_or_else(|| ident.to_owned());
        let Some(fe) = b.attr("for_each") else {
            return Err(Rc::from("a `dynamic` block needs `for_each`"));
        };
        let coll = self.eval(
            &fe.expr,
            &Scope {
                file: fe.file,
                ..sc.clone()
            },
        )?;
        let items = match coll {
            Val::Unknown(why) => return Ok(Err(Val::Unknown(why))),
            v => pairs(&v)?,
        };
        let Some(content) = b.body.blocks_of("content").next() else {
            return Err(Rc::from("a `dynamic` block needs a `content` block"));
        };
        let mut out = Vec::new();
        for (k, v) in items {
            let mut bindings = sc.bindings.as_ref().clone();
            bindings.push((
                Rc::from(iterator.as_str()),
                Val::object(BTreeMap::from([
                    ("key".to_owned(), k),
                    ("value".to_owned(), v),
                ])),
            ));
            let isc = Scope {
                bindings: Rc::new(bindings),
                ..sc.clone()
            };
            out.push(self.body_value(&content.body, &isc, address)?);
        }
        Ok(Ok(out))
    }

    /// The instances of module call `name` in module instance `inst`.
    pub fn expand_call(&self, inst: usize, name: &str) -> Result<Rc<Expansion>, Fail> {
        let memo_key = (inst, name.to_owned());
        if let Some(e) = self.calls.borrow().get(&memo_key) {
            return Ok(e.clone());
        }
        let module = self.module_of(inst);
        let block = &module.calls[name];
        let (config_path, prefix) = {
            let insts = self.insts.borrow();
            let i = &insts[inst];
            let cp = if i.config_path.is_empty() {
                format!("module.{name}")
            } else {
                format!("{}.module.{name}", i.config_path)
            };
            let prefix = if i.path.is_empty() {
                format!("module.{name}")
            } else {
                format!("{}.module.{name}", i.path)
            };
            (cp, prefix)
        };
        let child_module = self.tree.paths.get(&config_path).copied();
        let sc = Scope::top(inst, block.file);
        let keys = self.keys(block, &sc, &prefix)?;
        let mut instances = Vec::new();
        for (key, bindings) in keys.instances {
            let child = child_module.map(|m| {
                let mut insts = self.insts.borrow_mut();
                insts.push(ModInst {
                    module: m,
                    config_path: config_path.clone(),
                    path: format!("{prefix}{}", key.suffix()),
                    parent: Some(inst),
                    call: Some(name.to_owned()),
                    bindings: bindings.clone(),
                });
                insts.len() - 1
            });
            instances.push(Instance {
                key,
                bindings,
                child,
            });
        }
        let e = Rc::new(Expansion {
            instances,
            unknown: keys.unknown,
        });
        self.calls.borrow_mut().insert(memo_key, e.clone());
        Ok(e)
    }

    /// The instances of resource `address` in module instance `inst`.
    pub fn expand_resource(&self, inst: usize, address: &str) -> Result<Rc<Expansion>, Fail> {
        let memo_key = (inst, address.to_owned());
        if let Some(e) = self.resources.borrow().get(&memo_key) {
            return Ok(e.clone());
        }
        let module = self.module_of(inst);
        let block = &module.resources[address];
        let sc = Scope::top(inst, block.file);
        let prefix = {
            let insts = self.insts.borrow();
            let p = &insts[inst].path;
            if p.is_empty() {
                address.to_owned()
            } else {
                format!("{p}.{address}")
            }
        };
        let keys = self.keys(block, &sc, &prefix)?;
        let e = Rc::new(Expansion {
            instances: keys
                .instances
                .into_iter()
                .map(|(key, bindings)| Instance {
                    key,
                    bindings,
                    child: None,
                })
                .collect(),
            unknown: keys.unknown,
        });
        self.resources.borrow_mut().insert(memo_key, e.clone());
        Ok(e)
    }

    /// The keys `count` / `for_each` make, with the `count`/`each` each instance binds.
    fn keys(&self, block: &Block, sc: &Scope, shown: &str) -> Result<Keys, Fail> {
        let module = self.module_of(sc.inst);
        let too_many = |n: u64, a: &super::module::Attr| {
            let (src, span) = module.file(a.file).error_at(&a.span);
            self.stop(SourceError::TooManyInstances {
                address: shown.to_owned(),
                count: n,
                limit: MAX_INSTANCES,
                src,
                span,
            })
        };
        if let Some(a) = block.attr("count") {
            let v = self.value_of(
                &a.expr,
                &Scope {
                    file: a.file,
                    ..sc.clone()
                },
                Some(shown),
            );
            return match v {
                Val::Unknown(why) => Ok(self.representative(
                    shown,
                    "count",
                    &why,
                    vec![(
                        Rc::from("count"),
                        object([("index", Val::Unknown(why.clone()))]),
                    )],
                )),
                v => {
                    let n = v.as_number().filter(|n| *n >= 0.0 && n.fract() == 0.0);
                    let Some(n) = n else {
                        return Err(Rc::from(format!(
                            "`count` must be a whole number, not {}",
                            v.shown()
                        )));
                    };
                    let n = n as u64;
                    if n > MAX_INSTANCES {
                        return Err(too_many(n, a));
                    }
                    self.charge(n, sc, Some(a.span.clone()))?;
                    Ok(Keys {
                        instances: (0..n)
                            .map(|i| {
                                (
                                    InstKey::Int(i),
                                    Rc::new(vec![(
                                        Rc::from("count"),
                                        object([("index", Val::Number(i as f64))]),
                                    )]),
                                )
                            })
                            .collect(),
                        unknown: None,
                    })
                }
            };
        }
        if let Some(a) = block.attr("for_each") {
            let v = self.value_of(
                &a.expr,
                &Scope {
                    file: a.file,
                    ..sc.clone()
                },
                Some(shown),
            );
            let each =
                |k: Val, v: Val| vec![(Rc::from("each"), object([("key", k), ("value", v)]))];
            let unknown = |why: Rc<str>| {
                self.representative(
                    shown,
                    "for_each",
                    &why,
                    each(Val::Unknown(why.clone()), Val::Unknown(why.clone())),
                )
            };
            let items: Vec<(String, Val)> = match &v {
                Val::Unknown(why) => return Ok(unknown(why.clone())),
                Val::Object(map) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                Val::List(items) => {
                    let mut keys = Vec::new();
                    for item in items.iter() {
                        match item {
                            Val::Unknown(why) => return Ok(unknown(why.clone())),
                            other => match other {
                                Val::String(s) => keys.push((s.to_string(), other.clone())),
                                _ => {
                                    return Err(Rc::from(
                                        "`for_each` over a set needs strings; use a map for other values",
                                    ));
                                }
                            },
                        }
                    }
                    keys.sort_by(|a, b| a.0.cmp(&b.0));
                    keys.dedup_by(|a, b| a.0 == b.0);
                    keys
                }
                Val::Null => return Err(Rc::from("`for_each` cannot be null")),
                other => {
                    return Err(Rc::from(format!(
                        "`for_each` needs a map or a set of strings, not {}",
                        other.type_name()
                    )));
                }
            };
            if items.len() as u64 > MAX_INSTANCES {
                return Err(too_many(items.len() as u64, a));
            }
            self.charge(items.len() as u64, sc, Some(a.span.clone()))?;
            return Ok(Keys {
                instances: items
                    .into_iter()
                    .map(|(k, v)| (InstKey::Str(k.clone()), Rc::new(each(Val::str(k), v))))
                    .collect(),
                unknown: None,
            });
        }
        Ok(Keys {
            instances: vec![(InstKey::None, Rc::default())],
            unknown: None,
        })
    }

    fn representative(
        &self,
        shown: &str,
        what: &str,
        why: &Rc<str>,
        bindings: Vec<(Rc<str>, Val)>,
    ) -> Keys {
        self.warn(
            format!(
                "`{what}` of `{shown}` is not known ({why}); juris checks it as one instance standing for all of them"
            ),
            Some(shown.to_owned()),
        );
        Keys {
            instances: vec![(InstKey::None, Rc::new(bindings))],
            unknown: Some(Rc::from(format!(
                "the instances of `{shown}` are not known ({why})"
            ))),
        }
    }
}

struct Keys {
    instances: Vec<(InstKey, Bindings)>,
    unknown: Option<Rc<str>>,
}

struct DepthGuard<'w, 't>(&'w World<'t>);

impl Drop for DepthGuard<'_, '_> {
    fn drop(&mut self) {
        let d = self.0.depth.get();
        self.0.depth.set(d.saturating_sub(1));
    }
}

/// Arguments that configure Terraform itself, not the resource.
pub(crate) const META_ARGS: &[&str] = &["count", "for_each", "provider", "depends_on"];
/// Nested blocks that configure Terraform itself.
pub(crate) const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

/// A reference to a `kind` of thing (`local value`, `resource`) the module does not declare.
fn undeclared(kind: &str, name: &str) -> Fail {
    Rc::from(format!("no {kind} `{name}` is declared in this module"))
}

fn is_dynamic_of(b: &Block, ident: &str) -> bool {
    b.ident == "dynamic" && b.labels.first().map(String::as_str) == Some(ident)
}

fn describe(key: &Key) -> String {
    match key {
        Key::Var(_, n) => format!("`var.{n}`"),
        Key::Local(_, n) => format!("`local.{n}`"),
        Key::Output(_, n) => format!("output `{n}`"),
        Key::Attr(_, a, k, n) => format!("`{a}{}.{n}`", k.suffix()),
    }
}

fn object<const N: usize>(items: [(&str, Val); N]) -> Val {
    Val::object(items.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// Steps a value costs to have built: strings by their length, lists by their size.
fn cost_of(v: &Val) -> u64 {
    match v {
        Val::String(s) => s.len() as u64 / 64,
        Val::List(items) => items.len() as u64,
        Val::Object(map) => map.len() as u64,
        _ => 0,
    }
}

/// A variable's `type` applied to a value, for the primitive types (tfvars and
/// `-var` give strings that Terraform converts).
fn convert(v: Val, decl: &Block) -> Val {
    let ty = match decl.attr("type").map(|a| &a.expr) {
        Some(Expression::Variable(t)) => t.as_str().to_owned(),
        _ => return v,
    };
    match (ty.as_str(), &v) {
        ("number", Val::String(_)) => v.as_number().map_or(v, Val::Number),
        ("bool", Val::String(_)) => v.as_bool().map_or(v, Val::Bool),
        ("string", Val::Number(_) | Val::Bool(_)) => v.as_string().map_or(v, Val::String),
        _ => v,
    }
}

/// (key, value) pairs of a collection for `for` and `dynamic`: index and element of a
/// list, key and value of a map.
fn pairs(v: &Val) -> Result<Vec<(Val, Val)>, Fail> {
    match v {
        Val::List(items) => Ok(items
            .iter()
            .enumerate()
            .map(|(i, x)| (Val::Number(i as f64), x.clone()))
            .collect()),
        Val::Object(map) => Ok(map
            .iter()
            .map(|(k, x)| (Val::str(k.as_str()), x.clone()))
            .collect()),
        Val::Null => Err(Rc::from("cannot iterate over null")),
        other => Err(Rc::from(format!(
            "cannot iterate over a {}",
            other.type_name()
        ))),
    }
}

fn get_attr(v: &Val, name: &str) -> Result<Val, Fail> {
    match v {
        Val::Object(map) => map
            .get(name)
            .cloned()
            .ok_or_else(|| Rc::from(format!("the object has no attribute `{name}`"))),
        Val::Unknown(why) => Ok(Val::Unknown(why.clone())),
        Val::Null => Err(Rc::from(format!("cannot read `{name}` of null"))),
        other => Err(Rc::from(format!(
            "cannot read `.{name}` of a {}",
            other.type_name()
        ))),
    }
}

fn index(v: &Val, k: &Val) -> Result<Val, Fail> {
    match v {
        Val::List(items) => {
            let i = k
                .as_number()
                .filter(|n| *n >= 0.0 && n.fract() == 0.0)
                .ok_or_else(|| {
                    Rc::from(format!(
                        "a list index must be a whole number, not {}",
                        k.shown()
                    ))
                })?;
            items.get(i as usize).cloned().ok_or_else(|| {
                Rc::from(format!(
                    "index {i} is past the end of a list of {}",
                    items.len()
                ))
            })
        }
        Val::Object(map) => {
            let key = k.as_string().ok_or_else(|| {
                Rc::from(format!("a map key must be a string, not {}", k.type_name()))
            })?;
            map.get(&*key)
                .cloned()
                .ok_or_else(|| Rc::from(format!("the map has no key `{key}`")))
        }
        Val::Unknown(why) => Ok(Val::Unknown(why.clone())),
        other => Err(Rc::from(format!("cannot index a {}", other.type_name()))),
    }
}

fn strips_after(e: &Element) -> bool {
    match e {
        Element::Interpolation(i) => i.strip.strip_end(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(d) => d.endif_expr.strip.strip_end(),
            Directive::For(d) => d.endfor_expr.strip.strip_end(),
        },
        Element::Literal(_) => false,
    }
}

fn strips_before(e: &Element) -> bool {
    match e {
        Element::Interpolation(i) => i.strip.strip_start(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(d) => d.if_expr.strip.strip_start(),
            Directive::For(d) => d.for_expr.strip.strip_start(),
        },
        Element::Literal(_) => false,
    }
}

/// Terraform's binary operators; `&&` and `||` decide on a known operand even when the
/// other is unknown (`false && x` is false whatever `x` is).
fn binary(op: BinaryOperator, l: &Val, r: &Val) -> Result<Val, Fail> {
    use BinaryOperator as B;
    if matches!(op, B::And | B::Or) {
        let lb = if l.is_unknown() {
            None
        } else {
            Some(bool_of(l)?)
        };
        let rb = if r.is_unknown() {
            None
        } else {
            Some(bool_of(r)?)
        };
        let decided = op != B::And;
        return Ok(match (lb, rb) {
            (Some(a), _) if a == decided => Val::Bool(decided),
            (_, Some(b)) if b == decided => Val::Bool(decided),
            (Some(_), Some(_)) => Val::Bool(!decided),
            _ => l
                .first_unknown()
                .or(r.first_unknown())
                .cloned()
                .map_or(Val::Null, Val::Unknown),
        });
    }
    if let Some(why) = l.first_unknown().or(r.first_unknown()) {
        return Ok(Val::Unknown(why.clone()));
    }
    match op {
        B::Eq => Ok(Val::Bool(equal(l, r))),
        B::NotEq => Ok(Val::Bool(!equal(l, r))),
        _ => {
            let (Some(a), Some(b)) = (l.as_number(), r.as_number()) else {
                return Err(Rc::from(format!(
                    "`{}` needs numbers, not {} and {}",
                    op.as_str(),
                    l.type_name(),
                    r.type_name()
                )));
            };
            Ok(match op {
                B::Plus => Val::Number(a + b),
                B::Minus => Val::Number(a - b),
                B::Mul => Val::Number(a * b),
                B::Div if b == 0.0 => return Err(Rc::from("division by zero")),
                B::Div => Val::Number(a / b),
                B::Mod if b == 0.0 => return Err(Rc::from("modulo by zero")),
                B::Mod => Val::Number(a % b),
                B::Less => Val::Bool(a < b),
                B::LessEq => Val::Bool(a <= b),
                B::Greater => Val::Bool(a > b),
                B::GreaterEq => Val::Bool(a >= b),
                _ => unreachable_op(),
            })
        }
    }
}

fn unreachable_op() -> Val {
    Val::Null
}

fn bool_of(v: &Val) -> Result<bool, Fail> {
    v.as_bool().ok_or_else(|| {
        Rc::from(format!(
            "`&&` and `||` need true or false, not {}",
            v.type_name()
        ))
    })
}

/// Terraform's `==`: numbers by value, strings exactly, collections element-wise.
pub(crate) fn equal(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Number(x), Val::Number(y)) => x == y,
        (Val::List(x), Val::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equal(p, q))
        }
        (Val::Object(x), Val::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(op: BinaryOperator, l: Val, r: Val) -> Val {
        binary(op, &l, &r).unwrap()
    }

    #[test]
    fn logic_decides_on_a_known_operand() {
        let u = Val::unknown("later");
        assert_eq!(
            b(BinaryOperator::And, Val::Bool(false), u.clone()),
            Val::Bool(false)
        );
        assert_eq!(
            b(BinaryOperator::Or, u.clone(), Val::Bool(true)),
            Val::Bool(true)
        );
        assert!(b(BinaryOperator::And, Val::Bool(true), u.clone()).is_unknown());
        assert!(b(BinaryOperator::Eq, u, Val::str("x")).is_unknown());
    }

    #[test]
    fn instance_keys_print_as_terraform_addresses() {
        assert_eq!(InstKey::Int(2).suffix(), "[2]");
        assert_eq!(
            InstKey::Str("eu \"x\"".into()).suffix(),
            "[\"eu \\\"x\\\"\"]"
        );
        assert_eq!(InstKey::None.suffix(), "");
    }
}
