//! Digests of what the prebuilt artifacts (`prebuilt/`) are made from.
//!
//! The standard policies and the built-in catalog are compiled ahead of time into
//! `prebuilt/*.bin` and embedded, so a check does not compile them at every start
//! (docs/architecture.md, "Prebuilt artifacts"). Each artifact records the digest of the
//! files it was made from: the policy sources and the front end that compiles them, or
//! the catalog data and its loader. The binary uses an artifact only when that digest
//! equals the one computed here, so an edited policy, grammar or checker never runs with
//! a stale artifact: it is compiled from source instead, and the test
//! `prebuilt::artifacts_are_current` says how to rebuild the artifact.

use std::fs;
use std::path::{Path, PathBuf};

/// What the standard policy set is compiled from: its sources and every stage that
/// turns them into a `Program`.
const POLICY_INPUTS: &[&str] = &[
    "policies",
    "grammar",
    "src/syntax",
    "src/check",
    "src/ir",
    "src/fold.rs",
    "src/semantics",
    "src/rule.rs",
    "src/diag.rs",
    "src/policy.rs",
    "src/policy",
];

/// What the built-in catalog is read from: its data files and their loader.
const CATALOG_INPUTS: &[&str] = &["catalog", "src/catalog"];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    for (var, inputs) in [
        ("JURIS_POLICY_DIGEST", POLICY_INPUTS),
        ("JURIS_CATALOG_DIGEST", CATALOG_INPUTS),
    ] {
        let digest = digest(inputs);
        println!("cargo:rustc-env={var}={digest:016x}");
    }
}

/// FNV-1a over every file's path and bytes, in sorted order. Not a defence against an
/// adversary (the artifact and the digest ship in the same binary), only against a
/// stale artifact.
fn digest(inputs: &[&str]) -> u64 {
    let mut files = Vec::new();
    for input in inputs {
        println!("cargo:rerun-if-changed={input}");
        collect(Path::new(input), &mut files);
    }
    files.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // A separator, so moving bytes between a path and a file changes the digest.
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    for file in &files {
        eat(file.to_string_lossy().replace('\\', "/").as_bytes());
        // Line endings as git may check them out on Windows: the text is the same.
        let bytes = fs::read(file).unwrap_or_default();
        let text: Vec<u8> = bytes.iter().copied().filter(|b| *b != b'\r').collect();
        eat(&text);
    }
    h
}

/// The kinds of file an artifact can depend on. Anything else under the inputs (a
/// Python cache beside `catalog/verify`, an editor's swap file) is not read.
const EXTENSIONS: &[&str] = &["rs", "juris", "pest", "toml", "json"];

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        if let Ok(entries) = fs::read_dir(path) {
            for entry in entries.flatten() {
                collect(&entry.path(), out);
            }
        }
    } else if path.is_file()
        && path
            .extension()
            .is_some_and(|e| EXTENSIONS.iter().any(|x| e == *x))
    {
        out.push(path.to_path_buf());
    }
}
