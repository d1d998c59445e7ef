//! Streams the plan JSON in Terraform's layout: `variables`, `planned_values`,
//! `resource_changes`, `output_changes`, `prior_state`, `configuration`,
//! `relevant_attributes`, `timestamp`. Values of one instance are regenerated for each
//! section that repeats them, so memory stays flat however large the plan.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use crate::attrs::{self, Values};
use crate::world::{self, MODULES, PROVIDERS, RegionExpr};
use crate::{Action, Instancing, Key, Loc, Plan};

const TERRAFORM_VERSION: &str = "1.9.8";

fn creates(a: Action) -> bool {
    matches!(
        a,
        Action::Create | Action::DeleteCreate | Action::CreateDelete
    )
}

fn existed(a: Action) -> bool {
    matches!(
        a,
        Action::NoOp
            | Action::Update
            | Action::DeleteCreate
            | Action::CreateDelete
            | Action::Delete
    )
}

fn after_values(v: &Values, a: Action) -> Map<String, Value> {
    let mut m = v.full.clone();
    if creates(a) {
        for k in v.computed {
            m.remove(*k);
        }
    }
    m
}

fn after_unknown(v: &Values, a: Action) -> Map<String, Value> {
    let mut u = Map::new();
    if creates(a) {
        for k in v.computed {
            u.insert((*k).into(), json!(true));
        }
        u.extend(v.unknown.clone());
    }
    u
}

fn put_identity(plan: &Plan, i: usize, m: &mut Map<String, Value>) {
    let inst = &plan.insts[i];
    let b = plan.block(i);
    m.insert("address".into(), json!(plan.address(i)));
    m.insert(
        "mode".into(),
        json!(if b.data { "data" } else { "managed" }),
    );
    m.insert("type".into(), json!(b.ty));
    m.insert("name".into(), json!(b.name));
    match &inst.key {
        Key::None => {}
        Key::Int(n) => {
            m.insert("index".into(), json!(n));
        }
        Key::Str(k) => {
            m.insert("index".into(), json!(k));
        }
    }
    m.insert("provider_name".into(), json!(b.fam.provider_name()));
}

fn state_resource(plan: &Plan, i: usize, values: Map<String, Value>) -> Value {
    let mut m = Map::new();
    put_identity(plan, i, &mut m);
    m.insert("schema_version".into(), json!(0));
    m.insert("sensitive_values".into(), json!({}));
    m.insert("values".into(), Value::Object(values));
    Value::Object(m)
}

fn resource_change(plan: &Plan, i: usize) -> Value {
    let inst = &plan.insts[i];
    let v = attrs::values(plan, i);
    let sens = Value::Object(v.sensitive.clone());
    let a = inst.action;
    let (actions, before, after, before_sens, after_sens): (&[&str], Value, Value, Value, Value) =
        match a {
            Action::Create => (
                &["create"],
                Value::Null,
                Value::Object(after_values(&v, a)),
                json!(false),
                sens,
            ),
            Action::NoOp => (
                &["no-op"],
                Value::Object(v.full.clone()),
                Value::Object(v.full.clone()),
                sens.clone(),
                sens,
            ),
            Action::Update => (
                &["update"],
                Value::Object(attrs::before_update(&v.full)),
                Value::Object(v.full.clone()),
                sens.clone(),
                sens,
            ),
            Action::DeleteCreate => (
                &["delete", "create"],
                Value::Object(v.full.clone()),
                Value::Object(after_values(&v, a)),
                sens.clone(),
                sens,
            ),
            Action::CreateDelete => (
                &["create", "delete"],
                Value::Object(v.full.clone()),
                Value::Object(after_values(&v, a)),
                sens.clone(),
                sens,
            ),
            Action::Delete => (
                &["delete"],
                Value::Object(v.full.clone()),
                Value::Null,
                sens,
                json!(false),
            ),
            Action::Read => (
                &["read"],
                Value::Null,
                Value::Object(v.full.clone()),
                json!(false),
                json!({}),
            ),
        };
    let mut m = Map::new();
    put_identity(plan, i, &mut m);
    let module = &plan.mods[inst.module_inst].addr;
    if !module.is_empty() {
        m.insert("module_address".into(), json!(module));
    }
    m.insert(
        "change".into(),
        json!({
            "actions": actions,
            "before": before,
            "after": after,
            "after_unknown": after_unknown(&v, a),
            "before_sensitive": before_sens,
            "after_sensitive": after_sens,
        }),
    );
    let reason = match a {
        Action::DeleteCreate | Action::CreateDelete => Some("replace_because_cannot_update"),
        Action::Read => Some("read_because_dependency_pending"),
        _ => None,
    };
    if let Some(r) = reason {
        m.insert("action_reason".into(), json!(r));
    }
    Value::Object(m)
}

