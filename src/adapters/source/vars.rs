//! Root module variable values from outside the configuration, in Terraform's order of
//! precedence (later wins): `TF_VAR_name` environment variables, `terraform.tfvars`,
//! `terraform.tfvars.json`, `*.auto.tfvars` and `*.auto.tfvars.json` in lexical order,
//! then `--var-file` and `--var` in the order given.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::Structure;
use indexmap::IndexMap;

use super::err::SourceError;
use super::eval::Given;
use super::module::{Module, ReadLimits, TfFile, literal_string, read_text, shown_path};
use super::value::Val;

/// A variable value given on the command line, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VarArg {
    /// `--var NAME=VALUE`.
    Assign(String),
    /// `--var-file FILE`.
    File(PathBuf),
}

/// Collects the values for the root module's variables, with a warning for each value
/// given for a variable the configuration does not declare.
pub(crate) fn given(
    root: &Module,
    repo_root: &Path,
    args: &[VarArg],
    env: &[(String, String)],
    max_bytes: u64,
    warnings: &mut Vec<String>,
) -> Result<IndexMap<String, Given>, SourceError> {
    let mut out: IndexMap<String, Given> = IndexMap::new();
    let limits = ReadLimits { max_bytes };
    let mut read = 0u64;
    for (k, v) in env {
        if let Some(name) = k.strip_prefix("TF_VAR_")
            && let Some(decl) = root.variables.get(name)
        {
            let value = from_text(name, v, decl, &format!("`{k}`"))?;
            out.insert(
                name.to_owned(),
                Given {
                    value,
                    origin: format!("from `{k}`"),
                },
            );
        }
    }
    let mut files: Vec<PathBuf> = Vec::new();
    for f in ["terraform.tfvars", "terraform.tfvars.json"] {
        let p = root.dir.join(f);
        if p.is_file() {
            files.push(p);
        }
    }
    let mut auto: Vec<PathBuf> = std::fs::read_dir(&root.dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    auto.sort();
    files.extend(auto);
    let mut add = |name: String, value: Val, origin: String, out: &mut IndexMap<String, Given>| {
        if !root.variables.contains_key(&name) {
            warnings.push(format!(
                "{origin} gives a value for `{name}`, which the root module does not declare"
            ));
        }
        out.insert(name, Given { value, origin });
    };
    for f in &files {
        for (name, value, origin) in read_file(f, repo_root, &limits, &mut read)? {
            add(name, value, origin, &mut out);
        }
    }
    for a in args {
        match a {
            VarArg::File(f) => {
                for (name, value, origin) in read_file(f, repo_root, &limits, &mut read)? {
                    add(name, value, origin, &mut out);
                }
            }
            VarArg::Assign(text) => {
                let Some((name, raw)) = text.split_once('=').filter(|(n, _)| !n.is_empty()) else {
                    return Err(SourceError::VarArg { arg: text.clone() });
                };
                let value = match root.variables.get(name) {
                    Some(decl) => from_text(name, raw, decl, "`--var`")?,
                    None => Val::str(raw),
                };
                add(name.to_owned(), value, "from `--var`".to_owned(), &mut out);
            }
        }
    }
    Ok(out)
}

/// A value given as text (`--var`, `TF_VAR_`): a literal string for a variable of a
/// primitive or unspecified type, an HCL value for a collection type, as Terraform does.
fn from_text(
    name: &str,
    raw: &str,
    decl: &super::module::Block,
    origin: &str,
) -> Result<Val, SourceError> {
    let complex = match decl.attr("type").map(|a| &a.expr) {
        Some(Expression::Variable(t)) => {
            !matches!(t.as_str(), "string" | "number" | "bool" | "any")
        }
        Some(_) => true,
        None => false,
    };
    if !complex {
        return Ok(Val::str(raw));
    }
    let bad = |message: String| SourceError::VarValue {
        name: name.to_owned(),
        origin: origin.to_owned(),
        message,
    };
    let expr = hcl_edit::parser::parse_expr(raw).map_err(|e| bad(e.message().to_owned()))?;
    constant(&expr, 0).map_err(bad)
}

/// The `name = value` pairs of a `.tfvars` (HCL) or `.tfvars.json` file.
fn read_file(
    path: &Path,
    repo_root: &Path,
    limits: &ReadLimits,
    read: &mut u64,
) -> Result<Vec<(String, Val, String)>, SourceError> {
    let text: Arc<str> = read_text(path, repo_root, limits, read)?;
    let shown = shown_path(path, repo_root);
    let file = TfFile::new(shown.clone(), text.clone());
    if path.extension().is_some_and(|e| e == "json") {
        let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            let at = super::super::scan::offset_of(text.as_bytes(), e.line(), e.column());
            let (src, span) = file.error_at(&(at..at + 1));
            SourceError::Syntax {
                message: e.to_string(),
                src,
                span,
            }
        })?;
        let serde_json::Value::Object(map) = doc else {
            let (src, span) = file.error_at(&(0..1));
            return Err(SourceError::Syntax {
                message: "a variables file in JSON must be an object".into(),
                src,
                span,
            });
        };
        return Ok(map
            .iter()
            .map(|(k, v)| (k.clone(), Val::from_json(v), format!("from `{shown}`")))
            .collect());
    }
    let body = file.parse()?;
    let mut out = Vec::new();
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let span = hcl_edit::Span::span(a).unwrap_or(0..0);
                let value = constant(&a.value, 0).map_err(|message| {
                    let (src, span) = file.error_at(&span);
                    SourceError::Syntax { message, src, span }
                })?;
                out.push((
                    a.key.as_str().to_owned(),
                    value,
                    format!("from `{}`", file.place(&span)),
                ));
            }
            Structure::Block(b) => {
                let span = hcl_edit::Span::span(b).unwrap_or(0..0);
                let (src, span) = file.error_at(&span);
                return Err(SourceError::Syntax {
                    message: "a variables file holds `name = value` lines only, not blocks".into(),
                    src,
                    span,
                });
            }
        }
    }
    Ok(out)
}

