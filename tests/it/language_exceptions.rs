//! Exceptions (waivers) and policy unit tests as declarations: their metadata and
//! its validation; dates and how exceptions apply and expire.

use crate::language_support as support;

use support::*;

const RULE: &str = "rule r {\n  id: \"T-001\" severity: high enforce: hard\n  for r in resources\n  deny if true\n}\n";

fn with(decl: &str) -> String {
    format!("package t\n{RULE}\n{decl}\n")
}

const GOOD: &str = r#"exception legacy_logs {
  rule: "T-001"
  resources: ["aws_s3_bucket.logs", "module.old.*"]
  reason: "Being migrated"
  approved_by: "Jane Doe <jane@example.com>"
  expires: 2026-06-30
  ticket: "SEC-42"
}"#;

#[test]
fn an_exception_waives_matching_findings_until_it_expires() {
    let set = compile_ok(&with(GOOD));
    let e = &set.program().exceptions[0];
    assert_eq!(e.name, "t.legacy_logs");
    assert_eq!(e.resources, ["aws_s3_bucket.logs", "module.old.*"]);
    assert_eq!(e.ticket.as_deref(), Some("SEC-42"));
    let inv = inventory(vec![
        subject(),
        resource("module.old.aws_s3_bucket.x", serde_json::json!({})),
        resource("aws_s3_bucket.other", serde_json::json!({})),
    ]);
    let report = run(&set, &inv);
    let outcomes: Vec<(&str, &str)> = report
        .findings
        .iter()
        .map(|f| (f.address.as_str(), f.outcome.as_str()))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("aws_s3_bucket.logs", "excepted"),
            ("aws_s3_bucket.other", "violation"),
            ("module.old.aws_s3_bucket.x", "excepted")
        ]
    );
    assert_eq!(
        report.findings[0].waived_outcome.map(|o| o.as_str()),
        Some("violation")
    );
    assert!(!report.findings[0].blocking);
    // On the expiry date it still applies; the day after, it does not.
    let on = set
        .evaluate(
            &inv,
            &juris::runner::RunOptions::new(juris::date::parse("2026-06-30").unwrap()),
        )
        .unwrap();
    assert_eq!(on.summary.excepted, 2);
    let after = set
        .evaluate(
            &inv,
            &juris::runner::RunOptions::new(juris::date::parse("2026-07-01").unwrap()),
        )
        .unwrap();
    assert_eq!(after.summary.excepted, 0);
    assert_eq!(after.summary.expired_exceptions, 1);
    assert!(after.findings[0].expired_exception.is_some());
}

#[test]
fn one_resource_glob_may_be_written_without_a_list() {
    let set = compile_ok(&with(
        &GOOD.replace("[\"aws_s3_bucket.logs\", \"module.old.*\"]", "\"aws_*\""),
    ));
    assert_eq!(set.program().exceptions[0].resources, ["aws_*"]);
}

#[test]
fn exception_metadata_is_validated() {
    let drop = |key: &str| -> String {
        GOOD.lines()
            .filter(|l| !l.trim_start().starts_with(&format!("{key}:")))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for key in ["rule", "resources", "reason", "approved_by", "expires"] {
        assert_eq!(
            error_codes(&with(&drop(key))),
            ["juris::E0401"],
            "without {key}"
        );
    }
    // The ticket is optional.
    compile_ok(&with(&drop("ticket")));
    let cases = [
        (GOOD.replace("\"T-001\"", "\"T-002\""), "juris::E0501"),
        (GOOD.replace("2026-06-30", "\"2026-06-30\""), "juris::E0407"),
        (GOOD.replace("2026-06-30", "2026-02-30"), "juris::E0105"),
        (GOOD.replace("ticket", "tiket"), "juris::E0405"),
        (GOOD.replace("\"Being migrated\"", "42"), "juris::E0407"),
        (
            GOOD.replace("\"Being migrated\"", "\"{r.name}\""),
            "juris::E0407",
        ),
        (
            GOOD.replace("  ticket: \"SEC-42\"", "  reason: \"again\""),
            "juris::E0406",
        ),
    ];
    for (decl, code) in cases {
        assert_eq!(error_codes(&with(&decl)), [code], "{decl}");
    }
    let d = compile_err(&with(&GOOD.replace("\"T-001\"", "\"T-01\"")));
    assert!(d.render_plain().contains("did you mean `T-001`?"));
}

#[test]
fn exceptions_longer_than_a_year_stop_the_run() {
    let set = compile_ok(&with(&GOOD.replace("2026-06-30", "2027-06-30")));
    let err = set
        .evaluate(
            &inventory(vec![subject()]),
            &juris::runner::RunOptions::new(today()),
        )
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("more than a year"), "{text}");
}

