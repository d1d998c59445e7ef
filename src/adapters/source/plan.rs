//! The configuration, evaluated, written as the plan JSON Terraform would write for
//! it: every resource instance with its known values (`after`) and what is unknown
//! (`after_unknown`), and the `configuration` tree with each provider's evaluated
//! arguments. The plan adapter then reads it like any plan, so both inputs share one
//! model, one set of location rules and one set of flow rules.

use std::collections::BTreeSet;
use std::rc::Rc;

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::template::{Directive, Element, Template};
use indexmap::IndexMap;
use serde_json::{Map, Value, json};

use super::eval::{Instance, META_ARGS, META_BLOCKS, Scope, World};
use super::module::{Block, Body, Module};
use super::value::Val;
use crate::model::Declaration;

use crate::adapters::terraform::config::{DERIVATION_KEY, UNKNOWN_KEY};

/// The plan-shaped document and where each resource instance is declared.
pub(crate) struct Built {
    pub doc: Value,
    pub declared: IndexMap<String, Declaration>,
}

pub(crate) fn build(world: &World<'_>) -> Built {
    let mut changes = Vec::new();
    let mut declared = IndexMap::new();
    let mut providers = Map::new();
    // Configuration paths in visiting order, each with its first instance.
    let mut first: IndexMap<String, usize> = IndexMap::new();
    let mut stack = vec![0usize];
    while let Some(inst) = stack.pop() {
        if world.failed() {
            break;
        }
        let module = world.module_of(inst);
        let config_path = world.insts.borrow()[inst].config_path.clone();
        if !first.contains_key(&config_path) {
            first.insert(config_path.clone(), inst);
            provider_configs(world, inst, module, &config_path, &mut providers);
        }
        for (address, block) in &module.resources {
            let exp = match world.expand_resource(inst, address) {
                Ok(e) => e,
                Err(_) => continue,
            };
            for instance in &exp.instances {
                let (change, addr) = resource_change(world, inst, module, address, block, instance);
                let file = module.file(block.file);
                let (line, end_line) = file.lines(&block.span);
                declared.insert(
                    addr,
                    Declaration {
                        file: file.shown.clone(),
                        line,
                        end_line,
                    },
                );
                changes.push(change);
            }
        }
        let mut children = Vec::new();
        for name in module.calls.keys() {
            match world.expand_call(inst, name) {
                Ok(exp) => {
                    for i in &exp.instances {
                        match i.child {
                            Some(c) => children.push(c),
                            None => {
                                let missing = missing_module(world, inst, name);
                                world.warn(missing, None);
                            }
                        }
                    }
                }
                Err(_) => continue,
            }
        }
        stack.extend(children.into_iter().rev());
    }
    let root_module = module_json(world, "", &first, false);
    let variables: Map<String, Value> = world
        .module_of(0)
        .variables
        .keys()
        .filter_map(|name| {
            let v = world.var(0, name).ok()?;
            v.is_wholly_known()
                .then(|| (name.clone(), json!({"value": v.to_json().0})))
        })
        .collect();
    Built {
        doc: json!({
            "format_version": "1.2",
            "variables": variables,
            "resource_changes": changes,
            "configuration": {
                "provider_config": providers,
                "root_module": root_module,
            }
        }),
        declared,
    }
}

fn missing_module(world: &World<'_>, inst: usize, name: &str) -> String {
    let path = {
        let insts = world.insts.borrow();
        let p = &insts[inst].config_path;
        if p.is_empty() {
            format!("module.{name}")
        } else {
            format!("{p}.module.{name}")
        }
    };
    let why = world
        .tree
        .missing
        .iter()
        .find(|m| m.path == path)
        .map_or_else(|| "it could not be read".to_owned(), |m| m.why.clone());
    format!("module `{path}` is not checked: {why}")
}

