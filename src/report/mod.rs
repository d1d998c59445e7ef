//! Rendering a [`Report`](crate::runner::Report) for people and tools: the terminal,
//! JSON, SARIF for code scanning, JUnit, GitHub annotations, a Markdown summary.
//! Every renderer is a pure function of its [`Context`], so output is deterministic.

mod github;
mod human;
mod json;

use crate::PolicySet;
use crate::ir::RuleMeta;
use crate::model::Inventory;
use crate::runner::Report;

/// The output formats of `juris check`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// Grouped by rule, with evidence and the rule's source (default).
    #[default]
    Human,
    /// The versioned report document (docs/output.md).
    Json,
    /// GitHub Actions workflow commands (`::error ...`).
    Github,
}

/// Everything a renderer may draw on.
pub struct Context<'a> {
    pub report: &'a Report,
    pub policy: &'a PolicySet,
    pub inventory: &'a Inventory,
    /// Input names as given on the command line.
    pub inputs: &'a [String],
    /// Colour escapes in human output.
    pub color: bool,
}

impl Context<'_> {
    /// The metadata of a rule by id.
    pub fn rule(&self, id: &str) -> Option<&RuleMeta> {
        self.policy.program().rule(id).map(|r| &r.meta)
    }

    /// Rules that ran, sorted by id.
    pub fn rules_run(&self) -> Vec<&RuleMeta> {
        let mut rules: Vec<&RuleMeta> = self.policy.rules();
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        rules
    }
}

/// Render the report in a format.
pub fn render(format: Format, ctx: &Context) -> String {
    match format {
        Format::Human => human::render(ctx),
        Format::Json => json::render(ctx.report),
        Format::Github => github::render(ctx),
    }
}
