//! Source files, spans and the collection of diagnostics every stage reports into.
//!
//! Each stage defines its own error enum (`syntax::err`, `check::err`, ...); this
//! module holds what they share: where text came from, and how several diagnostics
//! travel and render together.

#![forbid(unsafe_code)]

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, NamedSource, SourceSpan};

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// The file, as an id in its [`SourceMap`].
    pub file: u32,
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset just past the last byte.
    pub end: u32,
}

impl Span {
    /// A span of `start..end` in `file`.
    pub fn new(file: u32, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether it covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

impl From<Span> for SourceSpan {
    fn from(s: Span) -> SourceSpan {
        SourceSpan::new((s.start as usize).into(), s.len())
    }
}

/// One policy source: its display name (a path) and text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The display name, usually a path.
    pub name: String,
    /// The whole text.
    pub text: Arc<str>,
    /// Byte offsets where lines start, computed on first use.
    line_starts: std::sync::OnceLock<Arc<[usize]>>,
}

impl SourceFile {
    /// A source from its name and text.
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// The source as miette shows it in a diagnostic.
    pub fn named(&self) -> NamedSource<Arc<str>> {
        NamedSource::new(&self.name, self.text.clone()).with_language("juris")
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, (offset as usize).min(self.text.len()));
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        // The last line starting at or before the offset.
        let line = starts.partition_point(|&s| s <= offset).max(1);
        let start = starts[line - 1];
        let col = self.text[start..offset].chars().count() + 1;
        (line, col)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// All sources of a policy set; a [`Span`]'s `file` indexes into it.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// Adds a file and returns its id.
    pub fn add(&mut self, file: SourceFile) -> u32 {
        self.files.push(file);
        (self.files.len() - 1) as u32
    }

    /// The file with this id.
    pub fn file(&self, id: u32) -> &SourceFile {
        &self.files[id as usize]
    }

    /// Every file, in id order.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// The source text a span covers.
    pub fn text(&self, span: Span) -> &str {
        let text = &self.file(span.file).text;
        text.get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    /// `path:line:column` of a span's start.
    pub fn position(&self, span: Span) -> Position {
        let file = self.file(span.file);
        let (line, column) = file.line_col(span.start);
        Position {
            file: file.name.clone(),
            line,
            column,
        }
    }

    /// The file a span is in, as miette shows it.
    pub fn named(&self, span: Span) -> NamedSource<Arc<str>> {
        self.file(span.file).named()
    }
}

/// A human position in a source file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Position {
    /// The file's display name.
    pub file: String,
    /// The line, from 1.
    pub line: usize,
    /// The column in characters, from 1.
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Several diagnostics from one run, errors and warnings together, in the order found.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<miette::Report>,
}

impl Diagnostics {
    /// No diagnostics.
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// Adds a diagnostic.
    pub fn push(&mut self, d: impl Diagnostic + Send + Sync + 'static) {
        self.items.push(miette::Report::new(d));
    }

    /// Adds a diagnostic already made a miette report.
    pub fn push_report(&mut self, r: miette::Report) {
        self.items.push(r);
    }

    /// Adds another list's diagnostics after these.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// The diagnostics, in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &miette::Report> {
        self.items.iter()
    }

    /// How many there are, errors and warnings.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether any is an error (not a warning).
    pub fn has_errors(&self) -> bool {
        self.items
            .iter()
            .any(|r| r.severity().unwrap_or(miette::Severity::Error) == miette::Severity::Error)
    }