const TEST_DECL: &str = r#"test "buckets are flagged" {
  input: "fixtures/plan.json"
  rules: ["T-001"]
  today: 2026-01-15
  expect: [{rule: "T-001", address: "aws_s3_bucket.logs", outcome: violation}]
  description: "one finding"
}"#;

#[test]
fn tests_are_declarations_with_checked_metadata() {
    let set = compile_ok(&with(TEST_DECL));
    let t = &set.program().tests[0];
    assert_eq!(t.name, "buckets are flagged");
    assert_eq!(t.rules, ["T-001"]);
    assert_eq!(t.expect[0].outcome, "violation");
    assert_eq!(
        t.input,
        juris::ir::TestInput::Path("fixtures/plan.json".into())
    );
    // An inline document instead of a fixture; a bare name instead of a string.
    let inline = TEST_DECL
        .replace(
            "input: \"fixtures/plan.json\"",
            "inline: r\"\"\"{\"version\": 1, \"resources\": []}\"\"\"",
        )
        .replace("test \"buckets are flagged\"", "test inline_doc");
    let set = compile_ok(&with(&inline));
    assert!(matches!(
        set.program().tests[0].input,
        juris::ir::TestInput::Inline(_)
    ));
    assert_eq!(set.program().tests[0].name, "inline_doc");
}

#[test]
fn test_metadata_is_validated() {
    let cases = [
        (TEST_DECL.replace("  input: \"fixtures/plan.json\"\n", ""), vec!["juris::E0401"]),
        (TEST_DECL.replace("  today: 2026-01-15\n", ""), vec!["juris::E0401"]),
        (TEST_DECL.replace("  expect: [{rule: \"T-001\", address: \"aws_s3_bucket.logs\", outcome: violation}]\n", ""), vec!["juris::E0401"]),
        (TEST_DECL.replace("rules: [\"T-001\"]", "rules: [\"T-009\"]"), vec!["juris::E0501"]),
        (TEST_DECL.replace("outcome: violation", "outcome: failed"), vec!["juris::E0503"]),
        (TEST_DECL.replace("outcome: violation", "outcom: violation"), vec!["juris::E0405"]),
        (TEST_DECL.replace("expect: [", "expect: [1, "), vec!["juris::E0407"]),
        (TEST_DECL.replace("expect: [{rule: \"T-001\", address: \"aws_s3_bucket.logs\", outcome: violation}]", "expect: \"none\""), vec!["juris::E0407"]),
        (TEST_DECL.replace("  rules:", "  inline: r\"{}\"\n  rules:"), vec!["juris::E0407"]),
        (TEST_DECL.replace("today: 2026-01-15", "today: \"2026-01-15\""), vec!["juris::E0407"]),
        (TEST_DECL.replace("description", "descripton"), vec!["juris::E0405"]),
    ];
    for (decl, codes) in cases {
        assert_eq!(error_codes(&with(&decl)), codes, "{decl}");
    }
    // `expect: []` says there are no findings.
    compile_ok(&with(&TEST_DECL.replace(
        "[{rule: \"T-001\", address: \"aws_s3_bucket.logs\", outcome: violation}]",
        "[]",
    )));
    // Record literals are only for expectations.
    assert_eq!(
        error_codes(&rule_src("", "  deny if {a: 1} == null")),
        ["juris::E0312"]
    );
}

#[test]
fn dates_compare_and_add_days() {
    let cases = [
        ("2026-03-01 - 2026-02-01", "28"),
        ("2024-03-01 - 2024-02-01", "29"),
        ("2026-12-31 + 1", "2027-01-01"),
        ("2026-01-01 - 1", "2025-12-31"),
        ("today() + 30", "2026-02-14"),
    ];
    for (e, want) in cases {
        assert_eq!(show(e), want, "{e}");
    }
    for (c, want) in [
        ("2026-01-15 == today()", "T"),
        ("2025-12-31 < 2026-01-01", "T"),
        ("date(\"2026-01-15\") >= today()", "T"),
    ] {
        assert_eq!(truth(c), want, "{c}");
    }
    assert_eq!(
        error_codes(&rule_src("", "  deny if 2026-13-01 < today()")),
        ["juris::E0105"]
    );
    assert_eq!(
        error_codes(&rule_src("", "  deny if 2026-01-01 < 5")),
        ["juris::E0306"]
    );
    assert_eq!(
        error_codes(&rule_src(
            "",
            "  deny if 2026-01-01 + 2026-01-01 == today()"
        )),
        ["juris::E0306"]
    );
}
