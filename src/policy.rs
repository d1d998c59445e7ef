//! A compiled policy set: the front end of the pipeline (parse → check → lower) and
//! the standard library embedded in the binary.

#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostics, SourceFile, SourceMap};
use crate::eval::Compiled;
use crate::ir::{Program, RuleMeta};
use crate::model::Inventory;
use crate::runner::{self, Report, RunError, RunOptions};
use crate::syntax;

// Public for the artifact's tests and benchmarks only.
#[doc(hidden)]
pub mod prebuilt;

/// A policy file shipped inside the binary, named by its path under `policies/`.
macro_rules! shipped {
    ($path:literal) => {
        (
            concat!("<juris>/", $path),
            include_str!(concat!("../policies/", $path)),
        )
    };
}

/// The helper packages every policy may import (`juris.groups`, ...), compiled in.
const STDLIB: &[(&str, &str)] = &[
    shipped!("std/groups.juris"),
    shipped!("std/data_types.juris"),
    shipped!("std/classification.juris"),
    shipped!("std/custody.juris"),
];

/// The shipped residency rules, compiled in and run by default.
const STANDARD_RULES: &[(&str, &str)] = &[
    shipped!("residency/us.juris"),
    shipped!("residency/eu.juris"),
    shipped!("residency/provider.juris"),
    shipped!("residency/hygiene.juris"),
    shipped!("residency/localisation.juris"),
];

/// The standard library sources.
pub fn stdlib_sources() -> Vec<SourceFile> {
    STDLIB
        .iter()
        .map(|(n, t)| SourceFile::new(*n, *t))
        .collect()
}

/// The shipped rules' sources.
pub fn standard_rule_sources() -> Vec<SourceFile> {
    STANDARD_RULES
        .iter()
        .map(|(n, t)| SourceFile::new(*n, *t))
        .collect()
}

/// The standard library and the shipped rules, in the order they compile.
pub fn standard_sources() -> Vec<SourceFile> {
    let mut files = stdlib_sources();
    files.extend(standard_rule_sources());
    files
}

/// The shipped files and the user's. The `juris` package and everything under it are
/// the standard library's: a user file may not declare one (it would silently replace
/// or extend shipped rules), unless it is a shipped file itself, byte for byte (juris's
/// own `policies/` folder, read by `juris test policies`), which then counts once.
fn layered(
    shipped: Vec<SourceFile>,
    user: Vec<SourceFile>,
) -> Result<Vec<SourceFile>, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut all = shipped;
    for file in user {
        let declared = syntax::lex::declared_package(&file.text);
        match declared.map(|(p, at)| (p.to_owned(), at)) {
            Some((package, at)) if is_reserved(&package) => {
                let same = |s: &SourceFile| same_text(&s.text, &file.text);
                if all.iter().any(same) {
                    continue;
                }
                // A shipped rule file passed explicitly runs even with --no-standard.
                if STANDARD_RULES.iter().any(|(_, t)| same_text(t, &file.text)) {
                    all.push(file);
                    continue;
                }
                diags.push(ReservedPackage {
                    package,
                    src: file.named(),
                    at: at.into(),
                });
            }
            _ => all.push(file),
        }
    }
    if diags.is_empty() {
        Ok(all)
    } else {
        Err(diags)
    }
}

/// `juris` and `juris.…`: the standard library's namespace.
pub fn is_reserved(package: &str) -> bool {
    package == "juris" || package.starts_with("juris.")
}

/// Equal texts, whatever their line endings (a checkout on Windows).
fn same_text(a: &str, b: &str) -> bool {
    a == b || a.replace("\r\n", "\n") == b.replace("\r\n", "\n")
}

