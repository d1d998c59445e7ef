//! Terraform source (`.tf` files) → the resource model, without a plan: for
//! pre-commit hooks and editors, where there are no cloud credentials to plan with.
//! And, for plans, where in the source each resource is declared, so findings land on
//! the line a reviewer reads.
//!
//! The configuration is parsed ([`module`], [`tree`]), evaluated statically
//! ([`eval`], [`funcs`], [`vars`]) and written as the plan Terraform would write
//! ([`plan`]); the plan adapter reads that like any plan. What source cannot tell
//! (data sources, attributes computed at apply time, variables without a value) is
//! unknown, so rules over it are *undetermined*, never a guess.
//!
//! ```
//! use juris::adapters::LoadOptions;
//! use juris::adapters::source::{self, SourceOptions};
//! use juris::catalog::Catalog;
//!
//! let dir = tempfile_dir();
//! std::fs::write(dir.join("main.tf"), r#"
//! variable "region" { default = "eu-central-1" }
//! provider "aws" { region = var.region }
//! resource "aws_s3_bucket" "logs" { bucket = "logs" }
//! "#).unwrap();
//! let catalog = Catalog::builtin();
//! let inventory = source::load_dir(&dir, &LoadOptions::new(&catalog), &SourceOptions::default()).unwrap();
//! let bucket = &inventory.resources[0];
//! assert_eq!(bucket.address, "aws_s3_bucket.logs");
//! assert_eq!(bucket.location.countries.known().unwrap(), &["DE"]);
//! assert_eq!(bucket.source.as_ref().unwrap().line, 4);
//! # fn tempfile_dir() -> std::path::PathBuf {
//! #     let d = std::env::temp_dir().join(format!("juris-doc-{}", std::process::id()));
//! #     std::fs::create_dir_all(&d).unwrap();
//! #     d
//! # }
//! ```

#![forbid(unsafe_code)]

mod err;
mod eval;
mod funcs;
mod module;
mod plan;
mod tree;
mod value;
mod vars;

pub use err::SourceError;
pub use vars::VarArg;

use std::path::Path;

use rustc_hash::FxHashMap;

use super::LoadOptions;
use crate::model::{Declaration, Inventory, Warning};

/// How to read Terraform source.
#[derive(Clone, Debug)]
pub struct SourceOptions {
    /// `--var` and `--var-file` values, in the order given (later wins).
    pub vars: Vec<VarArg>,
    /// Environment variables to take `TF_VAR_name` values from (the command line
    /// passes the process environment; an embedder decides).
    pub env: Vec<(String, String)>,
    /// Evaluation steps allowed for the whole configuration.
    pub max_steps: u64,
}

impl Default for SourceOptions {
    /// No variables, no environment, 10 million steps.
    fn default() -> SourceOptions {
        SourceOptions {
            vars: Vec::new(),
            env: Vec::new(),
            max_steps: 10_000_000,
        }
    }
}

/// True when `path` is Terraform source juris reads as a configuration: a folder, or
/// a `.tf` file (which stands for its folder: a Terraform module is a folder).
pub fn is_source(path: &Path) -> bool {
    path.is_dir() || path.extension().is_some_and(|e| e == "tf")
}

/// The root module folder a source path stands for.
pub fn root_of(path: &Path) -> &Path {
    if path.is_dir() {
        path
    } else {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    }
}

/// Reads the root module in `dir` (and the modules it calls) into an inventory.
pub fn load_dir(
    dir: &Path,
    opts: &LoadOptions,
    source: &SourceOptions,
) -> Result<Inventory, SourceError> {
    let name = dir.display().to_string();
    crate::diag::with_compiler_stack(|| load(&name, dir, opts, source))
}

fn load(
    name: &str,
    dir: &Path,
    opts: &LoadOptions,
    source: &SourceOptions,
) -> Result<Inventory, SourceError> {
    let tree = tree::Tree::read(dir, opts.max_bytes)?;
    let mut notes = Vec::new();
    let root = &tree.modules[0];
    let given = vars::given(
        root,
        &tree.repo_root,
        &source.vars,
        &source.env,
        opts.max_bytes,
        &mut notes,
    )?;
    let world = eval::World::new(&tree, given, source.max_steps);
    let built = plan::build(&world);
    if let Some(fatal) = world.take_fatal() {
        return Err(fatal);
    }
    let bytes = serde_json::to_vec(&built.doc).map_err(|e| SourceError::Io {
        path: name.to_owned(),
        reason: e.to_string(),
    })?;
    // The configuration and its evaluation are not needed to read the plan written
    // from them: free them first, so they are not held beside the model.
    let declared = built.declared;
    drop(built.doc);
    let evaluation_warnings = world.warnings.take();
    drop(world);
    drop(tree);
    let mut inventory =
        super::load_written_plan(name, &bytes, "terraform-source", opts).map_err(|e| {
            SourceError::Io {
                path: name.to_owned(),
                reason: format!("juris could not read what it made of the configuration: {e}"),
            }
        })?;
    for r in &mut inventory.resources {
        r.source = declared.get(&r.address).cloned();
        // Source says nothing of what a plan would do to a resource.
        r.actions.clear();
    }
    annotate_flows(&mut inventory);
    for input in &mut inventory.inputs {
        input.kind = "terraform-source".to_owned();
    }
    let mut warnings: Vec<Warning> = notes
        .into_iter()
        .map(|message| Warning {
            message,
            input: Some(name.to_owned()),
            address: None,
        })
        .collect();
    warnings.extend(
        evaluation_warnings
            .into_iter()
            .map(|(message, address)| Warning {
                message,
                input: Some(name.to_owned()),
                address,
            }),
    );
    warnings.append(&mut inventory.warnings);
    inventory.warnings = warnings;
    Ok(inventory)
}

