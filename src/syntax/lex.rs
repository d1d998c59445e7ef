//! The one lexer of policy text. [`tokens`] splits text into words, strings,
//! punctuation and trivia (white space and the comments the grammar skips, each a token
//! with its span), so the formatter can put comments back and the package scan can read
//! a file that does not parse. [`scan`] walks the tokens before parsing for what a PEG
//! parser reports badly or not at all: unterminated strings and comments (pointing at
//! where they start) and nesting deep enough to exhaust a recursive-descent parser.

use std::ops::Range;

use super::err::SyntaxError;
use crate::diag::{SourceFile, Span};

/// Deepest nesting of brackets plus open `if`/`all`/`any` expressions.
pub const MAX_NESTING: usize = 64;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A run of ASCII white space.
    Space,
    /// A `#` comment (to the end of its line) or a `/* */` block: skipped by the grammar.
    Comment,
    /// `//` to the end of the line: a `///` documentation comment, which the grammar
    /// keeps (it has no other `//`).
    DocComment,
    /// A keyword or a name: a letter or `_`, then letters, digits and `_`.
    Word,
    /// A run of ASCII digits.
    Number,
    /// A string literal, with its quotes: `"…"`, `r"…"`, `"""…"""` or `r"""…"""`.
    Str,
    /// Any other character: brackets, operators, punctuation.
    Punct,
}

impl Kind {
    /// White space and comments: what the grammar skips between tokens.
    pub fn is_trivia(self) -> bool {
        matches!(self, Kind::Space | Kind::Comment)
    }
}

/// A token and the byte range it covers in the lexed text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// The token's text in `text`, the text it was lexed from.
    pub fn text(self, text: &str) -> &str {
        &text[self.start..self.end]
    }
}

/// Text the lexer cannot split: where the bad token starts, in the lexed text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LexError {
    /// A `/*` with no `*/` after it (the range covers the `/*`).
    UnterminatedComment(Range<usize>),
    /// A string without its closing quotes (the range covers the opening quotes).
    UnterminatedString(Range<usize>),
    /// A `"` inside an interpolation `{…}` (the offset of the interpolation's `{`).
    UnclosedInterpolation(usize),
}

/// The tokens of `text`, trivia included, in order. After an error the iterator ends.
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens { text, at: 0 }
}

/// The iterator [`tokens`] returns.
pub struct Tokens<'t> {
    text: &'t str,
    at: usize,
}

impl Iterator for Tokens<'_> {
    type Item = Result<Token, LexError>;

    fn next(&mut self) -> Option<Self::Item> {
        let b = self.text.as_bytes();
        let start = self.at;
        let c = *b.get(start)?;
        let next = b.get(start + 1).copied();
        let raw = c == b'r' && !ident_before(b, start);
        let token = match c {
            _ if c.is_ascii_whitespace() => Ok((Kind::Space, run(b, start, is_space))),
            b'#' => Ok((Kind::Comment, line_end(b, start))),
            b'/' if next == Some(b'/') => Ok((Kind::DocComment, line_end(b, start))),
            b'/' if next == Some(b'*') => find(b, start + 2, b"*/")
                .map(|end| (Kind::Comment, end + 2))
                .ok_or(LexError::UnterminatedComment(start..start + 2)),
            b'r' if raw && b[start + 1..].starts_with(BLOCK) => string_end(b, start, true, BLOCK),
            b'r' if raw && next == Some(b'"') => string_end(b, start, true, LINE),
            b'"' if b[start..].starts_with(BLOCK) => string_end(b, start, false, BLOCK),
            b'"' => string_end(b, start, false, LINE),
            _ if c.is_ascii_alphabetic() || c == b'_' => Ok((Kind::Word, run(b, start, is_word))),
            _ if c.is_ascii_digit() => Ok((Kind::Number, run(b, start, u8::is_ascii_digit))),
            _ => {
                let width = self.text[start..].chars().next().map_or(1, char::len_utf8);
                Ok((Kind::Punct, start + width))
            }
        };
        match token {
            Ok((kind, end)) => {
                self.at = end;
                Some(Ok(Token { kind, start, end }))
            }
            Err(e) => {
                self.at = b.len();
                Some(Err(e))
            }
        }
    }
}

const LINE: &[u8] = b"\"";
const BLOCK: &[u8] = b"\"\"\"";

/// End (exclusive) of the string opening at `open`: `raw` (after an `r`, without
/// escapes or interpolation) or not, between `quotes`, a one-line `"` or a `"""` block.
fn string_end(b: &[u8], open: usize, raw: bool, quotes: &[u8]) -> Result<(Kind, usize), LexError> {
    let escapes = !raw;
    let line = quotes == LINE;
    let body = open + usize::from(raw) + quotes.len();
    let mut i = body;
    // Open interpolations of a one-line string: a `"` inside one ends the string early,
    // which the parser would report far from the cause.
    let mut braces: Vec<usize> = Vec::new();
    while i < b.len() {
        let c = b[i];
        if escapes && c == b'\\' {
            i += 2;
            continue;
        }
        if b[i..].starts_with(quotes) {
            return match braces.first() {
                Some(&at) => Err(LexError::UnclosedInterpolation(at)),
                None => Ok((Kind::Str, i + quotes.len())),
            };
        }
        if line {
            match c {
                b'\n' => break,
                // `{{` and `}}` are literal braces outside an interpolation.
                b'{' | b'}' if escapes && braces.is_empty() && b.get(i + 1) == Some(&c) => i += 1,
                b'{' if escapes => braces.push(i),
                b'}' if escapes => {
                    braces.pop();
                }
                _ => {}
            }
        }
        i += 1;
    }
    Err(LexError::UnterminatedString(open..body))
}