/// Which instances a state-shaped section lists, and with which values.
#[derive(Clone, Copy)]
enum Section {
    Planned,
    Prior,
}

fn write_state_module<W: Write>(
    plan: &Plan,
    w: &mut W,
    by_mod: &[Vec<usize>],
    m: usize,
    section: Section,
) -> io::Result<()> {
    w.write_all(b"{")?;
    if !plan.mods[m].addr.is_empty() {
        write!(w, "\"address\":{},", json!(plan.mods[m].addr))?;
    }
    w.write_all(b"\"resources\":[")?;
    let mut first = true;
    for &i in &by_mod[m] {
        let inst = &plan.insts[i];
        if plan.block(i).data {
            continue;
        }
        let values = match section {
            Section::Planned if inst.action != Action::Delete => {
                after_values(&attrs::values(plan, i), inst.action)
            }
            Section::Prior if existed(inst.action) => {
                let v = attrs::values(plan, i).full;
                if inst.action == Action::Update {
                    attrs::before_update(&v)
                } else {
                    v
                }
            }
            _ => continue,
        };
        if !first {
            w.write_all(b",")?;
        }
        first = false;
        serde_json::to_writer(&mut *w, &state_resource(plan, i, values))?;
    }
    w.write_all(b"]")?;
    let children: Vec<usize> = (0..plan.mods.len())
        .filter(|&c| plan.mods[c].parent == Some(m))
        .collect();
    if !children.is_empty() {
        w.write_all(b",\"child_modules\":[")?;
        for (n, c) in children.into_iter().enumerate() {
            if n > 0 {
                w.write_all(b",")?;
            }
            write_state_module(plan, w, by_mod, c, section)?;
        }
        w.write_all(b"]")?;
    }
    w.write_all(b"}")
}

fn provider_config() -> Value {
    let mut pcs = Map::new();
    for p in PROVIDERS {
        let mut m = Map::new();
        m.insert("name".into(), json!(p.fam.local()));
        m.insert("full_name".into(), json!(p.fam.provider_name()));
        if let Some(a) = p.alias {
            m.insert("alias".into(), json!(a));
        }
        if let Some(module) = p.module {
            m.insert("module_address".into(), json!(module));
        }
        m.insert("version_constraint".into(), json!(">= 1.0"));
        let mut ex = Map::new();
        match p.region {
            RegionExpr::Const(r) => {
                ex.insert("region".into(), json!({"constant_value": r}));
            }
            RegionExpr::Var(v) => {
                ex.insert("region".into(), json!({"references": [format!("var.{v}")]}));
            }
            RegionExpr::Env => {}
        }
        match p.key {
            "aws" => {
                ex.insert(
                    "default_tags".into(),
                    json!([{"tags": {"constant_value": {"ManagedBy": "terraform"}}}]),
                );
            }
            "aws.env" => {
                ex.insert("profile".into(), json!({"constant_value": "ops"}));
            }
            "azurerm" => {
                ex.insert("features".into(), json!([{}]));
                ex.insert(
                    "subscription_id".into(),
                    json!({"references": ["var.subscription_id"]}),
                );
            }
            _ => {}
        }
        m.insert("expressions".into(), Value::Object(ex));
        pcs.insert(p.key.into(), Value::Object(m));
    }
    Value::Object(pcs)
}

