//! GitHub Actions workflow commands: one annotation per finding, `error` when it
//! blocks the merge, `warning` when it does not, `notice` when an exception waived it.

use super::Context;
use crate::runner::FindingOutcome;

pub fn render(ctx: &Context) -> String {
    let mut out = String::new();
    for f in &ctx.report.findings {
        let level = match (f.outcome, f.blocking) {
            (FindingOutcome::Excepted, _) => "notice",
            (_, true) => "error",
            (_, false) => "warning",
        };
        let title = format!(
            "{} {} ({})",
            f.rule,
            f.outcome.as_str(),
            f.enforcement.as_str()
        );
        let mut message = format!("{}: {}", f.address, f.message);
        if let Some(e) = &f.exception {
            message.push_str(&format!(
                " — excepted by {} until {}: {}",
                e.name, e.expires, e.reason
            ));
        }
        if let Some(e) = &f.expired_exception {
            message.push_str(&format!(" — exception {} expired on {}", e.name, e.expires));
        }
        // With the declaring block known, the annotation sits on its lines in the
        // pull request; without, it is shown on the run only.
        let place = match &f.source {
            Some(d) => format!(
                "file={},line={},endLine={},",
                escape_property(&d.file),
                d.line,
                d.end_line
            ),
            None => String::new(),
        };
        out.push_str(&format!(
            "::{level} {place}title={}::{}\n",
            escape_property(&title),
            escape_data(&message)
        ));
    }
    // Input warnings explain unknowns in the findings; they belong to no line.
    for w in &ctx.inventory.warnings {
        out.push_str(&format!(
            "::warning title=juris input::{}\n",
            escape_data(&super::warning_text(w))
        ));
    }
    let s = &ctx.report.summary;
    out.push_str(&format!(
        "::notice title=juris::{} violations, {} undetermined, {} excepted; {} blocking\n",
        s.violations, s.undetermined, s.excepted, s.blocking
    ));
    out
}

/// Escaping for a command's message, as the Actions runner decodes it.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for a command's properties (`title=`), where `:` and `,` also separate.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_newlines_and_separators() {
        assert_eq!(escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(escape_property("x: y, z"), "x%3A y%2C z");
    }
}
