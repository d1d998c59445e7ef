//! Positions and file names as the protocol writes them: lines and columns counted
//! in UTF-16 code units (or bytes, when the client accepts UTF-8), and `file:` URIs.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};

/// How columns are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// Line starts of one text, to turn byte offsets into positions and back.
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
    encoding: Encoding,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str, encoding: Encoding) -> LineIndex<'t> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            text,
            starts,
            encoding,
        }
    }

    /// The position of a byte offset (clamped to the text, and down to a character).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = match self.encoding {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 => self.text[start..offset].encode_utf16().count(),
        };
        Position::new(line as u32, column as u32)
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// The byte offset of a position; a column past the line's end means its end, a
    /// line past the text's end means the end of the text.
    pub fn offset(&self, p: Position) -> usize {
        let Some(&start) = self.starts.get(p.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(p.line as usize + 1)
            .map(|e| e - 1)
            .unwrap_or(self.text.len());
        let line = &self.text[start..end];
        let mut units = 0usize;
        for (i, ch) in line.char_indices() {
            if units >= p.character as usize {
                return start + i;
            }
            units += match self.encoding {
                Encoding::Utf8 => ch.len_utf8(),
                Encoding::Utf16 => ch.len_utf16(),
            };
        }
        end
    }

    /// The range covering the whole text.
    pub fn whole(&self) -> Range {
        self.range(0, self.text.len())
    }
}

/// Where offsets of one version of a text stand in another, assuming the change
/// between them is one edited region (what typing makes): offsets before it stay,
/// offsets after it move by the change in length, offsets inside go to its start.
pub struct Shift {
    prefix: usize,
    old_rest: usize,
    new_rest: usize,
}

impl Shift {
    pub fn between(old: &str, new: &str) -> Shift {
        let prefix = old
            .bytes()
            .zip(new.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let max_suffix = old.len().min(new.len()) - prefix;
        let suffix = old
            .bytes()
            .rev()
            .zip(new.bytes().rev())
            .take(max_suffix)
            .take_while(|(a, b)| a == b)
            .count();
        Shift {
            prefix,
            old_rest: old.len() - suffix,
            new_rest: new.len() - suffix,
        }
    }

    fn map(offset: usize, prefix: usize, from_rest: usize, to_rest: usize) -> usize {
        if offset <= prefix {
            offset
        } else if offset >= from_rest {
            offset - from_rest + to_rest
        } else {
            prefix
        }
    }

    pub fn to_old(&self, new: usize) -> usize {
        Self::map(new, self.prefix, self.new_rest, self.old_rest)
    }

    pub fn to_new(&self, old: usize) -> usize {
        Self::map(old, self.prefix, self.old_rest, self.new_rest)
    }
}

/// Apply one `didChange` edit: replace `range` (or everything, without one).
pub fn apply_change(text: &str, range: Option<Range>, new: &str, encoding: Encoding) -> String {
    let Some(range) = range else {
        return new.to_owned();
    };
    let index = LineIndex::new(text, encoding);
    let start = index.offset(range.start);
    let end = index.offset(range.end).max(start);
    let mut out = String::with_capacity(text.len() + new.len());
    out.push_str(&text[..start]);
    out.push_str(new);
    out.push_str(&text[end..]);
    out
}

/// The local path a `file:` URI names.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // `file:///path`, or `file://localhost/path`.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let bytes = percent_decode(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(bytes).ok().map(PathBuf::from)
    }
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The `file:` URI of an absolute path, with every byte outside the unreserved set
/// (and `/`) percent-encoded.
pub fn path_to_uri(path: &Path) -> Uri {
    let raw = path.to_string_lossy();
    let mut s = String::from("file://");
    if !raw.starts_with('/') {
        s.push('/');
    }
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    // Every byte is unreserved or percent-encoded, which is always a valid URI.
    Uri::from_str(&s).unwrap_or_else(|_| Uri::from_str("file:///").expect("a valid URI"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let text = "a😀b\nxé";
        let ix = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(ix.position(5), Position::new(0, 3));
        assert_eq!(ix.offset(Position::new(0, 3)), 5);
        assert_eq!(ix.position(text.len()), Position::new(1, 2));
        // Past the end of a line or of the text: clamped.
        assert_eq!(ix.offset(Position::new(0, 99)), 6);
        assert_eq!(ix.offset(Position::new(9, 0)), text.len());
        let ix8 = LineIndex::new(text, Encoding::Utf8);
        assert_eq!(ix8.position(5), Position::new(0, 5));
    }

    #[test]
    fn edits_apply_within_and_across_lines() {
        let text = "package a\nconst x = 1\n";
        let r = Range::new(Position::new(1, 6), Position::new(1, 7));
        assert_eq!(
            apply_change(text, Some(r), "yy", Encoding::Utf16),
            "package a\nconst yy = 1\n"
        );
        let r = Range::new(Position::new(0, 8), Position::new(1, 0));
        assert_eq!(
            apply_change(text, Some(r), "", Encoding::Utf16),
            "package const x = 1\n"
        );
        // A reversed range is empty at its start.
        let r = Range::new(Position::new(1, 2), Position::new(0, 0));
        assert_eq!(
            apply_change(text, Some(r), "!", Encoding::Utf16).len(),
            text.len() + 1
        );
    }

    #[test]
    fn shifts_map_around_one_edit() {
        let old = "const a = 1\nconst b = 2\n";
        let new = "const a = 1 +\nconst b = 2\n";
        let s = Shift::between(old, new);
        assert_eq!(s.to_old(3), 3);
        assert_eq!(s.to_old(new.find('b').unwrap()), old.find('b').unwrap());
        assert_eq!(s.to_new(old.find('b').unwrap()), new.find('b').unwrap());
        assert_eq!(s.to_old(12), 11, "inside the edit: its start");
        let same = Shift::between(old, old);
        assert_eq!(same.to_new(5), 5);
    }

    #[test]
    fn paths_round_trip_through_uris() {
        let p = Path::new("/tmp/my policies/eü#1.juris");
        let uri = path_to_uri(p);
        assert_eq!(uri.as_str(), "file:///tmp/my%20policies/e%C3%BC%231.juris");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(p));
        let u = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(uri_to_path(&u), None);
    }
}
