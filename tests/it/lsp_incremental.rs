//! The language server's incremental checking: a change re-checks only what can
//! depend on it, and after any sequence of edits every document's diagnostics are
//! exactly those of checking the same texts from scratch.

use std::path::{Path, PathBuf};

use juris::cli::lsp::workspace::{DocId, Workspace};
use proptest::prelude::*;

const BASE: &str = r#"package acme.base

/// Home countries.
const home = {"DE", "FR"}

fn is_bucket(r: resource) -> bool {
  starts_with(r.type, "aws_s3")
}

rule base_rule {
  id: "A-1"  severity: low  enforce: advisory
  for r in resources
  require r.location.countries subset home
}
"#;

const USES: &str = r#"package acme.uses

import acme.base
import juris.groups

rule uses_rule {
  id: "A-2"  severity: high  enforce: hard
  for r in resources
  where base.is_bucket(r)
  require r.location.countries subset base.home union groups.eea
}
"#;

const OTHER: &str = r#"package acme.other

rule other_rule {
  id: "A-3"  severity: low  enforce: soft
  for r in resources
  deny if r.type == "x"
}

exception waiver {
  rule: "A-1"
  resources: "aws_s3_bucket.*"
  reason: "legacy"
  approved_by: "Jo"
  expires: 2027-01-01
}
"#;

const LONE: &str = r#"package acme.lone

const unused_here = 1
"#;

const FILES: [(&str, &str); 4] = [
    ("base.juris", BASE),
    ("uses.juris", USES),
    ("other.juris", OTHER),
    ("lone.juris", LONE),
];

/// Edits an author might make to each file, some of them breaking others.
fn variants(file: usize) -> Vec<String> {
    let (_, text) = FILES[file];
    let mut v = vec![text.to_owned()];
    match file {
        0 => {
            v.push(text.replace("const home", "const homes"));
            v.push(text.replace("\"A-1\"", "\"A-2\""));
            v.push(text.replace("\"A-1\"", "\"A-9\""));
            v.push(text.replace("package acme.base", "package acme.base2"));
            v.push(format!("{text}\nfn extra() -> int {{\n  1\n}}\n"));
            v.push(format!("\n\n# moved down\n{text}"));
            v.push(text.replace("{\"DE\", \"FR\"}", "{\"DE\", 1}"));
            v.push(text.replace("subset home\n", "subset eea\n"));
        }
        1 => {
            v.push(text.replace("base.home", "base.hom"));
            v.push(text.replace("import acme.base\n", ""));
            v.push(text.replace("import acme.base", "import acme.nowhere"));
            v.push(text.replace("groups.eea", "eea"));
            v.push(text.replace("\"A-2\"", "\"A-3\""));
        }
        2 => {
            v.push(text.replace("rule: \"A-1\"", "rule: \"A-7\""));
            v.push(text.replace("\"A-3\"", "\"A-1\""));
            v.push(text.replace("package acme.other", "package acme.base"));
            v.push(format!("{text}\nconst home = 2\n"));
        }
        _ => {
            v.push(text.replace("acme.lone", "acme.uses"));
            v.push(format!("{text}\nconst homes = {{\"x\"}}\n"));
            v.push(text.replace("const unused_here = 1", "const is_bucket = 1"));
        }
    }
    // Every file can also be mid-edit and not parse.
    v.push(
        text.replace("rule ", "rule {")
            .replace("const ", "const = "),
    );
    v
}

fn workspace(texts: &[String]) -> (Workspace, Vec<DocId>) {
    let mut ws = Workspace::new();
    let mut ids: Vec<DocId> = ws
        .add_shipped(Path::new("/shipped"), true)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let user: Vec<DocId> = FILES
        .iter()
        .zip(texts)
        .map(|((name, _), text)| {
            let path = PathBuf::from("/ws").join(name);
            ws.set(path.clone(), path.display().to_string(), text, false)
        })
        .collect();
    ids.extend(&user);
    ws.refresh(&ids);
    (ws, user)
}

fn originals() -> Vec<String> {
    FILES.iter().map(|(_, t)| t.to_string()).collect()
}

fn edit(ws: &mut Workspace, id: DocId, text: &str) -> usize {
    let d = ws.doc(id);
    let (path, name) = (d.path.clone(), d.name.clone());
    ws.set(path, name, text, false);
    ws.refresh(&[id]);
    ws.last_checked
}

#[test]
fn a_change_rechecks_its_package_and_its_importers_only() {
    let (mut ws, ids) = workspace(&originals());
    assert!(
        ws.docs().all(|(_, d)| d.diagnostics().is_empty()),
        "a clean start"
    );
    let before = ws.last_checked;
    // A keystroke in a file nobody imports re-checks that file.
    let checked = edit(&mut ws, ids[3], &LONE.replace("= 1", "= 12"));
    assert_eq!(checked, 1);
    // In a package another imports: both.
    let checked = edit(&mut ws, ids[0], &BASE.replace("\"aws_s3\"", "\"aws_s\""));
    assert_eq!(checked, 2);
    // A new rule id: the files naming rules by id too.
    let checked = edit(&mut ws, ids[0], &BASE.replace("\"A-1\"", "\"A-10\""));
    assert_eq!(checked, 3, "base, uses and other (its exception names A-1)");
    let other = ws.doc(ids[2]).diagnostics();
    assert_eq!(other.len(), 1);
    assert_eq!(other[0].code.as_deref(), Some("juris::E0501"));
    assert!(
        before > 10,
        "the first check covers the shipped files: {before}"
    );
}

#[test]
fn a_file_that_does_not_parse_keeps_its_last_good_version_for_the_others() {
    let (mut ws, ids) = workspace(&originals());
    let checked = edit(&mut ws, ids[0], "package acme.base\nconst = ");
    assert_eq!(
        ws.doc(ids[0]).diagnostics()[0].code.as_deref(),
        Some("juris::E0101")
    );
    assert!(
        ws.doc(ids[1]).diagnostics().is_empty(),
        "uses.juris still sees base"
    );
    let _ = checked;
}

fn all_parse(ws: &Workspace, ids: &[DocId]) -> bool {
    ids.iter().all(|&d| ws.doc(d).syntax_error.is_none())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn incremental_diagnostics_equal_a_fresh_check(
        steps in proptest::collection::vec((0usize..4, 0usize..16), 1..8)
    ) {
        let (mut ws, ids) = workspace(&originals());
        let mut texts = originals();
        for (file, pick) in steps {
            let vs = variants(file);
            let text = vs[pick % vs.len()].clone();
            edit(&mut ws, ids[file], &text);
            texts[file] = text;
            if !all_parse(&ws, &ids) {
                continue;
            }
            let (fresh, fresh_ids) = workspace(&texts);
            for (a, b) in ids.iter().zip(&fresh_ids) {
                prop_assert_eq!(
                    ws.doc(*a).diagnostics(),
                    fresh.doc(*b).diagnostics(),
                    "{} after editing {}", ws.doc(*a).name, FILES[file].0
                );
            }
        }
    }
}
