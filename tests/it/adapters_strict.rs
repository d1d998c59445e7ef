//! The resource change reader cannot skip: every entry of `resource_changes` (and of a
//! state's resources) that juris cannot read as Terraform writes it is refused with
//! its JSON path, never dropped and never read as "no tags" or "no region". Shapes
//! Terraform itself writes (tag lists, `null` for "none") are read.

use crate::adapters_common;

use adapters_common::render;
use juris::adapters::{AdapterError, LoadOptions, load_bytes};
use juris::catalog::Catalog;
use juris::model::{Inventory, Known};
use serde_json::{Value, json};

/// A two-resource plan; the second entry is the one each test damages.
fn plan() -> Value {
    let entry = |name: &str, after: Value| {
        json!({
            "address": format!("aws_s3_bucket.{name}"),
            "mode": "managed", "type": "aws_s3_bucket", "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["create"], "after": after, "after_unknown": {}}
        })
    };
    json!({
        "format_version": "1.2",
        "resource_changes": [
            entry("ok", json!({"bucket": "ok", "region": "eu-west-1"})),
            entry("b", json!({"bucket": "b", "tags": {"data-classification": "pii"}})),
        ],
        "configuration": {"provider_config": {"aws": {"name": "aws",
            "expressions": {"region": {"constant_value": "us-east-1"}}}}}
    })
}

fn load(doc: &Value) -> Result<Inventory, AdapterError> {
    let catalog = Catalog::builtin();
    let text = serde_json::to_string_pretty(doc).unwrap();
    load_bytes("plan.json", text.as_bytes(), &LoadOptions::new(&catalog))
}

fn refused(doc: &Value) -> AdapterError {
    match load(doc) {
        Ok(inv) => panic!(
            "must be refused, but read {} resources",
            inv.resources.len()
        ),
        Err(e) => e,
    }
}

/// The path an error names, whatever its kind.
fn path_of(e: &AdapterError) -> &str {
    match e {
        AdapterError::MissingField { path, .. }
        | AdapterError::BadEntry { path, .. }
        | AdapterError::Shape { path, .. }
        | AdapterError::BadAddress { path, .. } => path,
        other => panic!("no path in {other:?}"),
    }
}

/// The damaged entry, at a JSON pointer below `resource_changes/1`.
fn damage(pointer: &str, f: impl FnOnce(&mut Value)) -> Value {
    let mut doc = plan();
    f(doc
        .pointer_mut(&format!("/resource_changes/1{pointer}"))
        .unwrap());
    doc
}

fn without(pointer: &str) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    damage(parent, |v| {
        v.as_object_mut().unwrap().shift_remove(key);
    })
}

fn set(pointer: &str, value: Value) -> Value {
    damage(pointer, |v| *v = value)
}

#[test]
fn the_undamaged_plan_reads() {
    let inv = load(&plan()).unwrap();
    assert_eq!(inv.resources.len(), 2);
}

#[test]
fn every_field_terraform_always_writes_is_required() {
    for field in [
        "address",
        "mode",
        "type",
        "name",
        "provider_name",
        "change",
        "change/actions",
        "change/after",
        "change/after_unknown",
    ] {
        let e = refused(&without(&format!("/{field}")));
        let want = format!("resource_changes[1].{}", field.replace('/', "."));
        assert!(
            matches!(&e, AdapterError::MissingField { path, .. } if *path == want),
            "{field}: {e:?}"
        );
        assert!(e.to_string().ends_with(&format!("{want}: missing")), "{e}");
    }
}

#[test]
fn a_missing_change_is_shown_at_its_entry() {
    insta::assert_snapshot!(render(&refused(&without("/change"))));
}

