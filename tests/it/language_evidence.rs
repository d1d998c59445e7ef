//! Evidence: the values that decided a finding, keyed by the source text that
//! produced them.

use crate::language_support as support;

use serde_json::json;
use support::*;

#[test]
fn field_reads_and_calls_are_recorded_under_their_source_text() {
    let ev = evidence(
        "",
        "r.location.region == \"us-east-1\" and tag(r, \"team\") == \"Core\"",
    );
    assert_eq!(
        ev,
        json!({"r.location.region": "us-east-1", "tag(r, \"team\")": "Core"})
    );
}

#[test]
fn records_render_as_objects() {
    let ev = evidence("", "known(r.location) and r.custody.company != \"x\"");
    assert_eq!(
        ev,
        json!({"known(r.location)": true, "r.custody.company": "Amazon Web Services, Inc."})
    );
    let ev = evidence("", "r.location.countries subset {\"US\"}");
    assert_eq!(ev, json!({"r.location.countries": ["US"]}));
}

#[test]
fn unknown_values_are_marked() {
    let set = compile_ok(&rule_src(
        "",
        "  deny if r.custody.jurisdiction in groups.foreign_adversaries",
    ));
    let report = run(&set, &inventory(vec![subject()]));
    assert_eq!(report.findings[0].outcome.as_str(), "undetermined");
    let ev = serde_json::to_value(&report.findings[0].evidence).unwrap();
    assert_eq!(ev, json!({"r.custody.jurisdiction": {"unknown": true}}));
}

#[test]
fn only_the_outermost_read_is_recorded() {
    // `lower(r.name)` is observed as a whole; `r.name` inside it is not.
    let ev = evidence("", "lower(r.name) == \"logs\"");
    assert_eq!(ev, json!({"lower(r.name)": "logs"}));
}

#[test]
fn whitespace_in_labels_is_collapsed() {
    let ev = evidence("", "tag(r,\n      \"team\") == \"Core\"");
    assert_eq!(ev, json!({"tag(r, \"team\")": "Core"}));
}

#[test]
fn quantifiers_record_their_witness() {
    // `any` records the element that made it true.
    let inv = inventory(vec![resource(
        "aws_s3_bucket.a",
        json!({"flows": [flow("b1", "US", "US"), flow("b2", "DE", "US"), flow("b3", "FR", "US")]}),
    )]);
    let set = compile_ok(&rule_src(
        "",
        "  deny if any f in r.flows: f.location.countries subset {\"DE\"}",
    ));
    let report = run(&set, &inv);
    let ev = serde_json::to_value(&report.findings[0].evidence).unwrap();
    assert_eq!(ev["f"]["target"], "b2");
    assert_eq!(ev["f.location.countries"], json!(["DE"]));
    // `all` (through `require`) records the element that made it false.
    let set = compile_ok(&rule_src(
        "",
        "  require all f in r.flows: f.location.countries subset {\"US\"}",
    ));
    let report = run(&set, &inv);
    let ev = serde_json::to_value(&report.findings[0].evidence).unwrap();
    assert_eq!(ev["f"]["target"], "b2");
    assert_eq!(ev["f.location.countries"], json!(["DE"]));
}

#[test]
fn a_deciding_witness_wins_over_an_earlier_unknown_element() {
    let inv = inventory(vec![resource(
        "aws_s3_bucket.a",
        json!({"flows": [unknown_flow("b0"), flow("b1", "CN", "CN")]}),
    )]);
    let set = compile_ok(&rule_src(
        "",
        "  deny if any f in r.flows: f.custody.jurisdiction == \"CN\"",
    ));
    let report = run(&set, &inv);
    assert_eq!(report.findings[0].outcome.as_str(), "violation");
    let ev = serde_json::to_value(&report.findings[0].evidence).unwrap();
    assert_eq!(ev["f"]["target"], "b1", "{ev}");
    assert_eq!(ev["f.custody.jurisdiction"], "CN", "{ev}");
}

#[test]
fn an_undecided_quantifier_records_its_first_unknown_element() {
    let inv = inventory(vec![resource(
        "aws_s3_bucket.a",
        json!({"flows": [flow("b1", "US", "US"), unknown_flow("b2"), unknown_flow("b3")]}),
    )]);
    let set = compile_ok(&rule_src(
        "",
        "  deny if any f in r.flows: f.custody.jurisdiction == \"CN\"",
    ));
    let report = run(&set, &inv);
    assert_eq!(report.findings[0].outcome.as_str(), "undetermined");
    let ev = serde_json::to_value(&report.findings[0].evidence).unwrap();
    assert_eq!(ev["f"]["target"], "b2", "{ev}");
    assert_eq!(ev["f.custody.jurisdiction"], json!({"unknown": true}));
}

#[test]
fn the_first_observation_of_a_label_wins() {
    let ev = evidence("", "r.name == \"x\" or r.name == \"logs\"");
    assert_eq!(ev, json!({"r.name": "logs"}));
    let ev = evidence("", "any x in [1, 2]: r.attributes.size > x");
    assert_eq!(ev["x"], 1);
}

#[test]
fn nothing_is_recorded_inside_function_bodies() {
    let decls =
        "fn is_aws(p: provider) -> bool { p.source == \"hashicorp/aws\" and p.family == \"aws\" }";
    let ev = evidence(decls, "is_aws(r.provider)");
    assert_eq!(ev, json!({"is_aws(r.provider)": true}));
}

#[test]
fn where_and_let_clauses_contribute_evidence() {
    let ev = evidence("", "r.name == \"logs\"");
    assert_eq!(ev, json!({"r.name": "logs"}));
    let set = compile_ok(&rule_src(
        "",
        "  where r.type == \"aws_s3_bucket\"\n  let c = r.location.countries\n  deny if \"US\" in c",
    ));
    let report = run(&set, &inventory(vec![subject()]));
    let ev = serde_json::to_value(&report.findings[0].evidence).unwrap();
    assert_eq!(
        ev,
        json!({"r.type": "aws_s3_bucket", "r.location.countries": ["US"]})
    );
}

#[test]
fn messages_are_not_evidence() {
    let set = compile_ok(&rule_src(
        "",
        "  deny if true\n  message \"{r.location.region}\"",
    ));
    let report = run(&set, &inventory(vec![subject()]));
    assert!(report.findings[0].evidence.is_empty());
}

fn flow(target: &str, country: &str, jurisdiction: &str) -> serde_json::Value {
    json!({
        "kind": "s3-replication", "target": target, "via": "replication_configuration",
        "location": {"region": "r", "countries": [country], "derivation": "d"},
        "custody": {"company": "C", "jurisdiction": jurisdiction}
    })
}

fn unknown_flow(target: &str) -> serde_json::Value {
    json!({
        "kind": "s3-replication", "target": target, "via": "replication_configuration",
        "location": {"region": {"unknown": true}, "countries": {"unknown": true}, "derivation": "d"},
        "custody": {"company": {"unknown": true}, "jurisdiction": {"unknown": true}}
    })
}
