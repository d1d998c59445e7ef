//! The language server on a 100-rule policy set (ten packages of ten rules, all
//! importing one helper package and the standard library, with the standard rules):
//! how long a keystroke takes to be checked, and to be answered end to end over
//! the protocol.
//!
//! `cargo bench --bench lsp`. The targets (issue 15): a keystroke answered in 20 ms.

use std::cell::Cell;
use std::path::{Path, PathBuf};

use divan::Bencher;
use juris::cli::lsp::workspace::{DocId, Workspace};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::json;

fn main() {
    divan::main();
}

const PACKAGES: usize = 10;
const RULES_PER_PACKAGE: usize = 10;

const HELPERS: &str = r#"package bench.helpers

import juris.groups

/// Types that hold data at rest.
const storage_types = {"aws_s3_bucket", "aws_db_instance", "google_storage_bucket", "azurerm_storage_account"}

/// Whether the resource stores data.
fn stores_data(r: resource) -> bool {
  r.type in storage_types or starts_with(r.type, "aws_s3")
}

/// Countries outside the EEA that the resource or its copies reach.
fn outside_eea(r: resource) -> set<string> {
  (r.location.countries minus groups.eea) union flatten([f.location.countries minus groups.eea for f in r.flows])
}
"#;

fn package_text(p: usize, marker: &str) -> String {
    let mut s = format!(
        "package bench.p{p}\n\nimport juris.groups\nimport juris.classification as cls\nimport bench.helpers\n\n"
    );
    for i in 0..RULES_PER_PACKAGE {
        s.push_str(&format!(
            r#"/// Rule {i} of package {p}.
rule r{p}_{i} {{
  id: "B-{p}-{i}"
  title: "Bench rule {i}"
  severity: high
  enforce: hard
  for r in resources
  where helpers.stores_data(r) and cls.holds_protected_data(r) and tag(r, "team") == "t{i}{marker}"
  let outside = helpers.outside_eea(r)
  require count(outside) == 0 and r.custody.jurisdiction not in groups.foreign_adversaries
    and all f in r.flows: f.location.countries subset groups.eea union {{"CH", "GB"}}
  message "{{r.address}} ({{r.location.region}}) reaches {{outside}}"
}}

"#
        ));
    }
    s
}

/// The policy set, and the ids of one rule file and of the helpers.
fn workspace() -> (Workspace, DocId, DocId) {
    let mut ws = Workspace::new();
    let mut ids: Vec<DocId> = ws
        .add_shipped(Path::new("/shipped"), true)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let helpers = ws.set(
        "/ws/helpers.juris".into(),
        "/ws/helpers.juris".into(),
        HELPERS,
        false,
    );
    ids.push(helpers);
    let mut first = helpers;
    for p in 0..PACKAGES {
        let path = PathBuf::from(format!("/ws/p{p}.juris"));
        let id = ws.set(
            path.clone(),
            path.display().to_string(),
            &package_text(p, ""),
            false,
        );
        if p == 0 {
            first = id;
        }
        ids.push(id);
    }
    ws.refresh(&ids);
    assert!(
        ws.docs().all(|(_, d)| d.diagnostics().is_empty()),
        "the bench policy set checks cleanly"
    );
    (ws, first, helpers)
}

fn edit(ws: &mut Workspace, id: DocId, text: &str) {
    let d = ws.doc(id);
    let (path, name) = (d.path.clone(), d.name.clone());
    ws.set(path, name, text, false);
    ws.refresh(&[id]);
}

/// Checking the whole set, as when the server starts.
#[divan::bench(sample_count = 20)]
fn full_check(b: Bencher) {
    b.bench_local(workspace);
}

/// A keystroke in one rule file: it and nothing else is re-checked.
#[divan::bench(sample_count = 50)]
fn keystroke_in_a_rule_file(b: Bencher) {
    let (mut ws, id, _) = workspace();
    let texts = [package_text(0, "x"), package_text(0, "")];
    // Every iteration changes the text, the first one too.
    let n = Cell::new(1usize);
    b.bench_local(|| {
        n.set(n.get() + 1);
        edit(&mut ws, id, &texts[n.get() % 2]);
    });
    assert_eq!(ws.last_checked, 1);
}

