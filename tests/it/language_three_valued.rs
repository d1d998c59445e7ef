//! Three-valued (Kleene) semantics: every operator over true, false and unknown,
//! and the cases where an unknown value can only lead to one outcome.
//!
//! `truth(c)` evaluates `deny if c` over one resource whose `custody.jurisdiction`
//! is unknown: "T" is a violation (c is true), "F" a pass, "U" undetermined.

use crate::language_support as support;

use support::*;

/// Conditions with a known truth value over `subject()`.
const T: &str = "(r.name == \"logs\")";
const F: &str = "(r.name == \"other\")";
const U: &str = "(r.custody.jurisdiction == \"US\")";

fn value(t: &str) -> &'static str {
    match t {
        "T" => T,
        "F" => F,
        _ => U,
    }
}

#[test]
fn the_three_inputs_are_what_they_claim() {
    assert_eq!(truth(T), "T");
    assert_eq!(truth(F), "F");
    assert_eq!(truth(U), "U");
    assert_eq!(truth("true"), "T");
    assert_eq!(truth("false"), "F");
}

#[test]
fn not_truth_table() {
    for (a, want) in [("T", "F"), ("F", "T"), ("U", "U")] {
        assert_eq!(truth(&format!("not {}", value(a))), want, "not {a}");
    }
}

#[test]
fn and_truth_table() {
    let table = [
        ("T", "T", "T"),
        ("T", "F", "F"),
        ("T", "U", "U"),
        ("F", "T", "F"),
        ("F", "F", "F"),
        ("F", "U", "F"),
        ("U", "T", "U"),
        ("U", "F", "F"),
        ("U", "U", "U"),
    ];
    for (a, b, want) in table {
        let c = format!("{} and {}", value(a), value(b));
        assert_eq!(truth(&c), want, "{a} and {b}");
    }
}

#[test]
fn or_truth_table() {
    let table = [
        ("T", "T", "T"),
        ("T", "F", "T"),
        ("T", "U", "T"),
        ("F", "T", "T"),
        ("F", "F", "F"),
        ("F", "U", "U"),
        ("U", "T", "T"),
        ("U", "F", "U"),
        ("U", "U", "U"),
    ];
    for (a, b, want) in table {
        let c = format!("{} or {}", value(a), value(b));
        assert_eq!(truth(&c), want, "{a} or {b}");
    }
}

#[test]
fn require_negates_three_valued() {
    // `require c` is a violation when c is false, undetermined when c is unknown.
    for (c, want) in [(T, "F"), (F, "T"), (U, "U")] {
        let src = rule_src("", &format!("  require {c}"));
        let set = compile_ok(&src);
        let report = run(&set, &inventory(vec![subject()]));
        let got = match report.findings.first().map(|f| f.outcome.as_str()) {
            None => "F",
            Some("violation") => "T",
            Some(_) => "U",
        };
        assert_eq!(got, want, "require {c}");
    }
}

#[test]
fn comparisons_with_unknown_are_unknown() {
    let j = "r.custody.jurisdiction";
    for op in ["==", "!=", "<", "<=", ">", ">="] {
        assert_eq!(truth(&format!("{j} {op} \"US\"")), "U", "{op}");
        assert_eq!(truth(&format!("\"US\" {op} {j}")), "U", "{op} reversed");
        assert_eq!(truth(&format!("{j} {op} {j}")), "U", "{op} both");
    }
}

#[test]
fn comparisons_with_known_values() {
    let cases = [
        ("1 < 2", "T"),
        ("2 <= 2", "T"),
        ("3 > 4", "F"),
        ("\"a\" < \"b\"", "T"),
        ("2026-01-01 < 2026-02-01", "T"),
        ("r.name == \"logs\"", "T"),
        ("r.name != \"logs\"", "F"),
        ("[1, 2] == [1, 2]", "T"),
        ("[1, 2] == [2, 1]", "F"),
        ("{1, 2} == {2, 1}", "T"),
        ("r.attributes.size == 3", "T"),
        ("r.attributes.size > 2", "T"),
        ("r.attributes.bucket == \"acme-logs\"", "T"),
    ];
    for (c, want) in cases {
        assert_eq!(truth(c), want, "{c}");
    }
}

