//! `juris lsp` driven over standard input and output with the messages an editor
//! sends: the handshake, a document opened with an error, hover, definition,
//! references, completion, formatting, document symbols, an edit, malformed input,
//! and shutdown. The answers are snapshots (paths of the temporary workspace read
//! `WORKSPACE` and `CACHE`).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

const ACME: &str = r#"package acme

import juris.groups
import juris.classification as cls

/// Where ACME keeps customer data.
const home = {"DE", "FR"}

/// Whether the resource is a bucket.
fn is_bucket(r: resource) -> bool {
  starts_with(r.type, "aws_s3")
}

rule customer_data_in_eu {
  id: "ACME-001"
  title: "Customer data stays in the EEA"
  severity: high
  enforce: hard
  for r in resources
  where cls.holds_protected_data(r) and is_bucket(r)
  require r.location.countries subset groups.eea
  message "{r.adress} keeps data in {r.location}"
}
"#;

const OTHER: &str = r#"package acme.other

import acme

rule uses_home {
  id: "ACME-002"
  severity: low
  enforce: advisory
  for r in resources
  require r.location.countries subset acme.home and acme.is_bucket(r)
}

exception legacy {
  rule: "ACME-001"
  resources: "module.legacy.*"
  reason: "migrating"
  approved_by: "Jo <jo@example.com>"
  expires: 2027-01-01
}
"#;

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    root: String,
    cache: String,
    /// Notifications received while waiting for answers.
    notes: Vec<Value>,
}

impl Client {
    fn start(dir: &std::path::Path) -> Client {
        let cache = dir.join("cache");
        let mut child = Command::new(env!("CARGO_BIN_EXE_juris"))
            .arg("lsp")
            .current_dir(dir)
            .env("XDG_CACHE_HOME", &cache)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("juris lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(m) = read_message(&mut r) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            messages: rx,
            next_id: 0,
            root: format!("file://{}", dir.join("ws").display()),
            cache: format!("file://{}", cache.display()),
            notes: Vec::new(),
        }
    }

    fn write_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("writes");
        self.stdin.flush().expect("flushes");
    }

    fn send(&mut self, v: Value) {
        let body = v.to_string();
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.write_raw(framed.as_bytes());
    }

    fn next(&mut self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers within a minute")
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.answer_to(json!(id))
    }

    fn answer_to(&mut self, id: Value) -> Value {
        loop {
            let m = self.next();
            if m.get("method").is_none() && m.get("id") == Some(&id) {
                return m;
            }
            self.notes.push(m);
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Diagnostics published for `file` until now (the last publication wins),
    /// waiting for one when none has come.
    fn diagnostics(&mut self, file: &str) -> Value {
        let uri = self.uri(file);
        let is_for = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        // A request answered after the notification flushes everything before it.
        self.request("workspace/symbol", json!({"query": "no such symbol"}));
        let found = self.notes.iter().rev().find(|m| is_for(m)).cloned();
        self.notes.retain(|m| !is_for(m));
        found
            .map(|m| m["params"]["diagnostics"].clone())
            .unwrap_or(Value::Null)
    }

    fn uri(&self, file: &str) -> String {
        format!("{}/{file}", self.root)
    }

    /// Text for a snapshot: pretty JSON with the temporary folders named.
    fn show(&self, v: &Value) -> String {
        let shipped = format!("{}/juris/{}", self.cache, env!("CARGO_PKG_VERSION"));
        serde_json::to_string_pretty(v)
            .expect("JSON")
            .replace(&shipped, "SHIPPED")
            .replace(&self.cache, "CACHE")
            .replace(&self.root, "WORKSPACE")
    }

    fn at(&self, file: &str, line: u32, character: u32) -> Value {
        json!({"textDocument": {"uri": self.uri(file)}, "position": {"line": line, "character": character}})
    }
}

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            length = v.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The position of the `n`th (0-based) occurrence of `needle` in `text`, plus `shift`
/// characters.
fn find(text: &str, needle: &str, n: usize, shift: u32) -> (u32, u32) {
    let at = text
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("`{needle}` occurs {} times", n + 1))
        .0;
    let line = text[..at].matches('\n').count() as u32;
    let col = (at - text[..at].rfind('\n').map_or(0, |i| i + 1)) as u32;
    (line, col + shift)
}