/// One `resource_changes` entry, and its address.
fn resource_change(
    world: &World<'_>,
    inst: usize,
    module: &Module,
    address: &str,
    block: &Block,
    instance: &Instance,
) -> (Value, String) {
    let prefix = world.insts.borrow()[inst].path.clone();
    let full = if prefix.is_empty() {
        format!("{address}{}", instance.key.suffix())
    } else {
        format!("{prefix}.{address}{}", instance.key.suffix())
    };
    let (rtype, name) = address.split_once('.').unwrap_or((address, ""));
    let local = block
        .attr("provider")
        .and_then(|a| traversal_text(&a.expr))
        .unwrap_or_else(|| rtype.split('_').next().unwrap_or(rtype).to_owned());
    let sc = Scope {
        inst,
        file: block.file,
        bindings: instance.bindings.clone(),
    };
    let body = world
        .body_value(&block.body, &sc, Some(&full))
        .unwrap_or_else(Val::unknown);
    let (after, unknown) = body.to_json();
    let source = module.provider_source(&local);
    let mut change = json!({
        "address": full,
        "mode": "managed",
        "type": rtype,
        "name": name,
        "provider_name": format!("registry.terraform.io/{source}"),
        "change": {
            "actions": ["create"],
            "after": after,
            "after_unknown": unknown.unwrap_or_else(|| json!({})),
        }
    });
    if !prefix.is_empty() {
        change["module_address"] = Value::String(prefix);
    }
    (change, full)
}

/// The `provider_config` entries a module instance declares, with their arguments
/// evaluated (providers are configured once per module: Terraform refuses them in a
/// module called with `count` or `for_each`).
fn provider_configs(
    world: &World<'_>,
    inst: usize,
    module: &Module,
    config_path: &str,
    out: &mut Map<String, Value>,
) {
    for (local, block) in &module.providers {
        let name = block.labels.first().cloned().unwrap_or_default();
        let key = provider_key_in(config_path, local);
        let sc = Scope {
            inst,
            file: block.file,
            bindings: Rc::default(),
        };
        let mut entry = json!({
            "name": name,
            "full_name": format!("registry.terraform.io/{}", module.provider_source(&name)),
            "expressions": expressions(world, &block.body, &sc, &["alias", "version"], true),
        });
        if let Some((_, alias)) = local.split_once('.') {
            entry["alias"] = Value::String(alias.to_owned());
        }
        if !config_path.is_empty() {
            entry["module_address"] = Value::String(config_path.to_owned());
        }
        out.insert(key, entry);
    }
}

fn provider_key_in(config_path: &str, local: &str) -> String {
    if config_path.is_empty() {
        local.to_owned()
    } else {
        format!("{config_path}:{local}")
    }
}

/// The configuration key of the provider a resource in module instance `inst` uses
/// under local name `local`, following `providers = {}` maps and Terraform's implicit
/// inheritance of default (unaliased) configurations.
pub(crate) fn provider_key(world: &World<'_>, mut inst: usize, local: &str) -> String {
    let mut local = local.to_owned();
    loop {
        let (config_path, parent, call) = {
            let insts = world.insts.borrow();
            let i = &insts[inst];
            (i.config_path.clone(), i.parent, i.call.clone())
        };
        let module = world.module_of(inst);
        if module.providers.contains_key(&local) {
            return provider_key_in(&config_path, &local);
        }
        let (Some(parent), Some(call)) = (parent, call) else {
            return local;
        };
        let passed = world
            .module_of(parent)
            .calls
            .get(&call)
            .and_then(|b| b.attr("providers"))
            .and_then(|a| passed_provider(&a.expr, &local));
        match passed {
            Some(p) => local = p,
            None if !local.contains('.') => {}
            // An alias the caller did not pass: Terraform refuses this; leave it unbound.
            None => return provider_key_in(&config_path, &local),
        }
        inst = parent;
    }
}

/// The parent's configuration a `providers = { aws = aws.eu }` map passes as `local`.
fn passed_provider(map: &Expression, local: &str) -> Option<String> {
    let Expression::Object(obj) = map else {
        return None;
    };
    obj.iter().find_map(|(k, v)| {
        let key = match k {
            ObjectKey::Ident(i) => i.as_str().to_owned(),
            ObjectKey::Expression(e) => traversal_text(e)?,
        };
        (key == local).then(|| traversal_text(v.expr())).flatten()
    })
}

