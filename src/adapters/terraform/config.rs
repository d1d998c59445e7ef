//! The plan's `configuration`: which provider configuration each resource is bound to,
//! and what an expression (`constant_value` / `references`) evaluates to where plan JSON
//! lets us know it: constants, root variables, module arguments and module defaults.
//!
//! Terraform before 1.2 did not record providers passed into modules (`providers = {}`),
//! so a module's provider may be any configuration of that provider in its parent. We
//! then keep every candidate and let the caller decide: one outcome is known, several are
//! unknown.

use indexmap::IndexMap;
use rustc_hash::FxHashMap;
use serde_json::{Map, Value};

use super::read::{RawConfig, RawConfigResource, RawModule, RawModuleCall, RawProviderConfig};

/// In plan-shaped documents juris writes from Terraform source, the key beside
/// `constant_value` that says how the value was found (`from `var.region` = ...`).
pub(crate) const DERIVATION_KEY: &str = "juris_derivation";
/// ... and the key, in place of `constant_value`, that says why the value is unknown.
pub(crate) const UNKNOWN_KEY: &str = "juris_unknown";

/// What an expression evaluates to, as far as the plan says.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Resolved {
    /// A value, and how it was found (``var.region` = `eu-central-1``).
    Value(Value, String),
    /// An attribute of a managed resource in module `module` (instance keys unknown).
    Ref {
        module: String,
        address: String,
        attr: String,
    },
    /// Not knowable from the plan, and why.
    Unknown(String),
    /// Explicitly `null`: as if not set.
    Null,
}

/// A provider configuration a resource may be bound to.
#[derive(Clone, Debug)]
pub(crate) struct Candidate<'a> {
    /// The `provider_config` key (`aws.eu`, `module.db:aws`).
    pub key: String,
    /// The configuration module it is written in (`""` for the root).
    pub module: String,
    pub config: Option<&'a RawProviderConfig>,
}

impl Candidate<'_> {
    /// `aws.eu`, `aws`, for sentences.
    pub fn local(&self) -> &str {
        self.key.rsplit_once(':').map_or(&self.key, |(_, l)| l)
    }

    pub fn alias(&self) -> Option<String> {
        self.config
            .and_then(|c| c.alias.clone())
            .or_else(|| self.local().split_once('.').map(|(_, a)| a.to_owned()))
    }

    /// Where it is written, for sentences: `the root module` or `` `module.db` ``.
    pub fn place(&self) -> String {
        if self.module.is_empty() {
            "the root module".to_owned()
        } else {
            format!("`{}`", self.module)
        }
    }

    pub fn arg(&self, name: &str) -> Option<&Value> {
        self.config?.expressions.as_ref()?.get(name)
    }
}

/// The provider configuration(s) a resource is bound to.
#[derive(Clone, Debug)]
pub(crate) struct Binding<'a> {
    pub candidates: Vec<Candidate<'a>>,
    /// The module whose provider came from its parent without the plan saying which.
    pub unrecorded: Option<String>,
    /// The local name the resource uses (`aws`, `aws.edge`), for sentences.
    pub local: String,
}

pub(crate) struct Config<'a> {
    providers: Option<&'a IndexMap<String, RawProviderConfig>>,
    /// Configuration module path → resource address → block.
    resources: FxHashMap<String, FxHashMap<&'a str, &'a RawConfigResource>>,
    calls: FxHashMap<String, &'a RawModuleCall>,
    modules: FxHashMap<String, &'a RawModule>,
    variables: &'a IndexMap<String, Value>,
}

