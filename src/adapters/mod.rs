//! Adapters: infrastructure descriptions in, the resource model ([`Inventory`]) out.
//!
//! The kind of input is read from its content: a Terraform plan (`terraform show -json
//! plan.out`), a Terraform state (`terraform show -json`), or juris's own inventory
//! document (`docs/inventory.md`). Bad input is an [`AdapterError`], never a panic.
//!
//! ```
//! use juris::adapters::{load_bytes, LoadOptions};
//! use juris::catalog::Catalog;
//!
//! let catalog = Catalog::builtin();
//! let plan = br#"{
//!   "format_version": "1.2",
//!   "resource_changes": [{
//!     "address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket",
//!     "name": "logs", "provider_name": "registry.terraform.io/hashicorp/aws",
//!     "change": { "actions": ["create"], "after": { "bucket": "logs" }, "after_unknown": {} }
//!   }],
//!   "configuration": { "provider_config": { "aws": {
//!     "name": "aws", "expressions": { "region": { "constant_value": "eu-central-1" } }
//!   } } }
//! }"#;
//! let inventory = load_bytes("plan.json", plan, &LoadOptions::new(&catalog)).unwrap();
//! let bucket = &inventory.resources[0];
//! assert_eq!(bucket.location.countries.known().unwrap(), &["DE"]);
//! assert_eq!(bucket.custody.jurisdiction.known().unwrap(), "US");
//! ```

mod address;
mod custody;
mod err;
mod inventory;
mod listed;
mod places;
mod reader;
mod scan;
pub mod source;
mod terraform;

pub use custody::cited_sources;
pub use err::{AdapterError, Excerpt};
pub use listed::{EntryReader, Listed, load_listed};
pub use reader::{ReadError, read_source};

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;

use indexmap::IndexMap;
use rustc_hash::FxHashSet;
use serde_json::Value;

use crate::catalog::Catalog;
use crate::model::{INVENTORY_VERSION, Inventory};

use err::Input;
use scan::Seg;
use terraform::read::{self, Interner, Keep, Progress, RawDoc};

/// How to read inputs.
pub struct LoadOptions<'a> {
    /// The catalog that places regions and names their holders.
    pub catalog: &'a Catalog,
    /// Which top-level attributes to keep in [`crate::model::Resource::attributes`].
    pub projection: Projection,
    /// Region per provider family (`aws` → `eu-west-1`) for configurations that set
    /// none (the region comes from the environment). From `juris.toml` or the CLI.
    pub default_regions: IndexMap<String, String>,
    /// Inputs larger than this are refused before they are read.
    pub max_bytes: u64,
    /// Inputs nesting deeper than this are refused.
    pub max_depth: usize,
}

/// The default input size limit: 1 GiB.
pub const DEFAULT_MAX_BYTES: u64 = 1 << 30;
/// The default (and largest) nesting depth: serde_json's own recursion limit.
pub const DEFAULT_MAX_DEPTH: usize = 128;

impl LoadOptions<'_> {
    /// All attributes, no default regions, 1 GiB, 128 levels.
    pub fn new(catalog: &Catalog) -> LoadOptions<'_> {
        LoadOptions {
            catalog,
            projection: Projection::All,
            default_regions: IndexMap::new(),
            max_bytes: DEFAULT_MAX_BYTES,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }

    /// The projection as a hash set (looked up once per attribute of every resource).
    fn keys(&self) -> Option<FxHashSet<String>> {
        match &self.projection {
            Projection::All => None,
            Projection::Keys(keys) => Some(keys.iter().cloned().collect()),
        }
    }
}

fn keep<'k>(keys: &'k Option<FxHashSet<String>>, strings: &'k RefCell<Interner>) -> Keep<'k> {
    Keep {
        all: keys.is_none(),
        extra: keys.as_ref(),
        strings,
        progress: None,
        entries: None,
    }
}

/// Which planned attribute values to keep. Location, tags and flows read what they need
/// regardless; the projection only decides what `attributes` carries, so a 300 MB plan
/// never becomes a tree of everything in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Projection {
    /// Every attribute (what `juris inventory` shows).
    All,
    /// Only these top-level attribute names (what the policies read).
    Keys(BTreeSet<String>),
}

