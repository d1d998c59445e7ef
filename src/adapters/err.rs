//! Why an input was refused. Each error names the file, points at the byte where it
//! applies (with the JSON path when there is one) and says how to fix it. Inputs can be
//! hundreds of megabytes on one line, so an error keeps only an excerpt around the spot.

#![forbid(unsafe_code)]

use std::ops::Range;
use std::sync::Arc;

use miette::{Diagnostic, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use thiserror::Error;

use super::scan::{self, Seg};

/// An input juris cannot read as infrastructure.
#[derive(Debug, Error, Diagnostic)]
pub enum AdapterError {
    /// The file could not be opened or read.
    #[error("cannot read `{name}`")]
    #[diagnostic(code(juris::E0701), help("check the path and its permissions"))]
    Io {
        /// The input, as it was named.
        name: String,
        #[source]
        /// The operating system's reason.
        source: std::io::Error,
    },

    /// The input is larger than the configured limit (checked before reading it).
    #[error("`{name}` is {size} bytes, over the limit of {limit} bytes")]
    #[diagnostic(
        code(juris::E0702),
        help("raise the input size limit (`max_bytes`) if this file is expected to be this large")
    )]
    TooLarge {
        /// The input, as it was named.
        name: String,
        /// The input's size in bytes.
        size: u64,
        /// The largest input accepted, in bytes.
        limit: u64,
    },

    /// The input is not valid UTF-8, so it cannot be JSON.
    #[error("`{}` is not valid UTF-8 (first bad byte at offset {offset})", .src.name)]
    #[diagnostic(
        code(juris::E0703),
        help(
            "JSON must be UTF-8; re-export the file as UTF-8 (`terraform show -json` always writes UTF-8)"
        )
    )]
    InvalidUtf8 {
        /// The byte offset of the first byte that is not UTF-8.
        offset: usize,
        #[source_code]
        /// An excerpt of the input around the error.
        src: Arc<Excerpt>,
        #[label("invalid UTF-8 here")]
        /// Where the error is, within the excerpt.
        span: SourceSpan,
    },

    /// The input is not JSON at all.
    #[error("`{}` is not JSON: it looks like {looks_like}", .src.name)]
    #[diagnostic(code(juris::E0704), help("{hint}"))]
    NotJson {
        /// What the document looks like instead.
        looks_like: String,
        /// How to produce the document juris expects.
        hint: String,
        #[source_code]
        /// An excerpt of the input around the error.
        src: Arc<Excerpt>,
        #[label("expected `{{` here")]
        /// Where the error is, within the excerpt.
        span: SourceSpan,
    },

    /// The JSON ends before the document does: the file was cut short.
    #[error("`{}` ends in the middle of the JSON document{}", .src.name, at_path(.path))]
    #[diagnostic(
        code(juris::E0705),
        help(
            "the file is incomplete; write it again (e.g. `terraform show -json plan.out > plan.json`) and make sure the command finished"
        )
    )]
    Truncated {
        /// The JSON path of the value (`resource_changes[3].change`).
        path: String,
        #[source_code]
        /// An excerpt of the input around the error.
        src: Arc<Excerpt>,
        #[label("input ends here")]
        /// Where the error is, within the excerpt.
        span: SourceSpan,
    },

    /// The JSON is malformed (a syntax error after the start).
    #[error("`{}` is not valid JSON{}: {message}", .src.name, at_path(.path))]
    #[diagnostic(
        code(juris::E0706),
        help("fix the JSON syntax at the marked spot, or regenerate the file")
    )]
    Syntax {
        /// What is wrong with the value.
        message: String,
        /// The JSON path of the value (`resource_changes[3].change`).
        path: String,
        #[source_code]
        /// An excerpt of the input around the error.
        src: Arc<Excerpt>,
        #[label("{message}")]
        /// Where the error is, within the excerpt.
        span: SourceSpan,
    },

    /// A field of a recognised document has the wrong type or shape.
    #[error("`{}` has an unexpected value{}: {message}", .src.name, at_path(.path))]
    #[diagnostic(
        code(juris::E0707),
        help("this field does not match the {expected} format; was the file edited by hand?")
    )]
    Shape {
        /// What is wrong with the value.
        message: String,
        /// The JSON path of the value (`resource_changes[3].change`).
        path: String,
        /// The format the document was read as.
        expected: &'static str,
        #[source_code]
        /// An excerpt of the input around the error.
        src: Arc<Excerpt>,
        #[label("{message}")]
        /// Where the error is, within the excerpt.
        span: SourceSpan,
    },

    /// Well-formed JSON that is neither a Terraform plan, a Terraform state nor an inventory.
    #[error("`{}` is JSON but not a Terraform plan, Terraform state or juris inventory: it looks like {looks_like}", .src.name)]
    #[diagnostic(code(juris::E0708), help("{hint}"))]
    UnknownDocument {
        /// What the document looks like instead.
        looks_like: String,
        /// How to produce the document juris expects.
        hint: String,
        #[source_code]
        /// An excerpt of the input around the error.
        src: Arc<Excerpt>,
        #[label("this document")]
        /// Where the error is, within the excerpt.
        span: SourceSpan,
    },

    /// The Terraform JSON `format_version` is one this build does not understand.
    #[error("`{}` has {what} format_version `{version}`, which juris does not support", .src.name)]
    #[diagnostic(
        code(juris::E0709),
        help(
            "juris reads Terraform JSON format versions 0.1 through 1.x; a new major version may change the meaning of fields, so upgrade juris"
        )
    )]
    UnsupportedFormat {
        /// Which document the version belongs to (a plan or a state).
        what: &'static str,
        /// The `format_version` the document states.
        version: String,
        #[source_code]
        /// An excerpt of the input around the error.
        src: Arc<Excerpt>,
        #[label("format_version")]
        /// Where the error is, within the excerpt.
        span: SourceSpan,
    },

    /// The inventory document `version` is one this build does not understand.
    #[error("`{}` is a juris inventory of version `{version}`; this build reads version {supported}", .src.name)]
    #[diagnostic(
        code(juris::E0710),
        help(
            "write the inventory in version {supported} (see docs/inventory.md), or upgrade juris"
        )
    )]
    UnsupportedInventory {
        /// The `version` the inventory states.
        version: String,
        /// The inventory version this build reads.
        supported: u32,
        #[source_code]
        /// An excerpt of the input around the error.
        src: Arc<Excerpt>,
        #[label("version")]
        /// Where the error is, within the excerpt.
        span: SourceSpan,
    },

    /// A resource entry lacks a field every Terraform plan or state writes.
    #[error("`{}` has a resource entry juris cannot read: {path}: missing", .src.name)]
    #[diagnostic(
        code(juris::E0711),
        help(
            "Terraform writes `{field}` for every resource, so the file was cut, edited or written by another tool; regenerate it with `terraform show -json`"
        )
    )]
    MissingField {
        /// The missing field.
        field: &'static str,
        /// The JSON path of the value (`resource_changes[3].change`).
        path: String,
        #[source_code]
        /// An excerpt of the input around the error.
        src: Arc<Excerpt>,
        #[label("this entry has no `{field}`")]
        /// Where the error is, within the excerpt.
        span: SourceSpan,
    },

    /// A resource entry holds something Terraform never writes: a value of the wrong
    /// shape, a repeated key, fields that contradict each other, or a resource that
    /// another entry already claims.
    #[error("`{}` has a resource entry juris cannot read: {path}: {message}", .src.name)]
    #[diagnostic(
        code(juris::E0712),
        help(
            "Terraform never writes this, so the file was edited or written by another tool; regenerate it with `terraform show -json`"
        )
    )]
    BadEntry {
        /// What is wrong with the value.
        message: String,
        /// The JSON path of the value (`resource_changes[3].change`).
        path: String,
        #[source_code]
        /// An excerpt of the input around the error.
        src: Arc<Excerpt>,
        #[label("{message}")]
        /// Where the error is, within the excerpt.
        span: SourceSpan,
    },

    /// A resource address does not follow Terraform's address syntax.
    #[error("`{}` has a malformed resource address at {path}: {reason}", .src.name)]
    #[diagnostic(
        code(juris::E0713),
        help(
            "addresses look like `module.m[0].aws_s3_bucket.b[\"logs\"]`: `module.<name>[key].` steps, an optional `data.`, then `<type>.<name>[key]`"
        )
    )]
    BadAddress {
        /// The JSON path of the value (`resource_changes[3].change`).
        path: String,
        /// What is wrong with the address.
        reason: String,
        #[source_code]
        /// An excerpt of the input around the error.
        src: Arc<Excerpt>,
        #[label("{reason}")]
        /// Where the error is, within the excerpt.
        span: SourceSpan,
    },

    /// A provider is named by something that is not a registry address.
    #[error("`{}` names provider `{provider}` at {path}, which is not a registry address", .src.name)]
    #[diagnostic(
        code(juris::E0714),
        help(
            "provider sources look like `registry.terraform.io/hashicorp/aws` or `hashicorp/aws` (Terraform 0.12 plans may write just `aws`)"
        )
    )]
    BadProviderSource {
        /// The provider name as written.
        provider: String,
        /// The JSON path of the value (`resource_changes[3].change`).
        path: String,
        #[source_code]
        /// An excerpt of the input around the error.
        src: Arc<Excerpt>,
        #[label("not `[host/]namespace/type`")]
        /// Where the error is, within the excerpt.
        span: SourceSpan,
    },

    /// The JSON nests deeper than the configured limit.
    #[error("`{}` nests deeper than {limit} levels{}", .src.name, at_path(.path))]
    #[diagnostic(
        code(juris::E0715),
        help(
            "no Terraform plan or state nests this deep; the file is probably damaged or hostile (the limit, `input_depth`, is at most 128: docs/limits.md)"
        )
    )]
    TooDeep {
        /// The deepest nesting accepted.
        limit: usize,
        /// The JSON path of the value (`resource_changes[3].change`).
        path: String,
        #[source_code]
        /// An excerpt of the input around the error.
        src: Arc<Excerpt>,
        #[label("level {} starts here", .limit + 1)]
        /// Where the error is, within the excerpt.
        span: SourceSpan,
    },
}

