//! Every diagnostic the language reports, rendered as a policy author sees it
//! (`Diagnostics::render_plain`) and snapshotted: codes, spans, labels and help.
//! Review changes to `tests/snapshots/diagnostics__*.snap` like code.

use crate::language_support as support;

use juris::PolicySet;
use juris::diag::{Diagnostics, SourceFile};

/// Compile one file (with the standard library when it imports from it) and render
/// what it reports: its errors, or else its warnings.
fn report(src: &str) -> String {
    let file = SourceFile::new("policy.juris", src);
    // The standard library when the policy uses it (or should have imported it).
    let result =
        if src.contains("import juris.") || src.contains("adversaries") || src.contains("cls.") {
            PolicySet::compile(vec![file])
        } else {
            PolicySet::compile_exact(vec![file])
        };
    match result {
        Err(d) => d.render_plain(),
        Ok(set) => {
            assert!(
                !set.warnings().is_empty(),
                "expected a diagnostic for:\n{src}"
            );
            set.warnings().render_plain()
        }
    }
}

/// A rule around a verdict (and declarations before it).
fn rule(decls: &str, body: &str) -> String {
    format!(
        "package acme\n{decls}\nrule buckets {{\n  id: \"ACME-001\"\n  severity: high\n  enforce: hard\n  for r in resources\n{body}\n}}\n"
    )
}

macro_rules! snap {
    ($name:ident, $src:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), report(&$src));
        }
    };
}

// ---------------------------------------------------------------- syntax (E01xx)

snap!(
    e0101_assignment_instead_of_comparison,
    rule("", "  deny if r.name = \"logs\"")
);
snap!(
    e0101_c_style_and,
    rule("", "  deny if r.name == \"a\" && r.type == \"b\"")
);
snap!(e0101_missing_package, "rule r {}\n");
snap!(e0101_keyword_as_name, "package acme\nconst rule = 1\n");
snap!(e0101_missing_verdict, rule("", "  where r.name == \"x\""));
snap!(
    e0101_elif,
    rule(
        "",
        "  deny if if true then false elif true then true else false"
    )
);
snap!(
    e0102_unterminated_string,
    rule("", "  deny if r.name == \"logs\n")
);
snap!(
    e0103_unterminated_comment,
    "package acme\n/* forgot to close\nconst a = 1\n"
);
snap!(
    e0104_unknown_escape,
    "package acme\nconst pattern = \"^arn:\\d+$\"\n"
);
snap!(
    e0105_invalid_date,
    "package acme\nconst deadline = 2026-02-30\n"
);
snap!(
    e0106_integer_too_large,
    "package acme\nconst big = 99999999999999999999\n"
);
snap!(
    e0107_nesting_too_deep,
    format!(
        "package acme\nconst deep = {}1{}\n",
        "(".repeat(70),
        ")".repeat(70)
    )
);
snap!(
    e0110_bad_unicode_escape,
    "package acme\nconst s = \"\\u{D800}\"\n"
);
snap!(
    e0111_unclosed_interpolation,
    rule("", "  deny if true\n  message \"{r.address is bad\"")
);
snap!(
    e0111_string_inside_interpolation,
    rule("", "  deny if true\n  message \"{lower(\"X\")}\"")
);
snap!(
    e0112_empty_interpolation,
    rule("", "  deny if true\n  message \"{} is bad\"")
);
snap!(
    e0113_unmatched_brace,
    rule("", "  deny if true\n  message \"a } b\"")
);
snap!(
    e0114_expression_too_deep,
    rule(
        "",
        &format!(
            "  deny if {}",
            vec!["r.name == \"x\""; 300].join(" or\n    ")
        )
    )
);

#[test]
fn e0108_not_utf8() {
    let e = juris::syntax::source_from_bytes(
        "bad.juris",
        b"package acme\nconst s = \"\xff\"\n".to_vec(),
    )
    .unwrap_err();
    let mut d = Diagnostics::new();
    d.push(e);
    insta::assert_snapshot!("e0108_not_utf8", d.render_plain());
}

#[test]
fn e0109_too_large() {
    let size = juris::syntax::MAX_POLICY_BYTES as usize + 1;
    let e = juris::syntax::source_from_bytes("huge.juris", vec![b' '; size]).unwrap_err();
    let mut d = Diagnostics::new();
    d.push(e);
    insta::assert_snapshot!("e0109_too_large", d.render_plain());
}

// ---------------------------------------------------------------- names (E02xx)

