//! JSON-RPC over a byte stream (`Content-Length` framing), on two threads.
//!
//! lsp-server's own stdio transport ends the session at the first malformed
//! message; an editor plugin with a bug must not take the server down, so this one
//! answers what it cannot read with the JSON-RPC error for it (`-32700` parse
//! error, `-32600` invalid request) and reads on.

use std::io::{self, BufRead, Read, Write};
use std::thread;

use crossbeam_channel::{Receiver, Sender, bounded, unbounded};
use lsp_server::{Connection, ErrorCode, Message};

/// Largest message body read; a larger one is skipped and refused. Policy files are
/// at most 8 MiB, so a document sent whole fits many times over.
pub const MAX_MESSAGE_BYTES: usize = 64 << 20;

/// The threads that move messages; join after the connection is dropped.
pub struct IoThreads {
    reader: thread::JoinHandle<()>,
    writer: thread::JoinHandle<io::Result<()>>,
}

impl IoThreads {
    pub fn join(self) -> io::Result<()> {
        // The reader may still be blocked on input that never ends; it is not waited
        // for (it exits with the process).
        drop(self.reader);
        self.writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the writer thread panicked")))
    }
}

/// A connection over `input` and `output`.
pub fn connect(
    input: impl BufRead + Send + 'static,
    output: impl Write + Send + 'static,
) -> (Connection, IoThreads) {
    let (to_writer, from_server) = bounded::<Message>(0);
    let (raw_out, raw_in) = unbounded::<String>();
    let (to_server, from_reader) = bounded::<Message>(0);
    let writer = thread::Builder::new()
        .name("juris-lsp-writer".into())
        .spawn(move || write_loop(output, from_server, raw_in))
        .expect("a thread for the writer");
    let reader = thread::Builder::new()
        .name("juris-lsp-reader".into())
        .spawn(move || read_loop(input, to_server, raw_out))
        .expect("a thread for the reader");
    let connection = Connection {
        sender: to_writer,
        receiver: from_reader,
    };
    (connection, IoThreads { reader, writer })
}

fn write_loop(
    mut output: impl Write,
    messages: Receiver<Message>,
    raw: Receiver<String>,
) -> io::Result<()> {
    let mut raw_open = true;
    loop {
        let text = if raw_open {
            crossbeam_channel::select! {
                recv(messages) -> m => match m {
                    Ok(m) => serde_json::to_string(&m)?,
                    Err(_) => break,
                },
                recv(raw) -> r => match r {
                    Ok(r) => r,
                    Err(_) => { raw_open = false; continue; }
                },
            }
        } else {
            match messages.recv() {
                Ok(m) => serde_json::to_string(&m)?,
                Err(_) => break,
            }
        };
        write!(output, "Content-Length: {}\r\n\r\n{text}", text.len())?;
        output.flush()?;
    }
    Ok(())
}

fn read_loop(mut input: impl BufRead, to_server: Sender<Message>, raw: Sender<String>) {
    loop {
        let body = match read_frame(&mut input) {
            Ok(Some(Frame::Body(b))) => b,
            Ok(Some(Frame::Refused(why))) => {
                let _ = raw.send(error_reply(None, ErrorCode::InvalidRequest, &why));
                continue;
            }
            Ok(Some(Frame::BadHeader(line))) => {
                eprintln!("juris lsp: skipping a malformed header line: {line:?}");
                continue;
            }
            Ok(None) | Err(_) => break,
        };
        let value: serde_json::Value = match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                let why = format!("the message is not JSON: {e}");
                let _ = raw.send(error_reply(None, ErrorCode::ParseError, &why));
                continue;
            }
        };
        let id = value.get("id").cloned();
        match serde_json::from_value::<Message>(value) {
            Ok(msg) => {
                let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                if to_server.send(msg).is_err() || exit {
                    break;
                }
            }
            Err(e) => {
                let why = format!("not a JSON-RPC request, response or notification: {e}");
                let _ = raw.send(error_reply(id, ErrorCode::InvalidRequest, &why));
            }
        }
    }
}

enum Frame {
    Body(Vec<u8>),
    /// A header line that is not `Name: value`: skipped, reading goes on.
    BadHeader(String),
    /// A message that was read past but not taken (too large).
    Refused(String),
}

/// Read one framed message; `None` at the end of the input.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Frame>> {
    let mut length: Option<usize> = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            if length.is_some() {
                break;
            }
            // Blank lines between messages carry nothing.
            continue;
        }
        let Some((name, value)) = l.split_once(':') else {
            return Ok(Some(Frame::BadHeader(l.to_owned())));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            match value.trim().parse::<usize>() {
                Ok(n) => length = Some(n),
                Err(_) => return Ok(Some(Frame::BadHeader(l.to_owned()))),
            }
        }
    }
    let n = length.unwrap_or(0);
    if n > MAX_MESSAGE_BYTES {
        io::copy(&mut input.by_ref().take(n as u64), &mut io::sink())?;
        return Ok(Some(Frame::Refused(format!(
            "a message of {n} bytes is over the {MAX_MESSAGE_BYTES}-byte limit"
        ))));
    }
    let mut body = vec![0; n];
    input.read_exact(&mut body)?;
    Ok(Some(Frame::Body(body)))
}

/// A JSON-RPC error response; `id` is null when the request's could not be read.
fn error_reply(id: Option<serde_json::Value>, code: ErrorCode, message: &str) -> String {
    let id = match id {
        Some(v @ (serde_json::Value::Number(_) | serde_json::Value::String(_))) => v,
        _ => serde_json::Value::Null,
    };
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": code as i32, "message": message},
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<String> {
        let mut r = io::BufReader::new(input.as_bytes());
        let mut out = Vec::new();
        while let Some(f) = read_frame(&mut r).unwrap() {
            out.push(match f {
                Frame::Body(b) => String::from_utf8(b).unwrap(),
                Frame::BadHeader(l) => format!("bad header {l}"),
                Frame::Refused(w) => format!("refused {w}"),
            });
        }
        out
    }

    #[test]
    fn reads_frames_and_survives_bad_headers() {
        let input =
            "Content-Length: 2\r\n\r\n{}garbage\r\nContent-Length: 3\r\nContent-Type: x\r\n\r\n[1]";
        assert_eq!(frames(input), vec!["{}", "bad header garbage", "[1]"]);
        let big = format!("Content-Length: {}\r\n\r\n", MAX_MESSAGE_BYTES + 1);
        assert!(
            frames(&big)[0].starts_with("refused"),
            "an oversized body is refused"
        );
    }

    #[test]
    fn error_replies_use_null_for_unreadable_ids() {
        let r = error_reply(
            Some(serde_json::json!({"x": 1})),
            ErrorCode::InvalidRequest,
            "no",
        );
        assert!(r.contains(r#""id":null"#), "{r}");
        let r = error_reply(Some(serde_json::json!(7)), ErrorCode::ParseError, "no");
        assert!(r.contains(r#""id":7"#) && r.contains("-32700"), "{r}");
    }
}
