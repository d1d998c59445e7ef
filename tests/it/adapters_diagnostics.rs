//! Bad input: every case gets a diagnostic that names the file, points at the spot (with
//! the JSON path where there is one) and says how to fix it. Never a panic.

use crate::adapters_common;

use std::io::Write;

use adapters_common::{fixture, render};
use juris::adapters::{AdapterError, LoadOptions, load_bytes, load_path};
use juris::catalog::Catalog;

fn refuse(name: &str, bytes: &[u8]) -> AdapterError {
    let catalog = Catalog::builtin();
    load_bytes(name, bytes, &LoadOptions::new(&catalog)).expect_err("input must be refused")
}

fn diagnostic(name: &str, bytes: &[u8]) -> String {
    render(&refuse(name, bytes))
}

/// A small valid plan to damage.
fn plan(address: &str, provider: &str, format_version: &str) -> String {
    format!(
        r#"{{
  "format_version": "{format_version}",
  "terraform_version": "1.9.5",
  "resource_changes": [
    {{
      "address": "aws_s3_bucket.ok",
      "mode": "managed", "type": "aws_s3_bucket", "name": "ok",
      "provider_name": "registry.terraform.io/hashicorp/aws",
      "change": {{ "actions": ["create"], "after": {{}}, "after_unknown": {{}} }}
    }},
    {{
      "address": {address},
      "mode": "managed", "type": "aws_s3_bucket", "name": "b",
      "provider_name": {provider},
      "change": {{ "actions": ["create"], "after": {{}}, "after_unknown": {{}} }}
    }}
  ]
}}
"#
    )
}

#[test]
fn not_json() {
    insta::assert_snapshot!(diagnostic("plan.json", b"hello, world\n"));
}

#[test]
fn hcl_instead_of_a_plan() {
    insta::assert_snapshot!(diagnostic(
        "main.tf",
        b"resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n"
    ));
}

#[test]
fn human_plan_output() {
    insta::assert_snapshot!(diagnostic(
        "plan.txt",
        b"\nTerraform used the selected providers to generate the following execution plan.\n"
    ));
}

#[test]
fn binary_plan_file() {
    insta::assert_snapshot!(diagnostic(
        "plan.out",
        b"PK\x03\x04\x14\x00\x08\x00\x08\x00tfplan"
    ));
}

#[test]
fn utf16_from_powershell() {
    insta::assert_snapshot!(diagnostic("plan.json", b"\xFF\xFE{\x00\"\x00"));
}

#[test]
fn empty_file() {
    insta::assert_snapshot!(diagnostic("plan.json", b"  \n"));
}

#[test]
fn truncated_json() {
    let text = plan(
        "\"aws_s3_bucket.b\"",
        "\"registry.terraform.io/hashicorp/aws\"",
        "1.2",
    );
    let cut = &text[..text
        .find("\"change\": { \"actions\": [\"create\"], \"after\": {}, \"after_unknown\"")
        .unwrap()
        + 20];
    let e = refuse("plan.json", cut.as_bytes());
    assert!(matches!(e, AdapterError::Truncated { .. }));
    insta::assert_snapshot!(render(&e));
}

#[test]
fn syntax_error_in_the_middle() {
    let text = plan(
        "\"aws_s3_bucket.b\"",
        "\"registry.terraform.io/hashicorp/aws\"",
        "1.2",
    )
    .replace(
        "\"mode\": \"managed\", \"type\": \"aws_s3_bucket\", \"name\": \"b\"",
        "\"mode\": \"managed\" \"type\": \"aws_s3_bucket\"",
    );
    insta::assert_snapshot!(diagnostic("plan.json", text.as_bytes()));
}

#[test]
fn wrong_shape() {
    let text = r#"{"format_version": "1.2", "resource_changes": [{"address": "a.b", "change": {"actions": "create"}}]}"#;
    let e = refuse("plan.json", text.as_bytes());
    assert!(
        matches!(&e, AdapterError::Shape { path, .. } if path == "resource_changes[0].change.actions")
    );
    insta::assert_snapshot!(render(&e));
}

#[test]
fn json_that_is_no_known_document() {
    insta::assert_snapshot!(diagnostic(
        "data.json",
        br#"{"name": "x", "items": [1, 2, 3]}"#
    ));
}

#[test]
fn raw_state_file() {
    insta::assert_snapshot!(diagnostic(
        "terraform.tfstate",
        br#"{"version": 4, "terraform_version": "1.9.5", "serial": 7, "lineage": "b1c2", "outputs": {}, "resources": []}"#
    ));
}

#[test]
fn cloudformation_template() {
    insta::assert_snapshot!(diagnostic(
        "stack.json",
        br#"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}"#
    ));
}

#[test]
fn a_json_array() {
    insta::assert_snapshot!(diagnostic("list.json", b"[1, 2]"));
}

#[test]
fn unsupported_format_version() {
    let text = plan(
        "\"aws_s3_bucket.b\"",
        "\"registry.terraform.io/hashicorp/aws\"",
        "2.0",
    );
    insta::assert_snapshot!(diagnostic("plan.json", text.as_bytes()));
}

