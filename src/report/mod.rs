//! Rendering a [`Report`](crate::runner::Report) for people and tools: the terminal,
//! JSON, SARIF for code scanning, JUnit, GitHub annotations, a Markdown summary.
//! Every renderer is a pure function of its [`Context`], so output is deterministic.

#![forbid(unsafe_code)]

pub mod audit;
mod github;
mod human;
mod json;
mod junit;
mod markdown;
mod residency;
mod sarif;

use crate::PolicySet;
use crate::ir::RuleMeta;
use crate::model::{Inventory, Resource, Warning};
use crate::runner::{Finding, Report, RunOptions};

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// Text for a terminal.
    #[default]
    Human,
    /// The JSON report document (docs/output.md).
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// JUnit XML, for CI test views.
    Junit,
    /// GitHub Actions workflow commands.
    Github,
    /// A Markdown summary for a pull request.
    Markdown,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 6] = [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Github,
        Format::Markdown,
    ];

    /// The name a user writes (`--format sarif`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Github => "github",
            Format::Markdown => "markdown",
        }
    }

    /// What the format is for, in one line.
    pub fn description(self) -> &'static str {
        match self {
            Format::Human => "Grouped by rule, with evidence and the rule's source (default)",
            Format::Json => "The versioned report document (docs/output.md)",
            Format::Sarif => "SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers)",
            Format::Junit => "JUnit XML: a test suite per rule, a test case per evaluated resource",
            Format::Github => "GitHub Actions workflow commands (`::error ...`)",
            Format::Markdown => "A pull-request summary (e.g. for $GITHUB_STEP_SUMMARY)",
        }
    }
}

/// Everything a renderer may draw on.
pub struct Context<'a> {
    /// What the check found.
    pub report: &'a Report,
    /// The policy set that ran, for rule metadata.
    pub policy: &'a PolicySet,
    /// The inventory it ran on.
    pub inventory: &'a Inventory,
    /// The options the report was produced with (date, selected rules, fail-on level).
    pub options: &'a RunOptions,
    /// Input names as given on the command line.
    pub inputs: &'a [String],
    /// Colour escapes in human output.
    pub color: bool,
    /// Where Markdown links to source lines point: a prefix for the repository-relative
    /// file (e.g. `https://github.com/o/r/blob/<sha>/`); relative links without one.
    pub link_base: Option<&'a str>,
}

impl<'a> Context<'a> {
    /// What a renderer needs of a run, with no colour and relative source links.
    pub fn new(
        report: &'a Report,
        policy: &'a PolicySet,
        inventory: &'a Inventory,
        options: &'a RunOptions,
        inputs: &'a [String],
    ) -> Context<'a> {
        Context {
            report,
            policy,
            inventory,
            options,
            inputs,
            color: false,
            link_base: None,
        }
    }

    /// The metadata of a rule by id.
    pub fn rule(&self, id: &str) -> Option<&'a RuleMeta> {
        self.policy.program().rule(id).map(|r| &r.meta)
    }

    /// Rules that ran (all, or those selected with `--rule`), sorted by id.
    pub fn rules_run(&self) -> Vec<&'a RuleMeta> {
        let selected = &self.options.rules;
        let mut rules: Vec<&'a RuleMeta> = self
            .policy
            .program()
            .rules
            .iter()
            .map(|r| &r.meta)
            .filter(|m| selected.is_empty() || selected.contains(&m.id))
            .collect();
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        rules
    }

    /// Per rule that ran (sorted by id), the resources it applied to, in inventory
    /// order: the (rule, resource) pairs the summary counts as `evaluated`, passes
    /// included. Only JUnit needs it: it is the report's [`Report::applied`], which the
    /// runner records when [`RunOptions::record_applied`] asks for it.
    pub fn evaluated(&self) -> Vec<(&'a RuleMeta, Vec<&'a Resource>)> {
        self.report
            .applied
            .iter()
            .filter_map(|a| {
                let meta = self.rule(&a.rule)?;
                let resources = a
                    .resources
                    .iter()
                    .filter_map(|&i| self.inventory.resources.get(i))
                    .collect();
                Some((meta, resources))
            })
            .collect()
    }

    /// Whether an input is a file juris read (a plan, a state, an inventory) rather
    /// than Terraform source.
    pub fn is_plan(&self, input: Option<&str>) -> bool {
        input.is_some_and(|name| {
            self.inventory
                .inputs
                .iter()
                .any(|i| i.name == name && i.kind != "terraform-source")
        })
    }

    /// `infra/main.tf:17` for a finding juris found the source of.
    pub fn source_place(f: &Finding) -> Option<String> {
        f.source.as_ref().map(|d| format!("{}:{}", d.file, d.line))
    }

    /// The findings of one rule (they are sorted by rule, so they are adjacent).
    pub fn findings_of(&self, rule: &str) -> &'a [Finding] {
        let findings = &self.report.findings;
        let start = findings.partition_point(|f| f.rule.as_str() < rule);
        let end = findings.partition_point(|f| f.rule.as_str() <= rule);
        &findings[start..end]
    }
}

/// Render the report in a format.
pub fn render(format: Format, ctx: &Context) -> String {
    match format {
        Format::Human => human::render(ctx),
        Format::Json => json::render(ctx.report),
        Format::Sarif => sarif::render(ctx),
        Format::Junit => junit::render(ctx),
        Format::Github => github::render(ctx),
        Format::Markdown => markdown::render(ctx),
    }
}

/// An input warning as one line: where (input, resource) and what. Every format that
/// can carry a note carries these, since they explain unknowns in the findings.
pub fn warning_text(w: &Warning) -> String {
    let at: Vec<&str> = [w.input.as_deref(), w.address.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if at.is_empty() {
        w.message.clone()
    } else {
        format!("{}: {}", at.join(" "), w.message)
    }
}

/// Lower-case hex SHA-256, as `sha256sum` prints it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Evidence values read as JSON, except unknowns, which read as words.
pub fn evidence_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(m)
            if m.len() == 1 && m.get("unknown") == Some(&serde_json::Value::Bool(true)) =>
        {
            "(unknown at plan time)".into()
        }
        other => other.to_string(),
    }
}

/// Percent-encoding for a URI path: unreserved characters and `/` stay.
pub(crate) fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
