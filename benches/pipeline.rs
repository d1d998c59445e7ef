//! Pipeline benchmarks: loading a Terraform plan against the serde_json skim of the
//! same bytes, and the standard rules through the evaluator and through the compiled
//! WebAssembly module on the same inventory. (The language stages are in
//! `benches/language.rs`; the end-to-end comparison with OPA and regorus is `bench/`.)
//!
//! `cargo bench --bench pipeline`

use juris::PolicySet;
use juris::adapters::{LoadOptions, Projection, load_bytes};
use juris::catalog::Catalog;
use juris::runner::RunOptions;
use juris::wasm::{CompileOptions, Limits, WasmPolicy};
use serde::Deserialize;
use serde::de::IgnoredAny;

fn main() {
    divan::main();
}

const RESOURCES: usize = 10_000;

/// A plan in the real `terraform show -json` shape: provider aliases, a region from a
/// variable, tags on buckets and databases, planned values beside the changes.
fn plan(n: usize) -> Vec<u8> {
    let mut changes = Vec::with_capacity(n);
    let mut planned = Vec::with_capacity(n);
    for i in 0..n {
        let (ty, provider) = match i % 4 {
            0 => ("aws_s3_bucket", "registry.terraform.io/hashicorp/aws"),
            1 => ("aws_db_instance", "registry.terraform.io/hashicorp/aws"),
            2 => ("aws_iam_role", "registry.terraform.io/hashicorp/aws"),
            _ => (
                "alicloud_oss_bucket",
                "registry.terraform.io/aliyun/alicloud",
            ),
        };
        let after = serde_json::json!({
            "bucket": format!("bucket-{i}"),
            "acl": "private",
            "force_destroy": false,
            "versioning": [{"enabled": true, "mfa_delete": false}],
            "lifecycle_rule": [{"id": "expire", "enabled": true, "expiration": [{"days": 30}]}],
            "tags": {"data-classification": if i % 3 == 0 { "pii" } else { "internal" },
                     "data-subjects": "US", "owner": format!("team-{}", i % 17)},
        });
        changes.push(serde_json::json!({
            "address": format!("{ty}.r{i}"), "mode": "managed", "type": ty, "name": format!("r{i}"),
            "provider_name": provider,
            "change": {"actions": ["create"], "before": null, "after": after,
                       "after_unknown": {"arn": true, "id": true}, "before_sensitive": false,
                       "after_sensitive": {}}
        }));
        planned.push(serde_json::json!({
            "address": format!("{ty}.r{i}"), "mode": "managed", "type": ty, "name": format!("r{i}"),
            "provider_name": provider, "schema_version": 0, "values": after, "sensitive_values": {}
        }));
    }
    let doc = serde_json::json!({
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "variables": {"region": {"value": "us-east-1"}},
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {"provider_config": {
            "aws": {"name": "aws", "expressions": {"region": {"references": ["var.region"]}}},
            "alicloud": {"name": "alicloud", "expressions": {"region": {"constant_value": "us-west-1"}}}
        }}
    });
    serde_json::to_vec(&doc).unwrap_or_default()
}

/// The floor: what reading `resource_changes` costs when everything else is skipped.
#[derive(Deserialize)]
struct Skim {
    #[allow(dead_code)]
    resource_changes: Vec<SkimChange>,
}

#[derive(Deserialize)]
struct SkimChange {
    #[allow(dead_code)]
    address: String,
    #[allow(dead_code)]
    r#type: String,
    #[allow(dead_code)]
    provider_name: String,
    #[allow(dead_code)]
    change: IgnoredAny,
}

#[divan::bench]
fn skim_plan_10k(bencher: divan::Bencher) {
    let bytes = plan(RESOURCES);
    bencher.bench(|| serde_json::from_slice::<Skim>(&bytes).map(|s| s.resource_changes.len()));
}

#[divan::bench]
fn load_plan_10k(bencher: divan::Bencher) {
    let bytes = plan(RESOURCES);
    let catalog = Catalog::builtin();
    let mut options = LoadOptions::new(&catalog);
    options.projection = Projection::Keys(Default::default());
    bencher.bench(|| load_bytes("plan.json", &bytes, &options).map(|i| i.resources.len()));
}

fn today() -> i32 {
    juris::date::parse("2026-11-26").unwrap_or(0)
}

fn standard_and_inventory() -> (PolicySet, juris::model::Inventory) {
    let set =
        PolicySet::compile_standard(Vec::new()).unwrap_or_else(|d| panic!("{}", d.render_plain()));
    let catalog = Catalog::builtin();
    // As `juris check` loads it: only the attributes the policies read.
    let mut options = LoadOptions::new(&catalog);
    if let Some(keys) = set.program().attribute_keys() {
        options.projection = Projection::Keys(keys);
    }
    let inventory =
        load_bytes("plan.json", &plan(RESOURCES), &options).unwrap_or_else(|e| panic!("{e}"));
    (set, inventory)
}

#[divan::bench(sample_count = 10)]
fn standard_rules_native_10k(bencher: divan::Bencher) {
    let (set, inventory) = standard_and_inventory();
    bencher.bench_local(|| {
        set.evaluate(&inventory, &RunOptions::new(today()))
            .map(|r| r.findings.len())
    });
}

/// The native evaluator and the JSON report it writes: the same output the module
/// returns.
#[divan::bench(sample_count = 10)]
fn standard_rules_native_json_10k(bencher: divan::Bencher) {
    let (set, inventory) = standard_and_inventory();
    bencher.bench_local(|| {
        set.evaluate(&inventory, &RunOptions::new(today()))
            .map(|r| serde_json::to_vec(&r).map(|v| v.len()).unwrap_or(0))
    });
}

/// The same on one thread, as the module runs: the like-for-like comparison.
#[divan::bench(sample_count = 10)]
fn standard_rules_native_json_one_thread_10k(bencher: divan::Bencher) {
    let (set, inventory) = standard_and_inventory();
    let options = RunOptions {
        threads: 1,
        ..RunOptions::new(today())
    };
    bencher.bench_local(|| {
        set.evaluate(&inventory, &options)
            .map(|r| serde_json::to_vec(&r).map(|v| v.len()).unwrap_or(0))
    });
}

/// Instantiate, copy the inventory in, evaluate, read the report out.
#[divan::bench(sample_count = 10)]
fn standard_rules_wasm_10k(bencher: divan::Bencher) {
    let (set, inventory) = standard_and_inventory();
    let module = juris::wasm::compile(set.program(), &CompileOptions { today: today() })
        .unwrap_or_else(|e| panic!("{e}"));
    let module = WasmPolicy::load(&module, Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    let input = serde_json::to_vec(&inventory).unwrap_or_default();
    bencher.bench_local(|| module.evaluate(&input).map(|s| s.len()));
}

/// Compiling the standard policies to a module (front end excluded).
#[divan::bench(sample_count = 10)]
fn compile_standard_to_wasm(bencher: divan::Bencher) {
    let set =
        PolicySet::compile_standard(Vec::new()).unwrap_or_else(|d| panic!("{}", d.render_plain()));
    bencher.bench(|| {
        juris::wasm::compile(set.program(), &CompileOptions { today: today() }).map(|m| m.len())
    });
}
