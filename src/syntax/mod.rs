//! Policy text to syntax tree: the lexer (the one reader of policy text below the
//! grammar, with comments as trivia tokens), a pest grammar (`grammar/juris.pest`),
//! a pre-scan for unterminated strings and runaway nesting, and the builder of the
//! spanned AST.

#![forbid(unsafe_code)]
// A syntax error carries its source for rendering and ends the parse, so its size
// never matters for speed.
#![allow(clippy::result_large_err)]

pub mod ast;
pub mod err;
pub mod lex;
mod parse;
pub mod print;

pub use err::SyntaxError;
pub use lex::MAX_NESTING;
pub use parse::{parse_expr, parse_file};
pub use print::expr_to_string;

use crate::diag::SourceFile;

/// The reserved words of the grammar (`keyword` in grammar/juris.pest).
pub const KEYWORDS: &[&str] = &[
    "package",
    "import",
    "as",
    "const",
    "fn",
    "rule",
    "exception",
    "test",
    "for",
    "in",
    "where",
    "let",
    "deny",
    "if",
    "require",
    "message",
    "all",
    "any",
    "then",
    "else",
    "and",
    "or",
    "not",
    "true",
    "false",
    "null",
    "union",
    "intersect",
    "minus",
    "subset",
    "resources",
];

/// Deepest expression tree (operators, calls, accesses, branches) a policy may hold.
pub const MAX_EXPR_DEPTH: usize = 256;

/// Largest policy file juris reads (policies are source code, not data).
pub const MAX_POLICY_BYTES: u64 = 8 * 1024 * 1024;

/// Turn raw bytes into a source file, refusing non-UTF-8 text and oversized files.
pub fn source_from_bytes(name: &str, bytes: Vec<u8>) -> Result<SourceFile, SyntaxError> {
    if bytes.len() as u64 > MAX_POLICY_BYTES {
        return Err(SyntaxError::TooLarge {
            file: name.to_owned(),
            size: bytes.len() as u64,
            limit: MAX_POLICY_BYTES,
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(e) => Err(SyntaxError::NotUtf8 {
            file: name.to_owned(),
            offset: e.utf8_error().valid_up_to(),
        }),
    }
}