#[test]
fn wrongly_typed_fields_are_refused_at_their_path() {
    let cases: Vec<(&str, Value, &str)> = vec![
        ("/type", json!(42), "resource_changes[1].type"),
        ("/name", json!(["b"]), "resource_changes[1].name"),
        ("/address", json!(null), "resource_changes[1].address"),
        (
            "/provider_name",
            json!({}),
            "resource_changes[1].provider_name",
        ),
        ("/mode", json!("resource"), "resource_changes[1].mode"),
        ("/top/deposed", json!(5), "resource_changes[1].deposed"),
        ("/change", json!("create"), "resource_changes[1].change"),
        (
            "/change/actions",
            json!("create"),
            "resource_changes[1].change.actions",
        ),
        (
            "/change/actions",
            json!([1]),
            "resource_changes[1].change.actions[0]",
        ),
        (
            "/change/actions",
            json!(["creat"]),
            "resource_changes[1].change.actions[0]",
        ),
        (
            "/change/actions",
            json!([]),
            "resource_changes[1].change.actions",
        ),
        (
            "/change/after",
            json!("b"),
            "resource_changes[1].change.after",
        ),
        (
            "/change/after_unknown",
            json!([]),
            "resource_changes[1].change.after_unknown",
        ),
        (
            "/change/after_unknown",
            json!({"bucket": "yes"}),
            "resource_changes[1].change.after_unknown.bucket",
        ),
        (
            "/change/after_unknown",
            json!({"tags": {"a": null}}),
            "resource_changes[1].change.after_unknown.tags.a",
        ),
        (
            "/change/after/tags",
            json!("pii"),
            "resource_changes[1].change.after.tags",
        ),
        (
            "/change/after/tags",
            json!(42),
            "resource_changes[1].change.after.tags",
        ),
        (
            "/change/after/tags",
            json!(true),
            "resource_changes[1].change.after.tags",
        ),
        (
            "/change/after/tags",
            json!({"data-classification": {"v": "pii"}}),
            "resource_changes[1].change.after.tags.data-classification",
        ),
        (
            "/change/after/tags",
            json!({"data-classification": ["pii"]}),
            "resource_changes[1].change.after.tags.data-classification",
        ),
        (
            "/change/after/tags",
            json!([1, 2]),
            "resource_changes[1].change.after.tags[0]",
        ),
        (
            "/change/after/tags",
            json!(["a", {"key": 1, "value": "x"}]),
            "resource_changes[1].change.after.tags[1]",
        ),
        (
            "/change/after/tags",
            json!([{"key": "k", "value": {}}]),
            "resource_changes[1].change.after.tags[0]",
        ),
        (
            "/change/after/tags_all",
            json!("x"),
            "resource_changes[1].change.after.tags_all",
        ),
        (
            "/change/after/region",
            json!(42),
            "resource_changes[1].change.after.region",
        ),
        (
            "/change/after/region",
            json!({"name": "eu-west-1"}),
            "resource_changes[1].change.after.region",
        ),
        (
            "/change/after/availability_zone",
            json!(["eu-west-1a", 1]),
            "resource_changes[1].change.after.availability_zone",
        ),
        (
            "/change/after/arn",
            json!(false),
            "resource_changes[1].change.after.arn",
        ),
    ];
    for (pointer, value, want) in cases {
        let doc = if let Some(key) = pointer.strip_prefix("/top/") {
            damage("", |e| e[key] = value.clone())
        } else if pointer.starts_with("/change/after/") {
            let key = pointer.rsplit('/').next().unwrap().to_owned();
            damage("/change/after", |after| {
                after[key] = value.clone();
            })
        } else {
            set(pointer, value.clone())
        };
        let e = load(&doc).expect_err(&format!("{pointer} = {value} must be refused"));
        assert_eq!(path_of(&e), want, "{pointer} = {value}: {}", render(&e));
    }
}

#[test]
fn tags_that_are_a_string_are_refused_not_read_as_none() {
    insta::assert_snapshot!(render(&refused(&damage("/change/after", |a| {
        a["tags"] = json!("data-classification=pii");
    }))));
}

