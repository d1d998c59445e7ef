//! `juris fmt`: canonical layout that is idempotent, keeps every comment, and never
//! changes meaning (the formatted policy compiles to the same IR).

use std::path::Path;
use std::process::Command;

use juris::PolicySet;
use juris::diag::{Position, SourceFile};
use proptest::prelude::*;

/// The IR of a policy set as text, without source positions (which formatting moves).
fn ir(files: Vec<SourceFile>) -> Result<String, String> {
    let set = PolicySet::compile_exact(files).map_err(|d| d.render_plain())?;
    let mut p = set.program().clone();
    let nowhere = Position {
        file: String::new(),
        line: 0,
        column: 0,
    };
    for r in &mut p.rules {
        r.meta.position = nowhere.clone();
    }
    for e in &mut p.exceptions {
        e.position = nowhere.clone();
    }
    for t in &mut p.tests {
        t.position = nowhere.clone();
    }
    Ok(format!("{p:#?}"))
}

/// Every shipped and test policy: (name, text).
fn policies() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = juris::policy::stdlib_sources()
        .into_iter()
        .chain(juris::policy::standard_rule_sources())
        .map(|f| (f.name.clone(), f.text.to_string()))
        .collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/language/policies");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    for p in paths {
        files.push((
            p.display().to_string(),
            std::fs::read_to_string(&p).unwrap(),
        ));
    }
    files
}

/// The standard library and rules with `name` replaced by `text` (or added).
fn set_with(name: &str, text: &str) -> Vec<SourceFile> {
    let mut files: Vec<SourceFile> = juris::policy::stdlib_sources()
        .into_iter()
        .chain(juris::policy::standard_rule_sources())
        .filter(|f| f.name != name)
        .collect();
    files.push(SourceFile::new(name, text));
    files
}

fn fmt(name: &str, text: &str) -> String {
    juris::fmt::format(name, text).unwrap_or_else(|e| panic!("{name} should format: {e}"))
}

#[test]
fn formatting_is_idempotent() {
    for (name, text) in policies() {
        let once = fmt(&name, &text);
        let twice = fmt(&name, &once);
        assert_eq!(once, twice, "{name}: formatting twice changed it");
    }
}

#[test]
fn formatting_preserves_meaning() {
    for (name, text) in policies() {
        let before = ir(set_with(&name, &text)).unwrap();
        let formatted = fmt(&name, &text);
        let after = ir(set_with(&name, &formatted))
            .unwrap_or_else(|e| panic!("{name} formatted does not compile:\n{e}\n{formatted}"));
        assert!(before == after, "{name}: formatting changed the IR");
    }
}

/// The comments of a text, in order.
fn comments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        // Good enough for the corpus: no `#` or `/*` inside its strings.
        if let Some(i) = line
            .find('#')
            .or_else(|| line.find("/*"))
            .or_else(|| line.find("///"))
            && !line[..i].contains('"')
        {
            out.push(line[i..].trim_end().to_owned());
        }
    }
    out
}

#[test]
fn formatting_keeps_every_comment_in_order() {
    for (name, text) in policies() {
        let formatted = fmt(&name, &text);
        assert_eq!(comments(&text), comments(&formatted), "{name}");
    }
}

#[test]
fn comments_in_every_position() {
    let src = "# file header\n\npackage acme # after package\n\n# before import\nimport juris.groups # after import\n\n/* block */\n/// Doc.\nconst a = {\n  \"x\", # after x\n  # own line\n  \"y\",\n} # after set\n\nfn f(r: resource) -> bool { # after brace\n  # before let\n  let n = r.name # after let\n  n == \"x\" /* inline */ and true\n  # before end\n}\n\nrule r {\n  id: \"A\" # after id\n  severity: low enforce: hard\n  for r in resources # after for\n  # before where\n  where f(r)\n  deny if \"x\" in groups.eea # after verdict\n  # last\n}\n# trailing file comment\n";
    let out = fmt("c.juris", src);
    insta::assert_snapshot!("comments_in_every_position", out);
    assert_eq!(fmt("c.juris", &out), out);
    assert_eq!(ir(set_with("c.juris", src)), ir(set_with("c.juris", &out)));
}

#[test]
fn layout_snapshots() {
    for (name, text) in policies() {
        if name.contains("fixtures") {
            let short = Path::new(&name)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            insta::assert_snapshot!(format!("formatted_{short}"), fmt(&name, &text));
        }
    }
}