snap!(
    e0201_unknown_name,
    rule(
        "const approved_regions = {\"us-east-1\"}",
        "  deny if r.location.region not in approved_region"
    )
);
snap!(
    e0201_declared_in_another_package,
    rule(
        "",
        "  deny if r.custody.jurisdiction in foreign_adversaries"
    )
);
snap!(
    e0201_unknown_package_member,
    rule(
        "import juris.groups",
        "  deny if r.custody.jurisdiction in groups.foreign_adversary"
    )
);
snap!(
    e0202_unknown_field,
    rule("", "  deny if r.location.country == \"US\"")
);
snap!(
    e0202_unknown_field_no_suggestion,
    rule("", "  deny if r.custody.owner == \"x\"")
);
snap!(
    e0203_unknown_function,
    rule("", "  deny if startswith(r.name, \"x\")")
);
snap!(
    e0203_not_imported,
    rule("", "  deny if cls.holds_protected_data(r)")
);
snap!(
    e0204_duplicate_declaration,
    "package acme\nconst regions = {\"a\"}\nconst regions = {\"b\"}\n"
);
snap!(
    e0205_unknown_package,
    rule(
        "import juris.group",
        "  deny if r.custody.jurisdiction in group.eea"
    )
);
snap!(
    e0208_recursion,
    rule(
        "fn a(x: int) -> int { b(x) }\nfn b(x: int) -> int { a(x) }",
        "  deny if a(1) == 1"
    )
);
snap!(
    e0209_constant_cycle,
    rule("const a = b union {1}\nconst b = a", "  deny if 1 in a")
);
snap!(
    e0210_call_chain_too_deep,
    rule(
        &{
            let mut s = String::from("fn f0(x: int) -> int { x }\n");
            for i in 1..=33 {
                s.push_str(&format!("fn f{i}(x: int) -> int {{ f{}(x) }}\n", i - 1));
            }
            s
        },
        "  deny if f33(1) == 1"
    )
);
snap!(
    e0211_duplicate_import,
    rule(
        "import juris.groups\nimport juris.groups",
        "  deny if \"US\" in groups.eea"
    )
);
snap!(
    e0212_evaluation_too_deep,
    rule(
        &{
            let mut s = String::from("fn f0(x: int) -> int { x }\n");
            for i in 1..30 {
                s.push_str(&format!(
                    "fn f{i}(x: int) -> int {{ f{}(x){} }}\n",
                    i - 1,
                    " + x".repeat(20)
                ));
            }
            s
        },
        "  deny if f29(1) == 1"
    )
);

// ---------------------------------------------------------------- types (E03xx)

snap!(e0301_type_mismatch, rule("", "  deny if r.name"));
snap!(
    e0301_argument_type,
    rule("", "  deny if starts_with(r.location.countries, \"U\")")
);
snap!(
    e0301_return_type,
    rule(
        "fn region(r: resource) -> int { r.location.region }",
        "  deny if region(r) == 1"
    )
);
snap!(e0302_wrong_arity, rule("", "  deny if glob(r.address)"));
snap!(
    e0302_wrong_arity_user_function,
    rule(
        "fn f(a: string, b: string) -> bool { a == b }",
        "  deny if f(r.name)"
    )
);
snap!(
    e0303_not_iterable,
    rule("", "  deny if any c in r.location.region: c == \"x\"")
);
snap!(
    e0305_unknown_type,
    rule("fn f(r: resorce) -> bool { true }", "  deny if f(r)")
);
snap!(
    e0306_bad_operands,
    rule("", "  deny if r.location.countries == \"US\"")
);
snap!(e0306_in_string, rule("", "  deny if \"prod\" in r.name"));
snap!(e0307_no_fields, rule("", "  deny if r.tags.team == \"x\""));
snap!(
    e0308_not_indexable,
    rule("", "  deny if r.name[0] == \"x\"")
);
snap!(
    e0309_not_constant,
    rule("", "  deny if regex(r.name, r.type)")
);
snap!(
    e0311_mixed_elements,
    "package acme\nconst mixed = {\"a\", 1}\n"
);
snap!(
    e0312_record_literal,
    rule("", "  deny if {name: \"x\"} == null")
);
snap!(
    e0313_constant_not_constant,
    "package acme\nconst start = today()\n"
);
snap!(
    e0314_not_a_value,
    rule(
        "fn approved(r: resource) -> bool { true }",
        "  deny if approved"
    )
);

// ---------------------------------------------------------------- metadata (E04xx, E05xx)