/// Reads one input file (or device, or named pipe) with [`read_source`]. `-` (stdin)
/// is the caller's job: read it with `read_source(None, ..)` and call [`load_owned`].
pub fn load_path(path: &Path, opts: &LoadOptions) -> Result<Inventory, AdapterError> {
    let name = path.display().to_string();
    let bytes = read_source(Some(path), opts.max_bytes).map_err(|e| match e {
        ReadError::Io(source) => AdapterError::Io {
            name: name.clone(),
            source,
        },
        ReadError::TooLarge { size, limit } => AdapterError::TooLarge {
            name: name.clone(),
            size,
            limit,
        },
        other => AdapterError::Io {
            name: name.clone(),
            source: std::io::Error::other(other.to_string()),
        },
    })?;
    load_owned(&name, bytes, opts)
}

/// An input's bytes, owned by the loader. A source that can give parts of itself back
/// to the operating system (a mapped file) says so in [`Source::release`].
pub trait Source: AsRef<[u8]> {
    /// The parse has read `range` for good. Whatever the source does, the bytes must
    /// read the same if they are looked at again (a diagnostic may quote them).
    fn release(&self, range: Range<usize>) {
        let _ = range;
    }
}

impl Source for Vec<u8> {}
impl Source for &[u8] {}
impl Source for String {}

/// [`load_bytes`] for an input the caller no longer needs: its text is given back as
/// the parse passes it (where the source can) and freed before the inventory is built,
/// so the input and the model built from it are not held in memory side by side.
pub fn load_owned(
    name: &str,
    bytes: impl Source,
    opts: &LoadOptions,
) -> Result<Inventory, AdapterError> {
    let release = |range: Range<usize>| bytes.release(range);
    let prepared = prepare(name, bytes.as_ref(), Some(&release), opts, false)?;
    drop(bytes);
    Ok(finish(name, prepared, opts))
}

/// Reads one input held in memory; `name` is how diagnostics and the inventory call it.
pub fn load_bytes(name: &str, bytes: &[u8], opts: &LoadOptions) -> Result<Inventory, AdapterError> {
    let prepared = prepare(name, bytes, None, opts, false)?;
    Ok(finish(name, prepared, opts))
}

/// Several inputs checked together: inputs, resources and warnings in order.
pub fn merge(parts: Vec<Inventory>) -> Inventory {
    let mut out = Inventory {
        version: INVENTORY_VERSION,
        ..Inventory::default()
    };
    for part in parts {
        if out.today.is_none() {
            out.today = part.today;
        }
        out.inputs.extend(part.inputs);
        out.resources.extend(part.resources);
        out.warnings.extend(part.warnings);
    }
    out
}

/// Reads a plan-shaped document juris wrote itself (from Terraform source) as an
/// input of `kind`, through the same reader, checks and rules as a real plan.
pub(crate) fn load_written_plan(
    name: &str,
    bytes: &[u8],
    kind: &'static str,
    opts: &LoadOptions,
) -> Result<Inventory, AdapterError> {
    let keys = opts.keys();
    let strings = RefCell::default();
    let keep = keep(&keys, &strings);
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    let input = Input { name, text };
    let mut doc = read::document(bytes, keep).map_err(|e| json_error(input, &e))?;
    let items = doc.changes.take().unwrap_or_default();
    let checked = terraform::check(
        input,
        keep,
        kind,
        None,
        doc.variables,
        doc.configuration,
        items,
    )?;
    Ok(terraform::normalise(
        name,
        checked,
        opts.catalog,
        &opts.default_regions,
        keep,
        &mut Vec::new(),
    ))
}

/// What an input turned out to be, checked, no longer tied to its text.
enum Prepared {
    Terraform(Box<terraform::Checked>),
    Inventory(Inventory),
}

