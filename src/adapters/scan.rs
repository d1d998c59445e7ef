//! Byte-level walks over JSON text that serde cannot do for us: the nesting limit over
//! parts the parser skips, and, on the error path only, turning a byte offset into a JSON
//! path (`resource_changes[3].change`) and a JSON path back into a byte range.

#![forbid(unsafe_code)]

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
/// limit, so this scan is what makes the limit hold for the whole document. It works on
/// 64-byte blocks the way SIMD JSON parsers do, with plain integer arithmetic: one bit per
/// byte for quotes, brackets and backslashes, escaped bytes from the backslash runs, a
/// prefix XOR of the quote bits for "inside a string", and a population count of the
/// brackets outside strings. Only a block that could cross the limit (or zero, in broken
/// input) visits its brackets one by one.
pub fn too_deep(bytes: &[u8], limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    // All ones when the next block starts inside a string.
    let mut in_string = 0u64;
    // 1 when the previous block ended in an odd run of backslashes.
    let mut prev_odd = 0u64;
    let mut blocks = bytes.chunks_exact(64);
    let mut base = 0;
    for block in &mut blocks {
        let m = Masks::of(block);
        let esc = if m.backslash == 0 && prev_odd == 0 {
            0
        } else {
            escaped(m.backslash, &mut prev_odd)
        };
        // Bit i set when byte i is inside a string (an opening quote counts as inside).
        let mut inside = m.quote & !esc;
        inside ^= inside << 1;
        inside ^= inside << 2;
        inside ^= inside << 4;
        inside ^= inside << 8;
        inside ^= inside << 16;
        inside ^= inside << 32;
        inside ^= in_string;
        let opens = m.open & !inside & !esc;
        let closes = m.close & !inside & !esc;
        let (o, c) = (opens.count_ones() as usize, closes.count_ones() as usize);
        if depth + o <= limit && c <= depth {
            // Neither the limit nor zero can be crossed inside this block.
            depth = depth + o - c;
        } else {
            let mut bits = opens | closes;
            while bits != 0 {
                let k = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if (opens >> k) & 1 == 1 {
                    depth += 1;
                    if depth > limit {
                        return Some(base + k);
                    }
                } else {
                    depth = depth.saturating_sub(1);
                }
            }
        }
        in_string = ((inside as i64) >> 63) as u64;
        base += 64;
    }
    let mut rest = DepthState {
        depth,
        in_string: in_string != 0,
        escaped: prev_odd != 0,
        limit,
    };
    rest.walk(blocks.remainder()).map(|k| base + k)
}

const EVEN: u64 = 0x5555_5555_5555_5555;
const ODD: u64 = !EVEN;

/// The bytes of a block escaped by a backslash: those after an odd-length run of
/// backslashes (simdjson's rule), with the run carried over from the previous block.
#[inline]
fn escaped(backslash: u64, prev_odd: &mut u64) -> u64 {
    let start_edges = backslash & !(backslash << 1);
    let even_start_mask = EVEN ^ *prev_odd;
    let even_starts = start_edges & even_start_mask;
    let odd_starts = start_edges & !even_start_mask;
    let even_carries = backslash.wrapping_add(even_starts);
    let (mut odd_carries, overflow) = backslash.overflowing_add(odd_starts);
    odd_carries |= *prev_odd;
    *prev_odd = u64::from(overflow);
    let even_carry_ends = even_carries & !backslash;
    let odd_carry_ends = odd_carries & !backslash;
    (even_carry_ends & ODD) | (odd_carry_ends & EVEN)
}

/// One bit per byte of a 64-byte block.
struct Masks {
    quote: u64,
    backslash: u64,
    open: u64,
    close: u64,
}

impl Masks {
    fn of(block: &[u8]) -> Masks {
        let mut m = Masks {
            quote: 0,
            backslash: 0,
            open: 0,
            close: 0,
        };
        for (k, chunk) in block.chunks_exact(8).enumerate() {
            let w = word(chunk);
            // `[`/`]` differ from `{`/`}` only in bit 5: one test covers both.
            let folded = w | (LO * 0x20);
            let shift = 8 * k;
            m.quote |= movemask(exact_equal(w, b'"')) << shift;
            m.backslash |= movemask(exact_equal(w, b'\\')) << shift;
            m.open |= movemask(exact_equal(folded, b'{')) << shift;
            m.close |= movemask(exact_equal(folded, b'}')) << shift;
        }
        m
    }
}

