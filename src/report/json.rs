//! The JSON report: the versioned document of `docs/output.md`, pretty-printed.
//! Compiled WebAssembly modules emit these same bytes.

use crate::runner::Report;

pub fn render(report: &Report) -> String {
    // Serialising plain data cannot fail; an empty document would be caught by tests.
    let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
    s.push('\n');
    s
}
