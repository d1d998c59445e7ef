//! Every built-in function: what it returns, and what it does with null and unknown.
//! `show(e)` is the message text `"{e}"` over `subject()` (see the support module).

use crate::language_support as support;

use support::*;

#[track_caller]
fn cases(list: &[(&str, &str)]) {
    for (expr, want) in list {
        assert_eq!(show(expr), *want, "{expr}");
    }
}

#[test]
fn case_and_whitespace() {
    cases(&[
        ("lower(\"ÀB-c\")", "àb-c"),
        ("upper(\"straße\")", "STRASSE"),
        ("trim(\"  a b \\t\")", "a b"),
        ("lower(tag(r, \"absent\"))", "(none)"),
        ("upper(r.custody.jurisdiction)", "(unknown)"),
    ]);
}

#[test]
fn split_and_join() {
    cases(&[
        ("split(\"a,b,,c\", \",\")", "a, b, , c"),
        ("count(split(\"a,b,,c\", \",\"))", "4"),
        ("split(\"abc\", \"\")", "a, b, c"),
        ("count(split(\"\", \",\"))", "1"),
        ("join([\"a\", \"b\"], \"+\")", "a+b"),
        ("join({\"b\", \"a\"}, \"-\")", "a-b"),
        ("join([], \",\")", ""),
        ("join(split(\"x y\", \" \"), \"_\")", "x_y"),
    ]);
}

#[test]
fn regex_split_uses_regex_crate_semantics() {
    cases(&[
        ("regex_split(\"us, eu;gb\", r\"[,;\\s]+\")", "us, eu, gb"),
        ("count(regex_split(\"a1b22c\", r\"\\d+\"))", "3"),
        ("regex_split(\"\", r\",\")", ""),
        ("count(regex_split(\"\", r\",\"))", "1"),
        ("regex_split(tag(r, \"absent\"), r\",\")", "(none)"),
    ]);
}

#[test]
fn replace_substrings() {
    cases(&[
        ("replace(\"a-b-c\", \"-\", \"_\")", "a_b_c"),
        ("replace(\"aaa\", \"aa\", \"b\")", "ba"),
        ("replace(\"abc\", \"\", \"x\")", "abc"),
        ("replace(\"abc\", \"z\", \"x\")", "abc"),
    ]);
}

#[test]
fn predicates_on_strings() {
    let t = [
        ("starts_with(r.address, \"aws_s3\")", "T"),
        ("starts_with(r.address, \"\")", "T"),
        ("ends_with(r.address, \".logs\")", "T"),
        ("ends_with(r.address, \"log\")", "F"),
        ("contains(r.address, \"bucket\")", "T"),
        ("contains(\"abc\", \"d\")", "F"),
        ("contains(tag(r, \"absent\"), \"x\")", "F"),
    ];
    for (c, want) in t {
        assert_eq!(truth(c), want, "{c}");
    }
}

#[test]
fn glob_matches_whole_strings() {
    let t = [
        ("glob(r.address, \"aws_s3_bucket.*\")", "T"),
        ("glob(r.address, \"*.logs\")", "T"),
        ("glob(r.address, \"aws_s3_bucket.log?\")", "T"),
        ("glob(r.address, \"aws_s3_bucket\")", "F"),
        ("glob(r.address, \"*bucket*\")", "T"),
        ("glob(\"a*b\", \"a\\\\*b\")", "T"),
        ("glob(\"axb\", \"a\\\\*b\")", "F"),
        (
            "glob(\"module.app.aws_s3_bucket.x[\\\"k\\\"]\", \"module.app.*\")",
            "T",
        ),
        ("glob(\"\", \"*\")", "T"),
        ("glob(\"\", \"?\")", "F"),
    ];
    for (c, want) in t {
        assert_eq!(truth(c), want, "{c}");
    }
}

#[test]
fn regex_searches_with_regex_crate_semantics() {
    let t = [
        // Unanchored search, as `Regex::is_match`.
        ("regex(r.address, r\"s3_b\")", "T"),
        ("regex(r.address, r\"^s3\")", "F"),
        ("regex(r.address, r\"^aws_[a-z0-9_]+\\.logs$\")", "T"),
        ("regex(\"ABC\", r\"(?i)abc\")", "T"),
        ("regex(\"é\", r\"^\\w$\")", "T"),
        ("regex(\"x1\", r\"\\d\")", "T"),
        ("regex(\"a.b\", \"a\\\\.b\")", "T"),
        ("regex(\"axb\", r\"a\\.b\")", "F"),
        ("regex(tag(r, \"absent\"), r\".*\")", "F"),
        ("regex(r.custody.jurisdiction, r\".*\")", "U"),
    ];
    for (c, want) in t {
        assert_eq!(truth(c), want, "{c}");
    }
}

#[test]
fn regex_patterns_are_checked_when_compiling() {
    let codes = error_codes(&rule_src("", "  deny if regex(r.name, r\"(\")"));
    assert_eq!(codes, ["juris::E0601"]);
    let codes = error_codes(&rule_src("", "  deny if regex(r.name, r.address)"));
    assert_eq!(codes, ["juris::E0309"]);
    // A constant pattern may be computed from constants.
    compile_ok(&rule_src(
        "const prefix = \"^aws_\"",
        "  deny if regex(r.name, prefix + \"s3\")",
    ));
}

#[test]
fn count_measures_collections_and_strings() {
    cases(&[
        ("count([1, 2, 3])", "3"),
        ("count({1, 1, 2})", "2"),
        ("count(\"héllo\")", "5"),
        ("count(r.tags)", "3"),
        ("count(r.attributes.names)", "3"),
        ("count(r.attributes)", "5"),
        ("count(r.flows)", "1"),
        ("count(r.attributes.missing)", "0"),
        ("count(r.location.countries)", "1"),
    ]);
}

