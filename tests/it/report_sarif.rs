//! The SARIF report validates against the SARIF 2.1.0 JSON schema
//! (`tests/schemas/sarif-2.1.0.json`, see `tests/schemas/README.md`) and carries what
//! GitHub code scanning needs: rules with help, a region on every physical location,
//! stable fingerprints, suppressions for excepted findings.
//!
//! Schema validation uses Python's `jsonschema` (installed by `.ci/run`); without it
//! the test prints why it skipped. Set `JURIS_SARIF_MULTITOOL` to the path of
//! `Sarif.Multitool` (npm `@microsoft/sarif-multitool-linux`) to also run Microsoft's
//! validator with its GitHub rules.

use crate::cli_support;

use std::path::Path;
use std::process::Command;

use cli_support::*;

fn sarif(args: &[&str], stdin: Option<&[u8]>) -> (String, serde_json::Value) {
    let mut all = vec![
        "check",
        "--no-standard",
        "--policy",
        POLICIES,
        "--today",
        "2026-06-01",
        "--format",
        "sarif",
    ];
    all.extend_from_slice(args);
    let r = run_in(&root(), &all, stdin);
    assert!(r.code == 0 || r.code == 1, "{}", r.dump());
    let doc = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}\n{}", r.dump()));
    (r.stdout, doc)
}

/// The SARIF documents under test: findings from two inputs, a clean run, stdin.
fn documents() -> Vec<(&'static str, String, serde_json::Value)> {
    let stdin = std::fs::read(root().join(INVENTORY)).expect("fixture");
    let mut docs = Vec::new();
    let (t, d) = sarif(&[INVENTORY, SECOND], None);
    docs.push(("two inputs", t, d));
    let (t, d) = sarif(&[CLEAN], None);
    docs.push(("clean", t, d));
    let (t, d) = sarif(&["-"], Some(&stdin));
    docs.push(("stdin", t, d));
    let (t, d) = sarif(
        &["--rule", "ACME-004", "--fail-on", "hard", INVENTORY],
        None,
    );
    docs.push(("fail-on hard", t, d));
    // The seed plan, once `juris check` reads Terraform plans.
    if plans_load() {
        let r = run(&[
            "check",
            "--today",
            "2026-06-01",
            "--format",
            "sarif",
            SEED_PLAN,
        ]);
        assert_eq!(r.code, 1, "{}", r.dump());
        let d = serde_json::from_str(&r.stdout).expect("json");
        docs.push(("seed plan", r.stdout, d));
    }
    // Findings on Terraform source lines, with related locations: a plan beside its
    // root module, and the root module checked without a plan.
    for (what, input) in [
        (
            "plan with source",
            "tests/fixtures/source/modules/plan.json",
        ),
        ("source", "tests/fixtures/source/modules"),
    ] {
        let r = run(&["check", "--today", "2026-06-01", "--format", "sarif", input]);
        assert_eq!(r.code, 1, "{}", r.dump());
        let d: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
        assert!(
            d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["endLine"]
                .is_u64(),
            "{what}: on the source lines"
        );
        docs.push((what, r.stdout, d));
    }
    docs
}

