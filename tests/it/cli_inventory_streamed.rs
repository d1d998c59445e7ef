//! `juris inventory` writes each resource's attributes as it reads them again from the
//! input, instead of building the whole tree first. Its output must be, byte for byte,
//! what serialising the inventory the library builds with every attribute gives.

use std::path::Path;

use juris::Catalog;
use juris::adapters::{LoadOptions, cited_sources, load_bytes};

use crate::cli_support::{self, root};

/// The inventory document of `file` as the tree path writes it, or `None` when the
/// library refuses the file.
fn tree(file: &str) -> Option<String> {
    tree_of(file, &std::fs::read(root().join(file)).expect("fixture"))
}

/// The same for `bytes`, named `name`.
fn tree_of(name: &str, bytes: &[u8]) -> Option<String> {
    let catalog = Catalog::builtin();
    let mut inventory = load_bytes(name, bytes, &LoadOptions::new(&catalog)).ok()?;
    inventory.sources = cited_sources(&inventory, &catalog);
    Some(serde_json::to_string_pretty(&inventory).expect("serialises") + "\n")
}

fn listed(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join(dir))
        .expect("fixture folder")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            p.strip_prefix(root())
                .unwrap_or(Path::new(""))
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_plan_state_and_inventory_fixture_lists_as_the_tree_does() {
    let mut compared = 0;
    for file in listed("tests/fixtures/plans")
        .into_iter()
        .chain(listed("tests/fixtures/state"))
        .chain(listed("tests/fixtures/inventory"))
        .chain(["examples/seed/plan.json".to_owned()])
    {
        let r = cli_support::run(&["inventory", "--no-source", &file]);
        let Some(expected) = tree(&file) else {
            // Refused by the library, so by the command too (with a diagnostic).
            assert_eq!(r.code, 2, "{file}: {}", r.dump());
            continue;
        };
        assert_eq!(r.code, 0, "{file}: {}", r.dump());
        assert!(r.stdout == expected, "{file}: the listed inventory differs");
        compared += 1;
    }
    assert!(compared >= 10, "only {compared} fixtures compared");
}

/// Variants of the seed plan the listing must treat exactly as the tree does: written
/// with other whitespace, with values nested deep inside an attribute, with a tag whose
/// value is null, with a first key written with an escape (no place to come back to),
/// and refused ones (cut short, an entry listed twice).
#[test]
fn variants_of_a_plan_list_as_the_tree_does_or_are_refused_alike() {
    let text = std::fs::read_to_string(root().join("examples/seed/plan.json")).expect("seed");
    let plan: serde_json::Value = serde_json::from_str(&text).expect("json");
    let with = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut p = plan.clone();
        edit(&mut p);
        p
    };
    let deep: serde_json::Value =
        serde_json::from_str(&format!("{}{}", "[".repeat(100), "]".repeat(100))).expect("deep");
    let variants: Vec<(&str, String)> = vec![
        ("pretty", serde_json::to_string_pretty(&plan).expect("json")),
        (
            "deep",
            with(&|p| p["resource_changes"][0]["change"]["after"]["deep"] = deep.clone())
                .to_string(),
        ),
        (
            "null-tag",
            with(&|p| {
                p["resource_changes"][0]["change"]["after"]["tags"] =
                    serde_json::json!({"a": null, "b": "x"})
            })
            .to_string(),
        ),
        ("escaped-key", {
            // In the first resource change (planned values come before them).
            let text = plan.to_string();
            let at = text.find(r#""resource_changes""#).expect("changes");
            let (head, tail) = text.split_at(at);
            head.to_owned() + &tail.replacen(r#"{"address""#, r#"{"\u0061ddress""#, 1)
        }),
        ("cut", text[..text.len() / 2].to_owned()),
        (
            "twice",
            with(&|p| {
                let first = p["resource_changes"][0].clone();
                if let Some(list) = p["resource_changes"].as_array_mut() {
                    list.push(first);
                }
            })
            .to_string(),
        ),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let mut refused = 0;
    for (name, body) in variants {
        let path = dir.path().join(format!("{name}.json"));
        std::fs::write(&path, &body).expect("write");
        let file = path.to_string_lossy().into_owned();
        let r = cli_support::run(&["inventory", "--no-source", &file]);
        match tree_of(&file, body.as_bytes()) {
            Some(expected) => {
                assert_eq!(r.code, 0, "{name}: {}", r.dump());
                assert!(r.stdout == expected, "{name}: the listed inventory differs");
            }
            None => {
                assert_eq!(r.code, 2, "{name}: {}", r.dump());
                assert!(r.stdout.is_empty(), "{name}: partial output");
                refused += 1;
            }
        }
    }
    assert_eq!(refused, 2, "the cut and the doubled plan are refused");
}