impl<'a> Config<'a> {
    pub fn new(cfg: Option<&'a RawConfig>, variables: &'a IndexMap<String, Value>) -> Config<'a> {
        let mut c = Config {
            providers: cfg.map(|c| &c.provider_config),
            resources: FxHashMap::default(),
            calls: FxHashMap::default(),
            modules: FxHashMap::default(),
            variables,
        };
        if let Some(cfg) = cfg {
            c.index(&cfg.root_module, String::new());
        }
        c
    }

    fn index(&mut self, m: &'a RawModule, path: String) {
        let here = self.resources.entry(path.clone()).or_default();
        for r in &m.resources {
            here.insert(r.address.as_str(), r);
        }
        for (name, call) in &m.module_calls {
            let child = join_module(&path, name);
            self.calls.insert(child.clone(), call);
            self.index(&call.module, child);
        }
        self.modules.insert(path, m);
    }

    pub fn has_configuration(&self) -> bool {
        self.providers.is_some()
    }

    /// The configuration block of resource `address` (`aws_s3_bucket.b`) in `module`.
    pub fn resource(&self, module: &str, address: &str) -> Option<&'a RawConfigResource> {
        self.resources.get(module)?.get(address).copied()
    }

    /// Which provider configuration(s) a resource in `module` with `provider_config_key`
    /// `key` is bound to; without a key, the default configuration of `ptype`.
    pub fn binding(&self, module: &str, key: Option<&str>, ptype: &str) -> Binding<'a> {
        let (kmod, local) = match key {
            Some(k) => match k.split_once(':') {
                // `module.a.module.b:aws` (1.2+) names the module; `b:aws` (older) names only
                // the call, which is the resource's own module.
                Some((m, l)) if m.starts_with("module.") => (m.to_owned(), l),
                Some((_, l)) => (module.to_owned(), l),
                // Without a module part the key is the root module's (1.2+ resolves passed
                // providers to the configuration they came from).
                None => (String::new(), k),
            },
            None => (module.to_owned(), ptype),
        };
        let mut unrecorded = None;
        let mut candidates = Vec::new();
        let mut visited = rustc_hash::FxHashSet::default();
        self.resolve_local(&kmod, local, &mut unrecorded, &mut candidates, &mut visited);
        Binding {
            candidates,
            unrecorded,
            local: local.to_owned(),
        }
    }

    /// Each (module, local name) is visited once: a module tree where every level has
    /// several configurations would otherwise be explored once per path through it.
    /// Module nesting is bounded by the input's nesting limit, so the recursion is too.
    fn resolve_local(
        &self,
        module: &str,
        local: &str,
        unrecorded: &mut Option<String>,
        out: &mut Vec<Candidate<'a>>,
        visited: &mut rustc_hash::FxHashSet<String>,
    ) {
        let key = if module.is_empty() {
            local.to_owned()
        } else {
            format!("{module}:{local}")
        };
        if !visited.insert(key.clone()) {
            return;
        }
        let config = self.providers.and_then(|p| p.get(&key));
        // A root key, or a module-level block with arguments, is the configuration itself.
        // A module-level entry without arguments only declares the requirement (a proxy).
        if module.is_empty() || config.is_some_and(|c| c.expressions.is_some()) {
            if !out.iter().any(|c| c.key == key) {
                out.push(Candidate {
                    key,
                    module: module.to_owned(),
                    config,
                });
            }
            return;
        }
        if unrecorded.is_none() {
            *unrecorded = Some(module.to_owned());
        }
        let parent = parent_module(module);
        let (name, alias) = match local.split_once('.') {
            Some((n, a)) => (n, Some(a)),
            None => (local, None),
        };
        // A default configuration is inherited implicitly...
        if alias.is_none() {
            self.resolve_local(parent, local, unrecorded, out, visited);
        }
        // ...unless the parent passed another one, which older plans do not record.
        for other in self.locals_in(parent, name) {
            self.resolve_local(parent, &other, unrecorded, out, visited);
        }
    }

    /// Local names (`aws`, `aws.west`) of configurations of provider `name` in `module`.
    fn locals_in(&self, module: &str, name: &str) -> Vec<String> {
        let Some(providers) = self.providers else {
            return Vec::new();
        };
        providers
            .iter()
            .filter(|(_, c)| c.module_address.as_deref().unwrap_or("") == module && c.name == name)
            .map(|(k, _)| k.rsplit_once(':').map_or(k.as_str(), |(_, l)| l).to_owned())
            .collect()
    }

    /// Evaluates an expression written in configuration module `module`.
    pub fn resolve(&self, expr: &Value, module: &str) -> Resolved {
        self.resolve_at(expr, module, 0)
    }

    /// Every managed resource an expression references (`resources = [a.arn, b.arn]`).
    pub fn resource_refs(&self, expr: &Value, module: &str) -> Vec<(String, String)> {
        let refs: Vec<&str> = expr
            .get("references")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        most_specific(&refs)
            .into_iter()
            .filter_map(|r| match self.resolve_ref(r, module, 0) {
                Resolved::Ref {
                    module, address, ..
                } => Some((module, address)),
                _ => None,
            })
            .collect()
    }

    fn resolve_at(&self, expr: &Value, module: &str, depth: usize) -> Resolved {
        if depth > 16 {
            return Resolved::Unknown("the value passes through too many module arguments".into());
        }
        let Some(obj) = expr.as_object() else {
            return Resolved::Unknown("the configuration has no expression for it".into());
        };
        if let Some(c) = obj.get("constant_value") {
            let shown = match c {
                Value::Null => return Resolved::Null,
                Value::String(s) => format!("`{s}`"),
                other => format!("`{other}`"),
            };
            let how = obj
                .get(DERIVATION_KEY)
                .and_then(Value::as_str)
                .map_or(shown, str::to_owned);
            return Resolved::Value(c.clone(), how);
        }
        // Written from source: the references still say which resource a value comes
        // from; otherwise the reason it is unknown is the source's own.
        let from_source = obj
            .get(UNKNOWN_KEY)
            .and_then(Value::as_str)
            .map(str::to_owned);
        let refs: Vec<&str> = obj
            .get("references")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let main = most_specific(&refs);
        if let Some(why) = from_source {
            return match main.as_slice() {
                [one] => match self.resolve_ref(one, module, depth) {
                    r @ Resolved::Ref { .. } => r,
                    _ => Resolved::Unknown(why),
                },
                _ => Resolved::Unknown(why),
            };
        }
        let [one] = main.as_slice() else {
            return if main.is_empty() {
                Resolved::Unknown(
                    "it is computed by an expression the plan does not evaluate".into(),
                )
            } else {
                Resolved::Unknown(format!("it is computed from {}", quoted_list(&main)))
            };
        };
        self.resolve_ref(one, module, depth)
    }

    fn resolve_ref(&self, r: &str, module: &str, depth: usize) -> Resolved {
        let (head, rest) = split_first(r);
        match head {
            "var" => {
                let (name, traversal) = split_ident(rest);
                if module.is_empty() {
                    match self.variables.get(name) {
                        Some(v) => match traverse(v, traversal) {
                            Some(v) if !v.is_null() => {
                                let shown = shown(v);
                                Resolved::Value(v.clone(), format!("`{r}` = {shown}"))
                            }
                            _ => Resolved::Unknown(format!("`{r}` has no value in the plan")),
                        },
                        None => Resolved::Unknown(format!("`{r}` has no value in the plan")),
                    }
                } else {
                    let call_arg = self.calls.get(module).and_then(|c| c.expressions.get(name));
                    let resolved = match call_arg {
                        Some(arg) => self.resolve_at(arg, parent_module(module), depth + 1),
                        None => match self
                            .modules
                            .get(module)
                            .and_then(|m| m.variables.get(name))
                            .and_then(|v| v.default.as_ref())
                        {
                            Some(Value::Null) => Resolved::Null,
                            Some(d) => {
                                Resolved::Value(d.clone(), format!("{} (its default)", shown(d)))
                            }
                            None => Resolved::Unknown(format!(
                                "`var.{name}` of `{module}` is not set by its module call"
                            )),
                        },
                    };
                    match resolved {
                        Resolved::Value(v, how) if traversal.is_empty() => {
                            Resolved::Value(v, format!("`var.{name}` of `{module}` = {how}"))
                        }
                        Resolved::Value(v, how) => match traverse(&v, traversal) {
                            Some(x) if !x.is_null() => Resolved::Value(
                                x.clone(),
                                format!("`{r}` of `{module}` = {} (from {how})", shown(x)),
                            ),
                            _ => Resolved::Unknown(format!("`{r}` of `{module}` has no value")),
                        },
                        other => other,
                    }
                }
            }
            "local" => Resolved::Unknown(format!(
                "it comes from `{r}`, and plan JSON does not record local values"
            )),
            "data" => Resolved::Unknown(format!(
                "it is read from data source `{}`",
                resource_part(r, 3)
            )),
            "module" => Resolved::Unknown(format!("it comes from module output `{r}`")),
            "each" | "count" | "path" | "self" | "terraform" => {
                Resolved::Unknown(format!("it depends on `{r}`, which differs per instance"))
            }
            _ => {
                // `type.name[key].attr...`
                let (name, after_name) = split_ident(rest);
                let after_key = skip_key(after_name);
                let attr = after_key
                    .strip_prefix('.')
                    .map(|a| split_ident(a).0)
                    .unwrap_or("");
                if name.is_empty() {
                    return Resolved::Unknown(format!("it comes from `{r}`"));
                }
                Resolved::Ref {
                    module: module.to_owned(),
                    address: format!("{head}.{name}"),
                    attr: attr.to_owned(),
                }
            }
        }
    }
}

