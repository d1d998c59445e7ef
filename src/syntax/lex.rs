//! A quick scan before parsing that finds what a PEG parser reports badly or not at
//! all: unterminated strings and comments (pointing at where they start) and
//! nesting deep enough to exhaust the stack of a recursive-descent parser.

use super::err::SyntaxError;
use crate::diag::{SourceFile, Span};

/// Deepest nesting of brackets plus open `if`/`all`/`any` expressions.
pub const MAX_NESTING: usize = 64;

/// Scan a whole file.
pub fn scan(file_id: u32, file: &SourceFile) -> Result<(), SyntaxError> {
    scan_text(file_id, file, &file.text, 0)
}

/// Scan `text`, found at byte `base` of `file` (a whole file, or the inside of a
/// string interpolation, which is parsed on its own).
pub fn scan_text(
    file_id: u32,
    file: &SourceFile,
    text: &str,
    base: usize,
) -> Result<(), SyntaxError> {
    let text = text.as_bytes();
    let span = |start: usize, end: usize| Span::new(file_id, base + start, base + end).into();
    let too_deep = |at: miette::SourceSpan| SyntaxError::TooDeep {
        limit: MAX_NESTING,
        src: file.named(),
        at,
    };
    let mut i = 0;
    // Open `if`/`all`/`any` per bracket level: a bracket closes what opened inside it.
    let mut words: Vec<usize> = vec![0];
    let mut nesting = 0usize;
    let mut previous_word: &[u8] = b"";
    let mut line_start = true;
    while i < text.len() {
        let c = text[i];
        let at_line_start = line_start;
        line_start = c == b'\n' || (line_start && (c == b' ' || c == b'\t' || c == b'\r'));
        if !c.is_ascii_whitespace() && !c.is_ascii_alphanumeric() && c != b'_' {
            previous_word = b"";
        }
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
                i = block_end(file, file_id, base, text, i, i + 4, false)?;
            }
            b'r' if text.get(i + 1) == Some(&b'"') && !ident_before(text, i) => {
                i = line_string_end(file, file_id, base, text, i, i + 2, false)?;
            }
            b'"' if text[i..].starts_with(b"\"\"\"") => {
                i = block_end(file, file_id, base, text, i, i + 3, true)?;
            }
            b'"' => i = line_string_end(file, file_id, base, text, i, i + 1, true)?,
            b'(' | b'[' | b'{' => {
                words.push(0);
                nesting += 1;
                if nesting > MAX_NESTING {
                    return Err(too_deep(span(i, i + 1)));
                }
                i += 1;
            }
            b')' | b']' | b'}' => {
                if words.len() > 1 {
                    nesting -= 1 + words.pop().unwrap_or(0);
                }
                i += 1;
            }
            // A comma ends every `if`/`all`/`any` opened since the bracket.
            b',' => {
                close_words(&mut words, &mut nesting);
                i += 1;
            }
            _ if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < text.len() && (text[i].is_ascii_alphanumeric() || text[i] == b'_') {
                    i += 1;
                }
                let word = &text[start..i];
                match word {
                    // Declarations and clauses end every open expression at this level.
                    b"const" | b"fn" | b"rule" | b"exception" | b"test" if at_line_start => {
                        close_words(&mut words, &mut nesting)
                    }
                    b"for" | b"where" | b"let" | b"deny" | b"require" | b"message" => {
                        close_words(&mut words, &mut nesting)
                    }
                    // `else if` continues a chain, and `deny if` is not a conditional.
                    b"if" if previous_word == b"else" || previous_word == b"deny" => {}
                    b"if" | b"all" | b"any" => {
                        if let Some(open) = words.last_mut() {
                            *open += 1;
                        }
                        nesting += 1;
                        if nesting > MAX_NESTING {
                            return Err(too_deep(span(start, i)));
                        }
                    }
                    _ => {}
                }
                previous_word = word;
                continue;
            }
            _ => i += 1,
        }
    }
    Ok(())
}

fn close_words(words: &mut [usize], nesting: &mut usize) {
    if let Some(open) = words.last_mut() {
        *nesting -= *open;
        *open = 0;
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
    base: usize,
    text: &[u8],
    open: usize,
    body: usize,
    escapes: bool,
) -> Result<usize, SyntaxError> {
    let mut i = body;
    // Open interpolations: a `"` inside one ends the string early, which the parser
    // would report far from the cause.
    let mut braces: Vec<usize> = Vec::new();
    while i < text.len() {
        match text[i] {
            b'\\' if escapes => i += 2,
            b'"' if !braces.is_empty() => {
                let at = braces[0];
                return Err(SyntaxError::UnclosedInterpolation {
                    src: file.named(),
                    at: Span::new(file_id, base + at, base + at + 1).into(),
                });
            }
            b'"' => return Ok(i + 1),
            b'\n' => break,
            b'{' | b'}' if escapes && braces.is_empty() && text.get(i + 1) == Some(&text[i]) => {
                i += 2
            }
            b'{' if escapes => {
                braces.push(i);
                i += 1;
            }
            b'}' if escapes => {
                braces.pop();
                i += 1;
            }
            _ => i += 1,
        }
    }
    Err(SyntaxError::UnterminatedString {
        src: file.named(),
        at: Span::new(file_id, base + open, base + body).into(),
    })
}

/// End (exclusive) of a `"""` block whose body starts at `body`.
fn block_end(
    file: &SourceFile,
    file_id: u32,
    base: usize,
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
        at: Span::new(file_id, base + open, base + body).into(),
    })
}
