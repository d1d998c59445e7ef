//! The session: the initialize handshake, document synchronisation, and one
//! handler per request. A handler that fails (bad parameters, a bug) answers with a
//! JSON-RPC error; the session goes on.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use crossbeam_channel::TryRecvError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::complete::{self, Kind};
use super::query::{self, Place, Symbol};
use super::text::{Encoding, LineIndex, Shift, apply_change, path_to_uri, uri_to_path};
use super::workspace::{Diag, DocId, Severity, Workspace, convert_one};
use crate::syntax::ast::ItemKind;

/// Serve one session on `connection`; returns after `exit` or when the client goes.
pub fn serve(connection: &Connection) -> io::Result<()> {
    // Parsing and checking recurse deeply; on the compiler's stack every nested call
    // runs in place instead of starting a thread of its own.
    crate::diag::with_compiler_stack(|| Server::new(connection).run())
}

type Answer = Result<Value, (i32, String)>;

struct Server<'c> {
    conn: &'c Connection,
    ws: Workspace,
    encoding: Encoding,
    roots: Vec<PathBuf>,
    initialized: bool,
    shutdown: bool,
    /// Documents the editor has open: their text is the editor's, not the disk's.
    open: HashSet<DocId>,
    /// URIs of documents that are not files (`untitled:`).
    uris: HashMap<DocId, lsp::Uri>,
    /// Documents changed since the last check.
    dirty: BTreeSet<DocId>,
    /// What was last published per document, so unchanged diagnostics are not resent.
    published: HashMap<DocId, Vec<lsp::Diagnostic>>,
    pending: VecDeque<Message>,
}

