//! Reading an input's bytes. Every input — a regular file, a device, a named pipe,
//! standard input — goes through one bounded reader: nothing is read past the size
//! limit, a stream that cannot be JSON is cut off at once, and a named pipe nobody
//! writes to is refused instead of waited on.
//!
//! Inputs are read into memory, never mapped: a mapped file that another process
//! truncates or rewrites during the check would fault (SIGBUS) or change under the
//! parser, and no safe Rust can guard against either (`docs/limits.md`).

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Why an input's bytes could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The operating system refused (missing file, no permission, ...).
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A directory was given where a file was expected.
    #[error("it is a folder, not a file")]
    Folder,
    /// A file whose size is known to be over the limit, refused before reading.
    #[error("the file is {size} bytes, over the {limit}-byte input limit")]
    TooLarge {
        /// The file's size in bytes.
        size: u64,
        /// The input size limit in bytes.
        limit: u64,
    },
    /// A stream (standard input, a pipe, a device) that went on past the limit.
    #[error("it is larger than the {limit}-byte input limit")]
    StreamTooLarge {
        /// The input size limit in bytes.
        limit: u64,
    },
    /// A named pipe with no process writing to it.
    #[error(
        "it is a named pipe that no program is writing to (none started within 2 seconds); start the program that writes it first, or pipe its output to `juris check -`"
    )]
    NoWriter,
}

/// How much a stream is read at a time.
const CHUNK: usize = 64 << 10;

/// Reads the input at `path`, or standard input for `None`, refusing more than `limit`
/// bytes.
pub fn read_source(path: Option<&Path>, limit: u64) -> Result<Vec<u8>, ReadError> {
    let Some(path) = path else {
        return read_stream(std::io::stdin().lock(), limit);
    };
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(ReadError::Folder);
    }
    if meta.is_file() {
        if meta.len() > limit {
            return Err(ReadError::TooLarge {
                size: meta.len(),
                limit,
            });
        }
        let bytes = read_file(File::open(path)?, meta.len(), limit)?;
        if bytes.len() as u64 > limit {
            return Err(ReadError::StreamTooLarge { limit });
        }
        return Ok(bytes);
    }
    // A device, a named pipe or a socket: its size says nothing, so it is a stream.
    let file = open_stream(path)?;
    if is_fifo(&meta) && !writer_within(&file, FIFO_WAIT_MS) {
        return Err(ReadError::NoWriter);
    }
    let bytes = read_stream(file, limit)?;
    if bytes.is_empty() && is_fifo(&meta) {
        return Err(ReadError::NoWriter);
    }
    Ok(bytes)
}

/// Regular files at least this large are read by two threads at once, each into its
/// half of the buffer: the kernel's copy and its zeroing of fresh pages (a sixth of a
/// check at 100,000 resources) then run on both cores.
const SPLIT_READ: u64 = 16 << 20;

