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
    let catalog = Catalog::builtin();
    let bytes = std::fs::read(root().join(file)).expect("fixture");
    let mut inventory = load_bytes(file, &bytes, &LoadOptions::new(&catalog)).ok()?;
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
fn every_plan_and_state_fixture_lists_as_the_tree_does() {
    let mut compared = 0;
    for file in listed("tests/fixtures/plans")
        .into_iter()
        .chain(listed("tests/fixtures/state"))
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
