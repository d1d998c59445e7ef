//! The policy examples in the README and docs/policies.md compile, so the tutorial
//! cannot drift from the language. (docs/language.md has its own test.)

use juris::PolicySet;
use juris::diag::SourceFile;

/// Fenced ```juris blocks that are whole files (they start with `package`).
fn juris_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim_start().starts_with("```juris") => current = Some(String::new()),
            Some(_) if line.trim_start().starts_with("```") => {
                if let Some(b) = current.take() {
                    blocks.push(b);
                }
            }
            Some(b) => {
                b.push_str(line);
                b.push('\n');
            }
            None => {}
        }
    }
    blocks
        .into_iter()
        .filter(|b| b.trim_start().starts_with("package"))
        .collect()
}

fn check_doc(path: &str) {
    let text = std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")))
        .expect("doc exists");
    let blocks = juris_blocks(&text);
    assert!(!blocks.is_empty(), "{path} has no juris examples");
    // A document's examples build on each other (a test names an earlier rule).
    let files = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| SourceFile::new(format!("{path}#example{}", i + 1), b.as_str()))
        .collect();
    if let Err(d) = PolicySet::compile_standard(files) {
        panic!(
            "the examples of {path} do not compile:\n{}",
            d.render_plain()
        );
    }
}

#[test]
fn readme_examples_compile() {
    check_doc("README.md");
}

#[test]
fn policies_tutorial_examples_compile() {
    check_doc("docs/policies.md");
}