#[test]
fn supported_format_versions() {
    let catalog = Catalog::builtin();
    for v in ["0.1", "0.2", "1.0", "1.2", "1.9"] {
        let text = plan("\"aws_s3_bucket.b\"", "\"aws\"", v);
        assert!(
            load_bytes("plan.json", text.as_bytes(), &LoadOptions::new(&catalog)).is_ok(),
            "{v}"
        );
    }
    for v in ["0.0", "2.0", "10.1", "one", ""] {
        let text = plan("\"aws_s3_bucket.b\"", "\"aws\"", v);
        assert!(
            matches!(
                refuse("plan.json", text.as_bytes()),
                AdapterError::UnsupportedFormat { .. }
            ),
            "{v}"
        );
    }
}

#[test]
fn unsupported_inventory_version() {
    insta::assert_snapshot!(diagnostic(
        "inventory.json",
        br#"{"version": 2, "resources": []}"#
    ));
}

#[test]
fn malformed_resource_address() {
    let text = plan(
        "\"aws_s3_bucket.b[\\\"logs]\"",
        "\"registry.terraform.io/hashicorp/aws\"",
        "1.2",
    );
    let e = refuse("plan.json", text.as_bytes());
    assert!(
        matches!(&e, AdapterError::BadAddress { path, .. } if path == "resource_changes[1].address")
    );
    insta::assert_snapshot!(render(&e));
}

#[test]
fn malformed_address_on_one_long_line() {
    // `terraform show -json` writes one line; the diagnostic shows a window of it.
    let text = std::fs::read_to_string(fixture("plans/aws-flows.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut compact = serde_json::to_string(&value).unwrap();
    compact = compact.replace(
        "\"address\":\"aws_db_instance.primary\"",
        "\"address\":\"aws_db_instance..primary\"",
    );
    insta::assert_snapshot!(diagnostic("plan.json", compact.as_bytes()));
}

#[test]
fn provider_source_that_is_no_registry_address() {
    let text = plan("\"aws_s3_bucket.b\"", "\"https://example.com/aws\"", "1.2");
    let e = refuse("plan.json", text.as_bytes());
    assert!(
        matches!(&e, AdapterError::BadProviderSource { path, .. } if path == "resource_changes[1].provider_name")
    );
    insta::assert_snapshot!(render(&e));
}

#[test]
fn nesting_ten_thousand_levels() {
    let deep = format!(
        "{{\"format_version\": \"1.2\", \"prior_state\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let e = refuse("plan.json", deep.as_bytes());
    assert!(
        matches!(&e, AdapterError::TooDeep { limit: 128, path, .. } if path.starts_with("prior_state"))
    );
    insta::assert_snapshot!(render(&e));
    // Also where nothing is skipped, and at the top.
    assert!(matches!(
        refuse("plan.json", "[".repeat(10_000).as_bytes()),
        AdapterError::TooDeep { .. }
    ));
    let kept = format!(
        "{{\"resource_changes\": [{{\"change\": {{\"after\": {{\"tags\": {}}}}}}}]}}",
        "{\"a\":".repeat(10_000)
    );
    assert!(matches!(
        refuse("plan.json", kept.as_bytes()),
        AdapterError::TooDeep { .. }
    ));
}

#[test]
fn a_lower_nesting_limit_is_honoured() {
    let catalog = Catalog::builtin();
    let mut opts = LoadOptions::new(&catalog);
    opts.max_depth = 4;
    let text = plan("\"aws_s3_bucket.b\"", "\"aws\"", "1.2");
    let e = load_bytes("plan.json", text.as_bytes(), &opts).unwrap_err();
    assert!(matches!(e, AdapterError::TooDeep { limit: 4, .. }));
}

#[test]
fn invalid_utf8() {
    let mut bytes = br#"{"format_version": "1.2", "terraform_version": "1.9"#.to_vec();
    bytes.extend_from_slice(b"\xC3\x28\"}");
    insta::assert_snapshot!(diagnostic("plan.json", &bytes));
}

#[test]
fn file_over_the_size_limit_is_refused_before_reading() {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(&[b' '; 4096]).unwrap();
    let catalog = Catalog::builtin();
    let mut opts = LoadOptions::new(&catalog);
    opts.max_bytes = 1024;
    let e = load_path(f.path(), &opts).unwrap_err();
    assert!(matches!(
        e,
        AdapterError::TooLarge {
            size: 4096,
            limit: 1024,
            ..
        }
    ));
    let text = render(&e).replace(&f.path().display().to_string(), "big.json");
    insta::assert_snapshot!(text);
    assert!(matches!(
        load_bytes("x", &[b' '; 2048], &opts),
        Err(AdapterError::TooLarge { .. })
    ));
}

#[test]
fn missing_file() {
    let catalog = Catalog::builtin();
    let e = load_path(
        std::path::Path::new("/nonexistent/plan.json"),
        &LoadOptions::new(&catalog),
    )
    .unwrap_err();
    assert!(matches!(e, AdapterError::Io { .. }));
    insta::assert_snapshot!(render(&e));
}

#[test]
fn every_diagnostic_has_a_code() {
    use miette::Diagnostic;
    let e = refuse("plan.json", b"{}");
    assert!(e.code().unwrap().to_string().starts_with("juris::E07"));
    assert!(e.help().is_some());
}
