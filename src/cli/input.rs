//! Reading the inputs named on the command line (files or `-` for stdin) into one
//! inventory, remembering each file's bytes' digest for audit records.

use std::io::Read;

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
        let input = read_input(name, opts.max_bytes)?;
        if options.digests {
            digests.push((name.clone(), sha256_hex(input.bytes())));
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

/// An input's bytes: a large file is mapped (the kernel shares its page cache), the
/// rest are read.
pub enum InputBytes {
    Read(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl InputBytes {
    pub fn bytes(&self) -> &[u8] {
        match self {
            InputBytes::Read(v) => v,
            InputBytes::Mapped(m) => m,
        }
    }
}

impl adapters::Source for InputBytes {
    /// A mapped file gives the pages the parse has passed back to the kernel, so a
    /// large plan is never resident whole beside the model built from it.
    fn release(&self, range: std::ops::Range<usize>) {
        #[cfg(unix)]
        if let InputBytes::Mapped(map) = self
            && range.end <= map.len()
            && range.start < range.end
        {
            // SAFETY: the map is a read-only, private mapping of a file and is never
            // written, so dropping its pages loses nothing: a later read faults the
            // same file contents back in, and every slice into it stays valid.
            let _ = unsafe {
                map.unchecked_advise_range(
                    memmap2::UncheckedAdvice::DontNeed,
                    range.start,
                    range.len(),
                )
            };
        }
        #[cfg(not(unix))]
        let _ = range;
    }
}

impl AsRef<[u8]> for InputBytes {
    fn as_ref(&self) -> &[u8] {
        self.bytes()
    }
}

/// Files at least this large are mapped rather than read.
const MAP_AT_BYTES: u64 = 1 << 20;

/// Open one input (a file or `-` for stdin), refusing files over the size limit.
pub fn read_input(name: &str, limit: u64) -> Result<InputBytes, InputError> {
    if name != "-"
        && let Ok(meta) = std::fs::metadata(name)
        && meta.is_file()
        && meta.len() >= MAP_AT_BYTES
        && meta.len() <= limit
        && let Ok(file) = std::fs::File::open(name)
    {
        // SAFETY: the map is read-only and lives only while this input is parsed; a
        // plan rewritten underneath a running check could only make the parse fail.
        if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
            return Ok(InputBytes::Mapped(map));
        }
    }
    read_bytes(name, limit).map(InputBytes::Read)
}

/// Read the raw bytes of one input, refusing files over the size limit before reading.
pub fn read_bytes(name: &str, limit: u64) -> Result<Vec<u8>, InputError> {
    let unreadable = |reason: String| InputError::Unreadable {
        path: name.to_owned(),
        reason,
    };
    if name == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut buf)
            .map_err(|e| unreadable(e.to_string()))?;
        if buf.len() as u64 > limit {
            return Err(unreadable(format!(
                "standard input is larger than the {limit}-byte limit"
            )));
        }
        return Ok(buf);
    }
    let meta = std::fs::metadata(name).map_err(|e| unreadable(e.to_string()))?;
    if meta.is_dir() {
        return Err(unreadable("it is a folder, not a file".into()));
    }
    if meta.len() > limit {
        return Err(unreadable(format!(
            "the file is {} bytes, over the {limit}-byte input limit",
            meta.len()
        )));
    }
    std::fs::read(name).map_err(|e| unreadable(e.to_string()))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