#[test]
fn known_looks_all_the_way_down() {
    let t = [
        ("known(r.name)", "T"),
        ("known(null)", "T"),
        ("known(r.custody.jurisdiction)", "F"),
        ("known(r.custody)", "F"),
        ("known(r.location)", "T"),
        ("known(r.tags)", "F"),
        ("known([r.name, r.custody.jurisdiction])", "F"),
        ("known(r.flows[0])", "T"),
    ];
    for (c, want) in t {
        assert_eq!(truth(c), want, "{c}");
    }
}

#[test]
fn today_comes_from_the_runner() {
    assert_eq!(show("today()"), TODAY);
    assert_eq!(truth("today() == 2026-01-15"), "T");
    assert_eq!(truth("today() > 2025-12-31"), "T");
    // Not folded at compile time: another run date gives another answer.
    let set = compile_ok(&rule_src("", "  deny if today() < 2026-01-01"));
    let inv = inventory(vec![subject()]);
    let before = set
        .evaluate(
            &inv,
            &juris::runner::RunOptions::new(juris::date::parse("2025-06-01").unwrap()),
        )
        .unwrap();
    assert_eq!(before.findings.len(), 1);
    assert!(run(&set, &inv).findings.is_empty());
}

#[test]
fn date_parses_iso_dates() {
    cases(&[
        ("date(\"2027-03-31\")", "2027-03-31"),
        ("date(\"2027-02-30\")", "(none)"),
        ("date(\"27-03-31\")", "(none)"),
        ("date(\"2024-02-29\") + 1", "2024-03-01"),
    ]);
}

#[test]
fn string_renders_any_value() {
    cases(&[
        ("string(42)", "42"),
        ("string(true)", "true"),
        ("string(2026-01-15)", "2026-01-15"),
        ("string([1, 2])", "1, 2"),
        ("string(null)", "(none)"),
        ("string(r.location)", "us-east-1 (US)"),
        ("string(r.custody.jurisdiction)", "(unknown)"),
        ("string(r.attributes.versioning)", "[{\"enabled\":true}]"),
    ]);
}

#[test]
fn int_parses_integers() {
    cases(&[
        ("int(\"42\")", "42"),
        ("int(\" -7 \")", "-7"),
        ("int(\"4.2\")", "(none)"),
        ("int(\"x\")", "(none)"),
        ("int(7)", "7"),
        ("int(r.attributes.size) + 1", "4"),
    ]);
}

#[test]
fn keys_and_values_of_maps() {
    cases(&[
        ("keys(r.tags)", "Data-Classification, later, team"),
        (
            "keys(r.attributes)",
            "bucket, names, nothing, size, versioning",
        ),
        ("values(r.tags)", "PII, Core, (unknown)"),
        ("count(values(r.attributes))", "5"),
    ]);
    assert_eq!(truth("\"team\" in keys(r.tags)"), "T");
}

#[test]
fn flatten_collections_of_collections() {
    cases(&[
        ("flatten([[1, 2], [2, 3]])", "1, 2, 3"),
        ("flatten([{\"b\"}, {\"a\"}])", "a, b"),
        ("flatten([])", ""),
        ("flatten([f.location.countries for f in r.flows])", "IE"),
    ]);
}

#[test]
fn tag_matches_keys_case_and_separator_insensitively() {
    cases(&[
        ("tag(r, \"data-classification\")", "PII"),
        ("tag(r, \"data_classification\")", "PII"),
        ("tag(r, \"DataClassification\")", "PII"),
        ("tag(r, \"TEAM\")", "Core"),
        ("tag(r, \"absent\")", "(none)"),
        ("tag(r, \"later\")", "(unknown)"),
    ]);
    // Exact indexing is case-sensitive.
    assert_eq!(show("r.tags[\"team\"]"), "Core");
    assert_eq!(show("r.tags[\"TEAM\"]"), "(none)");
}

#[test]
fn builtins_check_arity_and_types() {
    let codes = error_codes(&rule_src("", "  deny if lower(r.name, 1) == \"x\""));
    assert_eq!(codes, ["juris::E0302"]);
    let codes = error_codes(&rule_src("", "  deny if lower(1) == \"x\""));
    assert_eq!(codes, ["juris::E0301"]);
    let codes = error_codes(&rule_src("", "  deny if keys(r.name) == {}"));
    assert_eq!(codes, ["juris::E0301"]);
    let codes = error_codes(&rule_src("", "  deny if lowercase(r.name) == \"x\""));
    assert_eq!(codes, ["juris::E0203"]);
    let d = compile_err(&rule_src("", "  deny if lowr(r.name) == \"x\""));
    assert!(
        d.render_plain().contains("did you mean `lower`?"),
        "{}",
        d.render_plain()
    );
}

#[test]
fn every_builtin_is_covered_here() {
    // When a builtin is added, this list (and the tests above) must grow with it.
    let names: Vec<&str> = juris::check::builtins::BUILTINS
        .iter()
        .map(|b| b.name)
        .collect();
    assert_eq!(
        names,
        [
            "lower",
            "upper",
            "trim",
            "split",
            "regex_split",
            "replace",
            "starts_with",
            "ends_with",
            "contains",
            "glob",
            "regex",
            "count",
            "known",
            "today",
            "date",
            "string",
            "int",
            "keys",
            "values",
            "flatten",
            "tag",
            "join"
        ]
    );
}
