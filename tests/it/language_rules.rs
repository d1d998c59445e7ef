//! Rules: metadata (every key, defaults, validation), selection of resources by type,
//! provider, tag and address glob, and the `for` / `where` / `let` / verdict clauses.

use crate::language_support as support;

use juris::ir::{Enforcement, Severity};
use support::*;

fn rule_with_meta(meta: &str) -> String {
    format!(
        "package t\n/// Documented here.\nrule my_rule {{\n{meta}\n  for r in resources\n  deny if false\n}}\n"
    )
}

#[test]
fn every_metadata_key() {
    let set = compile_ok(&rule_with_meta(
        r#"  id: "ACME-001"
  title: "Buckets stay home"
  severity: critical
  enforce: soft
  undetermined: allow
  references: ["GDPR Art. 45", "15 CFR 791.4"]
  remediation: "Move it."
  description: "Why it matters.""#,
    ));
    let m = set.rules()[0];
    assert_eq!(m.id, "ACME-001");
    assert_eq!(m.name, "t.my_rule");
    assert_eq!(m.title, "Buckets stay home");
    assert_eq!(m.severity, Severity::Critical);
    assert_eq!(m.enforcement, Enforcement::Soft);
    assert!(!m.undetermined_blocks);
    assert_eq!(m.references, ["GDPR Art. 45", "15 CFR 791.4"]);
    assert_eq!(m.remediation.as_deref(), Some("Move it."));
    assert_eq!(m.description.as_deref(), Some("Why it matters."));
    assert_eq!(m.source, "deny if false");
    assert_eq!(m.position.to_string(), "test.juris:3:6");
}

#[test]
fn metadata_defaults() {
    let set = compile_ok(&rule_with_meta(
        r#"  id: "A-1" severity: low enforce: advisory"#,
    ));
    let m = set.rules()[0];
    assert_eq!(m.title, "my rule", "the title defaults to the rule name");
    assert!(
        m.undetermined_blocks,
        "undetermined blocks by default (fail closed)"
    );
    assert!(m.references.is_empty());
    assert_eq!(m.remediation, None);
    assert_eq!(
        m.description.as_deref(),
        Some("Documented here."),
        "doc comments describe"
    );
}

#[test]
fn metadata_values_in_every_accepted_spelling() {
    for (text, level) in [
        ("advisory", Enforcement::Advisory),
        ("soft", Enforcement::Soft),
        ("\"soft-mandatory\"", Enforcement::Soft),
        ("hard_mandatory", Enforcement::Hard),
        ("\"hard\"", Enforcement::Hard),
    ] {
        let set = compile_ok(&rule_with_meta(&format!(
            "  id: \"A\" severity: low enforce: {text}"
        )));
        assert_eq!(set.rules()[0].enforcement, level, "{text}");
    }
    for (i, name) in ["info", "low", "medium", "high", "critical"]
        .iter()
        .enumerate()
    {
        let set = compile_ok(&rule_with_meta(&format!(
            "  id: \"A\" severity: {name} enforce: hard"
        )));
        assert_eq!(set.rules()[0].severity.as_str(), *name);
        assert_eq!(set.rules()[0].severity as usize, i);
    }
    // One reference may be written without a list; undetermined: block is the default.
    let set = compile_ok(&rule_with_meta(
        "  id: \"A\" severity: low enforce: hard references: \"one\" undetermined: block",
    ));
    assert_eq!(set.rules()[0].references, ["one"]);
    assert!(set.rules()[0].undetermined_blocks);
}