const VALIDATE: &str = r#"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
bad = 0
for path in sys.argv[2:]:
    for e in cls(schema).iter_errors(json.load(open(path))):
        bad += 1
        print(f"{path}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
sys.exit(1 if bad else 0)
"#;

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let schema = root().join("tests/schemas/sarif-2.1.0.json");
    let probe = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output();
    match probe {
        Ok(out) if out.status.success() => {}
        Ok(out) => {
            eprintln!(
                "SKIPPED: SARIF schema validation needs Python's jsonschema (python3 -m pip install 'jsonschema>=4,<5'): {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return;
        }
        Err(e) => {
            eprintln!("SKIPPED: SARIF schema validation needs python3 with jsonschema: {e}");
            return;
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mut paths = Vec::new();
    for (i, (name, text, _)) in documents().into_iter().enumerate() {
        let path = dir.path().join(format!("{i}.sarif"));
        std::fs::write(&path, text).expect("write");
        eprintln!("validating {name} as {}", path.display());
        paths.push(path);
    }
    let mut cmd = Command::new("python3");
    cmd.args(["-c", VALIDATE]).arg(&schema).args(&paths);
    let out = cmd.output().expect("python3 runs");
    assert!(
        out.status.success(),
        "schema errors:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sarif_passes_the_sarif_multitool_when_available() {
    let Some(tool) = std::env::var_os("JURIS_SARIF_MULTITOOL") else {
        eprintln!(
            "SKIPPED: set JURIS_SARIF_MULTITOOL to Sarif.Multitool (npm @microsoft/sarif-multitool-linux) to run Microsoft's SARIF validator"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let (text, _) = sarif(&[INVENTORY, SECOND], None);
    let input = dir.path().join("juris.sarif");
    let output = dir.path().join("validation.sarif");
    std::fs::write(&input, text).expect("write");
    let out = Command::new(Path::new(&tool))
        .arg("validate")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .args([
            "--log",
            "ForceOverwrite",
            "--rule-kind",
            "Sarif;Gh",
            "--level",
            "Error",
        ])
        .output()
        .expect("Sarif.Multitool runs");
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&output).expect("validation log"))
            .expect("validation log is JSON");
    let errors: Vec<String> = log["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["level"] == "error" || r["level"].is_null())
        .map(|r| format!("{}: {}", r["ruleId"], r["message"]))
        .collect();
    assert!(
        errors.is_empty(),
        "{errors:#?}\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn results_point_at_rules_and_carry_what_code_scanning_needs() {
    for (name, _, doc) in documents() {
        let run = &doc["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        for rule in rules {
            for key in ["id", "name", "shortDescription", "fullDescription", "help"] {
                assert!(rule.get(key).is_some(), "{name}: rule lacks {key}: {rule}");
            }
            assert!(rule["help"]["markdown"].is_string(), "{name}: {rule}");
            assert!(rule["properties"]["tags"].is_array(), "{name}: {rule}");
        }
        let mut fingerprints = std::collections::HashSet::new();
        for result in run["results"].as_array().expect("results") {
            let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[index]["id"], result["ruleId"], "{name}: {result}");
            let location = &result["locations"][0];
            assert_eq!(
                location["logicalLocations"][0]["kind"], "resource",
                "{name}: {result}"
            );
            assert_eq!(
                location["logicalLocations"][0]["fullyQualifiedName"],
                result["properties"]["address"]
            );
            if name == "stdin" {
                assert!(location.get("physicalLocation").is_none(), "{result}");
            } else {
                let physical = &location["physicalLocation"];
                assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
                assert!(physical["region"]["startLine"].as_u64() >= Some(1));
            }
            let fp = result["partialFingerprints"]["jurisFinding/v1"]
                .as_str()
                .expect("fingerprint")
                .to_owned();
            assert!(fingerprints.insert(fp), "{name}: fingerprints are unique");
            for key in [
                "outcome",
                "enforcement",
                "evidence",
                "exception",
                "blocking",
            ] {
                assert!(
                    result["properties"].get(key).is_some(),
                    "{name}: result lacks properties.{key}: {result}"
                );
            }
            let excepted = result["properties"]["outcome"] == "excepted";
            assert_eq!(excepted, result.get("suppressions").is_some(), "{result}");
            if excepted {
                assert_eq!(result["suppressions"][0]["kind"], "external");
                assert!(result["suppressions"][0]["justification"].is_string());
                assert_eq!(result["level"], "note");
            }
        }
    }
}

#[test]
fn levels_follow_blocking() {
    let (_, doc) = sarif(&[INVENTORY], None);
    for result in doc["runs"][0]["results"].as_array().into_iter().flatten() {
        let blocking = result["properties"]["blocking"] == true;
        assert_eq!(blocking, result["level"] == "error", "{result}");
    }
    // Under --fail-on hard a soft rule's findings are warnings, and so is its default.
    let (_, doc) = sarif(
        &["--rule", "ACME-004", "--fail-on", "hard", INVENTORY],
        None,
    );
    let run = &doc["runs"][0];
    assert_eq!(run["results"][0]["level"], "warning");
    assert_eq!(
        run["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"],
        "warning"
    );
}

#[test]
fn fingerprints_are_stable_across_inputs_order_and_runs() {
    let fps = |args: &[&str]| -> Vec<String> {
        let (_, doc) = sarif(args, None);
        let mut v: Vec<String> = doc["runs"][0]["results"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["partialFingerprints"]["jurisFinding/v1"].as_str())
            .map(str::to_owned)
            .collect();
        v.sort();
        v
    };
    assert_eq!(fps(&[INVENTORY, SECOND]), fps(&[SECOND, INVENTORY]));
}

#[test]
fn expired_and_stale_exceptions_are_notifications() {
    let (_, doc) = sarif(&[INVENTORY], None);
    let notes = doc["runs"][0]["invocations"][0]["toolConfigurationNotifications"]
        .as_array()
        .expect("notifications");
    let ids: Vec<&str> = notes
        .iter()
        .filter_map(|n| n["descriptor"]["id"].as_str())
        .collect();
    assert_eq!(ids, ["juris/expired-exception", "juris/stale-exception"]);
}
