//! The in-process evaluator: walks the IR over the resource model with three-valued
//! (Kleene) logic, so a value unknown at plan time yields *undetermined*, never a
//! silent pass. A second, slower mode re-runs a rule to record its evidence.

pub mod budget;
mod builtins;
mod ops;
pub mod regex;
pub mod render;
pub mod value;

use indexmap::IndexMap;

use crate::ir::types::Field;
use crate::ir::{self, Clause, Expr, ExprKind, LabelId, Program, Quant};
use crate::model::{Known, Resource};
pub use budget::{EvalLimits, LimitHit};
pub use value::{Tri, Value};

/// What a rule concluded about one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Violation,
    Undetermined,
}

/// The explanation of a finding: its message and the values that decided it.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub message: String,
    pub evidence: IndexMap<String, serde_json::Value>,
}

/// Per-program state that is expensive to build: compiled regexes.
pub struct Compiled {
    pub regexes: Vec<regex::Matcher>,
}

impl Compiled {
    /// Compile the program's regexes (they were validated by the checker).
    pub fn new(program: &Program) -> Compiled {
        Compiled {
            regexes: program
                .regexes
                .iter()
                .map(|p| regex::Matcher::new(p).unwrap_or_else(|_| regex::Matcher::never()))
                .collect(),
        }
    }
}

