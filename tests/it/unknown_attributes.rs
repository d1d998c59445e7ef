//! An attribute Terraform only learns at apply time reads as *unknown* in a rule, from a
//! real plan through the adapter to both engines: never its planned placeholder.

use juris::PolicySet;
use juris::adapters::{LoadOptions, Projection, load_bytes};
use juris::catalog::Catalog;
use juris::diag::SourceFile;
use juris::runner::{FindingOutcome, RunOptions};
use juris::wasm::{CompileOptions, Limits, WasmPolicy};

const PLAN: &str = r#"{
  "format_version": "1.2",
  "terraform_version": "1.9.8",
  "resource_changes": [
    {"address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket", "name": "logs",
     "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"],
                "after": {"bucket": "logs", "versioning": [{"mfa_delete": false}]},
                "after_unknown": {"arn": true, "versioning": [{"enabled": true}]}}}
  ],
  "configuration": {"provider_config": {"aws": {"name": "aws",
    "expressions": {"region": {"constant_value": "us-east-1"}}}}}
}"#;

const POLICY: &str = r#"package t
rule versioned {
  id: "T-VERSIONED"  severity: medium  enforce: soft
  for r in resources
  where r.type == "aws_s3_bucket"
  require r.attributes.versioning[0].enabled == true
  message "{r.address}: versioning is {r.attributes.versioning[0].enabled}"
}
rule arn_known {
  id: "T-ARN"  severity: low  enforce: advisory
  for r in resources
  require known(r.attributes.arn)
}
"#;

#[test]
fn unknown_attributes_make_rules_undetermined_on_both_engines() {
    let set = PolicySet::compile(vec![SourceFile::new("t.juris", POLICY)]).expect("compiles");
    let catalog = Catalog::builtin();
    let mut opts = LoadOptions::new(&catalog);
    opts.projection = match set.program().attribute_keys() {
        Some(keys) => Projection::Keys(keys),
        None => Projection::All,
    };
    let inventory = load_bytes("plan.json", PLAN.as_bytes(), &opts).expect("plan loads");
    let today = juris::date::parse("2026-06-01").expect("date");
    let report = set
        .evaluate(&inventory, &RunOptions::new(today))
        .expect("runs");
    let outcomes: Vec<(&str, FindingOutcome)> = report
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("T-ARN", FindingOutcome::Violation),
            ("T-VERSIONED", FindingOutcome::Undetermined)
        ]
    );
    assert!(
        report.findings[1]
            .message
            .ends_with("versioning is (unknown)"),
        "{}",
        report.findings[1].message
    );

    let module = juris::wasm::compile(set.program(), &CompileOptions { today }).expect("module");
    let module = WasmPolicy::load(&module, Limits::default()).expect("loads");
    let wasm = module
        .evaluate(&serde_json::to_vec(&inventory).expect("json"))
        .expect("module runs");
    let mut native = serde_json::to_string_pretty(&report).expect("json");
    native.push('\n');
    assert_eq!(native, wasm);
}
