//! Reading the inputs named on the command line (files or `-` for stdin) into one
//! inventory, remembering each file's bytes' digest for audit records.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::Failure;
use crate::adapters::{self, LoadOptions, Projection, ReadError, source};
use crate::catalog::Catalog;
use crate::model::Inventory;

/// What was read: the merged inventory and, when asked for, each input's name and
/// SHA-256, and the catalog's version.
pub struct Loaded {
    pub inventory: Inventory,
    pub digests: Vec<(String, String)>,
    pub catalog_version: Option<String>,
    /// With [`InputOptions::listing`]: per input, in order, how to read its resources'
    /// attributes again and how many resources of `inventory` it gave.
    pub listed: Vec<(adapters::Listed, usize)>,
}

/// How inputs meet Terraform source: where a plan's `.tf` files are, and the variable
/// values for source folders checked without a plan.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SourceArgs {
    /// The root module folder of the plans (its `.tf` files say where each resource is
    /// declared) [default: the plan's folder, then the current directory].
    #[arg(long, value_name = "DIR")]
    pub source: Option<PathBuf>,
    /// Do not look for Terraform source: findings on plans point at the plan file.
    #[arg(long, conflicts_with = "source")]
    pub no_source: bool,
    /// A root module variable for source folders, NAME=VALUE as for `terraform plan -var`; repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// A variables file (.tfvars or .tfvars.json) for source folders; repeatable, read before --var.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
}

impl SourceArgs {
    fn source_options(&self) -> source::SourceOptions {
        let mut vars: Vec<source::VarArg> = self
            .var_files
            .iter()
            .cloned()
            .map(source::VarArg::File)
            .collect();
        vars.extend(self.vars.iter().cloned().map(source::VarArg::Assign));
        source::SourceOptions {
            vars,
            env: std::env::vars()
                .filter(|(k, _)| k.starts_with("TF_VAR_"))
                .collect(),
            ..source::SourceOptions::default()
        }
    }
}

/// What shapes the model besides the inputs, for every command that builds one (`check`,
/// `inventory`): added to what `juris.toml` says.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ModelArgs {
    /// Region for a provider family whose configuration has none, e.g. aws=us-east-1; repeatable.
    #[arg(long = "default-region", value_name = "FAMILY=REGION", value_parser = parse_pair)]
    pub default_regions: Vec<(String, String)>,
    /// A catalog extension file (TOML, same format as catalog/); repeatable.
    #[arg(long = "catalog", value_name = "FILE")]
    pub catalogs: Vec<PathBuf>,
    /// Set a limit, e.g. eval_steps=50000000 (see docs/limits.md); repeatable.
    #[arg(long = "limit", value_name = "NAME=N", value_parser = super::limits::parse_limit)]
    pub limits: Vec<(String, u64)>,
}

fn parse_pair(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() && !v.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(format!("`{s}` is not FAMILY=REGION, e.g. aws=us-east-1")),
    }
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
    /// An input over the `input_bytes` limit (a file refused before reading, a stream
    /// cut off at the limit).
    #[error("cannot read {path}: {reason}")]
    #[diagnostic(
        code(juris::E0032),
        help(
            "raise the limit with `--limit input_bytes=N` or `[limits] input_bytes = N` in juris.toml (docs/limits.md); a check holds the whole input in memory"
        )
    )]
    TooLarge { path: String, reason: String },
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
    /// Terraform source: where plans' `.tf` files are, variables for source folders.
    pub source: SourceArgs,
    /// Input size and nesting limits (with the others, from `juris.toml` and `--limit`).
    pub limits: super::limits::Limits,
    /// Where `--timings` notes the end of reading and of building the model.
    pub timings: super::timings::Timings,
    /// For `juris inventory`: keep each plan's or state's text, so its resources'
    /// attributes are read one resource at a time while the inventory is written,
    /// instead of all held as one tree ([`Loaded::listed`]).
    pub listing: bool,
}

/// The built-in catalog extended with the user's catalog files.
impl InputOptions {
    /// The configuration's catalogs, default regions and limits, with the command line's
    /// added (and winning); every attribute kept, no digests.
    pub fn new(config: &super::config::Config, model: &ModelArgs, source: &SourceArgs) -> Self {
        let mut default_regions = config.default_regions.clone();
        default_regions.extend(model.default_regions.iter().cloned());
        let mut catalogs = config.catalogs.clone();
        catalogs.extend(model.catalogs.iter().cloned());
        InputOptions {
            catalogs,
            default_regions,
            attribute_keys: None,
            digests: false,
            source: source.clone(),
            limits: config.limits.with(&model.limits),
            timings: Default::default(),
            listing: false,
        }
    }
}

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
    load_inputs_with(names, options, catalog(&options.catalogs)?, None)
}

/// The first input's bytes when it is a regular file, read on a thread of its own while
/// the policies compile: the time to first resource is then the longer of the two, not
/// their sum. `None` for Terraform source, standard input, pipes and devices (which
/// may wait for a writer), and when there is no input.
pub fn read_first(names: &[String], limit: u64) -> Option<Result<Vec<u8>, InputError>> {
    let name = names.first()?;
    let path = Path::new(name);
    let regular = std::fs::metadata(path).is_ok_and(|m| m.is_file());
    if name == "-" || !regular || source::is_source(path) {
        return None;
    }
    Some(read_bytes(name, limit))
}

