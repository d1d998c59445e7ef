//! Reading the inputs named on the command line (files or `-` for stdin) into one
//! inventory, remembering each file's bytes' digest for audit records.

use std::io::Read;

use sha2::{Digest, Sha256};

use super::Failure;
use crate::model::Inventory;

/// Default largest input read (1 GiB).
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// What was read: the merged inventory and, per input, its name and SHA-256.
pub struct Loaded {
    pub inventory: Inventory,
    pub digests: Vec<(String, String)>,
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

/// Load every input into one inventory.
pub fn load(
    names: &[String],
    load_one: &dyn Fn(&str, &[u8]) -> Result<Inventory, Failure>,
) -> Result<Loaded, Failure> {
    if names.is_empty() {
        return Err(InputError::Missing.into());
    }
    let mut parts = Vec::new();
    let mut digests = Vec::new();
    for name in names {
        let bytes = read_bytes(name, MAX_INPUT_BYTES)?;
        digests.push((name.clone(), sha256_hex(&bytes)));
        parts.push(load_one(name, &bytes)?);
    }
    Ok(Loaded {
        inventory: merge(parts),
        digests,
    })
}

fn merge(parts: Vec<Inventory>) -> Inventory {
    let mut out = Inventory {
        version: crate::model::INVENTORY_VERSION,
        ..Inventory::default()
    };
    for p in parts {
        if out.today.is_none() {
            out.today = p.today;
        }
        out.inputs.extend(p.inputs);
        out.resources.extend(p.resources);
        out.warnings.extend(p.warnings);
    }
    out
}

/// An input that is not in a format juris reads.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{name} is not a juris inventory: {reason}")]
#[diagnostic(
    code(juris::E0032),
    help("give a `terraform show -json` plan or state, or a juris inventory document")
)]
pub struct ParseError {
    pub name: String,
    pub reason: String,
}

/// Parse one input's bytes into an inventory.
pub fn parse(name: &str, bytes: &[u8]) -> Result<Inventory, Failure> {
    let mut inv: Inventory = serde_json::from_slice(bytes).map_err(|e| ParseError {
        name: name.to_owned(),
        reason: e.to_string(),
    })?;
    for r in &mut inv.resources {
        r.input.get_or_insert_with(|| name.to_owned());
    }
    Ok(inv)
}
