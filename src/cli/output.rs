//! Writing results: to stdout, or atomically to a file, so a failed run never
//! leaves a half-written report behind.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A report that could not be written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot write {path}: {reason}")]
#[diagnostic(
    code(juris::E0020),
    help("check that the folder exists and is writable")
)]
pub struct OutputError {
    pub path: String,
    pub reason: String,
}

/// Write `text` to `path` (via a temporary file renamed into place), or to stdout.
pub fn write(path: Option<&Path>, text: &str) -> Result<(), OutputError> {
    match path {
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`juris check | head`) is not an error worth reporting.
            let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
            Ok(())
        }
        Some(p) => write_atomic(p, text.as_bytes()),
    }
}

/// Stream a value as pretty JSON (the bytes `serde_json::to_string_pretty` gives, and a
/// newline) to `path` (atomically) or standard output, never holding the text in memory.
pub fn write_json(path: Option<&Path>, value: &impl serde::Serialize) -> Result<(), OutputError> {
    let pretty = |w: &mut dyn Write| {
        serde_json::to_writer_pretty(&mut *w, value)
            .map_err(std::io::Error::other)
            .and_then(|_| w.write_all(b"\n"))
    };
    match path {
        Some(p) => write_atomic_with(p, pretty),
        None => write_json_stdout(value),
    }
}

/// [`write_json`] to standard output.
pub fn write_json_stdout(value: &impl serde::Serialize) -> Result<(), OutputError> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    let written = serde_json::to_writer_pretty(&mut out, value)
        .map_err(std::io::Error::other)
        .and_then(|_| out.write_all(b"\n"))
        .and_then(|_| out.flush());
    match written {
        // A closed pipe (`juris check | head`) is not an error worth reporting.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(OutputError {
            path: "standard output".into(),
            reason: e.to_string(),
        }),
        _ => Ok(()),
    }
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Write what `fill` writes to a temporary file beside `path`, then rename it into
/// place: readers see the old file or the whole new one, never a part.
fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    let err = |e: std::io::Error| OutputError {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.juris-tmp-{}", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|f| {
            let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
            fill(&mut w)?;
            w.into_inner().map_err(|e| e.into_error())?.sync_all()
        })
        .and_then(|_| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}