fn config_resource(plan: &Plan, b: usize, first: usize) -> Value {
    let block = &plan.blocks[b];
    let v = attrs::values(plan, first);
    let mut ex = Map::new();
    for (k, val) in v.full.iter() {
        if ex.len() >= 8 {
            break;
        }
        if v.computed.contains(&k.as_str()) || k == "password" {
            continue;
        }
        if matches!(val, Value::String(_) | Value::Number(_) | Value::Bool(_)) {
            ex.insert(k.clone(), json!({"constant_value": val}));
        }
    }
    for tags in ["tags", "labels", "freeform_tags"] {
        if v.full.contains_key(tags) || v.unknown.contains_key(tags) {
            ex.insert(
                tags.into(),
                json!({"references": ["local.common_tags", "var.environment"]}),
            );
        }
    }
    match &plan.insts[first].loc {
        Loc::Known(attr, val) if MODULES[block.module].path == ["region"] => {
            let _ = val;
            ex.insert((*attr).into(), json!({"references": ["var.region"]}));
        }
        Loc::Known(attr, val) => {
            ex.insert((*attr).into(), json!({"constant_value": val}));
        }
        Loc::Unknown(attr) => {
            ex.insert(
                (*attr).into(),
                json!({"references": ["data.external.placement.result"]}),
            );
        }
        Loc::None => {}
    }
    let address = if block.data {
        format!("data.{}.{}", block.ty, block.name)
    } else {
        format!("{}.{}", block.ty, block.name)
    };
    let mut m = Map::new();
    m.insert("address".into(), json!(address));
    m.insert(
        "mode".into(),
        json!(if block.data { "data" } else { "managed" }),
    );
    m.insert("type".into(), json!(block.ty));
    m.insert("name".into(), json!(block.name));
    m.insert("provider_config_key".into(), json!(block.provider));
    m.insert("expressions".into(), Value::Object(ex));
    m.insert("schema_version".into(), json!(0));
    match &block.instancing {
        Instancing::Single => {}
        Instancing::Count(n) => {
            m.insert("count_expression".into(), json!({"constant_value": n}));
        }
        Instancing::Each(_) => {
            m.insert(
                "for_each_expression".into(),
                json!({"references": ["var.instances"]}),
            );
        }
    }
    Value::Object(m)
}

fn write_config_module<W: Write>(
    plan: &Plan,
    w: &mut W,
    live_first: &[Option<usize>],
    spec: usize,
) -> io::Result<()> {
    w.write_all(b"{\"resources\":[")?;
    let mut first = true;
    for (b, block) in plan.blocks.iter().enumerate() {
        let Some(inst) = live_first[b].filter(|_| block.module == spec) else {
            continue;
        };
        if !first {
            w.write_all(b",")?;
        }
        first = false;
        serde_json::to_writer(&mut *w, &config_resource(plan, b, inst))?;
    }
    w.write_all(b"]")?;
    let path = MODULES[spec].path;
    let children: Vec<usize> = (0..MODULES.len())
        .filter(|&c| MODULES[c].path.len() == path.len() + 1 && MODULES[c].path.starts_with(path))
        .collect();
    if !children.is_empty() {
        w.write_all(b",\"module_calls\":{")?;
        for (n, c) in children.into_iter().enumerate() {
            if n > 0 {
                w.write_all(b",")?;
            }
            let name = MODULES[c].path.last().expect("child has a name");
            write!(
                w,
                "{}:{{\"source\":{},",
                json!(name),
                json!(MODULES[c].source)
            )?;
            let call_ex = json!({"environment": {"references": ["var.environment"]}, "project": {"references": ["var.project"]}});
            write!(w, "\"expressions\":{call_ex},")?;
            match MODULES[c].instances {
                world::Instances::One => {}
                world::Instances::Count(n) => {
                    write!(w, "\"count_expression\":{{\"constant_value\":{n}}},")?
                }
                world::Instances::Each(_) => {
                    w.write_all(b"\"for_each_expression\":{\"references\":[\"var.regions\"]},")?
                }
            }
            w.write_all(b"\"module\":")?;
            write_config_module(plan, w, live_first, c)?;
            w.write_all(b"}")?;
        }
        w.write_all(b"}")?;
    }
    if spec == 0 {
        let mut vars = Map::new();
        for (name, value) in world::VARIABLES {
            vars.insert(
                (*name).into(),
                json!({"default": value, "description": format!("The {name}.")}),
            );
        }
        write!(w, ",\"variables\":{}", Value::Object(vars))?;
    }
    w.write_all(b"}")
}

