//! `juris fmt`: rewrite policy files in the canonical layout, or with `--check`
//! list the ones that are not (for CI). A file that does not parse is reported and
//! left exactly as it was.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{EXIT_ERROR, EXIT_FAIL, EXIT_PASS, Failure, output};
use crate::diag::Diagnostics;
use crate::policy::PolicyPathError;

#[derive(Args, Debug)]
pub struct FmtArgs {
    /// `.juris` files, or folders searched recursively (default: the current folder).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Change nothing; list the files that are not formatted and exit 1 if there are any.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: FmtArgs) -> Result<u8, Failure> {
    let roots = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths
    };
    let mut files = Vec::new();
    for root in &roots {
        collect(root, &mut files)?;
    }
    let mut errors = Diagnostics::new();
    let mut changed = Vec::new();
    for path in &files {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| PolicyPathError::Unreadable {
            path: name.clone(),
            reason: e.to_string(),
        })?;
        let source = match crate::syntax::source_from_bytes(&name, bytes) {
            Ok(s) => s,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let formatted = match crate::fmt::format(&name, &source.text) {
            Ok(f) => f,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if formatted != *source.text {
            if !args.check {
                output::write_atomic(path, formatted.as_bytes())?;
            }
            changed.push(name);
        }
    }
    for name in &changed {
        println!("{name}");
    }
    if !errors.is_empty() {
        eprint!("{}", errors.render(super::ColorChoice::Auto.enabled(false)));
        eprintln!(
            "juris fmt: {} file(s) could not be parsed and were left unchanged",
            errors.len()
        );
        return Ok(EXIT_ERROR);
    }
    if args.check && !changed.is_empty() {
        eprintln!(
            "juris fmt: {} file(s) are not formatted; run `juris fmt` to fix them",
            changed.len()
        );
        return Ok(EXIT_FAIL);
    }
    Ok(EXIT_PASS)
}

/// The `.juris` files under `path` in sorted order (a file stands for itself).
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), PolicyPathError> {
    let meta = std::fs::metadata(path).map_err(|e| PolicyPathError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    if !meta.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|e| PolicyPathError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let mut children: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    children.sort();
    for child in children {
        let name = child
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if child.is_dir() {
            // Hidden folders (.git) and build output hold no policies to format.
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                collect(&child, out)?;
            }
        } else if name.ends_with(".juris") {
            out.push(child);
        }
    }
    Ok(())
}
