//! The rule of arrows (docs/architecture.md): every top-level module of `src/` has a
//! layer, and a module names only modules of lower layers — never one above it, never
//! one beside it. This reads every `crate::` path in `src/` (uses, paths in code and
//! intra-doc links alike) and refuses any that goes sideways or up.

use std::collections::BTreeSet;
use std::path::Path;

/// The layers, lowest first. A module may name modules of strictly lower layers.
const LAYERS: &[&[&str]] = &[
    // The envelope of the prebuilt artifacts, which the catalog and the policy set read.
    &["prebuilt"],
    // Leaves: diagnostics, the semantics both engines share, the resource model and the
    // fact catalogs.
    &["diag", "semantics", "model", "catalog"],
    // What a rule declares about itself (id, severity, enforcement, exceptions): public
    // API that the IR carries and reports read.
    &["rule"],
    // Parsing policies; the IR; reading plans, state and Terraform source.
    &["syntax", "ir", "adapters"],
    // What reads the IR (the evaluator, the WebAssembly backend) and the formatter.
    &["eval", "wasm", "fmt"],
    // Constant folding runs the evaluator; the runner applies it to an inventory.
    &["fold", "runner"],
    // The checker lowers syntax to IR and folds constants.
    &["check"],
    // A compiled policy set: check, fold, run.
    &["policy"],
    // Reports and `juris test` use a policy set and a report.
    &["report", "testing"],
    // The command line (and `juris lsp`), only with the `cli` feature.
    &["cli"],
];

/// Names the crate root re-exports, and the module each comes from.
const ROOT_REEXPORTS: &[(&str, &str)] = &[
    ("AdapterError", "adapters"),
    ("LoadOptions", "adapters"),
    ("load_bytes", "adapters"),
    ("load_path", "adapters"),
    ("Catalog", "catalog"),
    ("CatalogError", "catalog"),
    ("Diagnostics", "diag"),
    ("SourceFile", "diag"),
    ("Inventory", "model"),
    ("Resource", "model"),
    ("PolicySet", "policy"),
    ("Format", "report"),
    ("render", "report"),
    ("Enforcement", "rule"),
    ("Exception", "rule"),
    ("RuleMeta", "rule"),
    ("Severity", "rule"),
    ("Finding", "runner"),
    ("FindingOutcome", "runner"),
    ("Report", "runner"),
    ("RunError", "runner"),
    ("RunOptions", "runner"),
    ("Summary", "runner"),
    ("date", "semantics"),
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The top-level module each `crate::` path in `text` names.
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let heads: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a::b, c::{d, e}, f}`: the first word of each item at depth one.
            let (mut heads, mut word) = (Vec::new(), String::new());
            let (mut depth, mut at_item) = (1, true);
            for c in group.chars() {
                if depth == 1 && at_item {
                    if c.is_alphanumeric() || c == '_' {
                        word.push(c);
                        continue;
                    }
                    if c.is_whitespace() && word.is_empty() {
                        continue;
                    }
                    heads.extend((!word.is_empty()).then(|| std::mem::take(&mut word)));
                    at_item = false;
                }
                match c {
                    '{' => depth += 1,
                    '}' if depth == 1 => break,
                    '}' => depth -= 1,
                    ',' if depth == 1 => at_item = true,
                    _ => {}
                }
            }
            heads
        } else {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            vec![word]
        };
        for head in heads {
            let module = ROOT_REEXPORTS
                .iter()
                .find(|(name, _)| *name == head)
                .map_or(head.as_str(), |(_, m)| m);
            out.insert(module.to_string());
        }
    }
    out
}

/// Every `.rs` file under `dir` (also used by the error-code test).
pub fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_names_one_above_or_beside_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    let mut seen = BTreeSet::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        let first = rel.components().next().expect("a component");
        let first = first.as_os_str().to_string_lossy();
        let module = first.trim_end_matches(".rs");
        if module == "lib" || module == "main" {
            continue;
        }
        seen.insert(module.to_string());
        let Some(own) = layer(module) else {
            wrong.push(format!(
                "src/{module} has no layer: add it to LAYERS and docs/architecture.md"
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("readable");
        for named in named_modules(&text) {
            if named == module || named == "self" {
                continue;
            }
            match layer(&named) {
                Some(l) if l < own => {}
                Some(l) => wrong.push(format!(
                    "{} names `crate::{named}`, {} it",
                    rel.display(),
                    if l == own { "beside" } else { "above" }
                )),
                None => wrong.push(format!("{} names unknown `crate::{named}`", rel.display())),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the rule of arrows is broken:\n{}",
        wrong.join("\n")
    );
    // Every layer names a module that exists, so the table cannot rot.
    for module in LAYERS.iter().flat_map(|l| l.iter()) {
        assert!(
            seen.contains(*module),
            "LAYERS names `{module}`, which src/ lacks"
        );
    }
}

#[test]
fn the_scanner_finds_grouped_and_plain_paths() {
    let found = named_modules(
        "use crate::{ir::{self, Expr}, eval::Value, PolicySet};\nlet x = crate::diag::Span::default();\n/// [`crate::fold::finish`]\n",
    );
    let found: Vec<&str> = found.iter().map(String::as_str).collect();
    assert_eq!(found, ["diag", "eval", "fold", "ir", "policy"]);
}

/// The binary is a hand-over: all behaviour is in the library an embedder links.
#[test]
fn main_only_hands_over_to_the_library() {
    let main = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/main.rs"))
        .expect("src/main.rs");
    assert!(main.contains("juris::cli::main()"), "{main}");
    assert!(
        main.lines().count() < 40,
        "src/main.rs grew: {} lines",
        main.lines().count()
    );
}

/// Unsafe code is denied crate-wide and allowed in four functions; every module that
/// holds none of them forbids it outright, so no `#[allow]` can creep in there.
#[test]
fn modules_without_unsafe_forbid_it() {
    // The modules that hold an allowed function: the evaluator's prefetch and the
    // reader's two libc calls (`adapters/reader.rs`, so `adapters` itself cannot forbid).
    const MAY_ALLOW: &[&str] = &["eval", "adapters", "adapters/reader"];
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut roots = Vec::new();
    for dir in [src.clone(), src.join("adapters")] {
        for entry in std::fs::read_dir(&dir).expect("src/") {
            let path = entry.expect("an entry").path();
            let root = if path.is_dir() {
                path.join("mod.rs")
            } else {
                path.clone()
            };
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            if !root.exists() || ["lib", "main", "mod"].contains(&name.as_str()) {
                continue;
            }
            let rel = dir.strip_prefix(&src).unwrap().join(&name);
            roots.push((rel.to_string_lossy().replace('\\', "/"), root));
        }
    }
    assert!(roots.len() > 20, "found only {} modules", roots.len());
    let missing: Vec<&str> = roots
        .iter()
        .filter(|(name, _)| !MAY_ALLOW.contains(&name.as_str()))
        .filter(|(_, root)| {
            !std::fs::read_to_string(root)
                .expect("a module")
                .contains("#![forbid(unsafe_code)]")
        })
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "these modules hold no unsafe code and should say `#![forbid(unsafe_code)]`: {missing:?}"
    );
}