#[test]
fn repeated_keys_are_refused() {
    // serde_json keeps one of two equal keys, so the repeats are written by hand.
    let text = serde_json::to_string_pretty(&plan()).unwrap();
    let cases = [
        (
            r#""type": "aws_s3_bucket","#,
            r#""type": "aws_s3_bucket", "type": "google_storage_bucket","#,
        ),
        (r#""actions": ["#, r#""actions": ["delete"], "actions": ["#),
        (
            r#""bucket": "b","#,
            r#""bucket": "b", "region": "cn-north-1", "region": "us-east-1","#,
        ),
        (
            r#""data-classification": "pii""#,
            r#""data-classification": "pii", "data-classification": "public""#,
        ),
        (
            r#""format_version": "1.2","#,
            r#""format_version": "1.2", "resource_changes": [],"#,
        ),
    ];
    for (from, to) in cases {
        let at = text.rfind(from).unwrap_or_else(|| panic!("{from}"));
        let damaged = format!("{}{to}{}", &text[..at], &text[at + from.len()..]);
        let catalog = Catalog::builtin();
        let e =
            load_bytes("plan.json", damaged.as_bytes(), &LoadOptions::new(&catalog)).expect_err(to);
        assert!(
            e.to_string().contains("twice") || e.to_string().contains("duplicate"),
            "{to}: {e}"
        );
    }
}

#[test]
fn an_entry_listed_twice_is_refused() {
    let mut doc = plan();
    let second = doc["resource_changes"][1].clone();
    doc["resource_changes"].as_array_mut().unwrap().push(second);
    let e = refused(&doc);
    assert_eq!(path_of(&e), "resource_changes[2].address");
    assert!(
        render(&e).contains("first at resource_changes[1]"),
        "{}",
        render(&e)
    );
}

#[test]
fn fields_that_contradict_the_address_are_refused() {
    for (pointer, value, want) in [
        (
            "/type",
            json!("google_storage_bucket"),
            "resource_changes[1].type",
        ),
        ("/name", json!("other"), "resource_changes[1].name"),
        ("/mode", json!("data"), "resource_changes[1].mode"),
    ] {
        let e = refused(&set(pointer, value));
        assert!(matches!(e, AdapterError::BadEntry { .. }), "{e:?}");
        assert_eq!(path_of(&e), want);
    }
}

#[test]
fn a_state_resource_without_values_is_refused() {
    let doc = json!({
        "format_version": "1.0",
        "values": {"root_module": {"resources": [{
            "address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket",
            "name": "b", "provider_name": "registry.terraform.io/hashicorp/aws"
        }]}}
    });
    let e = refused(&doc);
    assert_eq!(path_of(&e), "values.root_module.resources[0].values");
}

#[test]
fn shapes_terraform_writes_are_read() {
    // A list of tag names (Google network tags, DigitalOcean), as tags without values.
    let inv = load(&damage("/change/after", |a| {
        a["tags"] = json!(["pii", "team-crm"]);
    }))
    .unwrap();
    let tags = inv.resources[1].tags.known().unwrap();
    assert_eq!(tags.get("pii"), Some(&Known::Known(String::new())));
    assert_eq!(tags.len(), 2);
    // The attribute stays the list Terraform wrote.
    assert_eq!(
        inv.resources[1].attributes["tags"],
        json!(["pii", "team-crm"])
    );
    // The AWS autoscaling group's `{key, value, propagate_at_launch}` list.
    let inv = load(&damage("/change/after", |a| {
        a["tags"] =
            json!([{"key": "data-classification", "value": "pii", "propagate_at_launch": true}]);
    }))
    .unwrap();
    assert_eq!(
        inv.resources[1]
            .tags
            .known()
            .unwrap()
            .get("data-classification"),
        Some(&Known::Known("pii".into()))
    );
    // An unknown element of a tag list: which tags there are is unknown.
    let inv = load(&damage("", |e| {
        e["change"]["after"]["tags"] = json!(["pii", null]);
        e["change"]["after_unknown"] = json!({"tags": [false, true]});
    }))
    .unwrap();
    assert!(inv.resources[1].tags.is_unknown());
    // Numbers and booleans in a tag map are text, as Terraform converts them.
    let inv = load(&damage("/change/after", |a| {
        a["tags"] = json!({"cost-centre": 42, "pii": true, "gone": null});
    }))
    .unwrap();
    let tags = inv.resources[1].tags.known().unwrap();
    assert_eq!(tags.get("cost-centre"), Some(&Known::Known("42".into())));
    assert_eq!(tags.get("pii"), Some(&Known::Known("true".into())));
    assert_eq!(tags.get("gone"), None);
    // `null` is Go's "none": no tags, not deposed, no region of its own.
    for (pointer, value) in [
        ("/change/after/tags", json!(null)),
        ("/deposed", json!(null)),
        ("/change/after/region", json!(null)),
    ] {
        let doc = if let Some(key) = pointer.strip_prefix("/change/after/") {
            damage("/change/after", |a| a[key] = value.clone())
        } else {
            damage("", |e| e["deposed"] = value.clone())
        };
        assert_eq!(load(&doc).unwrap().resources.len(), 2, "{pointer}");
    }
    // A deleted resource has `after: null` and is not in the model after the change.
    let inv = load(&damage("/change", |c| {
        c["actions"] = json!(["delete"]);
        c["after"] = json!(null);
    }))
    .unwrap();
    assert_eq!(inv.resources.len(), 1);
}