/// The high bit of each byte, gathered into the low eight bits (byte k → bit k).
#[inline]
fn movemask(m: u64) -> u64 {
    ((m >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

struct DepthState {
    depth: usize,
    in_string: bool,
    /// The previous byte was a backslash inside a string.
    escaped: bool,
    limit: usize,
}

impl DepthState {
    /// Walks bytes one by one; the offset of the first bracket one level too deep. A
    /// backslash escapes the next byte wherever it is (outside a string it is invalid
    /// JSON anyway), which is the rule the block scan implements too.
    fn walk(&mut self, bytes: &[u8]) -> Option<usize> {
        for (k, &b) in bytes.iter().enumerate() {
            if self.escaped {
                self.escaped = false;
                continue;
            }
            if b == b'\\' {
                self.escaped = true;
                continue;
            }
            if self.in_string {
                if b == b'"' {
                    self.in_string = false;
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'[' | b'{' => {
                    self.depth += 1;
                    if self.depth > self.limit {
                        return Some(k);
                    }
                }
                b']' | b'}' => self.depth = self.depth.saturating_sub(1),
                _ => {}
            }
        }
        None
    }
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// High bit set in exactly the bytes of `w` equal to `b`.
#[inline]
fn exact_equal(w: u64, b: u8) -> u64 {
    let x = w ^ (LO * b as u64);
    // A byte's high bit ends up set iff the byte is zero; no carry crosses bytes.
    !(((x & !HI).wrapping_add(!HI)) | x) & HI
}

/// High bit set in each byte of `w` equal to `b`; the lowest flagged byte is exact (higher
/// ones may be false positives, which is why callers take only the first).
#[inline]
fn bytes_equal(w: u64, b: u8) -> u64 {
    let x = w ^ (LO * b as u64);
    x.wrapping_sub(LO) & !x & HI
}

#[inline]
fn word(chunk: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(chunk);
    u64::from_le_bytes(a)
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

/// Position of the first `"` or `\\` (SWAR: eight bytes per step, no SIMD crate needed).
fn find_quote_or_backslash(hay: &[u8]) -> Option<usize> {
    let mut chunks = hay.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let w = word(chunk);
        let hits = bytes_equal(w, b'"') | bytes_equal(w, b'\\');
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
                    // An element starting at `offset` contains it.
                    if i > offset || matches!(b.get(i), Some(b']') | None) {
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
    let start = match line {
        0 | 1 => 0,
        n => memchr::memchr_iter(b'\n', b)
            .nth(n - 2)
            .map_or(0, |i| i + 1),
    };
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
    fn exact_masks_flag_only_equal_bytes() {
        for b in 0u8..=255 {
            for at in 0..8 {
                let mut bytes = [b'a'; 8];
                bytes[at] = b;
                bytes[7 - at] = 0x80 | b;
                let w = word(&bytes);
                let got = exact_equal(w, b'"');
                let want = bytes.iter().enumerate().fold(0u64, |m, (k, &c)| {
                    if c == b'"' { m | (0x80 << (8 * k)) } else { m }
                });
                assert_eq!(got, want, "byte {b} at {at}");
            }
        }
    }

    /// The obvious byte-at-a-time scan, to check the block scan against.
    fn reference(bytes: &[u8], limit: usize) -> Option<usize> {
        DepthState {
            depth: 0,
            in_string: false,
            escaped: false,
            limit,
        }
        .walk(bytes)
    }

    #[test]
    fn block_scan_agrees_with_the_byte_scan() {
        let alphabet = b"[]{}\"\\a ,";
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..5000 {
            let len = (next() % 400) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            for limit in [0, 1, 2, 3, 5, 8, 128] {
                assert_eq!(
                    too_deep(&bytes, limit),
                    reference(&bytes, limit),
                    "{:?} limit {limit}",
                    String::from_utf8_lossy(&bytes)
                );
            }
        }
    }

    #[test]
    fn movemask_gathers_high_bits() {
        assert_eq!(movemask(0x8000_0000_0000_0080), 0b1000_0001);
        assert_eq!(movemask(HI), 0xFF);
        assert_eq!(movemask(0), 0);
    }

    #[test]
    fn depth_scan_handles_escapes_across_words() {
        // The escaped quote sits on an eight-byte boundary.
        let text = br#"{"abcdef\"[[[[[[[[[[[[[": "x\\", "k": [[1]]}"#;
        assert_eq!(too_deep(text, 3), None);
        assert_eq!(
            too_deep(text, 2),
            Some(text.iter().rposition(|&b| b == b'[').unwrap())
        );
        let escaped_backslash_then_quote = br#"["a\\\\", ["b"]]"#;
        assert_eq!(too_deep(escaped_backslash_then_quote, 1), Some(10));
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
