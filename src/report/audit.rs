//! The audit record (`juris check --audit-record FILE`): what was checked, against
//! what, with which result — digests of every input and policy file, the versions of
//! juris and its catalog, the date, the findings and the exceptions — so a team can
//! show later which plan passed which policies. Format: `docs/output.md`.

use serde::Serialize;

use super::Context;
use crate::ir::{Enforcement, Severity};
use crate::runner::{ExceptionStatus, Finding, Summary};

/// Version of the audit record document.
pub const AUDIT_VERSION: u32 = 1;

/// What the caller knows beyond the report: the command line and the digests.
pub struct AuditFacts<'a> {
    /// The arguments after the program name, as given.
    pub arguments: &'a [String],
    /// Per input, its name and the SHA-256 of its bytes (hex).
    pub inputs: &'a [(String, String)],
    /// Version of the catalog the inputs were resolved with (`None` while unknown).
    pub catalog_version: Option<&'a str>,
    /// The configuration file used, if any.
    pub config: Option<&'a str>,
}

#[derive(Serialize)]
struct Record<'a> {
    version: u32,
    juris_version: &'static str,
    catalog_version: Option<&'a str>,
    today: &'a str,
    fail_on: Enforcement,
    /// `pass` (exit 0) or `fail` (exit 1).
    result: &'static str,
    arguments: &'a [String],
    config: Option<&'a str>,
    inputs: Vec<Digest<'a>>,
    policies: Vec<PolicyDigest<'a>>,
    rules: Vec<RuleRun<'a>>,
    summary: &'a Summary,
    findings: &'a [Finding],
    exceptions: Vec<&'a ExceptionStatus>,
}

#[derive(Serialize)]
struct Digest<'a> {
    name: &'a str,
    sha256: &'a str,
}

#[derive(Serialize)]
struct PolicyDigest<'a> {
    name: &'a str,
    sha256: String,
    /// Shipped inside the juris binary (standard library and standard rules).
    embedded: bool,
}

#[derive(Serialize)]
struct RuleRun<'a> {
    id: &'a str,
    title: &'a str,
    severity: Severity,
    enforcement: Enforcement,
    source: String,
}

/// The audit record as pretty JSON with a final newline.
pub fn render(ctx: &Context, facts: &AuditFacts) -> String {
    let record = Record {
        version: AUDIT_VERSION,
        juris_version: env!("CARGO_PKG_VERSION"),
        catalog_version: facts.catalog_version,
        today: &ctx.report.today,
        fail_on: ctx.report.fail_on,
        result: if ctx.report.summary.failed {
            "fail"
        } else {
            "pass"
        },
        arguments: facts.arguments,
        config: facts.config,
        inputs: facts
            .inputs
            .iter()
            .map(|(name, sha256)| Digest { name, sha256 })
            .collect(),
        policies: ctx
            .policy
            .sources()
            .files()
            .iter()
            .map(|f| PolicyDigest {
                name: &f.name,
                sha256: super::sha256_hex(f.text.as_bytes()),
                embedded: f.name.starts_with("<juris>/"),
            })
            .collect(),
        rules: ctx
            .rules_run()
            .into_iter()
            .map(|m| RuleRun {
                id: &m.id,
                title: &m.title,
                severity: m.severity,
                enforcement: m.enforcement,
                source: m.position.to_string(),
            })
            .collect(),
        summary: &ctx.report.summary,
        findings: &ctx.report.findings,
        exceptions: ctx.report.exceptions.iter().collect(),
    };
    let mut s = serde_json::to_string_pretty(&record).unwrap_or_default();
    s.push('\n');
    s
}
