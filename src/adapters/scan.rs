//! Byte-level walks over JSON text that serde cannot do for us: the nesting limit over
//! parts the parser skips, and, on the error path only, turning a byte offset into a JSON
//! path (`resource_changes[3].change`) and a JSON path back into a byte range.

use std::ops::Range;

/// One step of a JSON path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Formats a path the way a reader writes it: `resource_changes[3].address`.
pub fn fmt_path(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if is_plain_key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Key(k) => {
                out.push('[');
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push(']');
            }
            Seg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// Like [`fmt_path`], but a path of more than ten steps keeps its first eight and says
/// how deep it goes (a nesting error's path is otherwise hundreds of `[0]`).
pub fn fmt_path_short(path: &[Seg]) -> String {
    if path.len() <= 10 {
        return fmt_path(path);
    }
    format!("{}… ({} steps deep)", fmt_path(&path[..8]), path.len())
}

fn is_plain_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Byte offset of the first `[` or `{` nested deeper than `limit`, if any.
///
/// serde_json limits the depth of what it builds but skips ignored values without a
/// limit, so this scan is what makes the limit hold for the whole document. It is one
/// pass that jumps over string contents eight bytes at a time.
pub fn too_deep(bytes: &[u8], limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                i = string_end(bytes, i + 1)?;
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Offset just past the closing quote of a string whose contents start at `i`;
/// `None` when the string never closes (the parser reports that).
fn string_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    loop {
        let k = find_quote_or_backslash(bytes.get(i..)?)?;
        i += k;
        if bytes[i] == b'\\' {
            i += 2;
        } else {
            return Some(i + 1);
        }
    }
}

/// Position of the first `"` or `\` (SWAR: eight bytes per step, no SIMD crate needed).
fn find_quote_or_backslash(hay: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    const QUOTE: u64 = LO * b'"' as u64;
    const BACKSLASH: u64 = LO * b'\\' as u64;
    let mut chunks = hay.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let x = w ^ QUOTE;
        let y = w ^ BACKSLASH;
        let hits = (x.wrapping_sub(LO) & !x & HI) | (y.wrapping_sub(LO) & !y & HI);
        if hits != 0 {
            return Some(base + (hits.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == b'"' || b == b'\\')
        .map(|p| base + p)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// End (exclusive) of the value starting at `i`; the end of input if it never ends.
fn skip_value(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'"') => string_end(b, i + 1).unwrap_or(b.len()),
        Some(b'[' | b'{') => {
            let mut depth = 0usize;
            let mut j = i;
            while let Some(&c) = b.get(j) {
                match c {
                    b'"' => {
                        j = string_end(b, j + 1).unwrap_or(b.len());
                        continue;
                    }
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            b.len()
        }
        Some(_) => {
            let mut j = i;
            while let Some(&c) = b.get(j) {
                if matches!(c, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                    break;
                }
                j += 1;
            }
            j
        }
        None => i,
    }
}

/// Reads an object key at `i` (a `"`): the decoded key and the offset after it.
fn read_key(b: &[u8], i: usize) -> Option<(String, usize)> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let end = string_end(b, i + 1)?;
    let key = serde_json::from_slice::<String>(b.get(i..end)?).ok()?;
    Some((key, end))
}

/// The JSON path of the innermost value containing byte `offset` (for parse errors).
pub fn path_at(b: &[u8], offset: usize) -> Vec<Seg> {
    let mut path = Vec::new();
    let mut i = skip_ws(b, 0);
    loop {
        match b.get(i) {
            Some(b'{') => {
                i += 1;
                loop {
                    i = skip_ws(b, i);
                    if i >= offset {
                        return path;
                    }
                    let Some((key, after)) = read_key(b, i) else {
                        return path;
                    };
                    i = skip_ws(b, after);
                    if b.get(i) != Some(&b':') {
                        return path;
                    }
                    i = skip_ws(b, i + 1);
                    let end = skip_value(b, i);
                    if end > offset || end >= b.len() {
                        path.push(Seg::Key(key));
                        break;
                    }
                    i = skip_ws(b, end);
                    match b.get(i) {
                        Some(b',') => i += 1,
                        _ => return path,
                    }
                }
            }
            Some(b'[') => {
                i += 1;
                let mut index = 0;
                loop {
                    i = skip_ws(b, i);
                    if i >= offset || matches!(b.get(i), Some(b']') | None) {
                        return path;
                    }
                    let end = skip_value(b, i);
                    if end > offset || end >= b.len() {
                        path.push(Seg::Index(index));
                        break;
                    }
                    i = skip_ws(b, end);
                    match b.get(i) {
                        Some(b',') => i += 1,
                        _ => return path,
                    }
                    index += 1;
                }
            }
            _ => return path,
        }
    }
}

/// The byte range of the value at `path`, if the document has one there.
pub fn locate(b: &[u8], path: &[Seg]) -> Option<Range<usize>> {
    let mut i = skip_ws(b, 0);
    for seg in path {
        match seg {
            Seg::Key(want) => {
                if b.get(i) != Some(&b'{') {
                    return None;
                }
                i += 1;
                loop {
                    i = skip_ws(b, i);
                    let (key, after) = read_key(b, i)?;
                    i = skip_ws(b, after);
                    if b.get(i) != Some(&b':') {
                        return None;
                    }
                    i = skip_ws(b, i + 1);
                    if &key == want {
                        break;
                    }
                    i = skip_ws(b, skip_value(b, i));
                    if b.get(i) != Some(&b',') {
                        return None;
                    }
                    i += 1;
                }
            }
            Seg::Index(want) => {
                if b.get(i) != Some(&b'[') {
                    return None;
                }
                i += 1;
                for _ in 0..*want {
                    i = skip_ws(b, i);
                    if matches!(b.get(i), Some(b']') | None) {
                        return None;
                    }
                    i = skip_ws(b, skip_value(b, i));
                    if b.get(i) != Some(&b',') {
                        return None;
                    }
                    i += 1;
                }
                i = skip_ws(b, i);
                if matches!(b.get(i), Some(b']') | None) {
                    return None;
                }
            }
        }
    }
    Some(i..skip_value(b, i))
}

/// Byte offset of serde_json's `line`:`column` (both 1-based, column in bytes).
pub fn offset_of(b: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    if line > 1 {
        let mut seen = 1;
        for (i, &c) in b.iter().enumerate() {
            if c == b'\n' {
                seen += 1;
                if seen == line {
                    start = i + 1;
                    break;
                }
            }
        }
    }
    (start + column.saturating_sub(1)).min(b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{"a": 1, "resource_changes": [{"address": "x"}, {"address": "y\"z", "change": {"after": [1, {"k": "v"}]}}]}"#;

    #[test]
    fn locates_a_path() {
        let path = [
            Seg::Key("resource_changes".into()),
            Seg::Index(1),
            Seg::Key("address".into()),
        ];
        let r = locate(DOC.as_bytes(), &path).unwrap();
        assert_eq!(&DOC[r], r#""y\"z""#);
        assert!(locate(DOC.as_bytes(), &[Seg::Key("nope".into())]).is_none());
        assert!(
            locate(
                DOC.as_bytes(),
                &[Seg::Key("resource_changes".into()), Seg::Index(2)]
            )
            .is_none()
        );
    }

    #[test]
    fn finds_the_path_at_an_offset() {
        let at = DOC.find(r#""v""#).unwrap();
        let p = path_at(DOC.as_bytes(), at);
        assert_eq!(fmt_path(&p), "resource_changes[1].change.after[1].k");
        assert_eq!(fmt_path(&path_at(DOC.as_bytes(), 0)), "");
        assert_eq!(fmt_path(&path_at(DOC.as_bytes(), 3)), "a");
        let truncated = &DOC[..at];
        assert_eq!(
            fmt_path(&path_at(truncated.as_bytes(), truncated.len())),
            "resource_changes[1].change.after[1].k"
        );
    }

    #[test]
    fn formats_odd_keys_in_brackets() {
        let p = [
            Seg::Key("tags".into()),
            Seg::Key("a.b c".into()),
            Seg::Index(0),
        ];
        assert_eq!(fmt_path(&p), r#"tags["a.b c"][0]"#);
    }

    #[test]
    fn measures_depth_outside_strings() {
        assert_eq!(too_deep(b"[[[]]]", 3), None);
        assert_eq!(too_deep(b"[[[[]]]]", 3), Some(3));
        assert_eq!(too_deep(br#"{"a": "[[[[[[\"[[["}"#, 1), None);
        let deep = "[".repeat(10_000);
        assert_eq!(too_deep(deep.as_bytes(), 128), Some(128));
    }

    #[test]
    fn swar_search_matches_a_plain_search() {
        for s in [
            "",
            "abc",
            "abcdefgh\"",
            "0123456789abcdef\\x",
            "\"",
            "no quote here at all.....",
        ] {
            let plain = s.bytes().position(|b| b == b'"' || b == b'\\');
            assert_eq!(find_quote_or_backslash(s.as_bytes()), plain, "{s}");
        }
    }

    #[test]
    fn converts_line_and_column() {
        let text = b"ab\ncd\nef";
        assert_eq!(offset_of(text, 1, 1), 0);
        assert_eq!(offset_of(text, 2, 2), 4);
        assert_eq!(offset_of(text, 3, 9), 8);
    }
}
