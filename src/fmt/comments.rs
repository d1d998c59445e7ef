//! The comments the grammar skips (`#` lines and `/* */` blocks, the lexer's comment
//! tokens) and the blank lines around them. (`///` documentation comments belong to
//! the AST.)

use crate::syntax::lex::{self, Kind};

/// A comment and where it stands.
#[derive(Clone, Debug)]
pub struct Comment {
    pub start: usize,
    pub text: String,
    /// A blank line separates it from what comes before.
    pub blank_before: bool,
    /// A blank line separates it from what comes after.
    pub blank_after: bool,
}

/// The comments of `text`, which has passed the lexer (it parsed), in order.
pub fn collect(text: &str) -> Vec<Comment> {
    lex::tokens(text)
        .map_while(Result::ok)
        .filter(|t| t.kind == Kind::Comment)
        .map(|t| comment(text, t.start, t.end))
        .collect()
}

fn comment(text: &str, start: usize, end: usize) -> Comment {
    let raw = text.get(start..end).unwrap_or("");
    Comment {
        start,
        text: raw.trim_end().to_owned(),
        blank_before: blank_line(text.get(..start).unwrap_or(""), true),
        blank_after: blank_line(text.get(end..).unwrap_or(""), false),
    }
}

/// Whether the whitespace next to a comment (before it, or after it) holds an empty line.
fn blank_line(side: &str, before: bool) -> bool {
    let ws: String = if before {
        side.chars()
            .rev()
            .take_while(|c| c.is_whitespace())
            .collect()
    } else {
        side.chars().take_while(|c| c.is_whitespace()).collect()
    };
    if side.trim().is_empty() {
        return false;
    }
    ws.matches('\n').count() >= 2
}
