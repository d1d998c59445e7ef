//! `juris.toml`: project settings found upward from the current directory, so a
//! repository can pin its policies, catalogs and default regions once.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;

use super::PolicyArgs;
use crate::diag::Diagnostics;
use crate::ir::Enforcement;

pub const FILE_NAME: &str = "juris.toml";

/// The settings, with paths already made relative to the current directory.
#[derive(Debug, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub policies: Vec<PathBuf>,
    pub standard: bool,
    pub catalogs: Vec<PathBuf>,
    pub default_regions: IndexMap<String, String>,
    pub fail_on: Option<Enforcement>,
    pub limits: super::limits::Limits,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    policies: Vec<String>,
    #[serde(default)]
    standard: Option<bool>,
    #[serde(default)]
    catalogs: Vec<String>,
    #[serde(default)]
    default_regions: IndexMap<String, String>,
    #[serde(default)]
    fail_on: Option<String>,
    #[serde(default)]
    limits: IndexMap<String, u64>,
}

/// A `juris.toml` that cannot be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("cannot read {path}: {reason}")]
    #[diagnostic(code(juris::E0010), help("check the path given to --config"))]
    Unreadable { path: String, reason: String },
    /// The file is not valid TOML or has unknown keys.
    #[error("{path} is not a valid juris configuration: {reason}")]
    #[diagnostic(
        code(juris::E0011),
        help(
            "juris.toml takes: policies = [paths], standard = true|false, catalogs = [paths], fail_on = \"advisory\"|\"soft\"|\"hard\", a [default_regions] table (family = \"region\") and a [limits] table (name = number, see docs/limits.md)"
        )
    )]
    Invalid { path: String, reason: String },
}

impl Config {
    /// Load `--config FILE`, or the nearest `juris.toml` upward, or defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let path = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => find_upward(),
        };
        let Some(path) = path else {
            return Ok(Config {
                standard: true,
                ..Config::default()
            });
        };
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::Unreadable {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let raw: RawConfig = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: path.display().to_string(),
            reason: e.message().to_owned(),
        })?;
        let fail_on = match &raw.fail_on {
            Some(s) => Some(Enforcement::parse(s).ok_or_else(|| ConfigError::Invalid {
                path: path.display().to_string(),
                reason: format!("fail_on = {s:?} is not advisory, soft or hard"),
            })?),
            None => None,
        };
        let mut limits = super::limits::Limits::default();
        for (name, value) in &raw.limits {
            limits
                .set(name, *value)
                .map_err(|reason| ConfigError::Invalid {
                    path: path.display().to_string(),
                    reason: format!("[limits]: {reason}"),
                })?;
        }
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let rel = |p: &String| base.join(p);
        Ok(Config {
            policies: raw.policies.iter().map(rel).collect(),
            catalogs: raw.catalogs.iter().map(rel).collect(),
            standard: raw.standard.unwrap_or(true),
            default_regions: raw.default_regions,
            fail_on,
            limits,
            path: Some(path),
        })
    }

    /// The policy paths and whether to include the standard rules, flags first.
    pub fn policy_sources(&self, args: &PolicyArgs) -> (Vec<PathBuf>, bool) {
        let mut paths = self.policies.clone();
        paths.extend(args.policies.iter().cloned());
        (paths, self.standard && !args.no_standard)
    }
}

fn find_upward() -> Option<PathBuf> {
    let mut dir = std::env::current_dir().ok()?;
    loop {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if !dir.pop() {
            return None;
        }
    }
}

/// Compile the policy set these arguments and settings describe.
pub fn compile_policies(
    args: &PolicyArgs,
    config: &Config,
) -> Result<crate::PolicySet, Diagnostics> {
    let (paths, standard) = config.policy_sources(args);
    let files = crate::policy::read_policy_paths(&paths, false).map_err(|e| {
        let mut d = Diagnostics::new();
        d.push(GivenWith::new(e, "`--policy` or `policies` in juris.toml"));
        d
    })?;
    if standard {
        crate::PolicySet::compile_standard(files)
    } else {
        crate::PolicySet::compile(files)
    }
}

/// A policy path the library could not read, with where the command line took it from:
/// the library's help names no flag, and the command line's user wants to know which.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct GivenWith {
    error: crate::policy::PolicyPathError,
    help: Option<String>,
}

impl GivenWith {
    /// `error`, whose path came from `from` (e.g. `--policy`).
    pub fn new(error: crate::policy::PolicyPathError, from: &str) -> GivenWith {
        use crate::policy::PolicyPathError::{NoPolicies, Unreadable};
        use miette::Diagnostic;
        let help = match &error {
            Unreadable { .. } | NoPolicies { .. } => error
                .help()
                .map(|h| format!("{h} (the path comes from {from})")),
            _ => None,
        };
        GivenWith { error, help }
    }
}

impl miette::Diagnostic for GivenWith {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.error.code()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        match &self.help {
            Some(h) => Some(Box::new(h)),
            None => self.error.help(),
        }
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.error.source_code()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.error.labels()
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.error.severity()
    }

    fn url<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.error.url()
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        self.error.related()
    }
}