/// A user policy declares a package in the standard library's namespace.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "package `{package}` is reserved: `juris` and its sub-packages belong to the standard library"
)]
#[diagnostic(
    code(juris::E0215),
    help(
        "name your package after your organisation (`package acme.residency`) and import what you need from the standard library (`import juris.groups`); to leave the standard rules out, use --no-standard (or `standard = false` in juris.toml); to run some of them, --rule ID; to waive one for some resources, an `exception` block"
    )
)]
pub struct ReservedPackage {
    /// The package the file declares.
    pub package: String,
    /// The file, to show the declaration.
    #[source_code]
    pub src: miette::NamedSource<std::sync::Arc<str>>,
    /// The `package` line.
    #[label("declared here")]
    pub at: miette::SourceSpan,
}

/// The `package` a source declares, read from its first tokens without a full parse.
pub fn declared_package(text: &str) -> Option<String> {
    syntax::lex::declared_package(text).map(|(p, _)| p.to_owned())
}

/// A checked and lowered set of policies, ready to evaluate many inventories.
///
/// ```
/// use juris::PolicySet;
/// use juris::diag::SourceFile;
///
/// let policy = SourceFile::new("acme.juris", r#"
///     package acme
///
///     rule no_public_buckets {
///       id: "ACME-001"  severity: high  enforce: hard
///       for r in resources
///       where r.type == "aws_s3_bucket"
///       deny if tag(r, "public") == "true"
///       message "{r.address} is tagged public"
///     }
/// "#);
/// let set = PolicySet::compile(vec![policy]).expect("policy compiles");
/// assert_eq!(set.rules()[0].id, "ACME-001");
/// ```
pub struct PolicySet {
    program: Program,
    compiled: Compiled,
    sources: SourceMap,
    warnings: Diagnostics,
}

impl PolicySet {
    /// Compile the given files together with the standard library (not the standard
    /// rules; see [`PolicySet::compile_standard`]).
    pub fn compile(files: Vec<SourceFile>) -> Result<PolicySet, Diagnostics> {
        Self::compile_exact(layered(stdlib_sources(), files)?)
    }

    /// Compile the standard library, the shipped rules and the given files.
    pub fn compile_standard(files: Vec<SourceFile>) -> Result<PolicySet, Diagnostics> {
        Self::compile_exact(layered(standard_sources(), files)?)
    }

    /// Compile exactly these files, with nothing added. When they are the standard set
    /// and nothing else, its prebuilt program is used instead ([`prebuilt`]): the same
    /// program, without compiling it.
    pub fn compile_exact(files: Vec<SourceFile>) -> Result<PolicySet, Diagnostics> {
        if prebuilt::is_standard(&files)
            && let Some(program) = prebuilt::stored()
        {
            return Ok(Self::from_program(program, files));
        }
        crate::diag::with_compiler_stack(move || Self::from_source(files))
    }

    /// A set from a program already lowered from `files`, which compiled without warnings.
    fn from_program(program: Program, files: Vec<SourceFile>) -> PolicySet {
        let mut sources = SourceMap::default();
        for f in files {
            sources.add(f);
        }
        let compiled = Compiled::new(&program);
        PolicySet {
            program,
            compiled,
            sources,
            warnings: Diagnostics::new(),
        }
    }