#[test]
fn membership_with_unknown() {
    let j = "r.custody.jurisdiction";
    let cases = [
        // Unknown element, non-empty collection: could be either.
        (format!("{j} in {{\"US\", \"CN\"}}"), "U"),
        (format!("{j} not in {{\"US\", \"CN\"}}"), "U"),
        (format!("{j} in groups.foreign_adversaries"), "U"),
        // Nothing is in an empty collection, whatever it is.
        (format!("{j} in {{}}"), "F"),
        (format!("{j} in []"), "F"),
        (format!("{j} not in {{}}"), "T"),
        // A collection with an unknown member: a known match decides.
        (format!("\"US\" in {{{j}, \"US\"}}"), "T"),
        (format!("\"CN\" in {{{j}, \"US\"}}"), "U"),
        (format!("\"CN\" in [{j}, \"US\"]"), "U"),
        (format!("\"US\" in [{j}]"), "U"),
    ];
    for (c, want) in cases {
        assert_eq!(truth(&c), want, "{c}");
    }
}

fn unknown_location() -> serde_json::Value {
    resource(
        "aws_s3_bucket.unknown",
        serde_json::json!({
            "location": {"region": {"unknown": true}, "countries": {"unknown": true},
                         "derivation": "region from a variable"},
            "tags": {"owner": {"unknown": true}}
        }),
    )
}

fn truth_over(r: serde_json::Value, condition: &str) -> &'static str {
    let set = compile_ok(&rule_src("", &format!("  deny if {condition}")));
    let report = run(&set, &inventory(vec![r]));
    match report.findings.first().map(|f| f.outcome.as_str()) {
        None => "F",
        Some("violation") => "T",
        Some(_) => "U",
    }
}

#[test]
fn unknown_with_one_possible_outcome_is_determined() {
    let c = "r.location.countries";
    let cases = [
        // Intersection with or subtraction from the empty set is empty.
        (format!("count({{}} intersect {c}) == 0"), "T"),
        (format!("count({c} intersect {{}}) == 0"), "T"),
        (format!("count({{}} minus {c}) == 0"), "T"),
        // The empty set is a subset of anything.
        (format!("{{}} subset {c}"), "T"),
        // Both branches agree: the condition does not matter.
        (format!("(if \"US\" in {c} then 1 else 1) == 1"), "T"),
        // But they must agree.
        (format!("(if \"US\" in {c} then 1 else 2) == 1"), "U"),
        // `x in {}` is false for any x.
        (format!("{c} in {{}}"), "F"),
        // Quantifiers over an empty list are decided without looking at anything.
        ("all f in r.flows: known(f.location)".to_owned(), "T"),
        ("any f in r.flows: true".to_owned(), "F"),
        // Unknown operands elsewhere stay unknown.
        (format!("count({c} union {{\"US\"}}) == 1"), "U"),
        (format!("count({c} minus {{\"US\"}}) == 0"), "U"),
        (format!("{c} subset {{\"US\"}}"), "U"),
        (format!("\"US\" in {c}"), "U"),
        (format!("all x in {c}: x == \"US\""), "U"),
        (format!("any x in {c}: x == \"US\""), "U"),
        (format!("count([x for x in {c}]) == 0"), "U"),
        (format!("count({c}) == 0"), "U"),
    ];
    for (cond, want) in cases {
        assert_eq!(truth_over(unknown_location(), &cond), want, "{cond}");
    }
}

#[test]
fn quantifiers_with_unknown_elements() {
    let j = "r.custody.jurisdiction";
    let cases = [
        // any: a true element decides; otherwise an unknown one leaves it open.
        (format!("any x in [{j}, \"US\"]: x == \"US\""), "T"),
        (format!("any x in [\"US\", {j}]: x == \"US\""), "T"),
        (format!("any x in [{j}, \"CN\"]: x == \"US\""), "U"),
        ("any x in [\"CN\", \"DE\"]: x == \"US\"".to_owned(), "F"),
        // all: a false element decides; otherwise an unknown one leaves it open.
        (format!("all x in [{j}, \"CN\"]: x == \"US\""), "F"),
        (format!("all x in [\"CN\", {j}]: x == \"US\""), "F"),
        (format!("all x in [{j}, \"US\"]: x == \"US\""), "U"),
        ("all x in [\"US\", \"US\"]: x == \"US\"".to_owned(), "T"),
        // Empty collections.
        ("any x in []: true".to_owned(), "F"),
        ("all x in []: false".to_owned(), "T"),
    ];
    for (c, want) in cases {
        assert_eq!(truth(&c), want, "{c}");
    }
}