#[test]
fn parentheses_follow_precedence() {
    let cases = [
        ("(a or b) and c", "(a or b) and c"),
        ("a or (b and c)", "a or b and c"),
        ("a and (b and c)", "a and (b and c)"),
        ("(a and b) and c", "a and b and c"),
        ("not (a == b)", "not a == b"),
        ("(not a) == b", "(not a) == b"),
        ("{1} minus ({2} minus {3})", "{1} minus ({2} minus {3})"),
        ("1 - (2 - 3)", "1 - (2 - 3)"),
        ("-(1 + 2)", "-(1 + 2)"),
        ("- -1", "- -1"),
        (
            "(any x in [1]: x == 1) and b",
            "(any x in [1]: x == 1) and b",
        ),
        ("b and any x in [1]: x == 1", "b and any x in [1]: x == 1"),
        (
            "(b and any x in [1]: x == 1) or c",
            "(b and any x in [1]: x == 1) or c",
        ),
        ("(if a then b else c) == d", "(if a then b else c) == d"),
        ("x in ({1} union {2})", "x in {1} union {2}"),
        ("(x in {1}) == true", "(x in {1}) == true"),
        (
            "[(if a then 1 else 2) for x in xs]",
            "[(if a then 1 else 2) for x in xs]",
        ),
        ("f((a))", "f(a)"),
        ("(r.tags)[\"x\"]", "r.tags[\"x\"]"),
    ];
    for (input, want) in cases {
        let src = format!("package p\nconst c = {input}\n");
        let file = SourceFile::new("p.juris", src.clone());
        let ast = juris::syntax::parse_file(0, &file).unwrap();
        let juris::syntax::ast::ItemKind::Const(c) = &ast.items[0].kind else {
            panic!()
        };
        assert_eq!(
            juris::syntax::expr_to_string(&c.value, &src),
            want,
            "{input}"
        );
        // And the printed text parses back to the same tree.
        let again = format!("package p\nconst c = {want}\n");
        let file2 = SourceFile::new("p.juris", again.clone());
        let ast2 = juris::syntax::parse_file(0, &file2).unwrap();
        let juris::syntax::ast::ItemKind::Const(c2) = &ast2.items[0].kind else {
            panic!()
        };
        assert_eq!(strip(&c.value), strip(&c2.value), "{input}");
    }
}

/// An expression's shape without spans.
fn strip(e: &juris::syntax::ast::Expr) -> String {
    let re = format!("{:?}", e.kind);
    let mut out = String::new();
    let mut rest = re.as_str();
    while let Some(i) = rest.find("span: Span {") {
        out.push_str(&rest[..i]);
        let j = rest[i..].find('}').map(|j| i + j + 1).unwrap_or(rest.len());
        rest = &rest[j..];
    }
    out.push_str(rest);
    out
}

#[test]
fn a_file_that_does_not_parse_is_an_error() {
    let e = juris::fmt::format("bad.juris", "package p\nconst a = (\n").unwrap_err();
    assert!(e.to_string().contains("expected"), "{e}");
}

// ---------------------------------------------------------------- the command

fn juris(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_juris"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const UGLY: &str = "package p\nconst a={\"x\",\"y\"}\nrule r{id:\"A\" severity:low enforce:hard for r in resources deny if r.name in a}\n";

#[test]
fn fmt_check_lists_files_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/ugly.juris"), UGLY).unwrap();
    std::fs::write(dir.path().join("pretty.juris"), fmt("x", UGLY)).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a policy").unwrap();
    let (code, out, err) = juris(dir.path(), &["fmt", "--check"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        out.trim(),
        Path::new(".")
            .join("sub")
            .join("ugly.juris")
            .display()
            .to_string()
    );
    assert!(err.contains("1 file(s) are not formatted"), "{err}");
    // Nothing was changed.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("sub/ugly.juris")).unwrap(),
        UGLY
    );
}

#[test]
fn fmt_rewrites_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ugly.juris");
    std::fs::write(&path, UGLY).unwrap();
    let (code, out, err) = juris(dir.path(), &["fmt", "ugly.juris"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "ugly.juris");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, fmt("x", UGLY));
    // No temporary files are left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    let (code, out, _) = juris(dir.path(), &["fmt", "--check", "."]);
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn fmt_never_rewrites_a_file_that_does_not_parse() {
    let dir = tempfile::tempdir().unwrap();
    let bad = "package p\nconst a = {\"x\",\n";
    std::fs::write(dir.path().join("bad.juris"), bad).unwrap();
    std::fs::write(dir.path().join("ugly.juris"), UGLY).unwrap();
    let (code, _, err) = juris(dir.path(), &["fmt"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("juris::E0101"), "{err}");
    assert!(err.contains("bad.juris"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("bad.juris")).unwrap(),
        bad
    );
    // The other files are still formatted.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ugly.juris")).unwrap(),
        fmt("x", UGLY)
    );
    let (code, _, _) = juris(dir.path(), &["fmt", "--check"]);
    assert_eq!(code, 2);
    // Not UTF-8: reported, untouched.
    std::fs::write(dir.path().join("bad.juris"), b"package p\n\xff\n").unwrap();
    let (code, _, err) = juris(dir.path(), &["fmt", "bad.juris"]);
    assert_eq!(code, 2);
    assert!(err.contains("E0108"), "{err}");
    let (code, _, err) = juris(dir.path(), &["fmt", "missing.juris"]);
    assert_eq!(code, 2, "{err}");
}

// ---------------------------------------------------------------- property

fn corpus_text() -> Vec<(String, String)> {
    policies()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Whatever parses formats, formats to a fixed point, and keeps its meaning.
    #[test]
    fn mutated_policies_format_safely(file in any::<prop::sample::Index>(), cuts in prop::collection::vec((any::<prop::sample::Index>(), 0usize..40), 1..4)) {
        let corpus = corpus_text();
        let (name, text) = &corpus[file.index(corpus.len())];
        let mut text = text.clone();
        for (at, len) in cuts {
            let at = at.index(text.len().max(1));
            let end = (at + len).min(text.len());
            if text.is_char_boundary(at) && text.is_char_boundary(end) {
                text.replace_range(at..end, "");
            }
        }
        if let Ok(once) = juris::fmt::format(name, &text) {
            let twice = juris::fmt::format(name, &once).expect("formatted text parses");
            prop_assert_eq!(&once, &twice);
            prop_assert_eq!(comments(&text).len(), comments(&once).len());
            if let Ok(before) = ir(set_with(name, &text)) {
                prop_assert_eq!(Ok(before), ir(set_with(name, &once)));
            }
        }
    }
}
