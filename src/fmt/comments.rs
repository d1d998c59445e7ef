//! Finding the comments the grammar skips: `#` lines and `/* */` blocks, outside
//! strings. (`///` documentation comments belong to the AST.)

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

pub fn collect(text: &str) -> Vec<Comment> {
    let b = text.as_bytes();
    let mut out: Vec<Comment> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                let end = line_end(b, i);
                out.push(comment(text, i, end));
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = find(b, i + 2, b"*/").map(|e| e + 2).unwrap_or(b.len());
                out.push(comment(text, i, end));
                i = end;
            }
            b'r' if b[i + 1..].starts_with(b"\"\"\"") && !word_before(b, i) => {
                i = block_end(b, i + 4, false)
            }
            b'r' if b.get(i + 1) == Some(&b'"') && !word_before(b, i) => {
                i = string_end(b, i + 2, false)
            }
            b'"' if b[i..].starts_with(b"\"\"\"") => i = block_end(b, i + 3, true),
            b'"' => i = string_end(b, i + 1, true),
            _ => i += 1,
        }
    }
    out
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

fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map(|p| i + p)
        .unwrap_or(b.len())
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn word_before(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
}

fn string_end(b: &[u8], mut i: usize, escapes: bool) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' if escapes => i += 2,
            b'"' => return i + 1,
            b'\n' => return i,
            _ => i += 1,
        }
    }
    b.len()
}

fn block_end(b: &[u8], mut i: usize, escapes: bool) -> usize {
    while i < b.len() {
        if escapes && b[i] == b'\\' {
            i += 2;
        } else if b[i..].starts_with(b"\"\"\"") {
            return i + 3;
        } else {
            i += 1;
        }
    }
    b.len()
}