fn finish(name: &str, prepared: Prepared, opts: &LoadOptions) -> Inventory {
    match prepared {
        Prepared::Terraform(doc) => {
            let keys = opts.keys();
            let strings = RefCell::default();
            terraform::normalise(
                name,
                *doc,
                opts.catalog,
                &opts.default_regions,
                keep(&keys, &strings),
                &mut Vec::new(),
            )
        }
        Prepared::Inventory(inv) => inv,
    }
}

/// Reads and checks one input. With `note_entries`, each Terraform item records where
/// its entry is ([`read::RawItem::entry`], offsets past any byte-order mark) and keeps
/// no attribute beyond what the model needs.
fn prepare(
    name: &str,
    bytes: &[u8],
    release: Option<&dyn Fn(Range<usize>)>,
    opts: &LoadOptions,
    note_entries: bool,
) -> Result<Prepared, AdapterError> {
    if bytes.len() as u64 > opts.max_bytes {
        return Err(AdapterError::TooLarge {
            name: name.to_owned(),
            size: bytes.len() as u64,
            limit: opts.max_bytes,
        });
    }
    if let Some((looks_like, hint)) = binary_kind(bytes) {
        let lossy = String::from_utf8_lossy(&bytes[..bytes.len().min(64)]).into_owned();
        let input = Input { name, text: &lossy };
        let (src, span) = input.at(0..1);
        return Err(AdapterError::NotJson {
            looks_like: looks_like.to_owned(),
            hint: hint.to_owned(),
            src,
            span,
        });
    }
    // Offsets released are offsets into the source, before a byte-order mark is cut.
    let progress = release.map(|r| Progress::new(bytes, r));
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Noted entries are read again in full later ([`listed`]): their items keep only
    // what location, tags and flows read. Any other document keeps the projection.
    let keys = match note_entries {
        true => Some(FxHashSet::default()),
        false => opts.keys(),
    };
    let strings = RefCell::default();
    let keep = Keep {
        progress: progress.as_ref(),
        entries: note_entries.then_some((bytes.as_ptr() as usize, bytes.len())),
        ..keep(&keys, &strings)
    };
    // The parse and the whole-input checks (UTF-8, nesting) read the same bytes; on a
    // large input they run side by side, so the checks add no wall time.
    let (doc, checked) = if bytes.len() >= PARALLEL_CHECK_BYTES {
        std::thread::scope(|s| {
            let checks = std::thread::Builder::new()
                .name("juris-input-checks".into())
                .spawn_scoped(s, || whole_input_checks(bytes, opts.max_depth));
            let doc = read::document(bytes, keep);
            let checked = match checks {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|_| whole_input_checks(bytes, opts.max_depth)),
                // No threads here (e.g. WebAssembly): check in turn.
                Err(_) => whole_input_checks(bytes, opts.max_depth),
            };
            (doc, checked)
        })
    } else {
        let checked = whole_input_checks(bytes, opts.max_depth);
        match checked {
            Ok((_, None)) => (read::document(bytes, keep), checked),
            _ => (Ok(RawDoc::default()), checked),
        }
    };
    let text = match checked {
        Ok((text, None)) => text,
        Ok((text, Some(at))) => {
            let input = Input { name, text };
            let path = scan::fmt_path_short(&scan::path_at(bytes, at));
            let (src, span) = input.at(at..at + 1);
            return Err(AdapterError::TooDeep {
                limit: opts.max_depth,
                path,
                src,
                span,
            });
        }
        Err(at) => {
            let lossy = String::from_utf8_lossy(&bytes[..(at + 64).min(bytes.len())]).into_owned();
            let input = Input { name, text: &lossy };
            let (src, span) = input.at(at..at + 1);
            return Err(AdapterError::InvalidUtf8 {
                offset: at,
                src,
                span,
            });
        }
    };
    let input = Input { name, text };
    let doc = match doc {
        Ok(doc) => doc,
        Err(e) => return Err(json_error(input, &e)),
    };
    detect(input, doc, opts, keep)
}

/// Inputs from this size up are checked on a second thread while they are parsed
/// (a thread costs tens of microseconds; the checks run at about 1 GB/s). The parse
/// needs no check first: serde_json skips what it ignores without recursing and
/// limits its own nesting where it builds values.
const PARALLEL_CHECK_BYTES: usize = 256 << 10;

