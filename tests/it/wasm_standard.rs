//! The shipped policies give byte-identical reports through the evaluator and through
//! their compiled WebAssembly module: on every policy test's input, and on the examples,
//! through the CLI's `--engine wasm`.

use std::path::PathBuf;
use std::process::Command;

use juris::PolicySet;
use juris::adapters::{self, LoadOptions};
use juris::catalog::Catalog;
use juris::ir::TestInput;
use juris::runner::RunOptions;
use juris::wasm::{CompileOptions, Limits, WasmPolicy};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_policy_test_input_agrees_on_both_engines() {
    let files =
        juris::policy::read_policy_paths(&[root().join("policies")], true).expect("policies read");
    let set = PolicySet::compile_standard(files).expect("policies compile");
    let catalog = Catalog::builtin();
    let options = LoadOptions::new(&catalog);
    let module =
        juris::wasm::compile(set.program(), &CompileOptions::default()).expect("module compiles");
    let module = WasmPolicy::load(&module, Limits::default()).expect("module loads");
    let mut compared = 0;
    for test in &set.program().tests {
        let bytes = match &test.input {
            TestInput::Inline(text) => text.clone().into_bytes(),
            TestInput::Path(p) => {
                std::fs::read(juris::testing::fixture_path(&test.file, p)).expect("fixture")
            }
        };
        let inventory = adapters::load_bytes("input", &bytes, &options).expect("input loads");
        let run = RunOptions::new(test.today);
        let native = set.evaluate(&inventory, &run).expect("native run");
        let mut native = serde_json::to_string_pretty(&native).expect("json");
        native.push('\n');
        let mut doc = serde_json::to_value(&inventory).expect("inventory json");
        doc["today"] = juris::date::format(test.today).into();
        let wasm = module
            .evaluate(&serde_json::to_vec(&doc).expect("bytes"))
            .expect("module runs");
        assert_eq!(
            native, wasm,
            "engines disagree on the input of test `{}`",
            test.name
        );
        compared += 1;
    }
    assert!(compared >= 10, "only {compared} policy tests compared");
}

fn juris(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_juris"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("juris runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn the_examples_agree_on_both_engines_in_every_format() {
    for input in [
        "examples/seed/plan.json",
        "policies/residency/testdata/residency.inventory.json",
    ] {
        for format in ["json", "human", "sarif", "junit", "github", "markdown"] {
            let common = [
                "check",
                "--today",
                "2026-06-01",
                "--color",
                "never",
                "--format",
                format,
                input,
            ];
            let native = juris(&common);
            let mut wasm_args = common.to_vec();
            wasm_args.extend(["--engine", "wasm"]);
            let wasm = juris(&wasm_args);
            assert_eq!(
                String::from_utf8_lossy(&native),
                String::from_utf8_lossy(&wasm),
                "{input} --format {format}"
            );
        }
    }
}

#[test]
fn juris_compile_writes_a_module_that_loads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("policies.wasm");
    let out = Command::new(env!("CARGO_BIN_EXE_juris"))
        .args(["compile", "--today", "2026-06-01", "-o"])
        .arg(&path)
        .output()
        .expect("juris runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&path).expect("module written");
    assert!(
        bytes.len() < 1 << 20,
        "the standard policies' module is {} bytes",
        bytes.len()
    );
    let module = WasmPolicy::load(&bytes, Limits::default()).expect("module loads");
    assert_eq!(module.meta().rules.len(), 12);
}

/// Regression: membership in a model string set once binary-searched, so an inventory
/// listing countries out of order could hide an adversary country (a silent pass).
#[test]
fn unsorted_countries_are_still_found_by_both_engines() {
    let policy = juris::diag::SourceFile::new(
        "t.juris",
        r#"package t
rule cn {
  id: "T-1"  severity: high  enforce: hard
  for r in resources
  deny if "CN" in r.location.countries
}
"#,
    );
    let set = PolicySet::compile(vec![policy]).expect("compiles");
    let doc = br#"{"version": 1, "today": "2026-06-01", "resources": [
      {"address": "x.y", "type": "x", "name": "y",
       "provider": {"source": "a/b", "company": "B", "jurisdiction": "US"},
       "location": {"region": "multi", "countries": ["US", "DE", "CN"], "derivation": "given"},
       "custody": {"company": "B", "jurisdiction": "US"}}]}"#;
    let inventory: juris::model::Inventory = serde_json::from_slice(doc).expect("inventory");
    let native = set
        .evaluate(
            &inventory,
            &RunOptions::new(juris::date::parse("2026-06-01").expect("date")),
        )
        .expect("runs");
    assert_eq!(native.summary.violations, 1);
    let module = juris::wasm::compile(set.program(), &CompileOptions::default()).expect("module");
    let module = WasmPolicy::load(&module, Limits::default()).expect("loads");
    let wasm = module.evaluate(doc).expect("module runs");
    let mut expected = serde_json::to_string_pretty(&native).expect("json");
    expected.push('\n');
    assert_eq!(expected, wasm);
}
