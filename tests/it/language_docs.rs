//! Every ```juris example in docs/language.md compiles (with the standard library),
//! and every ```juris,fails example fails, so the reference cannot rot.

use juris::PolicySet;
use juris::diag::SourceFile;

/// The fenced blocks of a markdown text: (info string, body, line of the fence).
fn blocks(markdown: &str) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String, usize)> = None;
    for (n, line) in markdown.lines().enumerate() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.trim().to_owned(), String::new(), n + 1)),
            (Some(_), Some(_)) => out.extend(current.take()),
            (Some((_, body, _)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

#[test]
fn every_example_in_the_language_reference_compiles() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/language.md");
    let text = std::fs::read_to_string(path).expect("docs/language.md");
    let mut compiled = 0;
    let mut failed_as_expected = 0;
    for (info, body, line) in blocks(&text) {
        let name = format!("docs/language.md:{line}");
        let result = PolicySet::compile(vec![SourceFile::new(name.clone(), body.clone())]);
        match info.as_str() {
            "juris" => {
                if let Err(d) = result {
                    panic!(
                        "the example at {name} does not compile:\n{}",
                        d.render_plain()
                    );
                }
                compiled += 1;
            }
            "juris,fails" => {
                assert!(
                    result.is_err(),
                    "the example at {name} should fail to compile"
                );
                failed_as_expected += 1;
            }
            _ => {}
        }
    }
    assert!(compiled >= 10, "only {compiled} examples found");
    assert!(failed_as_expected >= 1);
}

#[test]
fn the_reference_lists_every_builtin_and_diagnostic_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/language.md");
    let text = std::fs::read_to_string(path).expect("docs/language.md");
    for b in juris::check::builtins::BUILTINS {
        assert!(
            text.contains(&format!("`{}(", b.name)),
            "builtin `{}` is not documented",
            b.name
        );
    }
    let sources = [
        include_str!("../../src/syntax/err.rs"),
        include_str!("../../src/check/err.rs"),
        include_str!("../../src/runner/err.rs"),
    ];
    for src in sources {
        for part in src.split("code(juris::").skip(1) {
            let code: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            assert!(
                text.contains(&format!("`{code}`")),
                "diagnostic {code} is not documented"
            );
        }
    }
}