impl<'c> Server<'c> {
    fn new(conn: &'c Connection) -> Server<'c> {
        Server {
            conn,
            ws: Workspace::new(),
            encoding: Encoding::Utf16,
            roots: Vec::new(),
            initialized: false,
            shutdown: false,
            open: HashSet::new(),
            uris: HashMap::new(),
            dirty: BTreeSet::new(),
            published: HashMap::new(),
            pending: VecDeque::new(),
        }
    }

    fn run(&mut self) -> io::Result<()> {
        loop {
            let msg = match self.pending.pop_front() {
                Some(m) => m,
                // Edits arriving together are checked together, once.
                None if !self.dirty.is_empty() => match self.conn.receiver.try_recv() {
                    Ok(m) => m,
                    Err(TryRecvError::Empty) => {
                        self.flush();
                        continue;
                    }
                    Err(TryRecvError::Disconnected) => break,
                },
                None => match self.conn.receiver.recv() {
                    Ok(m) => m,
                    Err(_) => break,
                },
            };
            if !changes_text(&msg) {
                self.flush();
            }
            match msg {
                Message::Request(req) => self.on_request(req),
                Message::Notification(n) if n.method == "exit" => break,
                Message::Notification(n) => self.on_notification(n),
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    fn send(&self, msg: impl Into<Message>) {
        // The client has gone when this fails; the loop ends at the next receive.
        let _ = self.conn.sender.send(msg.into());
    }

    fn on_request(&mut self, req: Request) {
        let id = req.id.clone();
        let answer = if req.method == "initialize" && !self.initialized {
            self.initialize(&req)
        } else if !self.initialized {
            Err((
                ErrorCode::ServerNotInitialized as i32,
                "the first request must be `initialize`".into(),
            ))
        } else if req.method == "shutdown" {
            self.shutdown = true;
            Ok(Value::Null)
        } else if self.shutdown {
            Err((
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            ))
        } else {
            match catch_unwind(AssertUnwindSafe(|| self.handle(&req))) {
                Ok(a) => a,
                Err(_) => Err((
                    ErrorCode::InternalError as i32,
                    format!("juris failed answering `{}`; this is a bug", req.method),
                )),
            }
        };
        self.respond(id, answer);
    }

    fn respond(&self, id: RequestId, answer: Answer) {
        let response = match answer {
            Ok(v) => Response::new_ok(id, v),
            Err((code, message)) => Response::new_err(id, code, message),
        };
        self.send(response);
    }

    fn handle(&mut self, req: &Request) -> Answer {
        match req.method.as_str() {
            "textDocument/hover" => self.hover(params(req)?),
            "textDocument/definition" => self.definition(params(req)?),
            "textDocument/references" => self.references(params(req)?),
            "textDocument/completion" => self.completion(params(req)?),
            "textDocument/formatting" => self.formatting(params(req)?),
            "textDocument/documentSymbol" => self.document_symbols(params(req)?),
            "workspace/symbol" => self.workspace_symbols(params(req)?),
            m => Err((
                ErrorCode::MethodNotFound as i32,
                format!("juris does not implement `{m}`"),
            )),
        }
    }

    fn on_notification(&mut self, n: Notification) {
        if !self.initialized {
            return;
        }
        let result = catch_unwind(AssertUnwindSafe(|| match n.method.as_str() {
            "initialized" => self.load(),
            "textDocument/didOpen" => {
                if let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(n.params) {
                    self.did_open(p.text_document.uri, &p.text_document.text);
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(n.params)
                {
                    self.did_change(p);
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(n.params) {
                    self.did_close(&p.text_document.uri);
                }
            }
            "workspace/didChangeWatchedFiles" => {
                if let Ok(p) = serde_json::from_value::<lsp::DidChangeWatchedFilesParams>(n.params)
                {
                    self.watched(p.changes);
                }
            }
            _ => {}
        }));
        if result.is_err() {
            self.log(&format!(
                "juris failed handling `{}`; this is a bug",
                n.method
            ));
        }
    }

    fn log(&self, message: &str) {
        self.send(Notification::new(
            "window/logMessage".into(),
            json!({"type": 1, "message": message}),
        ));
    }

    fn initialize(&mut self, req: &Request) -> Answer {
        let p: lsp::InitializeParams = params(req)?;
        let utf8 = p
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|e| e.contains(&lsp::PositionEncodingKind::UTF8));
        self.encoding = if utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        #[allow(deprecated)]
        let root = p.root_uri.as_ref().and_then(uri_to_path);
        self.roots = match p.workspace_folders {
            Some(folders) if !folders.is_empty() => {
                folders.iter().filter_map(|f| uri_to_path(&f.uri)).collect()
            }
            _ => root.into_iter().collect(),
        };
        self.initialized = true;
        Ok(json!({
            "capabilities": {
                "positionEncoding": if utf8 { "utf-8" } else { "utf-16" },
                "textDocumentSync": {"openClose": true, "change": 2},
                "hoverProvider": true,
                "definitionProvider": true,
                "referencesProvider": true,
                "completionProvider": {"triggerCharacters": ["."]},
                "documentFormattingProvider": true,
                "documentSymbolProvider": true,
                "workspaceSymbolProvider": true,
            },
            "serverInfo": {"name": "juris", "version": env!("CARGO_PKG_VERSION")},
        }))
    }

    /// Read the policy set: the shipped files, then every `.juris` file under the
    /// workspace folders.
    fn load(&mut self) {
        let standard = self.roots.iter().all(|r| {
            let toml = r.join(crate::cli::config::FILE_NAME);
            match crate::cli::config::Config::load(Some(&toml)).map(|c| c.standard) {
                _ if !toml.is_file() => true,
                Ok(s) => s,
                Err(e) => {
                    self.log(&e.to_string());
                    true
                }
            }
        });
        for (id, path) in self.ws.add_shipped(&shipped_dir(), standard) {
            write_shipped(&path, &self.ws.doc(id).text.text);
            self.dirty.insert(id);
        }
        for root in self.roots.clone() {
            match crate::policy::find_policy_files(&root) {
                Ok(files) => {
                    for f in files {
                        self.read_from_disk(&f);
                    }
                }
                Err(e) => self.log(&e.to_string()),
            }
        }
        self.flush();
    }

    /// (Re)read a file the editor does not have open.
    fn read_from_disk(&mut self, path: &Path) {
        let name = path.display().to_string();
        let read = std::fs::read(path)
            .map_err(|e| crate::policy::PolicyPathError::Unreadable {
                path: name.clone(),
                reason: e.to_string(),
            })
            .and_then(|bytes| {
                crate::syntax::source_from_bytes(&name, bytes)
                    .map_err(|e| crate::policy::PolicyPathError::Source(Box::new(e)))
            });
        let id = match read {
            Ok(src) => self.ws.set(path.to_path_buf(), name, &src.text, false),
            Err(e) => {
                let d = convert_one(&miette::Report::new(e));
                self.ws.set_unreadable(path.to_path_buf(), name, d)
            }
        };
        self.dirty.insert(id);
    }

    fn doc_path(uri: &lsp::Uri) -> PathBuf {
        uri_to_path(uri).unwrap_or_else(|| PathBuf::from(uri.as_str()))
    }

    fn find(&self, uri: &lsp::Uri) -> Option<DocId> {
        self.ws.find(&Self::doc_path(uri))
    }

    fn did_open(&mut self, uri: lsp::Uri, text: &str) {
        let path = Self::doc_path(&uri);
        if let Some(id) = self.ws.find(&path)
            && self.ws.doc(id).shipped
        {
            // Shipped files are read-only: the editor shows what was written out.
            self.open.insert(id);
            return;
        }
        let name = match uri_to_path(&uri) {
            Some(p) => p.display().to_string(),
            None => uri.as_str().to_owned(),
        };
        let id = self.ws.set(path, name, text, false);
        if uri_to_path(&uri).is_none() {
            self.uris.insert(id, uri);
        }
        self.open.insert(id);
        self.dirty.insert(id);
    }

    fn did_change(&mut self, p: lsp::DidChangeTextDocumentParams) {
        let Some(id) = self.find(&p.text_document.uri) else {
            return;
        };
        if self.ws.doc(id).shipped {
            return;
        }
        let mut text = self.ws.doc(id).text.text.to_string();
        for change in p.content_changes {
            text = apply_change(&text, change.range, &change.text, self.encoding);
        }
        let d = self.ws.doc(id);
        let (path, name) = (d.path.clone(), d.name.clone());
        self.ws.set(path, name, &text, false);
        self.dirty.insert(id);
    }

    fn did_close(&mut self, uri: &lsp::Uri) {
        let Some(id) = self.find(uri) else { return };
        self.open.remove(&id);
        if self.ws.doc(id).shipped {
            return;
        }
        // The file on disk is what stays in the policy set (unsaved edits are gone).
        let path = self.ws.doc(id).path.clone();
        if path.is_file() {
            self.read_from_disk(&path);
        } else {
            self.ws.remove(id);
            self.dirty.insert(id);
        }
    }

    fn watched(&mut self, changes: Vec<lsp::FileEvent>) {
        for c in changes {
            let Some(path) = uri_to_path(&c.uri) else {
                continue;
            };
            if path.extension().is_none_or(|e| e != "juris") {
                continue;
            }
            let id = self.ws.find(&path);
            if id.is_some_and(|id| self.open.contains(&id) || self.ws.doc(id).shipped) {
                continue;
            }
            if c.typ == lsp::FileChangeType::DELETED {
                if let Some(id) = id {
                    self.ws.remove(id);
                    self.dirty.insert(id);
                }
            } else {
                self.read_from_disk(&path);
            }
        }
    }

    /// Check what changed and publish the diagnostics that differ from last time.
    fn flush(&mut self) {
        if self.dirty.is_empty() {
            return;
        }
        let changed: Vec<DocId> = std::mem::take(&mut self.dirty).into_iter().collect();
        let refreshed = self.ws.refresh(&changed);
        for id in refreshed {
            self.publish(id);
        }
    }

    fn publish(&mut self, id: DocId) {
        let doc = self.ws.doc(id);
        let diagnostics: Vec<lsp::Diagnostic> = if doc.removed {
            Vec::new()
        } else {
            doc.diagnostics()
                .iter()
                .map(|d| self.diagnostic(id, d))
                .collect()
        };
        if doc.shipped && diagnostics.is_empty() && !self.published.contains_key(&id) {
            return;
        }
        if self.published.get(&id) == Some(&diagnostics) {
            return;
        }
        let uri = self.uri(id);
        self.published.insert(id, diagnostics.clone());
        self.send(Notification::new(
            "textDocument/publishDiagnostics".into(),
            lsp::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version: None,
            },
        ));
    }

    fn uri(&self, id: DocId) -> lsp::Uri {
        match self.uris.get(&id) {
            Some(u) => u.clone(),
            None => path_to_uri(&self.ws.doc(id).path),
        }
    }

    /// The text a document's spans refer to: its analysed text, or while it does not
    /// parse, its latest.
    fn span_text(&self, id: DocId) -> &str {
        let d = self.ws.doc(id);
        match (&d.syntax_error, &d.parsed) {
            (None, Some(p)) => &p.source.text,
            _ => &d.text.text,
        }
    }

    /// How the analysed text of a document that does not parse now maps onto its
    /// latest text; `None` when the analysis is of the latest text.
    fn shift(&self, id: DocId) -> Option<Shift> {
        let d = self.ws.doc(id);
        match (&d.syntax_error, &d.parsed) {
            (Some(_), Some(p)) => Some(Shift::between(&p.source.text, &d.text.text)),
            _ => None,
        }
    }

    /// A range of an analysed text, as a place in the document the editor shows.
    fn range(&self, id: DocId, start: u32, end: u32) -> lsp::Range {
        let (start, end) = (start as usize, end as usize);
        match self.shift(id) {
            Some(s) => LineIndex::new(&self.ws.doc(id).text.text, self.encoding)
                .range(s.to_new(start), s.to_new(end)),
            None => LineIndex::new(self.span_text(id), self.encoding).range(start, end),
        }
    }

    fn location(&self, p: Place) -> lsp::Location {
        lsp::Location::new(self.uri(p.doc), self.range(p.doc, p.start, p.end))
    }

    fn diagnostic(&self, id: DocId, d: &Diag) -> lsp::Diagnostic {
        let d_text = if self.ws.doc(id).syntax_error.is_some() {
            &*self.ws.doc(id).text.text
        } else {
            self.span_text(id)
        };
        let ix = LineIndex::new(d_text, self.encoding);
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        let mut related: Vec<lsp::DiagnosticRelatedInformation> = d
            .labels
            .iter()
            .map(|(s, e, label)| lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(self.uri(id), ix.range(*s as usize, *e as usize)),
                message: label.clone(),
            })
            .collect();
        related.extend(self.related(id, d).into_iter().map(|(p, message)| {
            lsp::DiagnosticRelatedInformation {
                location: self.location(p),
                message,
            }
        }));
        lsp::Diagnostic {
            range: ix.range(d.start as usize, d.end as usize),
            severity: Some(match d.severity {
                Severity::Error => lsp::DiagnosticSeverity::ERROR,
                Severity::Warning => lsp::DiagnosticSeverity::WARNING,
                Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
            }),
            code: d.code.clone().map(lsp::NumberOrString::String),
            source: Some("juris".into()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..lsp::Diagnostic::default()
        }
    }

    /// The other places a diagnostic is about: the first of two declarations of a
    /// name, rule id or import.
    fn related(&self, id: DocId, d: &Diag) -> Vec<(Place, String)> {
        let Some(parsed) = &self.ws.doc(id).parsed else {
            return Vec::new();
        };
        let at = |s: crate::diag::Span| s.file == id && s.start == d.start && s.end == d.end;
        let files = || {
            self.ws
                .active()
                .iter()
                .filter_map(|&x| self.ws.doc(x).parsed.as_ref().map(|p| &p.ast))
        };
        match d.code.as_deref() {
            Some("juris::E0402") => {
                let id_here = parsed.ast.items.iter().find_map(|i| match &i.kind {
                    ItemKind::Rule(r) => crate::check::symbols::declared_rule_id(r)
                        .filter(|(_, s)| at(*s))
                        .map(|(x, _)| x.to_owned()),
                    _ => None,
                });
                let Some(rule_id) = id_here else {
                    return Vec::new();
                };
                files()
                    .flat_map(|f| &f.items)
                    .filter_map(|i| match &i.kind {
                        ItemKind::Rule(r) => crate::check::symbols::declared_rule_id(r),
                        _ => None,
                    })
                    .filter(|(x, s)| *x == rule_id && !at(*s))
                    .map(|(_, s)| (s.into(), format!("rule id `{rule_id}` is also used here")))
                    .collect()
            }
            Some("juris::E0204") => {
                let package = parsed.ast.package.dotted();
                let Some(name) = parsed
                    .ast
                    .items
                    .iter()
                    .map(|i| i.kind.name())
                    .find(|n| at(n.span))
                else {
                    return Vec::new();
                };
                files()
                    .filter(|f| f.package.dotted() == package)
                    .flat_map(|f| &f.items)
                    .map(|i| i.kind.name())
                    .filter(|n| n.name == name.name && !at(n.span))
                    .map(|n| (n.span.into(), format!("`{}` is declared here", n.name)))
                    .collect()
            }
            Some("juris::E0211") => {
                let imports = &parsed.ast.imports;
                let Some(dup) = imports.iter().find(|i| at(i.span)) else {
                    return Vec::new();
                };
                imports
                    .iter()
                    .filter(|i| i.bound_name() == dup.bound_name() && !at(i.span))
                    .map(|i| {
                        (
                            i.span.into(),
                            format!("`{}` is first imported here", i.bound_name()),
                        )
                    })
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// The document and byte offset a request points at.
    /// (In the analysed text: while the document does not parse, its last version that did.)
    fn at(&self, p: &lsp::TextDocumentPositionParams) -> Option<(DocId, u32)> {
        let id = self.find(&p.text_document.uri)?;
        let ix = LineIndex::new(&self.ws.doc(id).text.text, self.encoding);
        let offset = ix.offset(p.position);
        let offset = self.shift(id).map_or(offset, |s| s.to_old(offset));
        Some((id, offset as u32))
    }

    fn hover(&self, p: lsp::HoverParams) -> Answer {
        let Some((id, offset)) = self.at(&p.text_document_position_params) else {
            return Ok(Value::Null);
        };
        let Some((symbol, span)) = query::symbol_at(&self.ws, id, offset) else {
            return Ok(Value::Null);
        };
        let Some(text) = query::hover(&self.ws, &symbol) else {
            return Ok(Value::Null);
        };
        Ok(json!({
            "contents": {"kind": "markdown", "value": text},
            "range": self.range(id, span.start, span.end),
        }))
    }

    fn symbol(&self, p: &lsp::TextDocumentPositionParams) -> Option<Symbol> {
        let (id, offset) = self.at(p)?;
        query::symbol_at(&self.ws, id, offset).map(|(s, _)| s)
    }

    fn definition(&self, p: lsp::GotoDefinitionParams) -> Answer {
        let Some(symbol) = self.symbol(&p.text_document_position_params) else {
            return Ok(Value::Null);
        };
        let places: Vec<lsp::Location> = query::definition(&self.ws, &symbol)
            .into_iter()
            .map(|pl| self.location(pl))
            .collect();
        Ok(serde_json::to_value(places).unwrap_or(Value::Null))
    }

    fn references(&self, p: lsp::ReferenceParams) -> Answer {
        let Some(symbol) = self.symbol(&p.text_document_position) else {
            return Ok(Value::Null);
        };
        let places: Vec<lsp::Location> =
            query::references(&self.ws, &symbol, p.context.include_declaration)
                .into_iter()
                .map(|pl| self.location(pl))
                .collect();
        Ok(serde_json::to_value(places).unwrap_or(Value::Null))
    }

    fn completion(&self, p: lsp::CompletionParams) -> Answer {
        // Completion reads the latest text itself, so the position is not shifted.
        let Some(id) = self.find(&p.text_document_position.text_document.uri) else {
            return Ok(Value::Null);
        };
        let text = &self.ws.doc(id).text.text;
        let ix = LineIndex::new(text, self.encoding);
        let offset = ix.offset(p.text_document_position.position);
        let items: Vec<Value> = complete::complete(&self.ws, id, text, offset)
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let kind = match c.kind {
                    Kind::Variable => lsp::CompletionItemKind::VARIABLE,
                    Kind::Field => lsp::CompletionItemKind::FIELD,
                    Kind::Constant => lsp::CompletionItemKind::CONSTANT,
                    Kind::Function => lsp::CompletionItemKind::FUNCTION,
                    Kind::Module => lsp::CompletionItemKind::MODULE,
                    Kind::Keyword => lsp::CompletionItemKind::KEYWORD,
                };
                let mut item = json!({
                    "label": c.label,
                    "kind": kind,
                    // The order given: bindings, then declarations, built-ins, keywords.
                    "sortText": format!("{i:04}"),
                });
                if let Some(d) = c.detail {
                    item["detail"] = json!(d);
                }
                if let Some(from) = c.replace_from {
                    item["textEdit"] = json!({
                        "range": ix.range(from, offset),
                        "newText": c.label,
                    });
                }
                item
            })
            .collect();
        Ok(json!(items))
    }

    fn formatting(&self, p: lsp::DocumentFormattingParams) -> Answer {
        let Some(id) = self.find(&p.text_document.uri) else {
            return Ok(Value::Null);
        };
        let doc = self.ws.doc(id);
        // A file that does not parse is left as it is, as `juris fmt` leaves it.
        let Ok(formatted) = crate::fmt::format(&doc.name, &doc.text.text) else {
            return Ok(Value::Null);
        };
        if formatted == *doc.text.text {
            return Ok(json!([]));
        }
        let ix = LineIndex::new(&doc.text.text, self.encoding);
        Ok(json!([{"range": ix.whole(), "newText": formatted}]))
    }

    fn document_symbols(&self, p: lsp::DocumentSymbolParams) -> Answer {
        let Some(id) = self.find(&p.text_document.uri) else {
            return Ok(Value::Null);
        };
        let Some(parsed) = &self.ws.doc(id).parsed else {
            return Ok(json!([]));
        };
        let ix = LineIndex::new(&parsed.source.text, self.encoding);
        let range = |s: crate::diag::Span| ix.range(s.start as usize, s.end as usize);
        let file = &parsed.ast;
        let children: Vec<Value> = file
            .items
            .iter()
            .map(|item| {
                let (kind, detail) = item_kind(&item.kind);
                let name = item.kind.name();
                json!({
                    "name": name.name,
                    "detail": detail,
                    "kind": kind,
                    "range": range(item.span),
                    "selectionRange": range(name.span),
                })
            })
            .collect();
        Ok(json!([{
            "name": file.package.dotted(),
            "detail": "package",
            "kind": lsp::SymbolKind::PACKAGE,
            "range": ix.whole(),
            "selectionRange": range(file.package.span),
            "children": children,
        }]))
    }

    fn workspace_symbols(&self, p: lsp::WorkspaceSymbolParams) -> Answer {
        let query = p.query.to_lowercase();
        let mut out = Vec::new();
        for &id in self.ws.active() {
            let Some(parsed) = &self.ws.doc(id).parsed else {
                continue;
            };
            for item in &parsed.ast.items {
                let name = item.kind.name();
                let (kind, detail) = item_kind(&item.kind);
                if !name.name.to_lowercase().contains(&query)
                    && !detail.to_lowercase().contains(&query)
                {
                    continue;
                }
                out.push(json!({
                    "name": name.name,
                    "kind": kind,
                    "containerName": parsed.ast.package.dotted(),
                    "location": self.location(name.span.into()),
                }));
            }
        }
        Ok(json!(out))
    }
}

/// The symbol kind of a declaration, and the detail shown beside its name.
fn item_kind(kind: &ItemKind) -> (lsp::SymbolKind, String) {
    match kind {
        ItemKind::Const(_) => (lsp::SymbolKind::CONSTANT, "const".into()),
        ItemKind::Fn(_) => (lsp::SymbolKind::FUNCTION, "fn".into()),
        ItemKind::Rule(r) => (
            lsp::SymbolKind::CLASS,
            crate::check::symbols::declared_rule_id(r)
                .map(|(id, _)| id.to_owned())
                .unwrap_or_else(|| "rule".into()),
        ),
        ItemKind::Exception(_) => (lsp::SymbolKind::OBJECT, "exception".into()),
        ItemKind::Test(_) => (lsp::SymbolKind::EVENT, "test".into()),
    }
}

/// Whether a message only changes document text (and can wait to be checked
/// together with the edits after it).
fn changes_text(msg: &Message) -> bool {
    matches!(msg, Message::Notification(n) if matches!(
        n.method.as_str(),
        "textDocument/didOpen" | "textDocument/didChange" | "textDocument/didClose"
            | "workspace/didChangeWatchedFiles"
    ))
}

fn params<P: DeserializeOwned>(req: &Request) -> Result<P, (i32, String)> {
    serde_json::from_value(req.params.clone()).map_err(|e| {
        (
            ErrorCode::InvalidParams as i32,
            format!("invalid parameters for `{}`: {e}", req.method),
        )
    })
}

/// Where the shipped policy files are written so an editor can open them:
/// `$XDG_CACHE_HOME/juris/VERSION` (or `~/.cache/...`, or the temporary folder).
fn shipped_dir() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("juris").join(env!("CARGO_PKG_VERSION"))
}

/// Write a shipped file unless it is already there as it should be; failing to
/// write only costs the editor the file to jump to.
fn write_shipped(path: &Path, text: &str) {
    if std::fs::read_to_string(path).is_ok_and(|t| t == text) {
        return;
    }
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = crate::cli::write_atomic(path, text.as_bytes());
}
