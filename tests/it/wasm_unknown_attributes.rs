//! `unknown_attributes` (Terraform's `after_unknown` tree, pruned to `true` leaves)
//! is navigated in parallel with `attributes`: a value under a `true` leaf is
//! unknown. The evaluator's side of this is being wired in parallel
//! (`eval::unknown_tree`), so these expectations are written out by hand.

use juris::PolicySet;
use juris::diag::SourceFile;
use juris::wasm::{CompileOptions, Limits, WasmPolicy, compile};
use serde_json::{Value, json};

const POLICY: &str = r#"
package u

rule arn {
  id: "U-1"  severity: high  enforce: hard
  for r in resources
  deny if r.attributes.arn != "arn:aws:s3:::expected"
  message "arn {r.attributes.arn}"
}

rule owner_tag {
  id: "U-2"  severity: low  enforce: soft
  for r in resources
  deny if r.attributes.tags.owner == null or r.attributes.tags.env != "prod"
}

rule fully_known {
  id: "U-3"  severity: low  enforce: advisory
  for r in resources
  deny if not known(r.attributes)
  message "known: {known(r.attributes.tags)} {known(r.attributes.tags.env)} {known(r.attributes.later)}"
}
"#;

fn run(unknown: Option<Value>) -> Value {
    let set = PolicySet::compile(vec![SourceFile::new("u.juris", POLICY)]).expect("compiles");
    let bytes = compile(set.program(), &CompileOptions { today: 20_783 }).expect("module");
    let policy = WasmPolicy::load(&bytes, Limits::default()).expect("loads");
    let mut resource = json!({
        "address": "aws_s3_bucket.b",
        "type": "aws_s3_bucket",
        "name": "b",
        "provider": {"source": "hashicorp/aws", "company": "Amazon Web Services", "jurisdiction": "US"},
        "location": {"region": "us-east-1", "countries": ["US"], "derivation": "provider"},
        "custody": {"company": "Amazon Web Services", "jurisdiction": "US"},
        "attributes": {"arn": null, "tags": {"owner": null, "env": "prod"}}
    });
    if let Some(u) = unknown {
        resource["unknown_attributes"] = u;
    }
    let doc = json!({"version": 1, "resources": [resource]});
    let out = policy
        .evaluate(doc.to_string().as_bytes())
        .expect("evaluates");
    serde_json::from_str(&out).expect("the report is JSON")
}

fn finding<'a>(report: &'a Value, rule: &str) -> Option<&'a Value> {
    report["findings"]
        .as_array()?
        .iter()
        .find(|f| f["rule"] == rule)
}

#[test]
fn values_under_true_leaves_are_unknown() {
    let report = run(Some(
        json!({"arn": true, "tags": {"owner": true}, "later": true}),
    ));
    let arn = finding(&report, "U-1").expect("U-1 has a finding");
    assert_eq!(arn["outcome"], "undetermined");
    assert_eq!(
        arn["evidence"]["r.attributes.arn"],
        json!({"unknown": true})
    );
    assert_eq!(arn["message"], "arn (unknown)");
    let owner = finding(&report, "U-2").expect("U-2 has a finding");
    assert_eq!(owner["outcome"], "undetermined");
    let known = finding(&report, "U-3").expect("U-3 has a finding");
    assert_eq!(known["outcome"], "violation");
    assert_eq!(known["message"], "known: false true false");
}

#[test]
fn without_the_tree_nulls_are_known() {
    let report = run(None);
    assert_eq!(
        finding(&report, "U-1").expect("U-1")["outcome"],
        "violation"
    );
    assert_eq!(
        finding(&report, "U-1").expect("U-1")["evidence"]["r.attributes.arn"],
        Value::Null
    );
    assert_eq!(
        finding(&report, "U-2").expect("U-2")["outcome"],
        "violation"
    );
    assert!(
        finding(&report, "U-3").is_none(),
        "attributes are fully known"
    );
}

#[test]
fn a_whole_unknown_subtree() {
    let report = run(Some(json!({"tags": true})));
    assert_eq!(
        finding(&report, "U-1").expect("U-1")["outcome"],
        "violation"
    );
    assert_eq!(
        finding(&report, "U-2").expect("U-2")["outcome"],
        "undetermined"
    );
    assert_eq!(
        finding(&report, "U-3").expect("U-3")["message"],
        "known: false false true"
    );
}
