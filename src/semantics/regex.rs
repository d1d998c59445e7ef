//! Regular expressions: Rust `regex` crate syntax, restricted to patterns that also
//! compile to a deterministic automaton, so the WebAssembly backend (which runs DFA
//! tables) and the evaluator (which runs `regex`) always agree. The checker refuses
//! what [`validate`] refuses; the WebAssembly backend serialises [`build_dfa`]'s tables.

use regex_automata::dfa::{dense, regex::Regex as DfaRegex};

/// Largest DFA a pattern may need; beyond it the pattern is rejected.
pub const DFA_SIZE_LIMIT: usize = 1 << 20;

/// Check that a pattern is valid and DFA-compatible; the error says why not.
pub fn validate(pattern: &str) -> Result<(), String> {
    regex::Regex::new(pattern).map_err(|e| first_line(&e.to_string()))?;
    build_dfa(pattern).map(|_| ())
}

/// The forward and reverse DFAs of a pattern (the reverse one finds match starts).
pub fn build_dfa(pattern: &str) -> Result<DfaRegex, String> {
    DfaRegex::builder()
        .dense(dense::Config::new().dfa_size_limit(Some(DFA_SIZE_LIMIT)).determinize_size_limit(Some(DFA_SIZE_LIMIT * 4)))
        .build(pattern)
        .map_err(|e| {
            let msg = e.to_string();
            if msg.contains("Unicode word boundar") {
                "Unicode word boundaries (\\b) are not supported; use (?-u:\\b) for ASCII word boundaries".to_owned()
            } else if msg.contains("exceeded") || msg.contains("limit") {
                "the pattern is too large to compile to a DFA; simplify it".to_owned()
            } else {
                first_line(&msg)
            }
        })
}

fn first_line(s: &str) -> String {
    s.lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim()
        .trim_start_matches("error: ")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_invalid_and_unicode_word_boundaries() {
        assert!(validate("^arn:aws:[a-z0-9-]+$").is_ok());
        assert!(validate("(").is_err());
        let e = validate(r"\bfoo\b").unwrap_err();
        assert!(e.contains("word boundar"), "{e}");
        assert!(validate(r"(?-u:\b)foo").is_ok());
    }
}
