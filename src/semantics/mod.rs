//! Shared semantics: the meaning both engines (the evaluator and the WebAssembly
//! backend), the checker and the reports must agree on, in one leaf module that imports
//! no other part of juris. Dates, regular expressions and their automata, canonical tag
//! keys, address globs, and the report's and exceptions' constants live here, so no
//! stage reaches sideways into another for them (docs/architecture.md).

#![forbid(unsafe_code)]

pub mod date;
pub mod glob;
pub mod keys;
pub mod regex;

/// Version of the report document (docs/output.md); both engines write it.
pub const REPORT_VERSION: u32 = 1;

/// Exceptions may not be granted for longer than this many days past `today`; both
/// engines refuse one that is.
pub const MAX_EXCEPTION_DAYS: i32 = 366;