/// Reads a regular file of `size` bytes (as its metadata said), and whatever it grew
/// by since, up to one byte past `limit` so the caller can refuse it.
fn read_file(file: File, size: u64, limit: u64) -> Result<Vec<u8>, ReadError> {
    #[cfg(unix)]
    if size >= SPLIT_READ
        && let Some(mut bytes) = read_halves(&file, size as usize)?
    {
        use std::io::{Seek, SeekFrom};
        let mut rest = &file;
        rest.seek(SeekFrom::Start(size))?;
        rest.take((limit + 1).saturating_sub(size))
            .read_to_end(&mut bytes)?;
        return Ok(bytes);
    }
    // `take` holds the limit even if the file grows while it is read.
    let mut bytes = Vec::with_capacity(size as usize);
    (&file).take(limit + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The first `size` bytes of `file`, the second half read on a second thread (or after
/// the first, where none can be started). `None` when the file shrank while it was
/// read: the caller then reads it again from the start, in one piece.
#[cfg(unix)]
fn read_halves(file: &File, size: usize) -> Result<Option<Vec<u8>>, ReadError> {
    use std::os::unix::fs::FileExt;
    let mut bytes = vec![0u8; size];
    let (front, back) = bytes.split_at_mut(size / 2);
    let middle = front.len() as u64;
    let (first, second) = std::thread::scope(|s| {
        let thread = std::thread::Builder::new().name("juris-read".into());
        let second = crate::diag::beside(s, thread, || file.read_exact_at(back, middle));
        (file.read_exact_at(front, 0), second())
    });
    let shrank = |e: &std::io::Error| e.kind() == std::io::ErrorKind::UnexpectedEof;
    match (first, second) {
        (Ok(()), Ok(())) => Ok(Some(bytes)),
        (Err(e), _) | (_, Err(e)) if shrank(&e) => Ok(None),
        (Err(e), _) | (_, Err(e)) => Err(e.into()),
    }
}

/// How long a named pipe may take to get a writer (`mkfifo p; cmd > p & juris check
/// p` may start juris first).
const FIFO_WAIT_MS: i32 = 2000;

/// Whether a named pipe has data or a writer that came and went within `ms`.
#[cfg(unix)]
// The crate denies unsafe code; std cannot poll a descriptor, so this libc call is allowed.
#[allow(unsafe_code)]
fn writer_within(file: &File, ms: i32) -> bool {
    use std::os::unix::io::AsRawFd;
    let mut fds = libc::pollfd {
        fd: file.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    loop {
        // SAFETY: one valid `pollfd` for a descriptor `file` keeps open.
        let n = unsafe { libc::poll(&mut fds, 1, ms) };
        if n >= 0 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return n > 0;
        }
    }
}

#[cfg(not(unix))]
fn writer_within(_: &File, _: i32) -> bool {
    true
}

/// Opens a non-regular file without waiting: opening a named pipe for reading blocks
/// until a writer opens it, which may be never. Reads then wait for data as usual, and
/// a pipe without a writer reads as empty.
// The crate denies unsafe code; std cannot clear O_NONBLOCK, so this fcntl is allowed.
#[allow(unsafe_code)]
fn open_stream(path: &Path) -> std::io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        use std::os::unix::io::AsRawFd;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)?;
        let fd = file.as_raw_fd();
        // SAFETY: `fd` is the open descriptor `file` owns for the whole block;
        // F_GETFL and F_SETFL only read and set its status flags.
        let cleared = unsafe {
            let flags = libc::fcntl(fd, libc::F_GETFL);
            flags >= 0 && libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) >= 0
        };
        if !cleared {
            return Err(std::io::Error::last_os_error());
        }
        Ok(file)
    }
    #[cfg(not(unix))]
    File::open(path)
}

#[cfg(unix)]
fn is_fifo(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::Metadata) -> bool {
    false
}

/// Reads a stream of unknown length up to `limit` bytes. It stops early after a chunk
/// holding a byte no JSON text contains (a control character other than whitespace, or
/// a byte that never occurs in UTF-8): `/dev/zero` or `/dev/urandom` is refused after
/// one chunk, with the parser's diagnostic for what was read.
fn read_stream(mut reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        if (bytes.len() + n) as u64 > limit {
            return Err(ReadError::StreamTooLarge { limit });
        }
        bytes.extend_from_slice(&chunk[..n]);
        if chunk[..n].iter().any(|&b| never_in_json(b)) {
            return Ok(bytes);
        }
    }
}

/// Bytes that cannot appear anywhere in JSON text: control characters other than the
/// whitespace JSON allows (inside a string they must be escaped), and bytes that are
/// never part of UTF-8.
fn never_in_json(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || matches!(b, 0xC0 | 0xC1 | 0xF5..=0xFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_is_cut_at_the_limit() {
        let text = vec![b' '; 3 * CHUNK];
        assert!(matches!(
            read_stream(&text[..], 2 * CHUNK as u64),
            Err(ReadError::StreamTooLarge { .. })
        ));
        assert_eq!(
            read_stream(&text[..], 3 * CHUNK as u64).unwrap().len(),
            3 * CHUNK
        );
    }

    #[test]
    fn a_large_file_read_in_two_halves_is_the_file() {
        let size = SPLIT_READ as usize + 12_345;
        // No two windows alike: a half landing in the wrong place would show.
        let text: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), &text).unwrap();
        let read = read_source(Some(file.path()), size as u64).unwrap();
        assert!(read == text, "the bytes read differ from the file's");
        assert!(matches!(
            read_source(Some(file.path()), size as u64 - 1),
            Err(ReadError::TooLarge { .. })
        ));
    }

    #[test]
    fn an_endless_stream_that_is_not_json_stops_after_a_chunk() {
        let zeros = std::io::repeat(0);
        let bytes = read_stream(zeros, 1 << 30).unwrap();
        assert!(bytes.len() <= CHUNK);
        assert!(matches!(
            read_stream(std::io::repeat(0xFF), 1 << 30),
            Ok(b) if b.len() <= CHUNK
        ));
        // Text and UTF-8 pass.
        let text = "{\"a\": \"é\t\"}\r\n".as_bytes();
        assert_eq!(read_stream(text, 100).unwrap(), text);
    }
}