#[test]
fn metadata_validation_errors() {
    let cases: &[(&str, &[&str])] = &[
        ("severity: low enforce: hard", &["juris::E0401"]),
        ("id: \"A\" enforce: hard", &["juris::E0401"]),
        ("id: \"A\" severity: low", &["juris::E0401"]),
        ("", &["juris::E0401", "juris::E0401", "juris::E0401"]),
        ("id: \"A\" severity: low enforce: strict", &["juris::E0403"]),
        (
            "id: \"A\" severity: urgent enforce: hard",
            &["juris::E0404"],
        ),
        (
            "id: \"A\" severity: low enforce: hard owner: \"me\"",
            &["juris::E0405"],
        ),
        (
            "id: \"A\" id: \"B\" severity: low enforce: hard",
            &["juris::E0406"],
        ),
        ("id: 7 severity: low enforce: hard", &["juris::E0407"]),
        ("id: \"\" severity: low enforce: hard", &["juris::E0407"]),
        (
            "id: \"A\" severity: low enforce: hard undetermined: maybe",
            &["juris::E0407"],
        ),
        (
            "id: \"A\" severity: low enforce: hard title: \"{x}\"",
            &["juris::E0407"],
        ),
        (
            "id: \"A\" severity: low enforce: hard references: [1]",
            &["juris::E0407"],
        ),
        ("id: \"A\" severity: 3 enforce: hard", &["juris::E0407"]),
    ];
    for (meta, codes) in cases {
        let got = error_codes(&rule_with_meta(meta));
        assert_eq!(got, *codes, "{meta}");
    }
    let d = compile_err(&rule_with_meta("id: \"A\" severity: low enforce: hardd"));
    assert!(d.render_plain().contains("did you mean `hard`?"));
    let d = compile_err(&rule_with_meta(
        "id: \"A\" severity: low enforce: hard titel: \"x\"",
    ));
    assert!(d.render_plain().contains("did you mean `title`?"));
}

#[test]
fn rule_ids_are_unique_across_the_policy_set() {
    let a = "package a\nrule x { id: \"DUP\" severity: low enforce: hard for r in resources deny if false }\n";
    let b = "package b\nrule y { id: \"DUP\" severity: low enforce: hard for r in resources deny if false }\n";
    let d = files_err(&[("a.juris", a), ("b.juris", b)]);
    assert_eq!(d.codes(), ["juris::E0402"]);
    let text = d
        .render_plain()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("first used at a.juris:2:"), "{text}");
}

fn inventory_for_selection() -> juris::model::Inventory {
    inventory(vec![
        resource(
            "aws_s3_bucket.a",
            serde_json::json!({"tags": {"env": "prod"}}),
        ),
        resource(
            "aws_s3_bucket.b",
            serde_json::json!({"tags": {"env": "dev"}}),
        ),
        resource("module.app.aws_db_instance.main", serde_json::json!({})),
        resource(
            "alicloud_oss_bucket.c",
            serde_json::json!({"provider": {"source": "aliyun/alicloud", "family": "alicloud",
                "company": "Alibaba Cloud", "jurisdiction": "CN"}}),
        ),
        resource(
            "aws_s3_bucket.gone",
            serde_json::json!({"actions": ["delete"]}),
        ),
    ])
}

fn selected(where_clause: &str) -> Vec<String> {
    let set = compile_ok(&rule_src(
        "",
        &format!("  where {where_clause}\n  deny if true"),
    ));
    let report = run(&set, &inventory_for_selection());
    report.findings.into_iter().map(|f| f.address).collect()
}

#[test]
fn selection_by_type_provider_tag_and_address() {
    assert_eq!(
        selected("r.type == \"aws_s3_bucket\""),
        ["aws_s3_bucket.a", "aws_s3_bucket.b", "aws_s3_bucket.gone"]
    );
    assert_eq!(
        selected("r.provider.source == \"aliyun/alicloud\""),
        ["alicloud_oss_bucket.c"]
    );
    assert_eq!(
        selected("r.provider.family == \"alicloud\""),
        ["alicloud_oss_bucket.c"]
    );
    assert_eq!(selected("tag(r, \"env\") == \"prod\""), ["aws_s3_bucket.a"]);
    assert_eq!(
        selected("\"env\" in r.tags"),
        ["aws_s3_bucket.a", "aws_s3_bucket.b"]
    );
    assert_eq!(
        selected("glob(r.address, \"module.app.*\")"),
        ["module.app.aws_db_instance.main"]
    );
    assert_eq!(
        selected("r.type in {\"aws_db_instance\", \"alicloud_oss_bucket\"}"),
        ["alicloud_oss_bucket.c", "module.app.aws_db_instance.main"]
    );
    assert_eq!(
        selected("\"delete\" not in r.actions and r.name == \"gone\""),
        Vec::<String>::new()
    );
    assert_eq!(
        selected("r.mode == \"managed\" and r.name == \"main\""),
        ["module.app.aws_db_instance.main"]
    );
}

