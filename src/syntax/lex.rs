//! A quick scan before parsing that finds what a PEG parser reports badly or not at
//! all: unterminated strings and comments (pointing at where they start) and
//! nesting deep enough to exhaust the stack of a recursive-descent parser.

use super::err::SyntaxError;
use crate::diag::{SourceFile, Span};

/// Deepest nesting of brackets, and of `if`/`all`/`any` inside one declaration.
pub const MAX_NESTING: usize = 64;

pub fn scan(file_id: u32, file: &SourceFile) -> Result<(), SyntaxError> {
    let text = file.text.as_bytes();
    let span = |start: usize, end: usize| Span::new(file_id, start, end).into();
    let mut i = 0;
    let mut depth = 0usize;
    let mut nesting_words = 0usize;
    let mut line_start = true;
    while i < text.len() {
        let c = text[i];
        let at_line_start = line_start;
        line_start = c == b'\n' || (line_start && (c == b' ' || c == b'\t' || c == b'\r'));
        match c {
            b'#' => i = skip_line(text, i),
            b'/' if text.get(i + 1) == Some(&b'/') => i = skip_line(text, i),
            b'/' if text.get(i + 1) == Some(&b'*') => match find(text, i + 2, b"*/") {
                Some(end) => i = end + 2,
                None => {
                    return Err(SyntaxError::UnterminatedComment {
                        src: file.named(),
                        at: span(i, i + 2),
                    });
                }
            },
            b'r' if text[i + 1..].starts_with(b"\"\"\"") && !ident_before(text, i) => {
                i = block_end(file, file_id, text, i, i + 4, false)?;
            }
            b'r' if text.get(i + 1) == Some(&b'"') && !ident_before(text, i) => {
                i = line_string_end(file, file_id, text, i, i + 2, false)?;
            }
            b'"' if text[i..].starts_with(b"\"\"\"") => {
                i = block_end(file, file_id, text, i, i + 3, true)?;
            }
            b'"' => i = line_string_end(file, file_id, text, i, i + 1, true)?,
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(too_deep(file, span(i, i + 1)));
                }
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < text.len() && (text[i].is_ascii_alphanumeric() || text[i] == b'_') {
                    i += 1;
                }
                match &text[start..i] {
                    // A new top-level declaration resets the count of nesting words.
                    b"const" | b"fn" | b"rule" | b"exception" | b"test" if at_line_start => {
                        nesting_words = 0
                    }
                    b"if" | b"all" | b"any" => {
                        nesting_words += 1;
                        if nesting_words > MAX_NESTING {
                            return Err(too_deep(file, span(start, i)));
                        }
                    }
                    _ => {}
                }
            }
            _ => i += 1,
        }
    }
    Ok(())
}

fn too_deep(file: &SourceFile, at: miette::SourceSpan) -> SyntaxError {
    SyntaxError::TooDeep {
        limit: MAX_NESTING,
        src: file.named(),
        at,
    }
}

fn ident_before(text: &[u8], i: usize) -> bool {
    i > 0 && (text[i - 1].is_ascii_alphanumeric() || text[i - 1] == b'_')
}

fn skip_line(text: &[u8], i: usize) -> usize {
    text[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map(|p| i + p)
        .unwrap_or(text.len())
}

fn find(text: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    text.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// End (exclusive) of a one-line string whose body starts at `body`.
fn line_string_end(
    file: &SourceFile,
    file_id: u32,
    text: &[u8],
    open: usize,
    body: usize,
    escapes: bool,
) -> Result<usize, SyntaxError> {
    let mut i = body;
    while i < text.len() {
        match text[i] {
            b'\\' if escapes => i += 2,
            b'"' => return Ok(i + 1),
            b'\n' => break,
            _ => i += 1,
        }
    }
    Err(SyntaxError::UnterminatedString {
        src: file.named(),
        at: Span::new(file_id, open, body).into(),
    })
}

/// End (exclusive) of a `"""` block whose body starts at `body`.
fn block_end(
    file: &SourceFile,
    file_id: u32,
    text: &[u8],
    open: usize,
    body: usize,
    escapes: bool,
) -> Result<usize, SyntaxError> {
    let mut i = body;
    while i < text.len() {
        if escapes && text[i] == b'\\' {
            i += 2;
        } else if text[i..].starts_with(b"\"\"\"") {
            return Ok(i + 3);
        } else {
            i += 1;
        }
    }
    Err(SyntaxError::UnterminatedString {
        src: file.named(),
        at: Span::new(file_id, open, body).into(),
    })
}
