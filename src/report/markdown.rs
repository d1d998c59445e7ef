//! A pull-request summary in GitHub-flavoured Markdown: the verdict and counts, the
//! failing findings, the exceptions, and the residency overview (data classes ×
//! countries × custodians) a reviewer reads at a glance.

use std::fmt::Write;

use super::Context;
use super::residency;
use crate::runner::{ExceptionState, Finding, FindingOutcome};

/// Rows per findings table: GitHub truncates step summaries over 1 MiB.
const MAX_ROWS: usize = 200;

pub fn render(ctx: &Context) -> String {
    let mut out = String::new();
    heading(&mut out, ctx);
    let (failing, other): (Vec<&Finding>, Vec<&Finding>) = ctx
        .report
        .findings
        .iter()
        .filter(|f| f.outcome != FindingOutcome::Excepted)
        .partition(|f| f.blocking);
    if !failing.is_empty() {
        let _ = writeln!(out, "### Failing findings\n");
        findings_table(&mut out, &failing, ctx);
    }
    if !other.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>{} finding{} that do not block</summary>\n",
            other.len(),
            plural(other.len())
        );
        findings_table(&mut out, &other, ctx);
        let _ = writeln!(out, "</details>\n");
    }
    exceptions(&mut out, ctx);
    input_warnings(&mut out, ctx);
    overview(&mut out, ctx);
    out
}

/// What the adapters could not resolve: it explains unknowns in the findings.
fn input_warnings(out: &mut String, ctx: &Context) {
    if ctx.inventory.warnings.is_empty() {
        return;
    }
    let _ = writeln!(out, "### Input warnings\n");
    for w in &ctx.inventory.warnings {
        let _ = writeln!(out, "- {}", super::warning_text(w).replace('\n', " "));
    }
    out.push('\n');
}

fn heading(out: &mut String, ctx: &Context) {
    let s = &ctx.report.summary;
    let verdict = if s.failed {
        format!(
            "❌ juris: {} blocking finding{}",
            s.blocking,
            plural(s.blocking)
        )
    } else {
        "✅ juris: no blocking findings".to_owned()
    };
    let _ = writeln!(out, "## {verdict}\n");
    let _ = writeln!(
        out,
        "| Violations | Undetermined | Excepted | Passed | Blocking |\n|---:|---:|---:|---:|---:|\n| {} | {} | {} | {} | {} |\n",
        s.violations, s.undetermined, s.excepted, s.passed, s.blocking
    );
    let inputs: Vec<String> = ctx.inputs.iter().map(|i| code(i)).collect();
    let _ = writeln!(
        out,
        "{} rule{} over {} resource{} ({} checks) from {} · fails on **{}** and above · exceptions judged on {}\n",
        s.rules,
        plural(s.rules),
        s.resources,
        plural(s.resources),
        s.evaluated,
        inputs.join(", "),
        ctx.report.fail_on.as_str(),
        ctx.report.today
    );
}

fn findings_table(out: &mut String, findings: &[&Finding], ctx: &Context) {
    let several_inputs = ctx.inputs.len() > 1;
    let _ = writeln!(
        out,
        "| Rule | Enforcement | Outcome | Resource | Message |\n|---|---|---|---|---|"
    );
    for f in findings.iter().take(MAX_ROWS) {
        let mut outcome = f.outcome.as_str().to_owned();
        if let Some(e) = &f.expired_exception {
            outcome.push_str(&format!(
                " (exception {} expired {})",
                cell(&e.name),
                e.expires
            ));
        }
        let mut resource = code(&f.address);
        if let (true, Some(input)) = (several_inputs, &f.input) {
            resource.push_str(&format!(" in {}", code(input)));
        }
        if let Some(d) = &f.source {
            let base = ctx.link_base.unwrap_or("");
            let sep = if base.is_empty() || base.ends_with('/') {
                ""
            } else {
                "/"
            };
            resource.push_str(&format!(
                "<br>[{}:{}]({base}{sep}{}#L{}-L{})",
                cell(&d.file),
                d.line,
                super::percent_encode(&d.file),
                d.line,
                d.end_line
            ));
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {resource} | {} |",
            code(&f.rule),
            f.enforcement.as_str(),
            outcome,
            cell(&f.message)
        );
    }
    if findings.len() > MAX_ROWS {
        let _ = writeln!(
            out,
            "\n… and {} more (see the JSON or SARIF report).",
            findings.len() - MAX_ROWS
        );
    }
    out.push('\n');
}

fn exceptions(out: &mut String, ctx: &Context) {
    if ctx.report.exceptions.is_empty() {
        return;
    }
    let _ = writeln!(out, "### Exceptions\n");
    let _ = writeln!(
        out,
        "| Exception | Rule | State | Expires | Approved by | Reason | Waives |\n|---|---|---|---|---|---|---|"
    );
    for e in ctx.report.exceptions.iter().take(MAX_ROWS) {
        let state = match e.state {
            ExceptionState::Applied => "✅ applied",
            ExceptionState::Expired => "⛔ expired",
            ExceptionState::Stale => "⚠️ stale (matches nothing)",
        };
        let waives: Vec<String> = e.matched.iter().map(|a| code(a)).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            code(&e.name),
            code(&e.rule),
            state,
            e.expires,
            cell(&e.approved_by),
            cell(&e.reason),
            if waives.is_empty() {
                "—".to_owned()
            } else {
                waives.join(", ")
            }
        );
    }
    out.push('\n');
}

fn overview(out: &mut String, ctx: &Context) {
    let rows = residency::overview(&ctx.inventory.resources, &ctx.report.findings);
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "### Where the data is\n");
    let _ = writeln!(
        out,
        "Data classes from the `data-classification` tag; a copy is a replica, backup or read replica placed there by another resource.\n"
    );
    let _ = writeln!(
        out,
        "| Data class | Countries | Custodian (controlled from) | Resources | Copies | Failing |\n|---|---|---|---:|---:|---:|"
    );
    for r in rows {
        let failing = if r.failing > 0 {
            format!("❌ {}", r.failing)
        } else {
            "0".to_owned()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&r.class),
            cell(&r.country),
            cell(&r.custodian),
            r.resources,
            r.copies,
            failing
        );
    }
    out.push('\n');
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Text safe inside a table cell: no line breaks, no column separators, no HTML.
fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            '`' | '*' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// An inline code span that survives any backticks in `s` and sits in a table cell.
fn code(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    let body = s.replace('|', "\\|").replace(['\n', '\r'], " ");
    format!("{fence}{pad}{body}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(cell("a|b\nc <x>"), "a\\|b c &lt;x&gt;");
        assert_eq!(cell("*bold* a_b"), "\\*bold\\* a_b");
    }

    #[test]
    fn code_spans_fence_around_backticks() {
        assert_eq!(code("aws_s3_bucket.x"), "`aws_s3_bucket.x`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("a|b"), "`a\\|b`");
    }
}