#[test]
fn an_editor_session() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir = dir.path().canonicalize().expect("canonical");
    let ws = dir.join("ws");
    std::fs::create_dir_all(ws.join("policies")).expect("folders");
    std::fs::write(
        ws.join("policies/acme.juris"),
        ACME.replace("adress", "address"),
    )
    .expect("writes");
    std::fs::write(ws.join("policies/other.juris"), OTHER).expect("writes");
    let mut c = Client::start(&dir);

    let init = c.request(
        "initialize",
        json!({"processId": null, "rootUri": c.root.clone(), "capabilities": {}}),
    );
    let mut init = init;
    init["result"]["serverInfo"]["version"] = json!("VERSION");
    insta::assert_snapshot!("initialize", c.show(&init));
    c.notify("initialized", json!({}));

    // The editor opens acme.juris with an unsaved typo: `r.adress`.
    let acme = "policies/acme.juris";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": c.uri(acme), "languageId": "juris", "version": 1, "text": ACME}}),
    );
    let diags = c.diagnostics(acme);
    insta::assert_snapshot!("diagnostics_on_open", c.show(&diags));

    let mut hovers = Vec::new();
    for (what, needle, n, shift) in [
        ("rule name", "customer_data_in_eu", 0, 3),
        ("rule id in an exception", "ACME-001", 0, 2),
        ("imported function", "holds_protected_data", 0, 4),
        ("own function", "is_bucket(r)", 0, 2),
        ("built-in function", "starts_with", 0, 1),
        ("own constant", "home", 0, 1),
        ("catalog group", "groups.eea", 0, 8),
        ("model field", "location.countries", 0, 2),
        ("nested model field", "countries subset", 0, 2),
        ("resource variable", "r.location.countries", 0, 0),
        ("import", "juris.groups", 0, 8),
        ("parameter type", "r: resource", 0, 5),
    ] {
        let (file, text) = if what == "rule id in an exception" {
            ("policies/other.juris", OTHER)
        } else {
            (acme, ACME)
        };
        let (line, col) = find(text, needle, n, shift);
        let h = c.request("textDocument/hover", c.at(file, line, col));
        hovers.push(format!(
            "## {what} ({line}:{col})\n{}",
            c.show(&h["result"])
        ));
    }
    insta::assert_snapshot!("hover", hovers.join("\n\n"));

    let mut defs = Vec::new();
    for (what, file, text, needle, n, shift) in [
        (
            "constant across packages",
            "policies/other.juris",
            OTHER,
            "acme.home",
            0,
            6,
        ),
        (
            "function across packages",
            "policies/other.juris",
            OTHER,
            "acme.is_bucket",
            0,
            6,
        ),
        (
            "imported function",
            acme,
            ACME,
            "holds_protected_data",
            0,
            1,
        ),
        ("import path", acme, ACME, "juris.classification", 0, 2),
        ("rule id", "policies/other.juris", OTHER, "ACME-001", 0, 1),
        ("local variable", acme, ACME, "r.location", 0, 0),
    ] {
        let (line, col) = find(text, needle, n, shift);
        let d = c.request("textDocument/definition", c.at(file, line, col));
        defs.push(format!("## {what}\n{}", c.show(&d["result"])));
    }
    insta::assert_snapshot!("definition", defs.join("\n\n"));

    let mut refs = Vec::new();
    for (what, needle, n, shift) in [
        ("constant", "const home", 0, 7),
        ("function", "fn is_bucket", 0, 4),
        ("rule (its id)", "rule customer", 0, 6),
    ] {
        let (line, col) = find(ACME, needle, n, shift);
        let mut p = c.at(acme, line, col);
        p["context"] = json!({"includeDeclaration": true});
        let r = c.request("textDocument/references", p);
        refs.push(format!("## {what}\n{}", c.show(&r["result"])));
    }
    insta::assert_snapshot!("references", refs.join("\n\n"));

    // Completion where the user is typing: `r.` then `r.location.` in a new clause.
    let mut completions = Vec::new();
    let (line, _) = find(ACME, "  require", 0, 0);
    for typed in ["r.", "r.location.", "cls.", "is_"] {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": c.uri(acme), "version": 2},
                   "contentChanges": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
                                       "text": format!("  where {typed}\n")}]}),
        );
        let col = 8 + typed.len() as u32;
        let r = c.request("textDocument/completion", c.at(acme, line, col));
        let labels: Vec<String> = r["result"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|i| {
                format!(
                    "{} ({})",
                    i["label"].as_str().unwrap_or(""),
                    i["detail"].as_str().unwrap_or("")
                )
            })
            .take(30)
            .collect();
        completions.push(format!("## after `{typed}`\n{}", labels.join("\n")));
        // Take the line out again.
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": c.uri(acme), "version": 3},
                   "contentChanges": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 0}}, "text": ""}]}),
        );
    }
    insta::assert_snapshot!("completion", completions.join("\n\n"));

    // Formatting a badly laid out document gives `juris fmt`'s layout.
    let messy = ACME.replace(
        "  severity: high\n  enforce: hard\n",
        "severity:high enforce:    hard\n",
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": c.uri(acme), "version": 4}, "contentChanges": [{"text": messy}]}),
    );
    let f = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": c.uri(acme)}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(
        f["result"][0]["newText"],
        juris::fmt::format("x", &messy).expect("formats")
    );
    insta::assert_snapshot!("formatting", c.show(&f["result"]));

    let s = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": c.uri(acme)}}),
    );
    insta::assert_snapshot!("document_symbols", c.show(&s["result"]));

    // Mid-edit, the file does not parse: hover still answers from its last good
    // version, at the right place in the text being edited.
    let typing = ACME.replacen(
        "  for r in resources\n",
        "  for r in resources\n  where (\n",
        1,
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": c.uri(acme), "version": 5}, "contentChanges": [{"text": typing}]}),
    );
    let (line, col) = find(&typing, "is_bucket(r)", 0, 2);
    let h = c.request("textDocument/hover", c.at(acme, line, col));
    insta::assert_snapshot!("hover_while_broken", c.show(&h["result"]));

    // Fixing the typo clears the diagnostic.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": c.uri(acme), "version": 5}, "contentChanges": [{"text": ACME.replace("adress", "address")}]}),
    );
    let fixed = c.diagnostics(acme);
    assert_eq!(fixed, json!([]), "the fix clears the error");
    // A file that does not parse: one syntax error, and no crash.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": c.uri(acme), "version": 6}, "contentChanges": [{"text": "package acme\nrule {"}]}),
    );
    let broken = c.diagnostics(acme);
    insta::assert_snapshot!("diagnostics_syntax_error", c.show(&broken));

    // Malformed input: not JSON, not a message, unknown methods, bad parameters.
    let mut errors = Vec::new();
    c.write_raw(b"Content-Length: 9\r\n\r\n{not json");
    let a = c.answer_to(Value::Null);
    errors.push(c.show(&a));
    c.send(json!({"jsonrpc": "2.0", "id": 99, "result": 1, "error": {"code": 1, "message": "x"}, "extra": []}));
    c.send(json!({"jsonrpc": "2.0", "id": "x", "params": []}));
    let a = c.answer_to(json!("x"));
    errors.push(c.show(&a));
    let a = c.request("textDocument/unknownThing", json!({}));
    errors.push(c.show(&a));
    let a = c.request("textDocument/hover", json!({"nonsense": true}));
    errors.push(c.show(&a));
    c.notify("unknown/notification", json!({"x": 1}));
    let h = c.request("textDocument/hover", c.at(acme, 0, 3));
    errors.push(c.show(&h));
    insta::assert_snapshot!("malformed_input", errors.join("\n\n"));

    let s = c.request("shutdown", Value::Null);
    assert_eq!(s["result"], Value::Null);
    c.notify("exit", Value::Null);
    let status = c.child.wait().expect("exits");
    assert!(status.success(), "exit after shutdown is success: {status}");
}