#[test]
fn where_and_let_clauses_run_in_order() {
    let set = compile_ok(&rule_src(
        "",
        "  let env = tag(r, \"env\")\n  where env != null\n  let loud = upper(env)\n  where loud == \"PROD\"\n  deny if true\n  message \"{r.address} is {loud}\"",
    ));
    let report = run(&set, &inventory_for_selection());
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].message, "aws_s3_bucket.a is PROD");
    assert_eq!(report.summary.evaluated, 1);
}

#[test]
fn deny_if_and_require_are_opposites() {
    let deny = compile_ok(&rule_src("", "  deny if r.provider.jurisdiction == \"CN\""));
    let require = compile_ok(&rule_src("", "  require r.provider.jurisdiction != \"CN\""));
    let a = run(&deny, &inventory_for_selection());
    let b = run(&require, &inventory_for_selection());
    assert_eq!(a.findings, b.findings);
    assert_eq!(a.findings.len(), 1);
}

#[test]
fn default_message_is_address_and_title() {
    let set = compile_ok(&rule_src("", "  deny if r.name == \"a\""));
    let report = run(&set, &inventory_for_selection());
    assert_eq!(report.findings[0].message, "aws_s3_bucket.a: r");
}

#[test]
fn conditions_must_be_booleans() {
    assert_eq!(
        error_codes(&rule_src("", "  deny if r.name")),
        ["juris::E0301"]
    );
    assert_eq!(
        error_codes(&rule_src("", "  where 1\n  deny if true")),
        ["juris::E0301"]
    );
    assert_eq!(
        error_codes(&rule_src("", "  deny if r.nme == \"x\"")),
        ["juris::E0202"]
    );
    let d = compile_err(&rule_src("", "  deny if r.nme == \"x\""));
    assert!(d.render_plain().contains("did you mean `name`?"));
}

#[test]
fn unused_lets_warn() {
    let set = compile_ok(&rule_src(
        "",
        "  let unused = 1\n  let _quiet = 2\n  deny if false",
    ));
    assert_eq!(set.warnings().codes(), ["juris::W0101"]);
}

#[test]
fn record_fields_of_the_model() {
    let cases = [
        ("r.address", "aws_s3_bucket.logs"),
        ("r.type", "aws_s3_bucket"),
        ("r.name", "logs"),
        ("r.mode", "managed"),
        ("r.actions", "create"),
        ("r.input", "(none)"),
        ("r.provider", "hashicorp/aws"),
        ("r.provider.source", "hashicorp/aws"),
        ("r.provider.alias", "(none)"),
        ("r.provider.family", "aws"),
        ("r.provider.company", "Amazon Web Services, Inc."),
        ("r.provider.jurisdiction", "US"),
        ("r.location", "us-east-1 (US)"),
        ("r.location.region", "us-east-1"),
        ("r.location.countries", "US"),
        ("r.location.operator", "(none)"),
        ("r.location.derivation", "provider configuration"),
        ("r.custody", "Amazon Web Services, Inc. ((unknown))"),
        ("r.custody.company", "Amazon Web Services, Inc."),
        ("r.flows[0].kind", "s3-replication"),
        ("r.flows[0].target", "aws_s3_bucket.replica"),
        ("r.flows[0].in_inventory", "true"),
        ("r.flows[0].via", "replication_configuration"),
        ("r.flows[0].depth", "1"),
        ("r.flows[0].location", "eu-west-1 (IE)"),
        ("r.flows[0].custody.jurisdiction", "US"),
        ("r.attributes.bucket", "acme-logs"),
        ("r.attributes[\"bucket\"]", "acme-logs"),
        ("r.attributes.versioning[0].enabled", "true"),
        ("r.attributes.names[1]", "b"),
        ("r.attributes.names[7]", "(none)"),
        ("r.attributes.names[-1]", "(none)"),
        ("r.tags[\"team\"]", "Core"),
    ];
    for (expr, want) in cases {
        assert_eq!(show(expr), want, "{expr}");
    }
    let china = resource(
        "aws_s3_bucket.cn",
        serde_json::json!({"location": {"region": "cn-north-1", "countries": ["CN"],
            "operator": {"name": "Sinnet", "jurisdiction": "CN"}, "derivation": "d"}}),
    );
    let set = compile_ok(&rule_src(
        "",
        "  deny if true\n  message \"{r.location.operator} {r.location.operator.name} {r.location.operator.jurisdiction}\"",
    ));
    let report = run(&set, &inventory(vec![china]));
    assert_eq!(report.findings[0].message, "Sinnet (CN) Sinnet CN");
}
