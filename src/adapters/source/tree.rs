//! The module tree of a root module: the folder of every module call, found the way
//! Terraform finds it: local paths (`./modules/x`) relative to the calling module, and
//! for registry and git sources the `Key`/`Dir` map `terraform init` writes to
//! `.terraform/modules/modules.json`.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;

use super::err::SourceError;
use super::module::{Module, ReadLimits, absolute, literal_string};

/// Module calls may nest this deep (a module that calls itself would never end).
pub(crate) const MAX_MODULE_DEPTH: usize = 32;

/// Every module of a configuration, parsed once per folder.
pub(crate) struct Tree {
    /// The root module's folder, absolute.
    pub root: PathBuf,
    /// The repository root that file names in reports are relative to.
    pub repo_root: PathBuf,
    pub modules: Vec<Module>,
    /// Configuration path (`""`, `module.a`, `module.a.module.b`) → module.
    pub paths: IndexMap<String, usize>,
    /// Module calls whose folder could not be found, and why (for notes and warnings).
    pub missing: Vec<Missing>,
}

/// A module call juris could not read.
#[derive(Clone, Debug)]
pub(crate) struct Missing {
    /// Configuration path of the call (`module.vpc`).
    pub path: String,
    pub why: String,
}

#[derive(Deserialize)]
struct ModulesJson {
    #[serde(rename = "Modules", default)]
    modules: Vec<ModuleEntry>,
}

#[derive(Deserialize)]
struct ModuleEntry {
    #[serde(rename = "Key", default)]
    key: String,
    #[serde(rename = "Dir", default)]
    dir: String,
}

impl Tree {
    /// Reads the root module in `root` and every module it calls.
    pub fn read(root: &Path, max_bytes: u64) -> Result<Tree, SourceError> {
        let root = absolute(root);
        let repo_root = repo_root(&root);
        let limits = ReadLimits { max_bytes };
        let mut read_bytes = 0;
        let installed = installed_modules(&root);
        let mut tree = Tree {
            root: root.clone(),
            repo_root,
            modules: Vec::new(),
            paths: IndexMap::new(),
            missing: Vec::new(),
        };
        let mut by_dir: IndexMap<PathBuf, usize> = IndexMap::new();
        let first = Module::read(&root, &tree.repo_root, &limits, &mut read_bytes)?;
        if first.files.is_empty() {
            return Err(SourceError::NoConfiguration {
                path: super::module::shown_path(&root, &tree.repo_root),
            });
        }
        by_dir.insert(root.clone(), 0);
        tree.modules.push(first);
        tree.paths.insert(String::new(), 0);
        // (configuration path, modules.json key, module index, depth), depth first.
        let mut todo: Vec<(String, String, usize, usize)> =
            vec![(String::new(), String::new(), 0, 0)];
        while let Some((path, key, index, depth)) = todo.pop() {
            let calls: Vec<(String, Option<String>, usize, std::ops::Range<usize>)> = tree.modules
                [index]
                .calls
                .iter()
                .map(|(name, b)| {
                    let source = b.attr("source").and_then(|a| literal_string(&a.expr));
                    (name.clone(), source, b.file, b.span.clone())
                })
                .collect();
            for (name, source, file, span) in calls.into_iter().rev() {
                let child = if path.is_empty() {
                    format!("module.{name}")
                } else {
                    format!("{path}.module.{name}")
                };
                let child_key = if key.is_empty() {
                    name.clone()
                } else {
                    format!("{key}.{name}")
                };
                if depth + 1 > MAX_MODULE_DEPTH {
                    let (src, span) = tree.modules[index].file(file).error_at(&span);
                    return Err(SourceError::ModuleDepth {
                        module: child,
                        limit: MAX_MODULE_DEPTH,
                        src,
                        span,
                    });
                }
                let dir = match locate(
                    &tree.modules[index].dir,
                    source.as_deref(),
                    &child_key,
                    &root,
                    &installed,
                ) {
                    Ok(dir) => dir,
                    Err(why) => {
                        tree.missing.push(Missing { path: child, why });
                        continue;
                    }
                };
                let module_index = match by_dir.get(&dir) {
                    Some(&i) => i,
                    None => {
                        let m = Module::read(&dir, &tree.repo_root, &limits, &mut read_bytes)?;
                        if m.files.is_empty() {
                            tree.missing.push(Missing {
                                path: child,
                                why: format!(
                                    "its folder `{}` has no `.tf` files",
                                    super::module::shown_path(&dir, &tree.repo_root)
                                ),
                            });
                            continue;
                        }
                        tree.modules.push(m);
                        by_dir.insert(dir, tree.modules.len() - 1);
                        tree.modules.len() - 1
                    }
                };
                tree.paths.insert(child.clone(), module_index);
                todo.push((child, child_key, module_index, depth + 1));
            }
        }
        Ok(tree)
    }
}

/// Where a module call's code is: a local path, or where `terraform init` put it.
fn locate(
    caller: &Path,
    source: Option<&str>,
    key: &str,
    root: &Path,
    installed: &Option<IndexMap<String, String>>,
) -> Result<PathBuf, String> {
    let Some(source) = source else {
        return Err("its `source` is not a literal string".into());
    };
    let local = ["./", "../", ".\\", "..\\"]
        .iter()
        .any(|p| source.starts_with(p));
    if local {
        let dir = absolute(&caller.join(source));
        return if dir.is_dir() {
            Ok(dir)
        } else {
            Err(format!("its source `{source}` is not a folder"))
        };
    }
    match installed {
        Some(map) => match map.get(key) {
            Some(dir) => {
                let dir = absolute(&root.join(dir));
                if dir.is_dir() {
                    Ok(dir)
                } else {
                    Err(format!(
                        "`terraform init` recorded it in `{}`, which is gone: run `terraform init` again",
                        dir.display()
                    ))
                }
            }
            None => Err(format!(
                "source `{source}` is not in `.terraform/modules/modules.json`: run `terraform init`"
            )),
        },
        None => Err(format!(
            "source `{source}` is not installed: run `terraform init` so juris can read the module"
        )),
    }
}

/// The `Key` → `Dir` map of `.terraform/modules/modules.json`, if `terraform init` ran.
fn installed_modules(root: &Path) -> Option<IndexMap<String, String>> {
    let text = std::fs::read_to_string(root.join(".terraform/modules/modules.json")).ok()?;
    let doc: ModulesJson = serde_json::from_str(&text).ok()?;
    Some(doc.modules.into_iter().map(|m| (m.key, m.dir)).collect())
}

/// The top of the git work tree holding `dir`, else the current directory.
pub(crate) fn repo_root(dir: &Path) -> PathBuf {
    let mut at = Some(dir);
    while let Some(d) = at {
        if d.join(".git").exists() {
            return d.to_path_buf();
        }
        at = d.parent();
    }
    absolute(Path::new("."))
}
