//! The terminal report: findings grouped by rule, each with its message, the evidence
//! that decided it, and where the rule sits in the policy source.

use std::fmt::Write;

use super::Context;
use crate::runner::{ExceptionState, Finding, FindingOutcome};

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    fn red(&self, s: &str) -> String {
        self.paint("31;1", s)
    }
    fn yellow(&self, s: &str) -> String {
        self.paint("33", s)
    }
    fn cyan(&self, s: &str) -> String {
        self.paint("36", s)
    }
    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    fn green(&self, s: &str) -> String {
        self.paint("32;1", s)
    }
}

pub fn render(ctx: &Context) -> String {
    let st = Style { on: ctx.color };
    let report = ctx.report;
    let mut out = String::new();
    let mut rule_ids: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
    rule_ids.dedup();
    for id in rule_ids {
        let findings: Vec<&Finding> = report.findings.iter().filter(|f| f.rule == id).collect();
        if let Some(meta) = ctx.rule(id) {
            let _ = writeln!(
                out,
                "{}  {}  {}",
                st.bold(id),
                st.bold(&meta.title),
                st.dim(&format!(
                    "[{} · {}]",
                    meta.enforcement.as_str(),
                    meta.severity.as_str()
                ))
            );
            let _ = writeln!(out, "  {}", st.dim(&format!("╭─[{}]", meta.position)));
            let _ = writeln!(out, "  {} {}", st.dim("│"), meta.source);
            let _ = writeln!(out, "  {}", st.dim("╰─"));
            if let Some(fix) = &meta.remediation {
                let _ = writeln!(out, "  {} {}", st.dim("fix:"), indented(fix, "       "));
            }
        }
        for f in findings {
            finding(&mut out, &st, f, ctx.is_plan(f.input.as_deref()));
        }
        out.push('\n');
    }
    if report.findings.is_empty() {
        let _ = writeln!(out, "No findings.\n");
    }
    exceptions(&mut out, &st, ctx);
    input_warnings(&mut out, &st, ctx);
    summary(&mut out, &st, ctx);
    out
}

/// Multi-line text (triple-quoted in the policy) with its later lines under the first.
fn indented(text: &str, prefix: &str) -> String {
    text.trim()
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(&format!("\n{prefix}"))
}

/// What the adapters could not resolve: it explains unknown values in findings.
fn input_warnings(out: &mut String, st: &Style, ctx: &Context) {
    let warnings = &ctx.inventory.warnings;
    if warnings.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", st.bold("Input warnings"));
    for w in warnings {
        let _ = writeln!(out, "  {} {}", st.yellow("!"), super::warning_text(w));
    }
    out.push('\n');
}

fn finding(out: &mut String, st: &Style, f: &Finding, from_plan: bool) {
    // Colour is a hint only: the words say whether the finding blocks.
    let marker = match (f.outcome, f.blocking) {
        (FindingOutcome::Violation, true) => st.red("✗ violation (blocking)"),
        (FindingOutcome::Violation, false) => st.yellow("✗ violation (not blocking)"),
        (FindingOutcome::Undetermined, true) => st.red("? undetermined (blocking)"),
        (FindingOutcome::Undetermined, false) => st.yellow("? undetermined (not blocking)"),
        (FindingOutcome::Excepted, _) => st.cyan("~ excepted"),
    };
    // Where a reviewer looks first: the declaring block, then the input it came from.
    let places: Vec<String> = super::Context::source_place(f)
        .into_iter()
        .chain(f.input.clone().filter(|_| f.source.is_none() || from_plan))
        .collect();
    let input = if places.is_empty() {
        String::new()
    } else {
        st.dim(&format!("  ({})", places.join(", ")))
    };
    let _ = writeln!(out, "  {marker}  {}{input}", st.bold(&f.address));
    let _ = writeln!(out, "      {}", indented(&f.message, "      "));
    for r in &f.related {
        let _ = writeln!(
            out,
            "      {} {} {} ({}:{})",
            st.dim("↳"),
            r.address,
            r.note,
            r.source.file,
            r.source.line
        );
    }
    for (label, value) in &f.evidence {
        let _ = writeln!(
            out,
            "      {} {label} = {}",
            st.dim("·"),
            super::evidence_text(value)
        );
    }
    if let Some(e) = &f.exception {
        let was = f.waived_outcome.map(|o| o.as_str()).unwrap_or("violation");
        let _ = writeln!(
            out,
            "      {} {} (was {was}; approved by {}; expires {}): {}",
            st.cyan("exception"),
            e.name,
            e.approved_by,
            e.expires,
            e.reason
        );
    }
    if let Some(e) = &f.expired_exception {
        let _ = writeln!(
            out,
            "      {} {} expired on {} and no longer applies",
            st.yellow("exception"),
            e.name,
            e.expires
        );
    }
}

fn exceptions(out: &mut String, st: &Style, ctx: &Context) {
    if ctx.report.exceptions.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", st.bold("Exceptions"));
    for e in &ctx.report.exceptions {
        let state = match e.state {
            ExceptionState::Applied => st.cyan("applied"),
            ExceptionState::Expired => st.red("expired"),
            ExceptionState::Stale => st.yellow("stale (matches nothing)"),
        };
        let _ = writeln!(
            out,
            "  {}  {state}  rule {}  expires {}  covers {}",
            e.name,
            e.rule,
            e.expires,
            e.resources.join(", ")
        );
        let _ = writeln!(
            out,
            "      {} approved by {}: {}",
            st.dim("·"),
            e.approved_by,
            e.reason
        );
    }
    out.push('\n');
}

fn summary(out: &mut String, st: &Style, ctx: &Context) {
    let s = &ctx.report.summary;
    let verdict = if s.failed {
        st.red(&format!("FAIL: {} blocking", s.blocking))
    } else {
        st.green("PASS")
    };
    let mut exceptions = String::new();
    if s.expired_exceptions > 0 || s.stale_exceptions > 0 {
        exceptions = format!(
            " · exceptions: {} expired, {} stale",
            s.expired_exceptions, s.stale_exceptions
        );
    }
    let _ = writeln!(
        out,
        "{verdict} · {} violations, {} undetermined, {} excepted, {} passed · {} rules over {} resources (fail on {}){exceptions}",
        s.violations,
        s.undetermined,
        s.excepted,
        s.passed,
        s.rules,
        s.resources,
        ctx.report.fail_on.as_str()
    );
}