/// The value of a nested expression: `path` alternates block names and indices
/// (`["rule", "0", "destination", "0", "bucket"]`); blocks are arrays of objects.
pub(crate) fn expr_at<'v>(expressions: &'v Map<String, Value>, path: &[&str]) -> Option<&'v Value> {
    let (first, rest) = path.split_first()?;
    let mut v = expressions.get(*first)?;
    for step in rest {
        v = match v {
            Value::Array(a) => a.get(step.parse::<usize>().ok()?)?,
            Value::Object(o) => o.get(*step)?,
            _ => return None,
        };
    }
    Some(v)
}

fn join_module(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        format!("module.{name}")
    } else {
        format!("{parent}.module.{name}")
    }
}

/// `module.a.module.b` → `module.a`; `module.a` → ``.
pub(crate) fn parent_module(module: &str) -> &str {
    module.rfind(".module.").map_or("", |i| &module[..i])
}

/// Drops references that only repeat a shorter form of another (`var.x` beside
/// `var.x["eu"]`, `aws_s3_bucket.b` beside `aws_s3_bucket.b.arn`).
fn most_specific<'r>(refs: &[&'r str]) -> Vec<&'r str> {
    let mut out: Vec<&str> = Vec::new();
    for &r in refs {
        let is_prefix = refs.iter().any(|&o| {
            o.len() > r.len() && o.starts_with(r) && matches!(o.as_bytes()[r.len()], b'.' | b'[')
        });
        if !is_prefix && !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn split_first(r: &str) -> (&str, &str) {
    match r.split_once('.') {
        Some((h, rest)) => (h, rest),
        None => (r, ""),
    }
}

/// Splits an identifier off the front: `region["eu"]` → (`region`, `["eu"]`).
fn split_ident(s: &str) -> (&str, &str) {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(s.len());
    (&s[..end], &s[end..])
}

/// What follows a leading `[...]` instance key, if there is one.
fn skip_key(s: &str) -> &str {
    if !s.starts_with('[') {
        return s;
    }
    &s[crate::adapters::address::key_len(s)..]
}

/// `data.aws_region.current.name` → `data.aws_region.current` (the first `n` steps).
fn resource_part(r: &str, n: usize) -> String {
    r.split('.').take(n).collect::<Vec<_>>().join(".")
}

/// Follows `["k"]`, `[0]` and `.k` steps into a value.
fn traverse<'v>(v: &'v Value, mut steps: &str) -> Option<&'v Value> {
    let mut cur = v;
    while !steps.is_empty() {
        if let Some(rest) = steps.strip_prefix('.') {
            let (name, after) = split_ident(rest);
            cur = cur.get(name)?;
            steps = after;
        } else if steps.starts_with('[') {
            let after = skip_key(steps);
            let inner = &steps[1..steps.len() - after.len() - 1];
            cur = if inner.starts_with('"') {
                let key: String = serde_json::from_str(inner).ok()?;
                cur.get(key.as_str())?
            } else {
                cur.get(inner.parse::<usize>().ok()?)?
            };
            steps = after;
        } else {
            return None;
        }
    }
    Some(cur)
}

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_only_the_most_specific_reference() {
        assert_eq!(
            most_specific(&["var.r[\"eu\"]", "var.r"]),
            ["var.r[\"eu\"]"]
        );
        assert_eq!(
            most_specific(&["aws_s3_bucket.b.arn", "aws_s3_bucket.b"]),
            ["aws_s3_bucket.b.arn"]
        );
        assert_eq!(most_specific(&["var.a", "var.ab"]), ["var.a", "var.ab"]);
    }

    #[test]
    fn traverses_values() {
        let v = json!({"eu": {"region": "eu-west-1"}, "list": ["a", "b"]});
        assert_eq!(traverse(&v, "[\"eu\"].region"), Some(&json!("eu-west-1")));
        assert_eq!(traverse(&v, ".list[1]"), Some(&json!("b")));
        assert_eq!(traverse(&v, "[\"nope\"]"), None);
    }

    #[test]
    fn module_paths() {
        assert_eq!(parent_module("module.a.module.b"), "module.a");
        assert_eq!(parent_module("module.a"), "");
        assert_eq!(join_module("", "a"), "module.a");
        assert_eq!(join_module("module.a", "b"), "module.a.module.b");
    }

    #[test]
    fn resolves_references_to_resources() {
        let vars = IndexMap::new();
        let c = Config::new(None, &vars);
        let r = c.resolve(
            &json!({"references": ["azurerm_mssql_server.s[0].id", "azurerm_mssql_server.s[0]", "azurerm_mssql_server.s"]}),
            "module.db",
        );
        assert_eq!(
            r,
            Resolved::Ref {
                module: "module.db".into(),
                address: "azurerm_mssql_server.s".into(),
                attr: "id".into()
            }
        );
        assert!(matches!(
            c.resolve(&json!({"references": ["local.region"]}), ""),
            Resolved::Unknown(_)
        ));
        assert_eq!(
            c.resolve(&json!({"constant_value": null}), ""),
            Resolved::Null
        );
    }
}