    /// How many are errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|r| r.severity().unwrap_or(miette::Severity::Error) == miette::Severity::Error)
            .count()
    }

    /// Split off the warnings, keeping the errors.
    pub fn take_warnings(&mut self) -> Diagnostics {
        let (warnings, errors): (Vec<_>, Vec<_>) = std::mem::take(&mut self.items)
            .into_iter()
            .partition(|r| r.severity() == Some(miette::Severity::Warning));
        self.items = errors;
        Diagnostics { items: warnings }
    }

    /// Render every diagnostic without colour, as tests and logs want them.
    pub fn render_plain(&self) -> String {
        self.render(false)
    }

    /// Render for a terminal (colour when `color` is true); each diagnostic ends with
    /// a newline and a blank line separates them.
    pub fn render(&self, color: bool) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
        let mut out = String::new();
        for r in &self.items {
            if !out.is_empty() {
                out.push('\n');
            }
            let _ = handler.render_report(&mut out, r.as_ref());
            if !out.ends_with('\n') {
                out.push('\n');
            }
        }
        out
    }

    /// The diagnostic codes in order (for tests).
    pub fn codes(&self) -> Vec<String> {
        self.items
            .iter()
            .map(|r| r.code().map(|c| c.to_string()).unwrap_or_default())
            .collect()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.items.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{r}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Stack reserved for the compiler's recursive stages (parse, check, lower, format).
///
/// The pest parser recurses about a dozen rules per bracket and, in an unoptimised
/// build, uses hundreds of kilobytes per level: more than a 2 MiB test thread has.
/// The nesting limits keep every stage well inside this reservation, which the
/// operating system only backs with memory as it is touched.
pub const COMPILER_STACK: usize = 256 << 20;

thread_local! {
    static ON_COMPILER_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run `f` on a thread with [`COMPILER_STACK`] bytes of stack (or inline, when
/// already on one), so compiling never depends on the caller's stack size.
pub fn with_compiler_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if ON_COMPILER_STACK.with(|c| c.get()) {
        return f();
    }
    let thread = std::thread::Builder::new()
        .name("juris-compiler".into())
        .stack_size(COMPILER_STACK);
    std::thread::scope(|scope| {
        beside(scope, thread, || {
            // Where no thread could be started this is the caller's thread, and its
            // stack is all there is: nested calls need not try again.
            let was = ON_COMPILER_STACK.with(|c| c.replace(true));
            let v = f();
            ON_COMPILER_STACK.with(|c| c.set(was));
            v
        })()
    })
}

/// Starts `f` on a thread `thread` makes inside `scope`, and gives back what joins it
/// (resuming a panic of `f`). Where no thread can be started, `f` runs when joined
/// instead, on the caller's thread: the closure is parked where the caller can take
/// it back.
pub fn beside<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    thread: std::thread::Builder,
    f: impl FnOnce() -> T + Send + 'scope,
) -> impl FnOnce() -> T + 'scope {
    let parked = std::sync::Arc::new(std::sync::Mutex::new(Some(f)));
    let theirs = parked.clone();
    let spawned = thread.spawn_scoped(scope, move || {
        let f = theirs.lock().ok().and_then(|mut p| p.take());
        f.map(|f| f())
    });
    move || {
        let ran = match spawned {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => None,
        };
        match ran {
            Some(v) => v,
            None => match parked.lock().ok().and_then(|mut p| p.take()) {
                Some(f) => f(),
                None => unreachable!("the closure either ran on its thread or is still parked"),
            },
        }
    }
}

/// Suggest the closest of `candidates` to `name`, if one is close enough to be a typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c.to_owned())
}

/// Edit distance over characters where swapping two neighbours is one edit
/// (optimal string alignment), since `titel` for `title` is one typo, not two.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows: two back (for transpositions), previous, current.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            cur[j] = d;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["foreign_adversaries", "eea", "gdpr_adequate"];
        assert_eq!(
            did_you_mean("foreign_adversary", names).as_deref(),
            Some("foreign_adversaries")
        );
        assert_eq!(did_you_mean("zzz", names), None);
    }

    #[test]
    fn transpositions_are_one_edit() {
        assert_eq!(edit_distance("titel", "title"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(
            did_you_mean("titel", ["title", "id"]).as_deref(),
            Some("title")
        );
    }

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::new("a.juris", "ab\ncdé f");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(8), (2, 5));
    }
}
