//! Collections: `all`/`any` over lists, sets, flows, maps and json arrays;
//! comprehensions; set literals and the set operators.

use crate::language_support as support;

use support::*;

#[track_caller]
fn truths(list: &[(&str, &str)]) {
    for (c, want) in list {
        assert_eq!(truth(c), *want, "{c}");
    }
}

#[test]
fn quantifiers_over_every_kind_of_collection() {
    truths(&[
        ("any x in [1, 2, 3]: x == 2", "T"),
        ("all x in [1, 2, 3]: x > 0", "T"),
        ("all x in {\"a\", \"b\"}: count(x) == 1", "T"),
        (
            "any f in r.flows: f.location.countries subset {\"IE\"}",
            "T",
        ),
        ("all f in r.flows: f.kind == \"s3-replication\"", "T"),
        ("any c in r.location.countries: c == \"US\"", "T"),
        ("any a in r.actions: a == \"delete\"", "F"),
        // Maps iterate over their keys.
        ("any k in r.tags: k == \"team\"", "T"),
        // Json arrays iterate over their elements, json objects over their keys.
        ("any n in r.attributes.names: n == \"b\"", "T"),
        ("all v in r.attributes.versioning: v.enabled == true", "T"),
        ("any k in r.attributes: k == \"bucket\"", "T"),
        // Quantifiers nest and see the variables around them.
        ("any x in [1, 2]: all y in [1, 2]: x >= y", "T"),
        ("all x in [1, 2]: any y in [3]: x < y", "T"),
    ]);
}

#[test]
fn a_quantifier_body_extends_to_the_right() {
    // `any x in xs: a and b` is `any x in xs: (a and b)`.
    truths(&[
        ("any x in [1]: x == 2 and false", "F"),
        ("(any x in [1]: x == 1) and true", "T"),
        ("not any x in [1]: x == 2", "T"),
        ("true and any x in [1]: x == 1", "T"),
    ]);
}

#[test]
fn comprehensions_map_and_filter() {
    let cases = [
        ("[x + 1 for x in [1, 2, 3]]", "2, 3, 4"),
        ("[x for x in [3, 1, 2] where x > 1]", "3, 2"),
        ("{x for x in [3, 1, 3]}", "1, 3"),
        ("[f.target for f in r.flows]", "aws_s3_bucket.replica"),
        (
            "[upper(k) for k in r.tags where k != \"later\"]",
            "DATA-CLASSIFICATION, TEAM",
        ),
        ("{n for n in r.attributes.names where n != \"a\"}", "b, c"),
        ("[x for x in []]", ""),
    ];
    for (e, want) in cases {
        assert_eq!(show(e), want, "{e}");
    }
    // A filter that cannot be decided leaves the whole result unknown.
    assert_eq!(
        show("[x for x in [1, 2] where r.custody.jurisdiction == \"US\"]"),
        "(unknown)"
    );
}

#[test]
fn set_literals_sort_and_deduplicate() {
    assert_eq!(show("{\"b\", \"a\", \"b\"}"), "a, b");
    assert_eq!(show("{3, 1, 2, 1}"), "1, 2, 3");
    assert_eq!(show("{}"), "");
    assert_eq!(show("[\"b\", \"a\", \"b\"]"), "b, a, b");
    assert_eq!(truth("count({1, 1, 1}) == 1"), "T");
    // Trailing commas are allowed.
    assert_eq!(show("{1, 2,}"), "1, 2");
}

#[test]
fn set_operators() {
    let cases = [
        ("{1, 2} union {2, 3}", "1, 2, 3"),
        ("{1, 2} intersect {2, 3}", "2"),
        ("{1, 2} minus {2, 3}", "1"),
        ("[3, 1] union [1]", "1, 3"),
        ("{} union {}", ""),
        ("{\"a\"} union {\"b\"} intersect {\"b\"}", "b"),
        ("r.location.countries union {\"DE\"}", "DE, US"),
    ];
    for (e, want) in cases {
        assert_eq!(show(e), want, "{e}");
    }
    truths(&[
        ("{1} subset {1, 2}", "T"),
        ("{1, 3} subset {1, 2}", "F"),
        ("{} subset {}", "T"),
        ("[1, 1] subset {1}", "T"),
        ("2 in {1, 2}", "T"),
        ("2 not in {1, 2}", "F"),
        ("\"x\" in [\"x\"]", "T"),
        ("\"team\" in r.tags", "T"),
        ("\"bucket\" in r.attributes", "T"),
        ("\"b\" in r.attributes.names", "T"),
        ("r.location.countries subset groups.gdpr_adequate", "T"),
        ("r.location.countries subset groups.eea", "F"),
        ("\"IE\" in groups.eea union groups.gdpr_adequate", "T"),
    ]);
}

#[test]
fn set_operators_are_left_associative_and_bind_tighter_than_comparison() {
    // `a minus b minus c` is `(a minus b) minus c`.
    assert_eq!(show("{1, 2, 3} minus {1} minus {2}"), "3");
    // `x in a union b` is `x in (a union b)`.
    assert_eq!(truth("3 in {1} union {3}"), "T");
}

#[test]
fn collections_are_typed() {
    assert_eq!(
        error_codes(&rule_src("", "  deny if 1 in {\"a\"}")),
        ["juris::E0306"]
    );
    assert_eq!(
        error_codes(&rule_src("", "  deny if count({1, \"a\"}) == 2")),
        ["juris::E0311"]
    );
    assert_eq!(
        error_codes(&rule_src("", "  deny if any x in 3: true")),
        ["juris::E0303"]
    );
    assert_eq!(
        error_codes(&rule_src("", "  deny if {1} union 2 == {}")),
        ["juris::E0306"]
    );
    assert_eq!(
        error_codes(&rule_src("", "  deny if \"a\" in \"abc\"")),
        ["juris::E0306"]
    );
    let d = compile_err(&rule_src("", "  deny if \"a\" in \"abc\""));
    assert!(d.render_plain().contains("contains(s, part)"));
}

#[test]
fn a_large_constant_set_is_a_hashed_lookup() {
    let members: Vec<String> = (0..5_000).map(|i| format!("\"m{i}\"")).collect();
    let decls = format!("const big = {{{}}}", members.join(", "));
    assert_eq!(truth_with(&decls, "\"m4999\" in big"), "T");
    assert_eq!(truth_with(&decls, "r.name in big"), "F");
    let set = compile_ok(&rule_src(&decls, "  deny if r.name in big"));
    assert_eq!(set.program().sets.len(), 1);
    let hashed = &set.program().sets[0];
    assert_eq!(hashed.strings.len() + hashed.short.len(), 5_000);
}