fn at_path(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!(" at {path}")
    }
}

/// The part of an input around an error, with its position in the whole file, so a
/// diagnostic can show the right line and column without keeping the whole input.
#[derive(Debug)]
pub struct Excerpt {
    /// The input's name as given (path or `-`).
    pub name: String,
    text: String,
    /// Byte offset, 0-based line and 0-based column (in characters) of `text[0]`.
    offset: usize,
    line: usize,
    column: usize,
}

/// How many bytes of context an excerpt keeps on each side of the error.
const CONTEXT_BYTES: usize = 160;
/// A label never covers more than this many bytes (a whole 300 MB array is not useful).
const MAX_LABEL: usize = 120;

impl Excerpt {
    fn around(name: &str, text: &str, at: &Range<usize>) -> Excerpt {
        let bytes = text.as_bytes();
        let at_start = at.start.min(text.len());
        let at_end = at.end.clamp(at_start, text.len());
        // Two lines of context or CONTEXT_BYTES, whichever is shorter.
        let mut start = at_start.saturating_sub(CONTEXT_BYTES);
        let mut newlines = 0;
        for i in (start..at_start).rev() {
            if bytes[i] == b'\n' {
                newlines += 1;
                if newlines == 3 {
                    start = i + 1;
                    break;
                }
            }
        }
        let mut end = (at_end + CONTEXT_BYTES).min(text.len());
        newlines = 0;
        for (i, &b) in bytes.iter().enumerate().take(end).skip(at_end) {
            if b == b'\n' {
                newlines += 1;
                if newlines == 3 {
                    end = i;
                    break;
                }
            }
        }
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let before = &bytes[..start];
        let line = memchr::memchr_iter(b'\n', before).count();
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |p| p + 1);
        let column = text[line_start..start].chars().count();
        Excerpt {
            name: name.to_owned(),
            text: text[start..end].to_owned(),
            offset: start,
            line,
            column,
        }
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let rel = span
            .offset()
            .checked_sub(self.offset)
            .ok_or(MietteError::OutOfBounds)?;
        let inner = self.text.as_str().read_span(
            &SourceSpan::new(rel.into(), span.len()),
            before,
            after,
        )?;
        let column = if inner.line() == 0 {
            inner.column() + self.column
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + self.offset).into(),
                inner.span().len(),
            ),
            inner.line() + self.line,
            column,
            inner.line_count(),
        )))
    }
}