pub fn write_plan<W: Write>(plan: &Plan, mut w: W) -> io::Result<()> {
    let n = plan.insts.len();
    let mut by_mod: Vec<Vec<usize>> = vec![Vec::new(); plan.mods.len()];
    for (i, inst) in plan.insts.iter().enumerate() {
        by_mod[inst.module_inst].push(i);
    }
    // A block appears in configuration only while some instance of it survives the plan.
    let mut live_first: Vec<Option<usize>> = vec![None; plan.blocks.len()];
    for (i, inst) in plan.insts.iter().enumerate() {
        if inst.action != Action::Delete && live_first[inst.block].is_none() {
            live_first[inst.block] = Some(i);
        }
    }

    write!(
        w,
        "{{\"format_version\":\"1.2\",\"terraform_version\":\"{TERRAFORM_VERSION}\",\"variables\":"
    )?;
    let mut vars = Map::new();
    for (name, value) in world::VARIABLES {
        vars.insert((*name).into(), json!({ "value": value }));
    }
    serde_json::to_writer(&mut w, &vars)?;

    w.write_all(b",\"planned_values\":{\"root_module\":")?;
    write_state_module(plan, &mut w, &by_mod, 0, Section::Planned)?;

    w.write_all(b"},\"resource_changes\":[")?;
    for i in 0..n {
        if i > 0 {
            w.write_all(b",")?;
        }
        serde_json::to_writer(&mut w, &resource_change(plan, i))?;
    }

    let buckets = plan
        .insts
        .iter()
        .filter(|x| plan.blocks[x.block].ty == "aws_s3_bucket")
        .count();
    write!(
        w,
        "],\"output_changes\":{{\"bucket_count\":{{\"actions\":[\"update\"],\"before\":0,\"after\":{buckets},\"after_unknown\":false,\"before_sensitive\":false,\"after_sensitive\":false}}}}"
    )?;

    write!(
        w,
        ",\"prior_state\":{{\"format_version\":\"1.0\",\"terraform_version\":\"{TERRAFORM_VERSION}\",\"values\":{{\"root_module\":"
    )?;
    write_state_module(plan, &mut w, &by_mod, 0, Section::Prior)?;

    w.write_all(b"}},\"configuration\":{\"provider_config\":")?;
    serde_json::to_writer(&mut w, &provider_config())?;
    w.write_all(b",\"root_module\":")?;
    write_config_module(plan, &mut w, &live_first, 0)?;

    w.write_all(b"},\"relevant_attributes\":[")?;
    let mut first = true;
    for i in (0..n)
        .step_by(40)
        .filter(|&i| plan.insts[i].action != Action::Delete)
    {
        if !first {
            w.write_all(b",")?;
        }
        first = false;
        serde_json::to_writer(
            &mut w,
            &json!({"resource": plan.address(i), "attribute": ["tags"]}),
        )?;
    }
    w.write_all(b"],\"timestamp\":\"2026-11-26T12:00:00Z\",\"applyable\":true,\"complete\":true,\"errored\":false}\n")?;
    w.flush()
}
