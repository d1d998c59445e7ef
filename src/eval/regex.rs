//! The evaluator's compiled patterns. Which patterns are allowed, and the automata the
//! WebAssembly backend runs, are [`crate::semantics::regex`]: one regex semantics for both.
//!
//! The matcher is the `regex` crate's own engine (`regex_automata::meta`) with the full
//! DFA turned off. The WebAssembly backend needs `regex-automata`'s DFA builder, and
//! with it enabled the `regex` crate builds a full DFA for every small pattern up front:
//! most of the cost of preparing the standard set at start-up, for patterns a plan may
//! never reach. The lazy DFA it falls back on matches the same way, building states as
//! inputs need them.

use regex_automata::meta::{Config, Regex};

/// A compiled pattern for the evaluator.
pub struct Matcher {
    re: Option<Regex>,
}

impl Matcher {
    pub fn new(pattern: &str) -> Result<Matcher, String> {
        Regex::builder()
            .configure(Config::new().dfa(false))
            .build(pattern)
            .map(|re| Matcher { re: Some(re) })
            .map_err(|e| e.to_string())
    }

    /// A matcher that matches nothing (never used for checked programs).
    pub fn never() -> Matcher {
        Matcher { re: None }
    }

    pub fn is_match(&self, s: &str) -> bool {
        self.re.as_ref().is_some_and(|r| r.is_match(s))
    }

    pub fn split(&self, s: &str) -> Vec<String> {
        match &self.re {
            // Spans of a match over a `&str` start and end on character boundaries
            // (the pattern is compiled for UTF-8), so each piece is a `&str` slice.
            Some(r) => r.split(s).map(|span| s[span].to_owned()).collect(),
            None => vec![s.to_owned()],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same answers as the `regex` crate, which the checker validates against.
    #[test]
    fn matches_and_splits_as_the_regex_crate_does() {
        let cases = [
            (r"[,;\s]+", "pii, phi;;financial  x"),
            (r"[\s,;_-]+", "us_eu-GB , ,"),
            (r"^arn:aws:[a-z0-9-]+$", "arn:aws:s3"),
            (r"é+", "aééb€é"),
            (r"", "abc"),
            (r"x*", "axxb"),
        ];
        for (pattern, text) in cases {
            let ours = Matcher::new(pattern).expect("compiles");
            let theirs = regex::Regex::new(pattern).expect("compiles");
            assert_eq!(
                ours.is_match(text),
                theirs.is_match(text),
                "{pattern} {text}"
            );
            let split: Vec<String> = theirs.split(text).map(str::to_owned).collect();
            assert_eq!(ours.split(text), split, "{pattern} {text}");
        }
    }
}
