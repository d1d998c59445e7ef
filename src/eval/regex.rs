//! The evaluator's compiled patterns. Which patterns are allowed, and the automata the
//! WebAssembly backend runs, are [`crate::semantics::regex`]: one regex semantics for both.

/// A compiled pattern for the evaluator.
pub struct Matcher {
    re: Option<regex::Regex>,
}

impl Matcher {
    pub fn new(pattern: &str) -> Result<Matcher, String> {
        regex::Regex::new(pattern)
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
            Some(r) => r.split(s).map(str::to_owned).collect(),
            None => vec![s.to_owned()],
        }
    }
}