/// The text if it is UTF-8 (else the offset of the first bad byte), and the offset of
/// the first bracket nested deeper than `max_depth`, if any.
fn whole_input_checks(bytes: &[u8], max_depth: usize) -> Result<(&str, Option<usize>), usize> {
    let text = std::str::from_utf8(bytes).map_err(|e| e.valid_up_to())?;
    Ok((text, scan::too_deep(bytes, max_depth)))
}

/// A parse error at the very start means the input is not JSON at all.
fn json_error(input: Input<'_>, e: &serde_json::Error) -> AdapterError {
    let first = input.text.len() - input.text.trim_start().len();
    let at = scan::offset_of(input.text.as_bytes(), e.line(), e.column());
    let starts_wrong = e.classify() == serde_json::error::Category::Syntax && at <= first + 1;
    if input.text.trim().is_empty() || starts_wrong {
        let (looks_like, hint) = text_kind(input.text);
        let (src, span) = input.at(first..first + 1);
        return AdapterError::NotJson {
            looks_like: looks_like.to_owned(),
            hint: hint.to_owned(),
            src,
            span,
        };
    }
    input.json_error(e, "Terraform JSON")
}

fn detect(
    input: Input<'_>,
    mut doc: RawDoc<'_>,
    opts: &LoadOptions,
    keep: Keep<'_>,
) -> Result<Prepared, AdapterError> {
    if let Some(what) = doc.not_object {
        let (src, span) = input.at(0..1);
        return Err(AdapterError::UnknownDocument {
            looks_like: what.to_owned(),
            hint: EXPECTED.to_owned(),
            src,
            span,
        });
    }
    let has = |k: &str| doc.keys.iter().any(|x| x == k);
    let raw_state = has("lineage") || has("serial");
    if let Some(fv) = doc.format_version.clone() {
        let is_plan = doc.changes.is_some() || doc.planned_values.is_some();
        let is_state = !is_plan
            && (doc.state_items.is_some()
                || doc
                    .keys
                    .iter()
                    .all(|k| k == "format_version" || k == "terraform_version"));
        if is_plan || is_state {
            let what = if is_plan { "plan" } else { "state" };
            check_format(input, &fv, what)?;
            let items = match (doc.changes.take(), doc.planned_values) {
                (Some(changes), _) => changes,
                // No `resource_changes` at all: the planned values are all we have.
                (None, Some(pv)) => read::planned_values(pv, keep)
                    .map_err(|e| input.json_error_in(pv.get(), &e, "Terraform JSON"))?,
                (None, None) => doc.state_items.take().unwrap_or_default(),
            };
            let kind = if is_plan {
                "terraform-plan"
            } else {
                "terraform-state"
            };
            let checked = terraform::check(
                input,
                keep,
                kind,
                doc.terraform_version,
                doc.variables,
                doc.configuration,
                items,
            )?;
            return Ok(Prepared::Terraform(Box::new(checked)));
        }
    }
    if let (Some(version), Some(_), false) = (&doc.version, &doc.resources, raw_state) {
        if version.as_u64() != Some(u64::from(INVENTORY_VERSION)) {
            let (src, span, _) = input.at_path(&[Seg::Key("version".into())]);
            return Err(AdapterError::UnsupportedInventory {
                version: version.to_string(),
                supported: INVENTORY_VERSION,
                src,
                span,
            });
        }
        return inventory::read(input, &opts.projection).map(Prepared::Inventory);
    }
    let (looks_like, hint) = object_kind(&doc);
    let (src, span) = input.at(0..1);
    Err(AdapterError::UnknownDocument {
        looks_like,
        hint,
        src,
        span,
    })
}

const EXPECTED: &str = "juris reads `terraform show -json` output (of a plan or a state) or a juris inventory document (see docs/inventory.md)";

