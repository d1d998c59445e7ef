//! One code scheme for every stage (docs/errors.md): each diagnostic in `src/` has a
//! `juris::E####` or `juris::W####` code, no two conditions share one, and every code
//! is listed in the documentation.

use std::collections::BTreeMap;
use std::path::Path;

use crate::architecture::rust_files;

/// Every `code(...)` of a `#[diagnostic]` in `src/`, with where it is.
fn codes() -> BTreeMap<String, Vec<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        for (at, _) in text.match_indices("code(juris::") {
            let code: String = text[at + "code(".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == ':' || *c == '_')
                .collect();
            let line = text[..at].lines().count() + 1;
            let place = format!("{}:{line}", file.strip_prefix(root).unwrap().display());
            out.entry(code).or_default().push(place);
        }
    }
    out
}

#[test]
fn every_code_is_one_scheme_used_once_and_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = ["docs/errors.md", "docs/language.md"]
        .map(|d| std::fs::read_to_string(root.join(d)).expect("docs"))
        .join("\n");
    let codes = codes();
    assert!(codes.len() > 100, "only {} codes found", codes.len());
    let mut wrong = Vec::new();
    for (code, places) in &codes {
        let short = code.trim_start_matches("juris::");
        let well_formed = short.len() == 5
            && (short.starts_with('E') || short.starts_with('W'))
            && short[1..].chars().all(|c| c.is_ascii_digit());
        if !well_formed {
            wrong.push(format!(
                "{code} ({}) is not E#### or W####",
                places.join(", ")
            ));
        }
        if places.len() > 1 {
            wrong.push(format!(
                "{code} is used {} times: {}",
                places.len(),
                places.join(", ")
            ));
        }
        if !docs.contains(&format!("`{short}`")) {
            wrong.push(format!(
                "{code} ({}) is in neither docs/errors.md nor docs/language.md",
                places[0]
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