snap!(
    e0401_missing_metadata,
    "package acme\nrule r {\n  title: \"No id\"\n  for r in resources\n  deny if false\n}\n"
);
snap!(
    e0402_duplicate_rule_id,
    format!(
        "{}{}",
        rule("", "  deny if false"),
        "rule again {\n  id: \"ACME-001\" severity: low enforce: advisory\n  for r in resources\n  deny if false\n}\n"
    )
);
snap!(
    e0403_bad_enforcement,
    "package acme\nrule r {\n  id: \"A\" severity: low enforce: mandatory\n  for r in resources\n  deny if false\n}\n"
);
snap!(
    e0404_bad_severity,
    "package acme\nrule r {\n  id: \"A\" severity: hihg enforce: hard\n  for r in resources\n  deny if false\n}\n"
);
snap!(
    e0405_unknown_metadata_key,
    "package acme\nrule r {\n  id: \"A\" severity: low enforce: hard\n  owner: \"me\"\n  for r in resources\n  deny if false\n}\n"
);
snap!(
    e0406_duplicate_metadata_key,
    "package acme\nrule r {\n  id: \"A\" severity: low enforce: hard severity: high\n  for r in resources\n  deny if false\n}\n"
);
snap!(
    e0407_interpolated_metadata,
    "package acme\nrule r {\n  id: \"A\" severity: low enforce: hard\n  title: \"Rule {id}\"\n  for r in resources\n  deny if false\n}\n"
);
snap!(
    e0407_undetermined,
    "package acme\nrule r {\n  id: \"A\" severity: low enforce: hard undetermined: pass\n  for r in resources\n  deny if false\n}\n"
);
snap!(
    e0501_unknown_rule_id,
    format!(
        "{}{}",
        rule("", "  deny if false"),
        "exception waiver {\n  rule: \"ACME-01\"\n  resources: \"*\"\n  reason: \"r\"\n  approved_by: \"a\"\n  expires: 2026-02-01\n}\n"
    )
);
snap!(
    e0401_exception_missing_expiry,
    format!(
        "{}{}",
        rule("", "  deny if false"),
        "exception waiver {\n  rule: \"ACME-001\"\n  resources: \"*\"\n  reason: \"r\"\n  approved_by: \"a\"\n}\n"
    )
);
snap!(
    e0503_bad_outcome,
    format!(
        "{}{}",
        rule("", "  deny if false"),
        "test t {\n  inline: r\"{}\"\n  today: 2026-01-01\n  expect: [{rule: \"ACME-001\", address: \"x\", outcome: fail}]\n}\n"
    )
);
snap!(
    e0601_bad_regex,
    rule("", "  deny if regex(r.name, r\"[a-z\")")
);
snap!(
    e0601_unicode_word_boundary,
    rule("", "  deny if regex(r.name, r\"\\bprod\\b\")")
);

// ---------------------------------------------------------------- warnings

snap!(
    w0101_unused_binding,
    rule("", "  let region = r.location.region\n  deny if false")
);
snap!(
    w0102_unused_import,
    rule("import juris.groups", "  deny if false")
);

// ---------------------------------------------------------------- run time (RunError)

#[test]
fn e0502_exception_too_long() {
    let src = format!(
        "{}{}",
        rule("", "  deny if false"),
        "exception waiver {\n  rule: \"ACME-001\"\n  resources: \"*\"\n  reason: \"r\"\n  approved_by: \"a\"\n  expires: 2030-01-01\n}\n"
    );
    let set = PolicySet::compile_exact(vec![SourceFile::new("policy.juris", src)])
        .unwrap_or_else(|d| panic!("{}", d.render_plain()));
    let err = set
        .evaluate(
            &support::inventory(vec![]),
            &juris::runner::RunOptions::new(support::today()),
        )
        .unwrap_err();
    let mut d = Diagnostics::new();
    d.push(err);
    insta::assert_snapshot!("e0502_exception_too_long", d.render_plain());
}

#[test]
fn e0505_unknown_rule_selected_to_run() {
    let set = PolicySet::compile_exact(vec![SourceFile::new(
        "policy.juris",
        rule("", "  deny if false"),
    )])
    .unwrap_or_else(|d| panic!("{}", d.render_plain()));
    let mut options = juris::runner::RunOptions::new(support::today());
    options.rules = vec!["ACME-002".into()];
    let err = set
        .evaluate(&support::inventory(vec![]), &options)
        .unwrap_err();
    let mut d = Diagnostics::new();
    d.push(err);
    insta::assert_snapshot!("e0505_unknown_rule_selected_to_run", d.render_plain());
}

// ---------------------------------------------------------------- several at once

#[test]
fn several_errors_in_one_file_are_all_reported() {
    let src = "package acme\n\nconst regions = {\"us-east-1\", 2}\n\nfn ok(r: resource) -> bool { r.location.regoin in regions }\n\nrule a {\n  id: \"A\" severity: extreme enforce: hard\n  for r in resources\n  deny if not okk(r) and r.name\n}\n\nrule b {\n  id: \"A\" severity: low enforce: soft\n  for r in resources\n  let unused = 1\n  deny if r.tags.x == 1\n}\n";
    let d = match PolicySet::compile_exact(vec![SourceFile::new("policy.juris", src)]) {
        Err(d) => d,
        Ok(_) => panic!("should not compile"),
    };
    assert_eq!(
        d.codes(),
        [
            "juris::E0311",
            "juris::E0202",
            "juris::E0404",
            "juris::E0203",
            "juris::E0301",
            "juris::E0402",
            "juris::E0307",
            "juris::W0101"
        ]
    );
    insta::assert_snapshot!("several_errors_in_one_file", d.render_plain());
}

#[test]
fn errors_in_several_files_are_all_reported() {
    let a = SourceFile::new("a.juris", "package a\nconst x = \"unterminated\n");
    let b = SourceFile::new("b.juris", "package b\nconst y = 2026-13-01\n");
    let d = match PolicySet::compile_exact(vec![a, b]) {
        Err(d) => d,
        Ok(_) => panic!("should not compile"),
    };
    assert_eq!(d.codes(), ["juris::E0102", "juris::E0105"]);
}
