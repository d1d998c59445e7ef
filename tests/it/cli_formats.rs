//! Every `--format` on the report fixture: an insta snapshot of each, byte-identical
//! output across runs, and the same report on stdout and through `--output`.

use crate::cli_support;

use cli_support::*;

const FORMATS: [&str; 6] = ["human", "json", "sarif", "junit", "github", "markdown"];

/// The fixture with two inputs, so every renderer shows which input a finding is in.
fn render(format: &str) -> Run {
    let r = check(&["--format", format, INVENTORY, SECOND]);
    assert_eq!(r.code, 1, "{format}: {}", r.dump());
    assert!(r.stderr.is_empty(), "{format}: {}", r.dump());
    r
}

#[test]
fn human() {
    insta::assert_snapshot!(render("human").stdout);
}

#[test]
fn json() {
    insta::assert_snapshot!(render("json").stdout);
}

#[test]
fn sarif() {
    insta::assert_snapshot!(render("sarif").stdout);
}

#[test]
fn junit() {
    insta::assert_snapshot!(render("junit").stdout);
}

#[test]
fn github() {
    insta::assert_snapshot!(render("github").stdout);
}

#[test]
fn markdown() {
    insta::assert_snapshot!(render("markdown").stdout);
}

#[test]
fn markdown_of_a_passing_check() {
    let r = check(&["--format", "markdown", CLEAN]);
    assert_eq!(r.code, 0, "{}", r.dump());
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn every_format_is_deterministic() {
    for format in FORMATS {
        let a = render(format).stdout;
        let b = render(format).stdout;
        assert!(!a.is_empty(), "{format} printed nothing");
        assert_eq!(a, b, "{format}: two runs differ");
    }
}

#[test]
fn output_file_holds_exactly_what_stdout_shows() {
    let dir = tempfile::tempdir().expect("temp dir");
    for format in FORMATS {
        let path = dir.path().join(format!("report.{format}"));
        let path_arg = path.to_string_lossy().into_owned();
        let r = check(&["--format", format, "--output", &path_arg, INVENTORY, SECOND]);
        assert_eq!(r.code, 1, "{format}: {}", r.dump());
        assert!(r.stdout.is_empty(), "{format}: {}", r.dump());
        let written = std::fs::read_to_string(&path).expect("report written");
        assert_eq!(written, render(format).stdout, "{format}");
    }
}

#[test]
fn json_is_the_serialised_report_with_a_final_newline() {
    let out = render("json").stdout;
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(doc["version"], 1);
    for key in ["today", "fail_on", "findings", "exceptions", "summary"] {
        assert!(doc.get(key).is_some(), "missing {key}");
    }
    for f in doc["findings"].as_array().into_iter().flatten() {
        for key in [
            "rule",
            "outcome",
            "enforcement",
            "severity",
            "address",
            "message",
            "evidence",
            "exception",
            "blocking",
        ] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
    }
    assert_eq!(
        serde_json::to_string_pretty(&doc).expect("json") + "\n",
        out,
        "pretty-printed exactly as serde_json does"
    );
}

#[test]
fn junit_has_a_suite_per_rule_and_a_case_per_evaluated_resource() {
    let xml = render("junit").stdout;
    let summary: serde_json::Value =
        serde_json::from_str(&render("json").stdout).expect("json report");
    let suites = xml.matches("<testsuite ").count();
    assert_eq!(
        suites as u64,
        summary["summary"]["rules"].as_u64().unwrap_or(0)
    );
    let cases = xml.matches("<testcase ").count();
    assert_eq!(
        cases as u64,
        summary["summary"]["evaluated"].as_u64().unwrap_or(0),
        "one test case per (rule, resource) pair the summary counts"
    );
    let failures = xml.matches("<failure ").count();
    assert_eq!(
        failures as u64,
        summary["summary"]["blocking"].as_u64().unwrap_or(0)
    );
    let skipped = xml.matches("<skipped").count();
    assert_eq!(
        skipped as u64,
        summary["summary"]["excepted"].as_u64().unwrap_or(0)
    );
}

#[test]
fn github_commands_escape_their_data() {
    let out = render("github").stdout;
    for line in out.lines() {
        assert!(line.starts_with("::"), "{line}");
        let (_, data) = line
            .split_once("::")
            .and_then(|(_, rest)| rest.split_once("::"))
            .unwrap_or_default();
        assert!(!data.contains('\r'), "{line}");
    }
    assert_eq!(
        out.lines().count(),
        // one per finding plus the summary notice
        serde_json::from_str::<serde_json::Value>(&render("json").stdout).expect("json")["findings"]
            .as_array()
            .map_or(0, Vec::len) + 1
    );
}

#[test]
fn junit_reads_back_as_junit() {
    let xml = render("junit").stdout;
    let report = quick_junit::Report::deserialize_from_str(&xml).expect("well-formed JUnit XML");
    assert_eq!(report.test_suites.len(), 4);
    let failures: usize = report.test_suites.iter().map(|s| s.failures).sum();
    let skipped: usize = report.test_suites.iter().map(|s| s.skipped).sum();
    assert_eq!((failures, skipped), (5, 1));
    // Every case names its rule as its class, so CI tabs group cases by rule.
    for suite in &report.test_suites {
        for case in &suite.test_cases {
            let class = case.classname.as_ref().map(|c| c.as_str()).unwrap_or("");
            assert!(
                suite.name.as_str().starts_with(class),
                "{class} in {}",
                suite.name.as_str()
            );
        }
    }
}