/// `aws.eu` for a traversal of plain names; `None` for anything else.
pub(crate) fn traversal_text(expr: &Expression) -> Option<String> {
    match expr {
        Expression::Variable(v) => Some(v.as_str().to_owned()),
        Expression::Traversal(t) => {
            let mut s = traversal_text(&t.expr)?;
            for op in &t.operators {
                match op.value() {
                    TraversalOperator::GetAttr(a) => {
                        s.push('.');
                        s.push_str(a.as_str());
                    }
                    _ => return None,
                }
            }
            Some(s)
        }
        _ => None,
    }
}

/// The `configuration` entry of a module: its resources' expressions, its calls and
/// its variables' defaults.
fn module_json(
    world: &World<'_>,
    config_path: &str,
    first: &IndexMap<String, usize>,
    repeated: bool,
) -> Value {
    let Some(&inst) = first.get(config_path) else {
        return json!({});
    };
    let module = world.module_of(inst);
    let sc = Scope {
        inst,
        file: 0,
        bindings: Rc::default(),
    };
    let resources: Vec<Value> = module
        .resources
        .iter()
        .map(|(address, block)| {
            let (rtype, name) = address.split_once('.').unwrap_or((address, ""));
            let local = block
                .attr("provider")
                .and_then(|a| traversal_text(&a.expr))
                .unwrap_or_else(|| rtype.split('_').next().unwrap_or(rtype).to_owned());
            json!({
                "address": address,
                "mode": "managed",
                "type": rtype,
                "name": name,
                "provider_config_key": provider_key(world, inst, &local),
                "expressions": expressions(world, &block.body, &Scope { file: block.file, ..sc.clone() }, &[], !repeated),
            })
        })
        .collect();
    let mut calls = Map::new();
    for (name, block) in &module.calls {
        let child = if config_path.is_empty() {
            format!("module.{name}")
        } else {
            format!("{config_path}.module.{name}")
        };
        let child_repeated =
            repeated || block.attr("count").is_some() || block.attr("for_each").is_some();
        let skip = ["source", "version", "providers"];
        let call_sc = Scope {
            file: block.file,
            ..sc.clone()
        };
        let args = expressions(world, &block.body, &call_sc, &skip, !repeated);
        let source = block
            .attr("source")
            .and_then(|a| super::module::literal_string(&a.expr))
            .unwrap_or_default();
        calls.insert(
            name.clone(),
            json!({
                "source": source,
                "expressions": args,
                "module": module_json(world, &child, first, child_repeated),
            }),
        );
    }
    let variables: Map<String, Value> = module
        .variables
        .iter()
        .map(|(name, block)| {
            let mut v = json!({});
            if let Some(d) = block.attr("default") {
                let d_sc = Scope {
                    file: d.file,
                    ..sc.clone()
                };
                let value = world.value_of(&d.expr, &d_sc, None);
                if value.is_wholly_known() {
                    v["default"] = value.to_json().0;
                }
            }
            (name.clone(), v)
        })
        .collect();
    json!({
        "resources": resources,
        "module_calls": calls,
        "variables": variables,
    })
}

/// Expressions as Terraform records them (`references`, and `constant_value` for a
/// constant), evaluated where one value holds for every instance: the value when it is
/// known, with how it was found, or why it is not. Per-instance values (`each`,
/// `count`, or a module called more than once) are left to `after`.
fn expressions(world: &World<'_>, body: &Body, sc: &Scope, skip: &[&str], evaluate: bool) -> Value {
    let mut out = Map::new();
    for (name, a) in &body.attrs {
        if skip.contains(&name.as_str()) || META_ARGS.contains(&name.as_str()) {
            continue;
        }
        let refs = references(&a.expr);
        let per_instance = refs.iter().any(|r| {
            ["each.", "count.", "self."]
                .iter()
                .any(|p| r.starts_with(p))
        });
        let mut e = Map::new();
        if !refs.is_empty() {
            e.insert("references".into(), json!(refs));
        }
        if refs.is_empty() || (evaluate && !per_instance) {
            let a_sc = Scope {
                file: a.file,
                ..sc.clone()
            };
            let (v, trace) = world.traced(|| world.value_of(&a.expr, &a_sc, None));
            match v.first_unknown() {
                None => {
                    e.insert("constant_value".into(), v.to_json().0);
                    if let Some(how) = derivation(&a.expr, &v, &trace) {
                        e.insert(DERIVATION_KEY.into(), Value::String(how));
                    }
                }
                Some(why) => {
                    e.insert(UNKNOWN_KEY.into(), Value::String(why.to_string()));
                }
            }
        }
        out.insert(name.clone(), Value::Object(e));
    }
    for (ident, blocks) in nested(body) {
        let items: Vec<Value> = blocks
            .iter()
            .map(|b| expressions(world, b, sc, &[], evaluate))
            .collect();
        out.insert(ident, Value::Array(items));
    }
    Value::Object(out)
}