/// SHA-256 over the root module's `.tf` and variables files (name and content, in
/// name order), for audit records of a source check.
pub fn digest(dir: &Path) -> String {
    use sha2::Digest as _;
    let mut names: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n.ends_with(".tf") || n.ends_with(".tfvars") || n.ends_with(".tfvars.json")
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut hasher = sha2::Sha256::new();
    for p in names {
        hasher.update(
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        hasher.update([0]);
        hasher.update(std::fs::read(&p).unwrap_or_default());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where the resources of a configuration are declared, for findings on plans.
pub struct Declarations {
    /// (configuration module path, `type.name`) → the block.
    blocks: FxHashMap<(String, String), Declaration>,
    missing: Vec<tree::Missing>,
    /// The root module's folder as reports show it.
    pub root: String,
}

impl Declarations {
    /// Parses the root module in `dir` and the modules it calls (bad HCL is an error:
    /// source that does not parse cannot be what the plan was made from).
    pub fn read(dir: &Path, max_bytes: u64) -> Result<Declarations, SourceError> {
        crate::diag::with_compiler_stack(|| {
            let tree = tree::Tree::read(dir, max_bytes)?;
            let mut blocks = FxHashMap::default();
            for (path, &m) in &tree.paths {
                let module = &tree.modules[m];
                for (address, block) in &module.resources {
                    let file = module.file(block.file);
                    let (line, end_line) = file.lines(&block.span);
                    blocks.insert(
                        (path.clone(), address.clone()),
                        Declaration {
                            file: file.shown.clone(),
                            line,
                            end_line,
                        },
                    );
                }
            }
            Ok(Declarations {
                blocks,
                missing: tree.missing.clone(),
                root: module::shown_path(&tree.root, &tree.repo_root),
            })
        })
    }

    /// The block declaring a resource of a plan (`module.a["x"].aws_s3_bucket.b[0]`).
    pub fn find(&self, address: &str) -> Option<&Declaration> {
        let (module, resource) = config_address(address)?;
        self.blocks.get(&(module, resource))
    }

    /// Sets `source` on every resource of `input` (and on its flows); returns a note for
    /// each module call whose source could not be read.
    pub fn annotate(&self, inventory: &mut Inventory, input: &str) -> Vec<String> {
        let mut unmatched_modules: Vec<String> = Vec::new();
        for r in &mut inventory.resources {
            if r.input.as_deref().is_some_and(|i| i != input) {
                continue;
            }
            r.source = self.find(&r.address).cloned();
            if r.source.is_none()
                && let Some((module, _)) = config_address(&r.address)
                && let Some(m) = self
                    .missing
                    .iter()
                    .find(|m| module == m.path || module.starts_with(&format!("{}.", m.path)))
                && !unmatched_modules.contains(&m.path)
            {
                unmatched_modules.push(m.path.clone());
            }
        }
        annotate_flows(inventory);
        unmatched_modules
            .into_iter()
            .filter_map(|p| self.missing.iter().find(|m| m.path == p))
            .map(|m| {
                format!(
                    "findings on resources of `{}` point at the plan, not the source: {}",
                    m.path, m.why
                )
            })
            .collect()
    }
}

/// `module.a["x"].module.b.aws_s3_bucket.c[0]` → (`module.a.module.b`, `aws_s3_bucket.c`).
fn config_address(address: &str) -> Option<(String, String)> {
    let parsed = super::address::parse(address).ok()?;
    Some((parsed.config_module(), parsed.config_address()))
}

/// Sets each flow's `source` to the declaration of the resource that declares the copy
/// (the resource its `via` attribute is on).
pub fn annotate_flows(inventory: &mut Inventory) {
    let by_address: FxHashMap<(Option<String>, String), Declaration> = inventory
        .resources
        .iter()
        .filter_map(|r| Some(((r.input.clone(), r.address.clone()), r.source.clone()?)))
        .collect();
    if by_address.is_empty() {
        return;
    }
    for r in &mut inventory.resources {
        let input = r.input.clone();
        for f in &mut r.flows {
            let key = |a: &str| (input.clone(), a.to_owned());
            f.source = f
                .via_resource(|a| by_address.contains_key(&key(a)))
                .and_then(|a| by_address.get(&key(a)))
                .cloned();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_addresses_drop_instance_keys() {
        assert_eq!(
            config_address("module.a[\"x\"].module.b.aws_s3_bucket.c[0]"),
            Some(("module.a.module.b".into(), "aws_s3_bucket.c".into()))
        );
        assert_eq!(
            config_address("aws_s3_bucket.c"),
            Some((String::new(), "aws_s3_bucket.c".into()))
        );
    }
}
