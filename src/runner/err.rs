//! What can stop a run after the policies compiled.

use miette::Diagnostic;
use thiserror::Error;

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
        name: String,
        expires: String,
        today: String,
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
        rule: String,
        address: String,
        limit: &'static str,
        value: u64,
        unit: &'static str,
    },

    /// `--rule` named a rule id that no rule has.
    #[error("no rule has id `{id}`")]
    #[diagnostic(code(juris::E0505), help("the rule ids are: {}", known.join(", ")))]
    UnknownRule { id: String, known: Vec<String> },
}