/// How a value was found, outermost step first: `` `var.region` = `eu-west-1` (its
/// default in `variables.tf:3`) ``, or `` `eu-west-1` from `local.r` = ... `` when the
/// expression computes more than it names.
fn derivation(expr: &Expression, value: &Val, trace: &[String]) -> Option<String> {
    if trace.is_empty() {
        return None;
    }
    let chain: Vec<&str> = trace.iter().rev().map(String::as_str).collect();
    let chain = chain.join(", from ");
    let named = traversal_text(expr).is_some_and(|t| chain.starts_with(&format!("`{t}`")));
    Some(if named {
        chain
    } else {
        format!("{} from {chain}", value.shown())
    })
}

/// Nested blocks by type (a `dynamic` block's `content` stands for what it makes).
fn nested(body: &Body) -> IndexMap<String, Vec<&Body>> {
    let mut out: IndexMap<String, Vec<&Body>> = IndexMap::new();
    for b in &body.blocks {
        if META_BLOCKS.contains(&b.ident.as_str()) {
            continue;
        }
        if b.ident == "dynamic" {
            if let (Some(ident), Some(content)) =
                (b.labels.first(), b.body.blocks_of("content").next())
            {
                out.entry(ident.clone()).or_default().push(&content.body);
            }
            continue;
        }
        out.entry(b.ident.clone()).or_default().push(&b.body);
    }
    out
}

/// Terraform's `references` of an expression: each traversal from a named root as far
/// as it is static, and the resource or module it belongs to (`aws_s3_bucket.b.arn`,
/// `aws_s3_bucket.b`). Names bound by `for` are not references.
pub(crate) fn references(expr: &Expression) -> Vec<String> {
    let mut out = BTreeSet::new();
    let mut bound = Vec::new();
    collect(expr, &mut bound, &mut out);
    let mut v: Vec<String> = out.into_iter().collect();
    // Longest first, as Terraform lists them.
    v.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    v
}

fn collect(expr: &Expression, bound: &mut Vec<String>, out: &mut BTreeSet<String>) {
    match expr {
        Expression::Variable(v) => {
            if !bound.iter().any(|b| b == v.as_str()) {
                push_ref(v.as_str(), &[], out);
            }
        }
        Expression::Traversal(t) => {
            if let Expression::Variable(v) = &t.expr {
                if !bound.iter().any(|b| b == v.as_str()) {
                    push_ref(v.as_str(), &t.operators, out);
                }
            } else {
                collect(&t.expr, bound, out);
            }
            for op in &t.operators {
                if let TraversalOperator::Index(e) = op.value() {
                    collect(e, bound, out);
                }
            }
        }
        Expression::Array(a) => a.iter().for_each(|e| collect(e, bound, out)),
        Expression::Object(o) => {
            for (k, v) in o.iter() {
                if let ObjectKey::Expression(e) = k
                    && !matches!(e, Expression::Variable(_))
                {
                    collect(e, bound, out);
                }
                collect(v.expr(), bound, out);
            }
        }
        Expression::StringTemplate(t) => collect_template(t, bound, out),
        Expression::HeredocTemplate(h) => collect_template(&h.template, bound, out),
        Expression::Parenthesis(p) => collect(p.inner(), bound, out),
        Expression::Conditional(c) => {
            collect(&c.cond_expr, bound, out);
            collect(&c.true_expr, bound, out);
            collect(&c.false_expr, bound, out);
        }
        Expression::FuncCall(f) => f.args.iter().for_each(|e| collect(e, bound, out)),
        Expression::UnaryOp(u) => collect(&u.expr, bound, out),
        Expression::BinaryOp(b) => {
            collect(&b.lhs_expr, bound, out);
            collect(&b.rhs_expr, bound, out);
        }
        Expression::ForExpr(f) => {
            collect(&f.intro.collection_expr, bound, out);
            let n = bound.len();
            if let Some(k) = &f.intro.key_var {
                bound.push(k.as_str().to_owned());
            }
            bound.push(f.intro.value_var.as_str().to_owned());
            if let Some(k) = &f.key_expr {
                collect(k, bound, out);
            }
            collect(&f.value_expr, bound, out);
            if let Some(c) = &f.cond {
                collect(&c.expr, bound, out);
            }
            bound.truncate(n);
        }
        Expression::Null(_)
        | Expression::Bool(_)
        | Expression::Number(_)
        | Expression::String(_) => {}
    }
}

