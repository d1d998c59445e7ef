//! Everything that can be wrong with the text of a policy file.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

type Src = NamedSource<Arc<str>>;

#[derive(Debug, Error, Diagnostic)]
pub enum SyntaxError {
    /// The parser met something it cannot continue from.
    #[error("{message}")]
    #[diagnostic(code(juris::E0101))]
    Unexpected {
        message: String,
        #[source_code]
        src: Src,
        #[label("{label}")]
        at: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    /// A `"` string ends at the end of its line (or file) without a closing quote.
    #[error("unterminated string")]
    #[diagnostic(
        code(juris::E0102),
        help("close the string with `\"`; for text over several lines use a `\"\"\"` block")
    )]
    UnterminatedString {
        #[source_code]
        src: Src,
        #[label("this string is never closed")]
        at: SourceSpan,
    },

    /// A `/*` comment has no matching `*/`.
    #[error("unterminated block comment")]
    #[diagnostic(code(juris::E0103), help("close the comment with `*/`"))]
    UnterminatedComment {
        #[source_code]
        src: Src,
        #[label("this comment is never closed")]
        at: SourceSpan,
    },

    /// A backslash escape the language does not define.
    #[error("unknown escape `{escape}` in string")]
    #[diagnostic(
        code(juris::E0104),
        help(
            "the escapes are \\\" \\\\ \\n \\r \\t \\{{ \\}} and \\u{{XXXX}}; for regexes use a raw string r\"...\""
        )
    )]
    UnknownEscape {
        escape: String,
        #[source_code]
        src: Src,
        #[label("unknown escape")]
        at: SourceSpan,
    },

    /// A date literal that is not a real calendar date.
    #[error("`{text}` is not a calendar date")]
    #[diagnostic(
        code(juris::E0105),
        help("dates are written YYYY-MM-DD, e.g. 2027-03-31")
    )]
    InvalidDate {
        text: String,
        #[source_code]
        src: Src,
        #[label("no such date")]
        at: SourceSpan,
    },

    /// An integer literal beyond the 64-bit range.
    #[error("integer `{text}` is too large")]
    #[diagnostic(code(juris::E0106), help("integers range from -2^63 to 2^63-1"))]
    IntegerTooLarge {
        text: String,
        #[source_code]
        src: Src,
        #[label("out of range")]
        at: SourceSpan,
    },

    /// Expressions nested deeper than the parser allows.
    #[error("expression nested too deeply (more than {limit} levels)")]
    #[diagnostic(
        code(juris::E0107),
        help("split the expression with `let` bindings or helper functions")
    )]
    TooDeep {
        limit: usize,
        #[source_code]
        src: Src,
        #[label("the limit is passed here")]
        at: SourceSpan,
    },

    /// An expression whose tree is deeper than the compiler allows (long operator
    /// chains count: `a or b or c` is two levels).
    #[error("expression too deep (more than {limit} levels of operators)")]
    #[diagnostic(
        code(juris::E0114),
        help(
            "split the expression with `let` bindings or helper functions; a long chain of `or` comparing one value reads better as `x in {{\"a\", \"b\", ...}}`"
        )
    )]
    ExprTooDeep {
        limit: usize,
        #[source_code]
        src: Src,
        #[label("the limit is passed here")]
        at: SourceSpan,
    },

    /// The file is not valid UTF-8 text.
    #[error("{file} is not UTF-8 text (invalid byte at offset {offset})")]
    #[diagnostic(code(juris::E0108), help("save the policy file as UTF-8"))]
    NotUtf8 { file: String, offset: usize },

    /// The file is larger than the configured limit.
    #[error("{file} is {size} bytes, over the {limit}-byte limit for policy files")]
    #[diagnostic(
        code(juris::E0109),
        help("policy files are source code; split large constant sets into several files")
    )]
    TooLarge { file: String, size: u64, limit: u64 },

    /// A `\u{...}` escape that is not a Unicode scalar value.
    #[error("invalid unicode escape `{escape}`")]
    #[diagnostic(
        code(juris::E0110),
        help("write \\u{{XXXX}} with 1 to 6 hex digits naming a Unicode scalar value")
    )]
    BadUnicodeEscape {
        escape: String,
        #[source_code]
        src: Src,
        #[label("not a Unicode scalar value")]
        at: SourceSpan,
    },

    /// A `{` in a string that starts an interpolation without a closing `}`.
    #[error("unclosed `{{` in string")]
    #[diagnostic(
        code(juris::E0111),
        help(
            "close the interpolation with `}}`, or write `{{{{` for a literal brace; a string inside `{{...}}` needs a text block (\"\"\"...\"\"\") around it"
        )
    )]
    UnclosedInterpolation {
        #[source_code]
        src: Src,
        #[label("interpolation starts here")]
        at: SourceSpan,
    },

    /// A `{}` with nothing inside.
    #[error("empty interpolation `{{}}` in string")]
    #[diagnostic(
        code(juris::E0112),
        help(
            "put an expression inside, e.g. {{r.address}}, or write `{{{{}}}}` for literal braces"
        )
    )]
    EmptyInterpolation {
        #[source_code]
        src: Src,
        #[label("nothing to interpolate")]
        at: SourceSpan,
    },

    /// A lone `}` in a string.
    #[error("unmatched `}}` in string")]
    #[diagnostic(code(juris::E0113), help("write `}}}}` for a literal closing brace"))]
    UnmatchedBrace {
        #[source_code]
        src: Src,
        #[label("no `{{` opens this")]
        at: SourceSpan,
    },
}
