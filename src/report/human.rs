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
            let _ = writeln!(
                out,
                "  {} {}",
                st.dim("╭─["),
                st.dim(&format!("{}]", meta.position))
            );
            let _ = writeln!(out, "  {} {}", st.dim("│"), meta.source);
            let _ = writeln!(out, "  {}", st.dim("╰─"));
        }
        for f in findings {
            finding(&mut out, &st, f);
        }
        out.push('\n');
    }
    exceptions(&mut out, &st, ctx);
    summary(&mut out, &st, ctx);
    out
}

fn finding(out: &mut String, st: &Style, f: &Finding) {
    let marker = match (f.outcome, f.blocking) {
        (FindingOutcome::Violation, true) => st.red("✗ violation"),
        (FindingOutcome::Violation, false) => st.yellow("✗ violation"),
        (FindingOutcome::Undetermined, true) => st.red("? undetermined"),
        (FindingOutcome::Undetermined, false) => st.yellow("? undetermined"),
        (FindingOutcome::Excepted, _) => st.cyan("~ excepted"),
    };
    let input = f
        .input
        .as_deref()
        .map(|i| st.dim(&format!("  ({i})")))
        .unwrap_or_default();
    let _ = writeln!(out, "  {marker}  {}{input}", st.bold(&f.address));
    let _ = writeln!(out, "      {}", f.message);
    for (label, value) in &f.evidence {
        let _ = writeln!(
            out,
            "      {} {label} = {}",
            st.dim("·"),
            evidence_text(value)
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

/// Evidence values read as JSON, except plain strings which read as themselves.
fn evidence_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(m)
            if m.len() == 1 && m.get("unknown") == Some(&serde_json::Value::Bool(true)) =>
        {
            "(unknown at plan time)".into()
        }
        other => other.to_string(),
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
    let _ = writeln!(
        out,
        "{verdict} · {} violations, {} undetermined, {} excepted, {} passed · {} rules over {} resources (fail on {})",
        s.violations,
        s.undetermined,
        s.excepted,
        s.passed,
        s.rules,
        s.resources,
        ctx.report.fail_on.as_str()
    );
}
