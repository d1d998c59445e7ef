//! Reading the inputs named on the command line (files or `-` for stdin) into one
//! inventory, remembering each file's bytes' digest for audit records.

use sha2::{Digest, Sha256};

use super::Failure;
use crate::adapters::{self, LoadOptions, Projection};
use crate::catalog::Catalog;
use crate::model::Inventory;

/// What was read: the merged inventory and, when asked for, each input's name and
/// SHA-256, and the catalog's version.
pub struct Loaded {
    pub inventory: Inventory,
    pub digests: Vec<(String, String)>,
    pub catalog_version: String,
}

/// An input that cannot be read at all.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InputError {
    /// A missing or unreadable file.
    #[error("cannot read {path}: {reason}")]
    #[diagnostic(
        code(juris::E0030),
        help(
            "give the path of a `terraform show -json` plan or state, or a juris inventory; use - for stdin"
        )
    )]
    Unreadable { path: String, reason: String },
    /// No input given.
    #[error("no input given")]
    #[diagnostic(
        code(juris::E0031),
        help("run `terraform show -json plan.out > plan.json`, then `juris check plan.json`")
    )]
    Missing,
}

/// How to turn inputs into the model: catalogs, default regions, and which attributes
/// the policies read.
#[derive(Debug, Default)]
pub struct InputOptions {
    /// Catalog extension files.
    pub catalogs: Vec<std::path::PathBuf>,
    /// Region per provider family for configurations without one.
    pub default_regions: indexmap::IndexMap<String, String>,
    /// Top-level attribute keys to keep (`None`: keep every attribute).
    pub attribute_keys: Option<std::collections::BTreeSet<String>>,
    /// Hash every input (for audit records); hashing a large plan is not free.
    pub digests: bool,
    /// Input size and nesting limits (with the others, from `juris.toml` and `--limit`).
    pub limits: super::limits::Limits,
}

/// The built-in catalog extended with the user's catalog files.
pub fn catalog(extensions: &[std::path::PathBuf]) -> Result<Catalog, Failure> {
    let mut catalog = Catalog::builtin();
    for path in extensions {
        let text = std::fs::read_to_string(path).map_err(|e| InputError::Unreadable {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        catalog.extend_from_toml(&text, &path.display().to_string())?;
    }
    Ok(catalog)
}

/// Load every input named on the command line into one inventory.
pub fn load_inputs(names: &[String], options: &InputOptions) -> Result<Loaded, Failure> {
    if names.is_empty() {
        return Err(InputError::Missing.into());
    }
    let catalog = catalog(&options.catalogs)?;
    let mut opts = LoadOptions::new(&catalog);
    opts.projection = match &options.attribute_keys {
        Some(keys) => Projection::Keys(keys.clone()),
        None => Projection::All,
    };
    opts.default_regions = options.default_regions.clone();
    options.limits.apply(&mut opts);
    let mut parts = Vec::with_capacity(names.len());
    let mut digests = Vec::new();
    for name in names {
        let input = read_bytes(name, opts.max_bytes)?;
        if options.digests {
            digests.push((name.clone(), sha256_hex(&input)));
        }
        // The input's text is released as soon as it is parsed, before the
        // inventory is built.
        parts.push(adapters::load_owned(name, input, &opts)?);
    }
    Ok(Loaded {
        inventory: adapters::merge(parts),
        digests,
        catalog_version: catalog.version(),
    })
}

/// Read the raw bytes of one input (a file, a device or pipe, or `-` for stdin) with
/// the library's bounded reader, refusing more than `limit` bytes.
pub fn read_bytes(name: &str, limit: u64) -> Result<Vec<u8>, InputError> {
    let path = (name != "-").then(|| std::path::Path::new(name));
    adapters::read_source(path, limit).map_err(|e| InputError::Unreadable {
        path: name.to_owned(),
        reason: e.to_string(),
    })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