#[test]
fn set_operations_with_unknown_members() {
    let j = "r.custody.jurisdiction";
    let cases = [
        (format!("count({{}} intersect {{{j}}}) == 0"), "T"),
        (format!("\"US\" in ({{\"US\"}} union {{{j}}})"), "T"),
        (format!("\"CN\" in ({{\"US\"}} union {{{j}}})"), "U"),
        (format!("count({{\"US\"}} intersect {{{j}}}) == 1"), "U"),
        (format!("{{\"US\"}} subset {{{j}, \"US\"}}"), "T"),
        (format!("{{\"CN\"}} subset {{{j}, \"US\"}}"), "U"),
    ];
    for (c, want) in cases {
        assert_eq!(truth(&c), want, "{c}");
    }
}

#[test]
fn where_clauses_with_unknown_select_undetermined() {
    // Unknown selection and a true verdict: undetermined, not a violation.
    let set = compile_ok(&rule_src(
        "",
        "  where r.custody.jurisdiction == \"US\"\n  deny if true",
    ));
    let report = run(&set, &inventory(vec![subject()]));
    assert_eq!(report.findings[0].outcome.as_str(), "undetermined");
    // Unknown selection and a false verdict: it cannot be a violation either way.
    let set = compile_ok(&rule_src(
        "",
        "  where r.custody.jurisdiction == \"US\"\n  deny if false",
    ));
    let report = run(&set, &inventory(vec![subject()]));
    assert!(report.findings.is_empty());
    assert_eq!(report.summary.passed, 1);
}

#[test]
fn unknown_flows_through_operators_and_builtins() {
    let j = "r.custody.jurisdiction";
    let cases = [
        (format!("lower({j}) == \"us\""), "U"),
        (format!("starts_with({j}, \"U\")"), "U"),
        (format!("count(split({j}, \",\")) == 1"), "U"),
        (format!("{j} + \"x\" == \"USx\""), "U"),
        (format!("known({j})"), "F"),
        (format!("not known({j})"), "T"),
        ("known(r.name)".to_owned(), "T"),
        ("tag(r, \"later\") == \"x\"".to_owned(), "U"),
        ("r.tags[\"later\"] == \"x\"".to_owned(), "U"),
        ("known(r.tags)".to_owned(), "F"),
        ("known(r.location)".to_owned(), "T"),
        ("known(r.custody)".to_owned(), "F"),
    ];
    for (c, want) in cases {
        assert_eq!(truth(&c), want, "{c}");
    }
}

#[test]
fn null_semantics() {
    let cases = [
        // A missing value is null, and null is only equal to null.
        ("r.attributes.missing == null", "T"),
        ("r.attributes.nothing == null", "T"),
        ("tag(r, \"absent\") == null", "T"),
        ("r.tags[\"absent\"] == null", "T"),
        ("r.provider.alias == null", "T"),
        ("null == null", "T"),
        ("r.attributes.missing == \"\"", "F"),
        ("r.attributes.missing != \"x\"", "T"),
        // Ordering against null is never true.
        ("r.attributes.missing < 1", "F"),
        ("r.attributes.missing >= 1", "F"),
        // Null as a condition is false; builtins pass null through.
        ("r.attributes.missing", "F"),
        ("lower(tag(r, \"absent\")) == null", "T"),
        ("count(r.attributes.missing) == 0", "T"),
        ("r.attributes.missing.deeper == null", "T"),
        ("any x in r.attributes.missing: true", "F"),
        ("all x in r.attributes.missing: false", "T"),
        ("\"a\" in r.attributes.missing", "F"),
        ("r.attributes.missing in {\"a\"}", "F"),
        ("null in {null}", "T"),
    ];
    for (c, want) in cases {
        assert_eq!(truth(c), want, "{c}");
    }
    assert_eq!(show("r.attributes.missing"), "(none)");
    assert_eq!(show("r.custody.jurisdiction"), "(unknown)");
}
