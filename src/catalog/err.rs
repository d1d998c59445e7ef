//! Why a catalog file was refused. Every error names the file and points at the entry,
//! so a user extending the catalog sees exactly which line to fix.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// An error in a catalog data file (built in or a user extension).
#[derive(Debug, Error, Diagnostic)]
pub enum CatalogError {
    /// The file is not valid TOML, or a field has the wrong type or an unknown name.
    #[error("`{origin}` is not a valid catalog file: {message}")]
    #[diagnostic(
        code(juris::E0901),
        help(
            "catalog files hold `[sources.<id>]`, `[[provider]]`, `[[operator]]`, `[[utility]]`, or `family` + `regions = [...]`; see docs/catalog.md"
        )
    )]
    Syntax {
        /// The catalog file (`builtin:<name>` for a built-in one).
        origin: String,
        /// What the TOML reader found wrong.
        message: String,
        #[source_code]
        /// The catalog file, to show the entry.
        src: Arc<NamedSource<String>>,
        #[label("here")]
        /// The entry at fault.
        span: Option<SourceSpan>,
    },

    /// A region names an operator id that no `[[operator]]` entry defines.
    #[error("region `{region}` in `{origin}` names unknown operator `{operator}`")]
    #[diagnostic(code(juris::E0902), help("{hint}"))]
    UnknownOperator {
        /// The catalog file (`builtin:<name>` for a built-in one).
        origin: String,
        /// The region that names the operator.
        region: String,
        /// The operator id no entry defines.
        operator: String,
        /// The fix: a close match if any, how to define an operator, the known ids.
        hint: String,
        #[source_code]
        /// The catalog file, to show the entry.
        src: Arc<NamedSource<String>>,
        #[label("no operator with this id")]
        /// The entry at fault.
        span: SourceSpan,
    },

    /// The same region code appears twice in one file.
    #[error("region `{code}` of family `{family}` is defined twice in `{origin}`")]
    #[diagnostic(
        code(juris::E0903),
        help(
            "keep one entry; to change a built-in region, put the new entry in your extension file"
        )
    )]
    DuplicateRegion {
        /// The catalog file (`builtin:<name>` for a built-in one).
        origin: String,
        /// The provider family of the region.
        family: String,
        /// The region code defined twice.
        code: String,
        #[source_code]
        /// The catalog file, to show the entry.
        src: Arc<NamedSource<String>>,
        #[label("second definition")]
        /// The entry at fault.
        span: SourceSpan,
        #[label("first definition")]
        /// The first definition.
        first: SourceSpan,
    },

    /// The same operator id, source id or provider source appears twice in one file.
    #[error("{what} `{id}` is defined twice in `{origin}`")]
    #[diagnostic(code(juris::E0904), help("keep one entry"))]
    DuplicateEntry {
        /// The catalog file (`builtin:<name>` for a built-in one).
        origin: String,
        /// What kind of entry is defined twice.
        what: &'static str,
        /// The id defined twice.
        id: String,
        #[source_code]
        /// The catalog file, to show the entry.
        src: Arc<NamedSource<String>>,
        #[label("second definition")]
        /// The entry at fault.
        span: SourceSpan,
    },

    /// A country or jurisdiction is not an ISO 3166-1 alpha-2 code.
    #[error("`{code}` in {entry} of `{origin}` is not an ISO 3166-1 alpha-2 country code")]
    #[diagnostic(
        code(juris::E0905),
        help(
            "use two upper-case letters as assigned by ISO 3166-1 (e.g. `DE`, `GB`, `HK`); a multi-country location lists each country"
        )
    )]
    BadCountry {
        /// The catalog file (`builtin:<name>` for a built-in one).
        origin: String,
        /// The code that is not an ISO 3166-1 alpha-2 country.
        code: String,
        /// The entry that names the country.
        entry: String,
        #[source_code]
        /// The catalog file, to show the entry.
        src: Arc<NamedSource<String>>,
        #[label("not an ISO country code")]
        /// The entry at fault.
        span: SourceSpan,
    },

    /// A region's `pair` or `members` names a region the family does not have.
    #[error(
        "region `{region}` in `{origin}` refers to `{target}`, which is not a `{family}` region"
    )]
    #[diagnostic(
        code(juris::E0906),
        help("`pair` and `members` must be codes of regions of the same family")
    )]
    UnknownRegionRef {
        /// The catalog file (`builtin:<name>` for a built-in one).
        origin: String,
        /// The provider family of the region.
        family: String,
        /// The region that names the operator.
        region: String,
        /// The region it names.
        target: String,
        #[source_code]
        /// The catalog file, to show the entry.
        src: Arc<NamedSource<String>>,
        #[label("unknown region")]
        /// The entry at fault.
        span: SourceSpan,
    },

    /// A name that must be a simple identifier (family, provider source, id) is malformed.
    #[error("`{value}` in `{origin}` is not a valid {what}")]
    #[diagnostic(code(juris::E0907), help("{expected}"))]
    BadName {
        /// The catalog file (`builtin:<name>` for a built-in one).
        origin: String,
        /// What kind of entry is defined twice.
        what: &'static str,
        /// The value as written.
        value: String,
        /// What the field must hold.
        expected: &'static str,
        #[source_code]
        /// The catalog file, to show the entry.
        src: Arc<NamedSource<String>>,
        #[label("malformed")]
        /// The entry at fault.
        span: SourceSpan,
    },

    /// A link of a chain of control names no source.
    #[error("controller `{company}` in `{origin}` cites no source")]
    #[diagnostic(
        code(juris::E0908),
        help(
            "give the ids of the `[sources.<id>]` entries that state this link, e.g. `refs = [\"annual-report\"]`"
        )
    )]
    UncitedController {
        /// The catalog file (`builtin:<name>` for a built-in one).
        origin: String,
        /// The company whose chain of control loops.
        company: String,
        #[source_code]
        /// The catalog file, to show the entry.
        src: Arc<NamedSource<String>>,
        #[label("no source")]
        /// The entry at fault.
        span: SourceSpan,
    },

    /// `regions` is given without the `family` they belong to (or the other way round).
    #[error("`{origin}` has `regions` without a top-level `family`")]
    #[diagnostic(
        code(juris::E0909),
        help("add `family = \"<name>\"` at the top of the file, e.g. `family = \"aws\"`")
    )]
    MissingFamily {
        /// The catalog file (`builtin:<name>` for a built-in one).
        origin: String,
        #[source_code]
        /// The catalog file, to show the entry.
        src: Arc<NamedSource<String>>,
        #[label("these regions belong to no family")]
        /// The entry at fault.
        span: SourceSpan,
    },
}

impl CatalogError {
    /// The file, shared by reference so the error stays small (errors travel in `Result`s).
    pub(crate) fn source_of(origin: &str, text: &str) -> Arc<NamedSource<String>> {
        Arc::new(NamedSource::new(origin, text.to_owned()))
    }
}

/// `did you mean `x`? ` for the candidate closest to `word`, or an empty string.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    let best = candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min();
    match best {
        Some((_, c)) => format!("did you mean `{c}`? "),
        None => String::new(),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}