/// A constant value: what a variables file may hold (no references, no functions).
fn constant(expr: &Expression, depth: usize) -> Result<Val, String> {
    if depth > 64 {
        return Err("the value nests too deep".into());
    }
    Ok(match expr {
        Expression::Null(_) => Val::Null,
        Expression::Bool(b) => Val::Bool(*b.value()),
        Expression::Number(n) => n.as_f64().map_or(Val::Null, Val::Number),
        Expression::String(s) => Val::str(s.value().as_str()),
        Expression::StringTemplate(_) | Expression::HeredocTemplate(_) => {
            let lit = match expr {
                Expression::HeredocTemplate(h) => {
                    let mut out = String::new();
                    for e in h.template.iter() {
                        match e.as_literal() {
                            Some(l) => out.push_str(l.as_str()),
                            None => return Err("variables may not be used here".into()),
                        }
                    }
                    Some(out)
                }
                _ => literal_string(expr),
            };
            match lit {
                Some(s) => Val::str(s),
                None => return Err("variables may not be used here".into()),
            }
        }
        Expression::Parenthesis(p) => constant(p.inner(), depth + 1)?,
        Expression::UnaryOp(op)
            if matches!(op.operator.value(), hcl_edit::expr::UnaryOperator::Neg) =>
        {
            match constant(&op.expr, depth + 1)? {
                Val::Number(n) => Val::Number(-n),
                _ => return Err("`-` needs a number".into()),
            }
        }
        Expression::Array(a) => {
            let mut items = Vec::new();
            for e in a.iter() {
                items.push(constant(e, depth + 1)?);
            }
            Val::list(items)
        }
        Expression::Object(o) => {
            let mut map = BTreeMap::new();
            for (k, v) in o.iter() {
                let key = match k {
                    ObjectKey::Ident(i) => i.as_str().to_owned(),
                    ObjectKey::Expression(e) => match constant(e, depth + 1)?.as_string() {
                        Some(s) => s.to_string(),
                        None => return Err("an object key must be a string".into()),
                    },
                };
                map.insert(key, constant(v.expr(), depth + 1)?);
            }
            Val::object(map)
        }
        _ => {
            return Err(
                "variables may not be used here: a variables file holds constant values".into(),
            );
        }
    })
}