/// A keystroke in the helper package every rule file imports: all of them.
#[divan::bench(sample_count = 50)]
fn keystroke_in_the_shared_helpers(b: Bencher) {
    let (mut ws, _, helpers) = workspace();
    let texts = [
        HELPERS.replace("\"aws_s3\"", "\"aws_s\""),
        HELPERS.to_owned(),
    ];
    let n = Cell::new(1usize);
    b.bench_local(|| {
        n.set(n.get() + 1);
        edit(&mut ws, helpers, &texts[n.get() % 2]);
    });
    assert_eq!(ws.last_checked, PACKAGES + 1);
}

/// A client of a server session on the policy set, written to a folder.
struct Session {
    client: Connection,
    server: Option<std::thread::JoinHandle<()>>,
    uri: String,
    next: i32,
    _dir: tempfile::TempDir,
}

impl Session {
    fn start() -> Session {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("helpers.juris"), HELPERS).expect("writes");
        for p in 0..PACKAGES {
            std::fs::write(dir.path().join(format!("p{p}.juris")), package_text(p, ""))
                .expect("writes");
        }
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || {
            let _ = juris::cli::lsp::serve(&server);
        });
        let root = format!("file://{}", dir.path().display());
        let mut s = Session {
            client,
            server: Some(handle),
            uri: format!("{root}/p0.juris"),
            next: 0,
            _dir: dir,
        };
        s.request("initialize", json!({"rootUri": root, "capabilities": {}}));
        s.notify("initialized", json!({}));
        let text = package_text(0, "");
        s.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": s.uri, "languageId": "juris", "version": 1, "text": text}}),
        );
        s
    }

    fn notify(&self, method: &str, params: serde_json::Value) {
        let n = Notification::new(method.into(), params);
        self.client
            .sender
            .send(n.into())
            .expect("the server listens");
    }

    fn request(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.next += 1;
        let id = RequestId::from(self.next);
        let r = Request::new(id.clone(), method.into(), params);
        self.client
            .sender
            .send(r.into())
            .expect("the server listens");
        loop {
            match self.client.receiver.recv().expect("the server answers") {
                Message::Response(r) if r.id == id => return r.response_result.unwrap_or_default(),
                _ => {}
            }
        }
    }

    fn at(&self, line: u32, character: u32) -> serde_json::Value {
        json!({"textDocument": {"uri": self.uri}, "position": {"line": line, "character": character}})
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.request("shutdown", json!(null));
        self.notify("exit", json!(null));
        if let Some(h) = self.server.take() {
            let _ = h.join();
        }
    }
}

/// End to end over the protocol: an edit (`didChange` of one character) and the
/// hover asked right after it, answered once the edit is checked.
#[divan::bench(sample_count = 50)]
fn keystroke_then_hover_over_the_protocol(b: Bencher) {
    let mut s = Session::start();
    // Line 13 is the first rule's `where`; column 40 is on `holds_protected_data`.
    let n = Cell::new(0usize);
    b.bench_local(|| {
        n.set(n.get() + 1);
        let typed = if n.get().is_multiple_of(2) { "" } else { "x" };
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": s.uri, "version": n.get() + 1},
                   "contentChanges": [{"text": package_text(0, typed)}]}),
        );
        let h = s.request("textDocument/hover", s.at(13, 40));
        assert!(!h.is_null(), "hover answers");
    });
}

/// Completion after `r.location.` typed into a rule, over the protocol.
#[divan::bench(sample_count = 50)]
fn completion_after_r_dot_over_the_protocol(b: Bencher) {
    let mut s = Session::start();
    let text =
        package_text(0, "").replacen("  let outside", "  where r.location.\n  let outside", 1);
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": s.uri, "version": 2}, "contentChanges": [{"text": text}]}),
    );
    b.bench_local(|| {
        let c = s.request("textDocument/completion", s.at(14, 19));
        assert_eq!(c.as_array().map(Vec::len), Some(4), "the location's fields");
    });
}
