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

    /// `--rule` named a rule id that no rule has.
    #[error("no rule has id `{id}`")]
    #[diagnostic(code(juris::E0501), help("the rule ids are: {}", known.join(", ")))]
    UnknownRule { id: String, known: Vec<String> },
}