fn collect_template(t: &Template, bound: &mut Vec<String>, out: &mut BTreeSet<String>) {
    for e in t.iter() {
        match e {
            Element::Literal(_) => {}
            Element::Interpolation(i) => collect(&i.expr, bound, out),
            Element::Directive(d) => match d.as_ref() {
                Directive::If(d) => {
                    collect(&d.if_expr.cond_expr, bound, out);
                    collect_template(&d.if_expr.template, bound, out);
                    if let Some(e) = &d.else_expr {
                        collect_template(&e.template, bound, out);
                    }
                }
                Directive::For(d) => {
                    collect(&d.for_expr.collection_expr, bound, out);
                    let n = bound.len();
                    if let Some(k) = &d.for_expr.key_var {
                        bound.push(k.as_str().to_owned());
                    }
                    bound.push(d.for_expr.value_var.as_str().to_owned());
                    collect_template(&d.for_expr.template, bound, out);
                    bound.truncate(n);
                }
            },
        }
    }
}

/// A reference's text as far as it is static, and its resource or module part.
fn push_ref(
    root: &str,
    ops: &[hcl_edit::Decorated<TraversalOperator>],
    out: &mut BTreeSet<String>,
) {
    let mut text = root.to_owned();
    let mut parts = vec![text.clone()];
    for op in ops {
        match op.value() {
            TraversalOperator::GetAttr(a) => {
                text.push('.');
                text.push_str(a.as_str());
            }
            TraversalOperator::LegacyIndex(n) => text.push_str(&format!("[{}]", n.value())),
            TraversalOperator::Index(Expression::Number(n)) => {
                text.push_str(&format!("[{}]", n.value()))
            }
            TraversalOperator::Index(Expression::String(s)) => {
                text.push_str(&format!("[{}]", Value::from(s.value().as_str())));
            }
            _ => break,
        }
        parts.push(text.clone());
    }
    // `var.x`, `each.key`: every static form. A resource, module or data source: the
    // block, its instance (when indexed) and the most specific form, e.g.
    // `aws_s3_bucket.b[0].arn`, `aws_s3_bucket.b[0]`, `aws_s3_bucket.b`.
    let block = match root {
        "var" | "local" | "each" | "count" | "self" | "path" | "terraform" => {
            out.extend(parts.into_iter().skip(1));
            return;
        }
        "data" => 2,
        _ => 1,
    };
    let Some(last) = parts.last().cloned() else {
        return;
    };
    if let Some(b) = parts.get(block) {
        out.insert(b.clone());
        if let Some(i) = parts.get(block + 1).filter(|i| i.ends_with(']')) {
            out.insert(i.clone());
        }
        out.insert(last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(src: &str) -> Vec<String> {
        references(&hcl_edit::parser::parse_expr(src).unwrap())
    }

    #[test]
    fn references_as_terraform_writes_them() {
        assert_eq!(refs("var.region"), ["var.region"]);
        assert_eq!(
            refs("azurerm_resource_group.rg.location"),
            [
                "azurerm_resource_group.rg.location",
                "azurerm_resource_group.rg"
            ]
        );
        assert_eq!(
            refs("aws_s3_bucket.b[0].arn"),
            [
                "aws_s3_bucket.b[0].arn",
                "aws_s3_bucket.b[0]",
                "aws_s3_bucket.b"
            ]
        );
        assert_eq!(refs("\"x\""), Vec::<String>::new());
        assert_eq!(refs("[for s in var.l : upper(s)]"), ["var.l"]);
        assert_eq!(refs("\"${local.p}-${each.key}\""), ["each.key", "local.p"]);
    }
}