    /// Parse, check and lower `files` (on a thread with the compiler's stack).
    fn from_source(files: Vec<SourceFile>) -> Result<PolicySet, Diagnostics> {
        let mut sources = SourceMap::default();
        let mut diags = Diagnostics::new();
        let mut parsed = Vec::new();
        for f in files {
            let id = sources.add(f);
            match syntax::parse_file(id, sources.file(id)) {
                Ok(ast) => parsed.push(ast),
                Err(e) => diags.push(e),
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let checked = crate::check::check(&parsed, &sources)?;
        let program = crate::fold::finish(checked.program);
        let compiled = Compiled::new(&program);
        Ok(PolicySet {
            program,
            compiled,
            sources,
            warnings: checked.warnings,
        })
    }

    /// Rules in declaration order.
    pub fn rules(&self) -> Vec<&RuleMeta> {
        self.program.rules.iter().map(|r| &r.meta).collect()
    }

    /// The lowered program, which the WebAssembly backend compiles.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// The program as the in-process evaluator runs it.
    pub fn compiled(&self) -> &Compiled {
        &self.compiled
    }

    /// The policy sources, for positions in diagnostics.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// Warnings from checking (unused bindings, unused imports).
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    /// Evaluate every rule over an inventory.
    pub fn evaluate(
        &self,
        inventory: &Inventory,
        options: &RunOptions,
    ) -> Result<Report, RunError> {
        self.evaluate_with_progress(inventory, options, &mut |_, _| {})
    }

    /// [`PolicySet::evaluate`], calling `progress(resources done, resources total)`.
    pub fn evaluate_with_progress(
        &self,
        inventory: &Inventory,
        options: &RunOptions,
        progress: &mut (dyn FnMut(usize, usize) + Send),
    ) -> Result<Report, RunError> {
        crate::diag::with_compiler_stack(|| {
            runner::run_with_progress(&self.program, &self.compiled, inventory, options, progress)
        })
    }
}

/// Whether a file holds policy unit tests (`*_test.juris`): read by `juris test`,
/// skipped by `juris check` when it searches folders.
pub fn is_test_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with("_test.juris"))
}

/// Read policy sources: each path is a `.juris` file or a folder searched
/// recursively (in sorted order, so results never depend on the file system).
/// Folders yield `*_test.juris` files only when `with_tests` is set.
pub fn read_policy_paths(
    paths: &[PathBuf],
    with_tests: bool,
) -> Result<Vec<SourceFile>, PolicyPathError> {
    let mut files = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| PolicyPathError::Unreadable {
            path: p.display().to_string(),
            reason: e.to_string(),
        })?;
        if meta.is_dir() {
            let mut found = Vec::new();
            collect_juris(p, &mut found)?;
            if found.is_empty() {
                return Err(PolicyPathError::NoPolicies {
                    path: p.display().to_string(),
                });
            }
            found.sort();
            for f in found.into_iter().filter(|f| with_tests || !is_test_file(f)) {
                files.push(read_one(&f)?);
            }
        } else {
            files.push(read_one(p)?);
        }
    }
    Ok(files)
}

/// The `.juris` files under a folder, searched as `--policy FOLDER` is (hidden
/// folders, `target` and `node_modules` skipped), in sorted order. Empty when there
/// are none.
pub fn find_policy_files(dir: &Path) -> Result<Vec<PathBuf>, PolicyPathError> {
    let mut found = Vec::new();
    collect_juris(dir, &mut found)?;
    found.sort();
    Ok(found)
}

fn collect_juris(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), PolicyPathError> {
    let entries = std::fs::read_dir(dir).map_err(|e| PolicyPathError::Unreadable {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            // Hidden folders (.git) and build output are never policy sources.
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                collect_juris(&path, out)?;
            }
        } else if path.extension().is_some_and(|e| e == "juris") {
            out.push(path);
        }
    }
    Ok(())
}

fn read_one(path: &Path) -> Result<SourceFile, PolicyPathError> {
    let bytes = std::fs::read(path).map_err(|e| PolicyPathError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    syntax::source_from_bytes(&path.display().to_string(), bytes)
        .map_err(|e| PolicyPathError::Source(Box::new(e)))
}

/// Problems finding or reading policy files.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum PolicyPathError {
    /// A path that cannot be read.
    #[error("cannot read {path}: {reason}")]
    #[diagnostic(code(juris::E0001), help("check that the path exists and is readable"))]
    Unreadable {
        /// The path as given.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
    /// A folder without any `.juris` file.
    #[error("no .juris files in {path}")]
    #[diagnostic(
        code(juris::E0002),
        help("policy files end in `.juris`; name a file, or a folder that contains some")
    )]
    NoPolicies {
        /// The folder.
        path: String,
    },
    /// A policy file that is not text juris can read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Source(Box<syntax::SyntaxError>),
}