/// [`load_inputs`] with the catalog already read and, from [`read_first`], perhaps the
/// first input's bytes.
pub fn load_inputs_with(
    names: &[String],
    options: &InputOptions,
    catalog: Catalog,
    mut first: Option<Result<Vec<u8>, InputError>>,
) -> Result<Loaded, Failure> {
    if names.is_empty() {
        return Err(InputError::Missing.into());
    }
    let mut opts = LoadOptions::new(&catalog);
    opts.projection = match &options.attribute_keys {
        Some(keys) => Projection::Keys(keys.clone()),
        None => Projection::All,
    };
    opts.default_regions = options.default_regions.clone();
    options.limits.apply(&mut opts);
    let mut parts = Vec::with_capacity(names.len());
    let mut digests = Vec::new();
    let source_options = options.source.source_options();
    let mut roots: Vec<PathBuf> = Vec::new();
    let mut listed = Vec::new();
    for name in names {
        let path = Path::new(name);
        if name != "-" && source::is_source(path) {
            let root = source::root_of(path).to_path_buf();
            if roots.contains(&root) {
                continue;
            }
            roots.push(root.clone());
            if options.digests {
                digests.push((name.clone(), source::digest(&root)));
            }
            parts.push(source::load_dir(&root, &opts, &source_options)?);
            if options.listing {
                let count = parts.last().map_or(0, |p: &Inventory| p.resources.len());
                listed.push((adapters::Listed::default(), count));
            }
            options
                .timings
                .mark("read the Terraform source and built the model");
            continue;
        }
        let input = match first.take() {
            Some(read) if parts.is_empty() && roots.is_empty() => read?,
            _ => read_bytes(name, opts.max_bytes)?,
        };
        options.timings.mark("read the input");
        if options.digests {
            digests.push((name.clone(), sha256_hex(&input)));
        }
        // The input's text is released as soon as it is parsed, before the
        // inventory is built.
        let mut inventory = if options.listing {
            let mut entries = adapters::load_listed(name, input, &opts)?;
            let inventory = std::mem::take(&mut entries.inventory);
            listed.push((entries, inventory.resources.len()));
            inventory
        } else {
            adapters::load_owned(name, input, &opts)?
        };
        declare(&mut inventory, name, &options.source, opts.max_bytes)?;
        options.timings.mark("parsed it and built the model");
        parts.push(inventory);
    }
    Ok(Loaded {
        inventory: adapters::merge(parts),
        digests,
        // Only an audit record cites it, and it hashes the whole catalog.
        catalog_version: options.digests.then(|| catalog.version()),
        listed,
    })
}

/// Points the resources of a plan (or state) at the `.tf` blocks declaring them,
/// unless told not to; when no source is found, says so once, as an input warning.
fn declare(
    inventory: &mut Inventory,
    name: &str,
    args: &SourceArgs,
    max_bytes: u64,
) -> Result<(), Failure> {
    let terraform = inventory
        .inputs
        .iter()
        .any(|i| i.kind == "terraform-plan" || i.kind == "terraform-state");
    if args.no_source || !terraform || inventory.resources.is_empty() {
        return Ok(());
    }
    let plan_dir = Path::new(name)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = match &args.source {
        Some(dir) => Some(dir.clone()),
        None => [plan_dir, Path::new(".")]
            .into_iter()
            .find(|d| has_tf_files(d))
            .map(Path::to_path_buf),
    };
    let notes = match dir {
        Some(dir) => {
            let declarations = source::Declarations::read(&dir, max_bytes)?;
            let mut notes = declarations.annotate(inventory, name);
            if !inventory.resources.iter().any(|r| r.source.is_some()) {
                notes.push(format!(
                    "no resource of the plan is declared in `{}`: findings point at the plan; pass --source with the root module's folder",
                    declarations.root
                ));
            }
            notes
        }
        None => vec![format!(
            "no `.tf` files next to the plan or in the current directory: findings point at the plan; pass --source DIR to place them on the source lines"
        )],
    };
    inventory
        .warnings
        .extend(notes.into_iter().map(|message| crate::model::Warning {
            message,
            input: Some(name.to_owned()),
            address: None,
        }));
    Ok(())
}

fn has_tf_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|rd| {
        rd.filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x == "tf"))
    })
}

/// Read the raw bytes of one input (a file, a device or pipe, or `-` for stdin) with
/// the library's bounded reader, refusing more than `limit` bytes.
pub fn read_bytes(name: &str, limit: u64) -> Result<Vec<u8>, InputError> {
    let path = (name != "-").then(|| std::path::Path::new(name));
    adapters::read_source(path, limit).map_err(|e| {
        let (path, reason) = (name.to_owned(), e.to_string());
        match e {
            ReadError::TooLarge { .. } | ReadError::StreamTooLarge { .. } => {
                InputError::TooLarge { path, reason }
            }
            _ => InputError::Unreadable { path, reason },
        }
    })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
