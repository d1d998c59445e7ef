//! Language benchmarks: compiling a policy set, and evaluating rules over many
//! resources built in memory (input loading is not measured).
//!
//! `cargo bench --bench language`

use juris::PolicySet;
use juris::diag::SourceFile;
use juris::eval::Evaluator;
use juris::model::{Custody, Inventory, Known, Location, Provider, Resource};
use juris::runner::RunOptions;

fn main() {
    divan::main();
}

/// 100 rules shaped like the shipped ones: selection through helpers, set
/// membership, quantifiers over flows, interpolated messages.
fn hundred_rules() -> String {
    let mut s = String::from(
        "package bench.rules\n\nimport juris.groups\nimport juris.classification as cls\n\n",
    );
    for i in 0..100 {
        let (cond, select) = match i % 5 {
            0 => (
                "r.custody.jurisdiction not in groups.foreign_adversaries",
                "cls.holds_us_protected_data(r)",
            ),
            1 => (
                "r.location.countries subset groups.eea union groups.gdpr_adequate",
                "cls.holds_eea_protected_data(r)",
            ),
            2 => (
                "all f in r.flows: f.location.countries subset {\"US\"} and f.custody.jurisdiction not in groups.foreign_adversaries",
                "cls.is_data_holding(r)",
            ),
            3 => (
                "tag(r, \"data-classification\") != null and known(r.location)",
                "r.type == \"aws_s3_bucket\" or glob(r.address, \"module.data.*\")",
            ),
            _ => (
                "not regex(r.name, r\"^(tmp|test)-\") or r.provider.family == \"aws\"",
                "r.mode == \"managed\" and \"delete\" not in r.actions",
            ),
        };
        s.push_str(&format!(
            "/// Rule number {i}.\nrule rule_{i} {{\n  id: \"BENCH-{i:03}\"\n  title: \"Benchmark rule {i}\"\n  severity: high\n  enforce: soft\n  references: [\"15 CFR 791.4\"]\n  for r in resources\n  where {select}\n  let region = r.location.region\n  require {cond}\n  message \"{{r.address}} in {{region}} held by {{r.custody.company}} ({{r.custody.jurisdiction}})\"\n}}\n\n"
        ));
    }
    s
}

/// Parse, check and lower the standard library plus 100 rules.
#[divan::bench]
fn compile_100_rules(bencher: divan::Bencher) {
    let text = hundred_rules();
    bencher.bench(|| {
        let set = PolicySet::compile(vec![SourceFile::new("bench.juris", text.as_str())]);
        assert!(set.is_ok());
        set
    });
}

/// The standard library and shipped rules as `juris check` gets them without policies of
/// its own: decoded from the prebuilt artifact (`prebuilt/`).
#[divan::bench]
fn standard_set_prebuilt(bencher: divan::Bencher) {
    bencher.bench(|| PolicySet::compile_standard(Vec::new()).is_ok());
}

/// The same set parsed, checked and lowered from source, as it is when the user adds a
/// policy file (here an empty package): the cost the artifact saves.
#[divan::bench]
fn standard_set_from_source(bencher: divan::Bencher) {
    bencher.bench(|| {
        PolicySet::compile_standard(vec![SourceFile::new("empty.juris", "package acme\n")]).is_ok()
    });
}

/// The built-in catalog as every run gets it: decoded from the prebuilt artifact.
#[divan::bench]
fn builtin_catalog_prebuilt(bencher: divan::Bencher) {
    bencher.bench(juris::Catalog::builtin);
}

/// The built-in catalog read and checked from its TOML files.
#[divan::bench]
fn builtin_catalog_from_source(bencher: divan::Bencher) {
    bencher.bench(juris::catalog::prebuilt::from_source);
}

