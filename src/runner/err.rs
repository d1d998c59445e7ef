//! What can stop a run after the policies compiled.

use miette::Diagnostic;
use thiserror::Error;

/// What stops a run after the policies compiled.
#[derive(Debug, Error, Diagnostic)]
pub enum RunError {
    /// An exception granted for more than a year from today.
    #[error(
        "exception `{name}` (at {position}) expires on {expires}, more than a year after {today}"
    )]
    #[diagnostic(
        code(juris::E0502),
        help(
            "waivers are reviewed at least yearly: set `expires` to a date within 366 days of today"
        )
    )]
    ExceptionTooLong {
        /// The exception.
        name: String,
        /// Its expiry date.
        expires: String,
        /// The date the run takes as today.
        today: String,
        /// Where the exception is declared (`file:line:col`).
        position: String,
    },

    /// A rule ran past an evaluation limit on one resource.
    #[error(
        "rule `{rule}` on `{address}` went over the evaluation limit `{limit}` ({value} {unit})"
    )]
    #[diagnostic(
        code(juris::E0504),
        help(
            "a rule this costly is almost always a mistake (a function that calls another twice per level, a string or list that doubles); if it is meant, raise the limit with `--limit {limit}=N` or `[limits] {limit} = N` in juris.toml (see docs/limits.md)"
        )
    )]
    LimitExceeded {
        /// The rule id.
        rule: String,
        /// The resource the rule was evaluating.
        address: String,
        /// The limit, by its name in juris.toml.
        limit: &'static str,
        /// The limit that was reached.
        value: u64,
        /// What the limit counts.
        unit: &'static str,
    },

    /// `--rule` named a rule id that no rule has.
    #[error("no rule has id `{id}`")]
    #[diagnostic(code(juris::E0505), help("the rule ids are: {}", known.join(", ")))]
    UnknownRule {
        /// The id as given.
        id: String,
        /// The ids the policy set has.
        known: Vec<String>,
    },
}