/// An input being read: its name and text, for building errors that point into it.
#[derive(Clone, Copy)]
pub(crate) struct Input<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl Input<'_> {
    /// The excerpt and the (capped) label span for a byte range of the input.
    pub fn at(&self, range: Range<usize>) -> (Arc<Excerpt>, SourceSpan) {
        let mut start = range.start.min(self.text.len());
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = range
            .end
            .clamp(start, self.text.len())
            .min(start + MAX_LABEL);
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let r = start..end;
        let excerpt = Excerpt::around(self.name, self.text, &r);
        (
            Arc::new(excerpt),
            SourceSpan::new(start.into(), end - start),
        )
    }

    /// The byte range of the value at `path`, or the start of the document if absent.
    pub fn range_of(&self, path: &[Seg]) -> Range<usize> {
        scan::locate(self.text.as_bytes(), path).unwrap_or(0..1)
    }

    /// An error for a value at a JSON path, located by scanning for it.
    pub fn at_path(&self, path: &[Seg]) -> (Arc<Excerpt>, SourceSpan, String) {
        let (src, span) = self.at(self.range_of(path));
        (src, span, scan::fmt_path(path))
    }

    /// Like [`Input::at_path`] for a value that may be absent: the excerpt shows the
    /// nearest enclosing value there is, the path stays the one asked for.
    pub fn at_nearest(&self, path: &[Seg]) -> (Arc<Excerpt>, SourceSpan, String) {
        let bytes = self.text.as_bytes();
        let (src, span) = match scan::locate(bytes, path) {
            Some(range) => self.at(range),
            None => {
                let start = (0..path.len())
                    .rev()
                    .find_map(|n| scan::locate(bytes, &path[..n]))
                    .map_or(0, |r| r.start);
                self.at(start..start + 1)
            }
        };
        (src, span, scan::fmt_path(path))
    }

    /// Turns a serde_json error into the diagnostic for its category.
    pub fn json_error(&self, e: &serde_json::Error, expected: &'static str) -> AdapterError {
        let offset = scan::offset_of(self.text.as_bytes(), e.line(), e.column());
        self.json_error_at(offset, e, expected)
    }

    /// Like [`Input::json_error`] for an error from parsing `sub`, a slice of this input.
    pub fn json_error_in(
        &self,
        sub: &str,
        e: &serde_json::Error,
        expected: &'static str,
    ) -> AdapterError {
        let base = (sub.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        let offset = base + scan::offset_of(sub.as_bytes(), e.line(), e.column());
        self.json_error_at(offset, e, expected)
    }

    fn json_error_at(
        &self,
        offset: usize,
        e: &serde_json::Error,
        expected: &'static str,
    ) -> AdapterError {
        let bytes = self.text.as_bytes();
        // serde_json reports a value of the wrong type where it stopped reading, which
        // after a number is the whitespace behind it: the path is the value's.
        let at = match e.classify() {
            serde_json::error::Category::Data => {
                let end = offset.min(bytes.len());
                bytes[..end]
                    .iter()
                    .rposition(|b| !b.is_ascii_whitespace())
                    .filter(|_| bytes.get(end).is_some_and(u8::is_ascii_whitespace))
                    .unwrap_or(offset)
            }
            _ => offset,
        };
        let path = scan::fmt_path(&scan::path_at(bytes, at));
        let message = strip_position(&e.to_string());
        match e.classify() {
            serde_json::error::Category::Eof => {
                let (src, span) = self.at(offset..offset);
                AdapterError::Truncated { path, src, span }
            }
            serde_json::error::Category::Data => {
                let (src, span) = self.at(offset.saturating_sub(1)..offset);
                AdapterError::Shape {
                    message,
                    path,
                    expected,
                    src,
                    span,
                }
            }
            _ if message.starts_with("recursion limit exceeded") => {
                let (src, span) = self.at(offset.saturating_sub(1)..offset);
                AdapterError::TooDeep {
                    limit: 128,
                    path: scan::fmt_path_short(&scan::path_at(bytes, offset)),
                    src,
                    span,
                }
            }
            _ => {
                let (src, span) = self.at(offset.saturating_sub(1)..offset);
                AdapterError::Syntax {
                    message,
                    path,
                    src,
                    span,
                }
            }
        }
    }
}

/// serde_json appends " at line L column C"; the diagnostic shows that itself.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(p) => message[..p].to_owned(),
        None => message.to_owned(),
    }
}