fn resource(i: usize) -> Resource {
    let (ty, juris, company, country) = match i % 10 {
        0 => ("alicloud_oss_bucket", "CN", "Alibaba Cloud", "CN"),
        1 | 2 => ("aws_instance", "US", "Amazon Web Services, Inc.", "US"),
        3 => ("aws_s3_bucket", "US", "Amazon Web Services, Inc.", "DE"),
        _ => ("aws_s3_bucket", "US", "Amazon Web Services, Inc.", "US"),
    };
    let mut tags = indexmap::IndexMap::new();
    if i.is_multiple_of(4) {
        tags.insert(
            "data-classification".to_owned(),
            Known::Known("pii".to_owned()),
        );
        tags.insert("data-subjects".to_owned(), Known::Known("us,eu".to_owned()));
    }
    Resource {
        address: format!("{ty}.r{i}"),
        resource_type: ty.to_owned(),
        name: format!("r{i}"),
        mode: "managed".to_owned(),
        actions: vec!["create".to_owned()],
        input: None,
        provider: Provider {
            source: "hashicorp/aws".to_owned(),
            alias: None,
            family: Some("aws".to_owned()),
            company: Known::Known(company.to_owned()),
            jurisdiction: Known::Known(juris.to_owned()),
        },
        location: Location {
            region: Known::Known(Some("us-east-1".to_owned())),
            countries: Known::Known(vec![country.to_owned()]),
            operator: None,
            derivation: "provider configuration".to_owned(),
        },
        custody: Custody {
            company: Known::Known(company.to_owned()),
            jurisdiction: Known::Known(juris.to_owned()),
            chain: Custody::holder_alone(
                &Known::Known(company.to_owned()),
                &Known::Known(juris.to_owned()),
            ),
        },
        tags: Known::Known(tags),
        attributes: serde_json::json!({}),
        unknown_attributes: serde_json::Value::Null,
        flows: Vec::new(),
        source: None,
    }
}

fn inventory(n: usize) -> Inventory {
    Inventory {
        version: 1,
        today: None,
        inputs: Vec::new(),
        resources: (0..n).map(resource).collect(),
        warnings: Vec::new(),
        sources: Default::default(),
    }
}

const SIMPLE: &str = "package bench\nimport juris.groups\nrule simple {\n  id: \"B-1\" severity: high enforce: hard\n  for r in resources\n  where r.type == \"aws_s3_bucket\"\n  deny if r.custody.jurisdiction in groups.foreign_adversaries\n}\n";

/// One simple rule over 100,000 resources: the evaluator alone.
#[divan::bench]
fn evaluate_simple_rule_100k(bencher: divan::Bencher) {
    let set = PolicySet::compile(vec![SourceFile::new("simple.juris", SIMPLE)])
        .unwrap_or_else(|d| panic!("{}", d.render_plain()));
    let inv = inventory(100_000);
    let program = set.program();
    let rule = &program.rules[0];
    let mut ev = Evaluator::new(program, set.compiled(), 20_000);
    bencher.bench_local(|| {
        let mut violations = 0usize;
        let resources = &inv.resources;
        for (i, r) in resources.iter().enumerate() {
            // As the runner does: the next resources load while this one is evaluated.
            juris::eval::prefetch_ahead(resources, i);
            if ev.rule(rule, r) == Some(juris::eval::Outcome::Violation) {
                violations += 1;
            }
        }
        violations
    });
}

/// The floor: the same test written directly in Rust over the same resources.
#[divan::bench]
fn native_floor_simple_rule_100k(bencher: divan::Bencher) {
    let inv = inventory(100_000);
    let adversaries: rustc_hash::FxHashSet<&str> = ["CN", "CU", "HK", "IR", "KP", "MO", "RU", "VE"]
        .into_iter()
        .collect();
    bencher.bench_local(|| {
        let mut violations = 0usize;
        for r in &inv.resources {
            if r.resource_type == "aws_s3_bucket"
                && matches!(&r.custody.jurisdiction, Known::Known(j) if adversaries.contains(j.as_str()))
            {
                violations += 1;
            }
        }
        violations
    });
}

/// The same rule through the runner (report, evidence and messages for findings).
#[divan::bench]
fn run_simple_rule_100k(bencher: divan::Bencher) {
    let set = PolicySet::compile(vec![SourceFile::new("simple.juris", SIMPLE)])
        .unwrap_or_else(|d| panic!("{}", d.render_plain()));
    let inv = inventory(100_000);
    bencher.bench_local(|| {
        set.evaluate(&inv, &RunOptions::new(20_000))
            .map(|r| r.findings.len())
    });
}

/// The standard rules over 100,000 resources (every rule, every resource).
#[divan::bench(sample_count = 10)]
fn run_standard_rules_100k(bencher: divan::Bencher) {
    let set =
        PolicySet::compile_standard(Vec::new()).unwrap_or_else(|d| panic!("{}", d.render_plain()));
    let inv = inventory(100_000);
    bencher.bench_local(|| {
        set.evaluate(&inv, &RunOptions::new(20_000))
            .map(|r| r.findings.len())
    });
}