/// Evaluates rules of one program. Reuse one evaluator for many resources: its
/// stack is allocated once.
pub struct Evaluator<'a> {
    program: &'a Program,
    compiled: &'a Compiled,
    today: i32,
    stack: Vec<Value<'a>>,
    /// In explain mode, the observations made so far.
    observations: Option<Vec<(LabelId, Value<'a>)>>,
    /// Results of functions called with the current resource as their only argument,
    /// by function id, valid while `memo_generation` matches: several rules ask the same
    /// questions of a resource (its data classes, say), and functions are pure.
    memo: Vec<(u32, Value<'a>)>,
    memo_generation: u32,
    memo_resource: *const Resource,
    limits: EvalLimits,
    /// Steps left in this evaluation of a rule (reset by [`Evaluator::rule`]).
    steps_left: u64,
    /// The limit this evaluation ran into; every step after it ends at once, so the
    /// evaluation unwinds quickly, and its result is not to be used.
    hit: Option<LimitHit>,
}

impl<'a> Evaluator<'a> {
    pub fn new(program: &'a Program, compiled: &'a Compiled, today: i32) -> Evaluator<'a> {
        Evaluator {
            program,
            compiled,
            today,
            stack: Vec::with_capacity(64),
            observations: None,
            memo: vec![(0, Value::Null); program.functions.len()],
            memo_generation: 1,
            memo_resource: std::ptr::null(),
            limits: EvalLimits::default(),
            steps_left: EvalLimits::default().steps,
            hit: None,
        }
    }

    /// The same evaluator with other limits.
    pub fn with_limits(mut self, limits: EvalLimits) -> Self {
        self.limits = limits;
        self.steps_left = limits.steps;
        self
    }

    /// The limit the last evaluation ran into, if any (cleared by the next one). Its
    /// outcome and explanation are then meaningless.
    pub fn limit_hit(&self) -> Option<LimitHit> {
        self.hit
    }

    /// Spends `n` steps; false (and the limit recorded) when they are not there.
    #[inline]
    fn charge(&mut self, n: u64) -> bool {
        if let Some(left) = self.steps_left.checked_sub(n) {
            self.steps_left = left;
            true
        } else {
            self.exhausted(LimitHit::Steps);
            false
        }
    }

    #[cold]
    fn exhausted(&mut self, hit: LimitHit) {
        self.steps_left = 0;
        self.hit.get_or_insert(hit);
    }

    /// `v`, unless it is larger than the value cap (then the evaluation stops).
    fn sized(&mut self, v: Value<'a>) -> Value<'a> {
        if budget::size_over(&v, self.limits.value_bytes) > self.limits.value_bytes {
            self.exhausted(LimitHit::ValueSize);
            return Value::Unknown;
        }
        v
    }

    /// Whether a string of `len` bytes may be built (else the evaluation stops).
    fn fits(&mut self, len: usize) -> bool {
        if len as u64 > self.limits.value_bytes {
            self.exhausted(LimitHit::ValueSize);
            return false;
        }
        true
    }

    /// Evaluate a rule on one resource; `None` when the rule does not apply to it.
    pub fn rule(&mut self, rule: &'a ir::Rule, resource: &'a Resource) -> Option<Outcome> {
        if !std::ptr::eq(self.memo_resource, resource) {
            self.memo_resource = resource;
            self.memo_generation = self.memo_generation.wrapping_add(1).max(1);
        }
        self.steps_left = self.limits.steps;
        self.hit = None;
        // Every slot is written before it is read (the checker resolves each name to a
        // binding in scope), so slots left from the last resource need no clearing.
        let frame = rule.frame.max(1) as usize;
        if self.stack.len() != frame {
            self.stack.truncate(frame);
            self.stack.resize(frame, Value::Null);
        }
        self.stack[0] = Value::Resource(resource);
        let mut selected_unknown = false;
        for clause in &rule.clauses {
            match clause {
                Clause::Where(e) => match self.eval(e, 0).truth() {
                    Some(true) => {}
                    Some(false) => return None,
                    None => selected_unknown = true,
                },
                Clause::Let(slot, e) => {
                    let v = self.eval(e, 0);
                    self.stack[*slot as usize] = v;
                }
            }
        }
        Some(match self.eval(&rule.violation, 0).truth() {
            Some(false) => Outcome::Pass,
            Some(true) if !selected_unknown => Outcome::Violation,
            _ => Outcome::Undetermined,
        })
    }

    /// Re-run a rule on a resource recording evidence, and render its message.
    pub fn explain(&mut self, rule: &'a ir::Rule, resource: &'a Resource) -> Explanation {
        self.observations = Some(Vec::new());
        let _ = self.rule(rule, resource);
        let observations = self.observations.take().unwrap_or_default();
        let mut evidence = IndexMap::new();
        for (label, value) in observations {
            let key = self
                .program
                .labels
                .get(label as usize)
                .cloned()
                .unwrap_or_default();
            evidence
                .entry(key)
                .or_insert_with(|| render::to_json(&value));
        }
        // Lets and wheres have run, so the message sees the same bindings.
        let message = match &rule.message {
            Some(m) => {
                let v = self.eval(m, 0);
                render::display(&v)
            }
            None => format!("{}: {}", resource.address, rule.meta.title),
        };
        Explanation { message, evidence }
    }

    /// Evaluate an expression with no resource and no locals (constant folding); see
    /// [`Evaluator::limit_hit`] for whether it finished within the limits.
    pub fn eval_closed(&mut self, e: &'a Expr) -> Value<'a> {
        self.stack.clear();
        self.steps_left = self.limits.steps;
        self.hit = None;
        self.eval(e, 0)
    }

    fn observe(&mut self, label: LabelId, v: &Value<'a>) {
        if let Some(obs) = &mut self.observations {
            obs.push((label, v.clone()));
        }
    }

    pub(crate) fn eval(&mut self, mut e: &'a Expr, base: usize) -> Value<'a> {
        // Outside explain mode an observation is only its value: no call for it.
        if self.observations.is_none() {
            while let ExprKind::Observe(_, x) = &e.kind {
                e = x;
            }
        }
        match &e.kind {
            ExprKind::Const(c) => Value::from_const(c),
            ExprKind::Local(slot) => self.stack[base + *slot as usize].clone(),
            ExprKind::Field(x, f) => self.field_path(x, *f, base),
            ExprKind::JsonField(x, key) => match self.eval(x, base) {
                Value::Json(serde_json::Value::Object(map), unknown) => {
                    let u = unknown.and_then(|u| u.get(key.as_str()));
                    match map.get(key.as_str()) {
                        Some(v) => Value::Json(v, u).normalize(),
                        None if u.is_some_and(|u| u.as_bool() == Some(true)) => Value::Unknown,
                        None => Value::Null,
                    }
                }
                Value::Unknown => Value::Unknown,
                _ => Value::Null,
            },
            ExprKind::Index(x, i) => {
                let v = self.eval(x, base);
                let i = self.eval(i, base);
                ops::index(v, i)
            }
            ExprKind::Call(id, args) => self.call(*id, args, base),
            ExprKind::Builtin(b, args) => self.builtin(*b, args, base),
            ExprKind::Not(x) => match self.eval(x, base).truth() {
                Some(b) => Value::Bool(!b),
                None => Value::Unknown,
            },
            ExprKind::Neg(x) => match self.eval(x, base).normalize() {
                Value::Int(i) => Value::Int(i.wrapping_neg()),
                Value::Unknown => Value::Unknown,
                _ => Value::Null,
            },
            ExprKind::And(a, b) => match self.eval(a, base).truth() {
                Some(false) => Value::Bool(false),
                Some(true) => Value::from_tri(self.eval(b, base).truth()),
                None => match self.eval(b, base).truth() {
                    Some(false) => Value::Bool(false),
                    _ => Value::Unknown,
                },
            },
            ExprKind::Or(a, b) => match self.eval(a, base).truth() {
                Some(true) => Value::Bool(true),
                Some(false) => Value::from_tri(self.eval(b, base).truth()),
                None => match self.eval(b, base).truth() {
                    Some(true) => Value::Bool(true),
                    _ => Value::Unknown,
                },
            },
            ExprKind::Cmp(op, a, b) => {
                let a = self.eval(a, base);
                let b = self.eval(b, base);
                if a.is_collection() && !self.charge(a.len() as u64) {
                    return Value::Unknown;
                }
                Value::from_tri(ops::compare_op(*op, &a, &b))
            }
            ExprKind::In(x, c) => {
                let x = self.eval(x, base);
                let c = self.eval(c, base);
                if !self.charge(c.len() as u64) {
                    return Value::Unknown;
                }
                Value::from_tri(ops::member(&x, &c))
            }
            ExprKind::InSet(x, set) => {
                let x = self.eval(x, base);
                Value::from_tri(ops::member_const(&x, &self.program.sets[*set as usize]))
            }
            ExprKind::Subset(a, b) => {
                let a = self.eval(a, base);
                let b = self.eval(b, base);
                if !self.charge((a.len() as u64).saturating_mul(b.len().max(1) as u64)) {
                    return Value::Unknown;
                }
                Value::from_tri(ops::subset(&a, &b))
            }
            ExprKind::SetOp(op, a, b) => {
                let a = self.eval(a, base);
                let b = self.eval(b, base);
                let (m, n) = (a.len() as u64, b.len() as u64);
                let cost = match op {
                    ir::SetOp::Union => m + n,
                    _ => m.saturating_mul(n.max(1)),
                };
                if !self.charge(cost) {
                    return Value::Unknown;
                }
                let v = ops::set_op(*op, a, b);
                self.sized(v)
            }
            ExprKind::Arith(op, a, b) => {
                let a = self.eval(a, base);
                let b = self.eval(b, base);
                if let (Some(x), Some(y)) = (a.as_str(), b.as_str())
                    && !self.fits(x.len() + y.len())
                {
                    return Value::Unknown;
                }
                ops::arith(*op, a, b)
            }
            ExprKind::If(c, t, f) => match self.eval(c, base).truth() {
                Some(true) => self.eval(t, base),
                Some(false) => self.eval(f, base),
                None => {
                    // Unknown condition: determined only if both branches agree.
                    let t = self.eval(t, base);
                    let f = self.eval(f, base);
                    if ops::equal(&t, &f) == Some(true) {
                        t
                    } else {
                        Value::Unknown
                    }
                }
            },
            ExprKind::Quant(q, slot, label, coll, body) => {
                self.quantifier(*q, *slot, *label, coll, body, base)
            }
            ExprKind::List(items) => {
                let vs: Vec<Value<'a>> = items.iter().map(|i| self.eval(i, base)).collect();
                self.sized(Value::List(vs.into()))
            }
            ExprKind::Set(items) => {
                let vs: Vec<Value<'a>> = items.iter().map(|i| self.eval(i, base)).collect();
                if vs.iter().any(Value::is_unknown) {
                    // A set with an unknown member: membership questions stay answerable.
                    return self.sized(Value::List(vs.into()));
                }
                let v = value::make_set(vs);
                self.sized(v)
            }
            ExprKind::Comprehension {
                kind,
                slot,
                source,
                filter,
                element,
            } => self.comprehension(*kind, *slot, source, filter.as_deref(), element, base),
            ExprKind::Interp(parts) => {
                let mut s = String::new();
                for p in parts {
                    let piece = match p {
                        ir::InterpPart::Text(t) => std::borrow::Cow::Borrowed(t.as_str()),
                        ir::InterpPart::Expr(x) => {
                            let v = self.eval(x, base);
                            std::borrow::Cow::Owned(render::display(&v))
                        }
                    };
                    if !self.fits(s.len() + piece.len()) {
                        return Value::Unknown;
                    }
                    s.push_str(&piece);
                }
                Value::owned_str(s)
            }
            ExprKind::Let(slot, v, body) => {
                let v = self.eval(v, base);
                self.stack[base + *slot as usize] = v;
                self.eval(body, base)
            }
            ExprKind::Observe(label, x) => {
                let v = self.eval(x, base);
                if self.observations.is_some() {
                    self.observe(*label, &v);
                }
                v
            }
        }
    }

    /// A chain of model fields (`r.custody.jurisdiction`) read in one loop rather than
    /// one recursive call per dot.
    fn field_path(&mut self, mut x: &'a Expr, last: Field, base: usize) -> Value<'a> {
        let mut fields = [last; 6];
        let mut n = 1;
        while let ExprKind::Field(inner, f) = &x.kind
            && n < fields.len()
        {
            fields[n] = *f;
            n += 1;
            x = inner;
        }
        let mut v = match &x.kind {
            ExprKind::Local(slot) => self.stack[base + *slot as usize].clone(),
            _ => self.eval(x, base),
        };
        for f in fields[..n].iter().rev() {
            v = field(v, *f);
        }
        v
    }

    fn call(&mut self, id: ir::FnId, args: &'a [Expr], base: usize) -> Value<'a> {
        if !self.charge(1) {
            return Value::Unknown;
        }
        let f = &self.program.functions[id as usize];
        let new_base = self.stack.len();
        for a in args {
            let v = self.eval(a, base);
            self.stack.push(v);
        }
        let memoised = match self.stack.get(new_base..) {
            Some([Value::Resource(r)]) => std::ptr::eq(*r, self.memo_resource),
            _ => false,
        };
        if memoised
            && let Some((generation, v)) = self.memo.get(id as usize)
            && *generation == self.memo_generation
        {
            let v = v.clone();
            self.stack.truncate(new_base);
            return v;
        }
        self.stack
            .resize(new_base + (f.frame as usize).max(args.len()), Value::Null);
        // Evidence inside functions would be noise: the call's result is what counts.
        let saved = self.observations.take();
        let v = self.eval(&f.body, new_base);
        self.observations = saved;
        self.stack.truncate(new_base);
        if memoised && let Some(slot) = self.memo.get_mut(id as usize) {
            *slot = (self.memo_generation, v.clone());
        }
        v
    }

    fn quantifier(
        &mut self,
        q: Quant,
        slot: ir::Slot,
        label: Option<LabelId>,
        coll: &'a Expr,
        body: &'a Expr,
        base: usize,
    ) -> Value<'a> {
        let c = self.eval(coll, base);
        if c.is_unknown() {
            return Value::Unknown;
        }
        // `any` is decided by a true element, `all` by a false one.
        let decisive = matches!(q, Quant::Any);
        let mut saw_unknown = false;
        // Where the first undecided element's evidence starts, while it is kept.
        let mut unknown_mark: Option<usize> = None;
        for i in 0..c.len() {
            if !self.charge(1) {
                return Value::Unknown;
            }
            let item = c.nth(i);
            let mark = self.observations.as_ref().map(Vec::len);
            self.stack[base + slot as usize] = item.clone();
            let t = self.eval(body, base).truth();
            match t {
                Some(b) if b == decisive => {
                    // The deciding element is the witness: drop an undecided one's evidence.
                    if let (Some(obs), Some(start), Some(end)) =
                        (&mut self.observations, unknown_mark, mark)
                    {
                        obs.drain(start..end);
                    }
                    if let Some(l) = label {
                        self.observe(l, &item);
                    }
                    return Value::Bool(decisive);
                }
                // Keep the first undecided element's evidence.
                None if !saw_unknown => {
                    saw_unknown = true;
                    unknown_mark = mark;
                    if let Some(l) = label {
                        self.observe(l, &item);
                    }
                    continue;
                }
                _ => {}
            }
            if let (Some(obs), Some(mark)) = (&mut self.observations, mark) {
                obs.truncate(mark);
            }
        }
        if saw_unknown {
            Value::Unknown
        } else {
            Value::Bool(!decisive)
        }
    }

    fn comprehension(
        &mut self,
        kind: ir::Collect,
        slot: ir::Slot,
        source: &'a Expr,
        filter: Option<&'a Expr>,
        element: &'a Expr,
        base: usize,
    ) -> Value<'a> {
        let c = self.eval(source, base);
        if c.is_unknown() {
            return Value::Unknown;
        }
        let mut out = Vec::with_capacity(c.len());
        for i in 0..c.len() {
            if !self.charge(1) {
                return Value::Unknown;
            }
            self.stack[base + slot as usize] = c.nth(i);
            if let Some(f) = filter {
                match self.eval(f, base).truth() {
                    Some(true) => {}
                    Some(false) => continue,
                    // Whether the element belongs is not known: neither is the result.
                    None => return Value::Unknown,
                }
            }
            out.push(self.eval(element, base));
        }
        let v = match kind {
            ir::Collect::List => Value::List(out.into()),
            ir::Collect::Set if out.iter().any(Value::is_unknown) => Value::List(out.into()),
            ir::Collect::Set => value::make_set(out),
        };
        self.sized(v)
    }
}

/// Start loading the resources the caller will evaluate after `resources[i]`. Rules
/// take less time than a cache miss, so over an inventory larger than the cache the
/// evaluator would otherwise mostly wait for memory (measured: half the time of a
/// simple rule). Call it once per resource, in order; it is a hint and changes no result.
#[inline]
pub fn prefetch_ahead(resources: &[Resource], i: usize) {
    // The structure eight ahead; the strings it points to four ahead, once the structure
    // holding their addresses has arrived (following a pointer not yet loaded would
    // itself wait for memory).
    if let Some(r) = resources.get(i + 8) {
        prefetch_fields(r);
    }
    if let Some(r) = resources.get(i + 4) {
        prefetch_strings(r);
    }
}

#[inline]
// The crate denies unsafe code; this prefetch intrinsic is one of its three exceptions.
#[allow(unsafe_code)]
fn prefetch_line(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing and faults on nothing; every address given lies
    // inside a resource or a buffer it owns.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast())
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// The cache lines of a resource holding the fields rules read (the rest is not
/// fetched: memory bandwidth is the next limit).
#[inline]
fn prefetch_fields(resource: &Resource) {
    use std::mem::offset_of;
    const FIELDS: [usize; 9] = [
        offset_of!(Resource, resource_type),
        offset_of!(Resource, address),
        offset_of!(Resource, mode),
        offset_of!(Resource, actions),
        offset_of!(Resource, provider.family),
        offset_of!(Resource, location.countries),
        offset_of!(Resource, custody.jurisdiction),
        offset_of!(Resource, tags),
        offset_of!(Resource, flows),
    ];
    let start = (resource as *const Resource).cast::<u8>();
    for offset in FIELDS {
        prefetch_line(start.wrapping_add(offset));
    }
}

/// The strings rules read most: the type, the custody's jurisdiction, the countries.
#[inline]
fn prefetch_strings(resource: &Resource) {
    prefetch_line(resource.resource_type.as_ptr());
    if let Known::Known(j) = &resource.custody.jurisdiction {
        prefetch_line(j.as_ptr());
    }
    if let Known::Known(c) = &resource.location.countries {
        prefetch_line(c.as_ptr().cast());
    }
}

/// Read a model field.
fn field<'a>(v: Value<'a>, f: Field) -> Value<'a> {
    use Field::*;
    match (v, f) {
        (Value::Unknown, _) => Value::Unknown,
        (Value::Resource(r), f) => match f {
            Address => Value::Str(&r.address),
            Type => Value::Str(&r.resource_type),
            Name => Value::Str(&r.name),
            Mode => Value::Str(&r.mode),
            Actions => Value::StrList(&r.actions),
            Input => Value::from_opt_str(&r.input),
            Provider => Value::Provider(&r.provider),
            Location => Value::Location(&r.location),
            Custody => Value::Custody(&r.custody),
            Tags => match &r.tags {
                Known::Known(t) => Value::Tags(t),
                Known::Unknown => Value::Unknown,
            },
            Attributes => Value::Json(&r.attributes, r.unknown_tree()),
            Flows => Value::Flows(&r.flows),
            _ => Value::Null,
        },
        (Value::Provider(p), f) => match f {
            ProviderSource => Value::Str(&p.source),
            ProviderAlias => Value::from_opt_str(&p.alias),
            ProviderFamily => Value::from_opt_str(&p.family),
            ProviderCompany => Value::from_known_str(&p.company),
            ProviderJurisdiction => Value::from_known_str(&p.jurisdiction),
            _ => Value::Null,
        },
        (Value::Location(l), f) => match f {
            Region => match &l.region {
                Known::Known(Some(r)) => Value::Str(r),
                Known::Known(None) => Value::Null,
                Known::Unknown => Value::Unknown,
            },
            Countries => match &l.countries {
                Known::Known(c) => Value::StrSet(c),
                Known::Unknown => Value::Unknown,
            },
            Operator => match &l.operator {
                Some(c) => Value::Company(c),
                None => Value::Null,
            },
            Derivation => Value::Str(&l.derivation),
            _ => Value::Null,
        },
        (Value::Custody(c), f) => match f {
            CustodyCompany => Value::from_known_str(&c.company),
            CustodyJurisdiction => Value::from_known_str(&c.jurisdiction),
            CustodyChain => match &c.chain {
                Known::Known(l) => Value::Links(l),
                Known::Unknown => Value::Unknown,
            },
            _ => Value::Null,
        },
        (Value::Link(l), f) => match f {
            LinkCompany => Value::Str(&l.company),
            LinkJurisdiction => Value::Str(&l.jurisdiction),
            LinkControl => Value::Str(&l.control),
            LinkSources => Value::StrList(&l.sources),
            _ => Value::Null,
        },
        (Value::Flow(fl), f) => match f {
            FlowKind => Value::Str(&fl.kind),
            FlowTarget => Value::Str(&fl.target),
            FlowInInventory => Value::Bool(fl.in_inventory),
            FlowVia => Value::Str(&fl.via),
            FlowDepth => Value::Int(fl.depth as i64),
            FlowLocation => Value::Location(&fl.location),
            FlowCustody => Value::Custody(&fl.custody),
            _ => Value::Null,
        },
        (Value::Company(c), f) => match f {
            CompanyName => Value::Str(&c.name),
            CompanyJurisdiction => Value::Str(&c.jurisdiction),
            _ => Value::Null,
        },
        _ => Value::Null,
    }
}