fn is_space(c: &u8) -> bool {
    c.is_ascii_whitespace()
}

fn is_word(c: &u8) -> bool {
    c.is_ascii_alphanumeric() || *c == b'_'
}

/// End of the run of bytes from `i` that `keep` accepts.
fn run(b: &[u8], i: usize, keep: fn(&u8) -> bool) -> usize {
    b[i..]
        .iter()
        .position(|c| !keep(c))
        .map_or(b.len(), |p| i + p)
}

/// An `r` right after a word character is part of a word, not a raw string's prefix.
fn ident_before(b: &[u8], i: usize) -> bool {
    i > 0 && is_word(&b[i - 1])
}

fn line_end(b: &[u8], i: usize) -> usize {
    run(b, i, |&c| c != b'\n')
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// Whether `text` holds nothing but white space and comments.
pub fn only_trivia(text: &str) -> bool {
    tokens(text).all(|t| t.is_ok_and(|t| t.kind.is_trivia()))
}

/// The package a file declares and where its name stands: the first token that is
/// neither trivia nor documentation must be `package`, and a dotted name follows it
/// (`qname` in the grammar). It reads no further, so a file that does not parse (or
/// does not lex past its first line) still answers.
pub fn declared_package(text: &str) -> Option<(&str, Range<usize>)> {
    let mut code = tokens(text)
        .map_while(Result::ok)
        .filter(|t| !t.kind.is_trivia() && t.kind != Kind::DocComment);
    if code.next()?.text(text) != "package" {
        return None;
    }
    let name = code.next().filter(|t| t.kind == Kind::Word)?;
    let mut end = name.end;
    // The parts of a dotted name touch: no space or comment between them.
    while let (Some(dot), Some(part)) = (code.next(), code.next()) {
        if dot.start != end || dot.text(text) != "." || part.start != dot.end {
            break;
        }
        if part.kind != Kind::Word {
            break;
        }
        end = part.end;
    }
    Some((&text[name.start..end], name.start..end))
}

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
    let span = |r: Range<usize>| Span::new(file_id, base + r.start, base + r.end).into();
    let too_deep = |at: Range<usize>| SyntaxError::TooDeep {
        limit: MAX_NESTING,
        src: file.named(),
        at: span(at),
    };
    // Open `if`/`all`/`any` per bracket level: a bracket closes what opened inside it.
    let mut words: Vec<usize> = vec![0];
    let mut nesting = 0usize;
    let mut previous_word = "";
    // Only blanks since the last line break (or the start).
    let mut line_start = true;
    for token in tokens(text) {
        let token = token.map_err(|e| match e {
            LexError::UnterminatedComment(at) => SyntaxError::UnterminatedComment {
                src: file.named(),
                at: span(at),
            },
            LexError::UnterminatedString(at) => SyntaxError::UnterminatedString {
                src: file.named(),
                at: span(at),
            },
            LexError::UnclosedInterpolation(at) => SyntaxError::UnclosedInterpolation {
                src: file.named(),
                at: span(at..at + 1),
            },
        })?;
        let at_line_start = line_start;
        let word = token.text(text);
        let first = word.as_bytes()[0];
        line_start = token.kind == Kind::Space
            && word.bytes().fold(line_start, |blank, c| {
                c == b'\n' || (blank && matches!(c, b' ' | b'\t' | b'\r'))
            });
        // Words, numbers and raw strings (they start with `r`) leave it standing.
        if !first.is_ascii_whitespace() && !is_word(&first) {
            previous_word = "";
        }
        match token.kind {
            Kind::Punct => match first {
                b'(' | b'[' | b'{' => {
                    words.push(0);
                    nesting += 1;
                    if nesting > MAX_NESTING {
                        return Err(too_deep(token.start..token.end));
                    }
                }
                b')' | b']' | b'}' if words.len() > 1 => {
                    nesting -= 1 + words.pop().unwrap_or(0);
                }
                // A comma ends every `if`/`all`/`any` opened since the bracket.
                b',' => close_words(&mut words, &mut nesting),
                _ => {}
            },
            Kind::Word => {
                match word {
                    // Declarations and clauses end every open expression at this level.
                    "const" | "fn" | "rule" | "exception" | "test" if at_line_start => {
                        close_words(&mut words, &mut nesting)
                    }
                    "for" | "where" | "let" | "deny" | "require" | "message" => {
                        close_words(&mut words, &mut nesting)
                    }
                    // `else if` continues a chain, and `deny if` is not a conditional.
                    "if" if previous_word == "else" || previous_word == "deny" => {}
                    "if" | "all" | "any" => {
                        if let Some(open) = words.last_mut() {
                            *open += 1;
                        }
                        nesting += 1;
                        if nesting > MAX_NESTING {
                            return Err(too_deep(token.start..token.end));
                        }
                    }
                    _ => {}
                }
                previous_word = word;
            }
            _ => {}
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

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        tokens(text)
            .map(|t| t.expect("lexes"))
            .map(|t| (t.kind, t.text(text)))
            .collect()
    }

    #[test]
    fn comments_are_trivia_tokens_with_their_spans() {
        let text = "# top\npackage a /* in */ # end\n/// doc\nconst x = 1";
        let comments: Vec<(usize, &str)> = tokens(text)
            .map(|t| t.unwrap())
            .filter(|t| t.kind == Kind::Comment)
            .map(|t| (t.start, t.text(text)))
            .collect();
        assert_eq!(comments, [(0, "# top"), (16, "/* in */"), (25, "# end")]);
        assert!(Kind::Comment.is_trivia() && Kind::Space.is_trivia());
        assert!(!Kind::DocComment.is_trivia());
        assert_eq!(kinds("/// doc\n")[0], (Kind::DocComment, "/// doc"));
    }

    #[test]
    fn every_byte_belongs_to_one_token() {
        let text = "rule r { deny if x.tags[\"a\"] != r\"b\" # é\n}\n";
        let mut at = 0;
        for t in tokens(text).map(|t| t.unwrap()) {
            assert_eq!(t.start, at);
            at = t.end;
        }
        assert_eq!(at, text.len());
        assert!(kinds(text).contains(&(Kind::Str, "r\"b\"")));
        assert!(kinds(text).contains(&(Kind::Comment, "# é")));
    }

    #[test]
    fn words_numbers_and_punctuation() {
        assert_eq!(
            kinds("x_1 2if ≠"),
            [
                (Kind::Word, "x_1"),
                (Kind::Space, " "),
                (Kind::Number, "2"),
                (Kind::Word, "if"),
                (Kind::Space, " "),
                (Kind::Punct, "≠"),
            ]
        );
    }

    #[test]
    fn strings_of_every_form_are_one_token() {
        for s in [
            r#""a \" # /* b""#,
            r#""{x} {{ and }}""#,
            r#"r"C:\dir\""#,
            "\"\"\"\nline \" # two\n\"\"\"",
            "r\"\"\"\\\"\"\"",
            "\"a\\\nb\"",
        ] {
            assert_eq!(kinds(s), [(Kind::Str, s)], "{s}");
        }
        // An `r` that ends a word is not a raw string's prefix.
        assert_eq!(
            kinds(r#"ar"\"""#),
            [(Kind::Word, "ar"), (Kind::Str, r#""\"""#)]
        );
    }

    #[test]
    fn unterminated_strings_and_comments_point_at_their_opening() {
        let err = |text: &str| tokens(text).find_map(Result::err);
        assert_eq!(
            err("x \"abc\ny\""),
            Some(LexError::UnterminatedString(2..3))
        );
        assert_eq!(err("r\"abc"), Some(LexError::UnterminatedString(0..2)));
        assert_eq!(err("\"\"\"abc\""), Some(LexError::UnterminatedString(0..3)));
        assert_eq!(err("r\"\"\"a"), Some(LexError::UnterminatedString(0..4)));
        assert_eq!(err("a /* b"), Some(LexError::UnterminatedComment(2..4)));
        assert_eq!(
            err("\"a {b \"c\" }\""),
            Some(LexError::UnclosedInterpolation(3))
        );
        // After an error the stream ends.
        assert_eq!(tokens("/* x").count(), 1);
    }

    #[test]
    fn trivia_is_space_and_comments_only() {
        assert!(only_trivia(" \n# a\n/* b */\t"));
        assert!(only_trivia(""));
        assert!(!only_trivia(" ) "));
        assert!(!only_trivia("/// doc"));
        assert!(!only_trivia("/* open"));
    }

    #[test]
    fn the_package_is_the_first_code_token() {
        let name = |text| declared_package(text).map(|(n, _)| n);
        assert_eq!(name("package acme.residency\n"), Some("acme.residency"));
        assert_eq!(
            name("# a\n/* b\n c */\n/// d\n  package juris.groups # e\n"),
            Some("juris.groups")
        );
        assert_eq!(declared_package("\n package a.b\n"), Some(("a.b", 10..13)));
        assert_eq!(name("package juris.x{"), Some("juris.x"));
        assert_eq!(name("import juris\npackage a"), None);
        assert_eq!(name("packages a"), None);
        assert_eq!(name("package \"a\""), None);
        assert_eq!(name(""), None);
        assert_eq!(name("/* never closed\npackage a"), None);
        // What comes after the name need not lex.
        assert_eq!(name("package a\nconst s = \"open"), Some("a"));
    }
}