/// Plan and state `format_version` 0.1 through 1.x.
fn check_format(input: Input<'_>, v: &Value, what: &'static str) -> Result<(), AdapterError> {
    let supported = v.as_str().and_then(|s| {
        let (major, minor) = s.split_once('.').unwrap_or((s, "0"));
        let major: u32 = major.parse().ok()?;
        let minor: u32 = minor.split('.').next()?.parse().ok()?;
        Some(major == 1 || (major == 0 && minor >= 1))
    });
    if supported == Some(true) {
        return Ok(());
    }
    let (src, span, _) = input.at_path(&[Seg::Key("format_version".into())]);
    Err(AdapterError::UnsupportedFormat {
        what,
        version: v.as_str().map_or_else(|| v.to_string(), str::to_owned),
        src,
        span,
    })
}

fn object_kind(doc: &RawDoc<'_>) -> (String, String) {
    let has = |k: &str| doc.keys.iter().any(|x| x == k);
    let (looks, hint): (String, &str) = if has("lineage") || has("serial") {
        (
            "a raw Terraform state file (`terraform.tfstate`)".into(),
            "run `terraform show -json > state.json` and pass that: juris reads the JSON form of a state",
        )
    } else if has("AWSTemplateFormatVersion") || has("Resources") {
        (
            "a CloudFormation template".into(),
            "juris reads Terraform JSON; for other tools, write a juris inventory document (docs/inventory.md)",
        )
    } else if has("resource")
        || has("provider")
        || has("module")
        || has("terraform")
        || has("variable")
    {
        (
            "Terraform configuration in JSON syntax (`.tf.json`)".into(),
            "run `terraform plan -out plan.out && terraform show -json plan.out > plan.json` and pass plan.json",
        )
    } else if doc.format_version.is_some() {
        (
            "Terraform JSON of another kind (it has `format_version` but no `resource_changes`, `planned_values` or `values`)".into(),
            EXPECTED,
        )
    } else if has("resources") {
        (
            "an inventory without `version`".into(),
            "add `\"version\": 1` (see docs/inventory.md)",
        )
    } else if doc.keys.is_empty() {
        ("an empty JSON object".into(), EXPECTED)
    } else {
        let keys: Vec<String> = doc.keys.iter().take(6).map(|k| format!("`{k}`")).collect();
        (format!("an object with keys {}", keys.join(", ")), EXPECTED)
    };
    (looks, hint.to_owned())
}

/// Inputs recognisable from their first bytes that are not text JSON.
fn binary_kind(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some((
            "a binary Terraform plan file (a zip archive)",
            "convert it first: `terraform show -json plan.out > plan.json`, then pass plan.json",
        ))
    } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        Some((
            "UTF-16 text (Windows PowerShell's `>` writes UTF-16)",
            "write UTF-8 instead: `terraform show -json plan.out | Out-File -Encoding utf8 plan.json`",
        ))
    } else if bytes
        .iter()
        .take(64)
        .any(|&b| b < 0x20 && !b.is_ascii_whitespace())
    {
        // Control characters never appear in JSON text (`/dev/zero`, a binary file).
        Some(("binary data", EXPECTED))
    } else {
        None
    }
}

fn text_kind(text: &str) -> (&'static str, &'static str) {
    let t = text.trim_start();
    let word = |w: &str| t.starts_with(w);
    if t.is_empty() {
        (
            "an empty file",
            "the file is empty; did the command that wrote it fail?",
        )
    } else if word("Terraform used")
        || word("Terraform will perform")
        || word("No changes.")
        || word("Plan:")
    {
        (
            "human-readable `terraform plan` output",
            "juris needs the JSON form: `terraform plan -out plan.out && terraform show -json plan.out > plan.json`",
        )
    } else if word("resource ")
        || word("provider ")
        || word("terraform {")
        || word("module ")
        || word("variable ")
        || word("locals ")
    {
        (
            "Terraform configuration (HCL)",
            "juris reads the plan, not the configuration: `terraform plan -out plan.out && terraform show -json plan.out > plan.json`",
        )
    } else if word("<") {
        ("XML or HTML", EXPECTED)
    } else if word("---")
        || t.lines()
            .next()
            .is_some_and(|l| l.trim_end().ends_with(':'))
    {
        ("YAML", EXPECTED)
    } else {
        ("text", EXPECTED)
    }
}
