//! Mutated plans never panic: byte flips, truncation, deleted keys and swapped value types
//! applied to the fixtures (and to the shared real plans when present) always give an
//! inventory or a diagnostic that renders. `PROPTEST_CASES` sets the cases per property
//! (default 2500: about a minute for all four in a debug build on two cores).

use crate::adapters_common;

use std::path::PathBuf;
use std::sync::OnceLock;

use adapters_common::{fixture, proptest_config, render};
use juris::adapters::{LoadOptions, load_bytes};
use juris::catalog::Catalog;
use proptest::prelude::*;
use serde_json::Value;

fn corpus() -> &'static [(String, Vec<u8>)] {
    static CORPUS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut dirs = vec![fixture("plans"), fixture("state"), fixture("inventory")];
        let shared = std::env::var_os("JURIS_SHARED_FIXTURES")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/terraform-plans")
            });
        if shared.is_dir() {
            dirs.push(shared);
        }
        let mut out = Vec::new();
        for dir in dirs {
            let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect();
            paths.sort();
            for p in paths {
                out.push((
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
        out
    })
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::builtin)
}

/// Loads, and renders the diagnostic if refused: neither may panic.
fn survive(name: &str, bytes: &[u8]) {
    let mut opts = LoadOptions::new(catalog());
    opts.default_regions
        .insert("aws".into(), "eu-west-1".into());
    if let Err(e) = load_bytes(name, bytes, &opts) {
        let text = render(&e);
        assert!(text.contains("juris::E07"), "{text}");
    }
}

fn pick_doc(i: usize) -> &'static (String, Vec<u8>) {
    let c = corpus();
    &c[i % c.len()]
}

/// Visits nodes in pre-order; `f` returns true to stop.
fn walk(v: &mut Value, f: &mut dyn FnMut(&mut Value) -> bool) -> bool {
    if f(v) {
        return true;
    }
    match v {
        Value::Array(a) => a.iter_mut().any(|x| walk(x, f)),
        Value::Object(o) => o.values_mut().any(|x| walk(x, f)),
        _ => false,
    }
}

fn count(v: &mut Value) -> usize {
    let mut n = 0;
    walk(v, &mut |_| {
        n += 1;
        false
    });
    n
}

proptest! {
    #![proptest_config(proptest_config(2500))]

    #[test]
    fn byte_flips(doc in any::<usize>(), flips in prop::collection::vec((any::<usize>(), any::<u8>()), 1..6)) {
        let (name, bytes) = pick_doc(doc);
        let mut bytes = bytes.clone();
        for (at, b) in flips {
            let len = bytes.len();
            bytes[at % len] = b;
        }
        survive(name, &bytes);
    }

    #[test]
    fn truncation(doc in any::<usize>(), cut in any::<usize>()) {
        let (name, bytes) = pick_doc(doc);
        survive(name, &bytes[..cut % bytes.len()]);
    }

    #[test]
    fn deleted_keys(doc in any::<usize>(), pick in any::<usize>()) {
        let (name, bytes) = pick_doc(doc);
        let mut v: Value = serde_json::from_slice(bytes).unwrap();
        let target = pick % count(&mut v);
        let mut i = 0;
        walk(&mut v, &mut |node| {
            i += 1;
            if i > target && let Value::Object(o) = node && let Some(k) = o.keys().next().cloned() {
                o.shift_remove(&k);
                return true;
            }
            false
        });
        survive(name, &serde_json::to_vec(&v).unwrap());
    }

    #[test]
    fn type_swaps(doc in any::<usize>(), pick in any::<usize>(), kind in 0u8..7) {
        let (name, bytes) = pick_doc(doc);
        let mut v: Value = serde_json::from_slice(bytes).unwrap();
        let target = pick % count(&mut v);
        let replacement = match kind {
            0 => Value::Null,
            1 => Value::Bool(true),
            2 => serde_json::json!(42),
            3 => serde_json::json!("x"),
            4 => serde_json::json!([]),
            5 => serde_json::json!({}),
            _ => serde_json::json!({"unknown": true}),
        };
        let mut i = 0;
        walk(&mut v, &mut |node| {
            if i == target {
                *node = replacement.clone();
                return true;
            }
            i += 1;
            false
        });
        survive(name, &serde_json::to_vec(&v).unwrap());
    }
}
