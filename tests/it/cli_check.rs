//! `juris check`: exit codes, `--fail-on`, `--rule`, `--today`, standard input and
//! several inputs evaluated together, through the real binary.

use crate::cli_support;

use cli_support::*;

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{}", run.dump()))
}

#[test]
fn blocking_findings_exit_1() {
    let r = check(&[INVENTORY]);
    assert_eq!(r.code, 1, "{}", r.dump());
    assert!(r.stdout.contains("FAIL: 4 blocking"), "{}", r.dump());
}

#[test]
fn a_clean_input_exits_0() {
    let r = check(&[CLEAN]);
    assert_eq!(r.code, 0, "{}", r.dump());
    assert!(r.stdout.contains("No findings."), "{}", r.dump());
    assert!(r.stdout.contains("PASS"), "{}", r.dump());
}

#[test]
fn advisory_findings_never_fail_by_default() {
    let r = check(&["--rule", "ACME-003", INVENTORY]);
    assert_eq!(r.code, 0, "{}", r.dump());
    assert!(
        r.stdout.contains("violation (not blocking)"),
        "{}",
        r.dump()
    );
}

#[test]
fn fail_on_sets_the_lowest_failing_enforcement() {
    // ACME-004 is soft: it fails at the default (soft) and at advisory, not at hard.
    for (level, code) in [("advisory", 1), ("soft", 1), ("hard", 0)] {
        let r = check(&["--rule", "ACME-004", "--fail-on", level, INVENTORY]);
        assert_eq!(r.code, code, "--fail-on {level}: {}", r.dump());
    }
    let r = check(&["--rule", "ACME-004", INVENTORY]);
    assert_eq!(r.code, 1, "default is soft: {}", r.dump());
    // ACME-003 is advisory: only --fail-on advisory makes it fail.
    let r = check(&["--rule", "ACME-003", "--fail-on", "advisory", INVENTORY]);
    assert_eq!(r.code, 1, "{}", r.dump());
    // ACME-001 is hard: it fails at every level.
    let r = check(&["--rule", "ACME-001", "--fail-on", "hard", INVENTORY]);
    assert_eq!(r.code, 1, "{}", r.dump());
}

#[test]
fn fail_on_is_recorded_in_the_report() {
    let r = check(&["--fail-on", "hard", "--format", "json", INVENTORY]);
    let doc = json(&r);
    assert_eq!(doc["fail_on"], "hard");
    // Soft findings are still listed, but no longer block.
    let soft_blocking = doc["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["enforcement"] == "soft" && f["blocking"] == true)
        .count();
    assert_eq!(soft_blocking, 0, "{}", r.stdout);
}

#[test]
fn rule_selects_rules_and_is_repeatable() {
    let r = check(&[
        "--rule", "ACME-002", "--rule", "ACME-004", "--format", "json", INVENTORY,
    ]);
    let doc = json(&r);
    let mut rules: Vec<&str> = doc["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    rules.dedup();
    assert_eq!(rules, ["ACME-002", "ACME-004"]);
    assert_eq!(doc["summary"]["rules"], 2);
    // Exceptions of rules that did not run are not reported.
    for e in doc["exceptions"].as_array().into_iter().flatten() {
        assert_eq!(e["rule"], "ACME-002", "{e}");
    }
}

#[test]
fn today_decides_which_exceptions_have_expired() {
    // On 2026-06-01 the vendor exception (expires 2026-03-31) has expired...
    let r = check(&["--rule", "ACME-001", "--format", "json", INVENTORY]);
    let doc = json(&r);
    let vendor = &doc["findings"][0];
    assert_eq!(vendor["address"], "alicloud_oss_bucket.vendor");
    assert_eq!(vendor["outcome"], "violation");
    assert_eq!(
        vendor["expired_exception"]["name"],
        "acme.residency.vendor_bucket"
    );
    // ...on 2026-03-01 it still applies.
    let r = run(&[
        "check",
        "--no-standard",
        "--policy",
        POLICIES,
        "--today",
        "2026-03-01",
        "--rule",
        "ACME-001",
        "--format",
        "json",
        INVENTORY,
    ]);
    let doc = json(&r);
    assert_eq!(doc["today"], "2026-03-01");
    let vendor = &doc["findings"][0];
    assert_eq!(vendor["outcome"], "excepted", "{}", r.stdout);
    assert_eq!(vendor["blocking"], false);
}

#[test]
fn an_exception_longer_than_a_year_from_today_is_an_error() {
    let r = run(&[
        "check",
        "--no-standard",
        "--policy",
        POLICIES,
        "--today",
        "2025-01-01",
        INVENTORY,
    ]);
    assert_eq!(r.code, 2, "{}", r.dump());
    assert!(
        r.stderr.contains("more than a year after 2025-01-01"),
        "{}",
        r.dump()
    );
    assert!(
        r.stdout.is_empty(),
        "nothing on stdout on exit 2: {}",
        r.dump()
    );
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let bytes = std::fs::read(root().join(INVENTORY)).expect("fixture");
    let args = [
        "check",
        "--no-standard",
        "--policy",
        POLICIES,
        "--today",
        "2026-06-01",
        "--format",
        "json",
        "-",
    ];
    let r = run_in(&root(), &args, Some(&bytes));
    assert_eq!(r.code, 1, "{}", r.dump());
    let doc = json(&r);
    assert_eq!(doc["findings"][0]["input"], "-");
    // The same findings as reading the file, apart from the input's name.
    let from_file = check(&["--format", "json", INVENTORY]);
    assert_eq!(
        from_file.stdout.replace(INVENTORY, "-"),
        r.stdout,
        "stdin and file reports differ"
    );
}

#[test]
fn several_inputs_are_evaluated_together() {
    let r = check(&["--format", "json", INVENTORY, SECOND]);
    assert_eq!(r.code, 1, "{}", r.dump());
    let doc = json(&r);
    assert_eq!(doc["summary"]["resources"], 10);
    // The same address in two inputs gives two resources, each with its input.
    let customers: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["address"] == "aws_s3_bucket.customers")
        .collect();
    assert_eq!(customers.len(), 1, "{}", r.stdout);
    assert_eq!(customers[0]["input"], SECOND);
    assert_eq!(customers[0]["rule"], "ACME-002");
}

#[test]
fn findings_are_sorted_by_rule_then_address() {
    let doc = json(&check(&["--format", "json", INVENTORY, SECOND]));
    let keys: Vec<(String, String)> = doc["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| (f["rule"].to_string(), f["address"].to_string()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

/// An inventory of `n` compliant buckets.
fn large_inventory(n: usize) -> String {
    let one = r#"{"address": "aws_s3_bucket.b{i}", "type": "aws_s3_bucket", "name": "b{i}",
        "provider": {"source": "hashicorp/aws", "company": "Amazon Web Services, Inc.", "jurisdiction": "US"},
        "location": {"region": "us-east-1", "countries": ["US"], "derivation": "test"},
        "custody": {"company": "Amazon Web Services, Inc.", "jurisdiction": "US"},
        "tags": {"owner": "x"}}"#;
    let resources: Vec<String> = (0..n).map(|i| one.replace("{i}", &i.to_string())).collect();
    format!(
        r#"{{"version": 1, "resources": [{}]}}"#,
        resources.join(",")
    )
}

#[test]
fn no_progress_indicator_when_stderr_is_not_a_terminal() {
    // A large inventory (over 10,000 resources) piped, as in CI: stderr stays clean.
    let doc = large_inventory(10_050);
    let r = run_in(
        &root(),
        &[
            "check",
            "--no-standard",
            "--policy",
            POLICIES,
            "--today",
            "2026-06-01",
            "-",
        ],
        Some(doc.as_bytes()),
    );
    assert_eq!(r.code, 0, "{}", r.dump());
    assert!(r.stderr.is_empty(), "stderr: {:?}", r.stderr);
    assert!(r.stdout.contains("over 10050 resources"), "{}", r.stdout);
}

#[test]
fn progress_indicator_on_a_terminal_for_large_inputs() {
    // `script` gives juris a terminal; stdout goes to /dev/null so what the
    // terminal shows is stderr alone.
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "SKIPPED: `script` (util-linux) is not installed, so no terminal to test progress on"
        );
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let shown = |n: usize| {
        let input = dir.path().join(format!("large-{n}.json"));
        std::fs::write(&input, large_inventory(n)).expect("write input");
        let policies = root().join(POLICIES);
        let cmd = format!(
            "'{}' check --no-standard --policy '{}' --today 2026-06-01 '{}' > /dev/null",
            env!("CARGO_BIN_EXE_juris"),
            policies.display(),
            input.display()
        );
        let out = std::process::Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .output()
            .expect("script runs");
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let large = shown(10_001);
    assert!(
        large.contains("juris: checked ") && large.contains(" of 10001 resources"),
        "{large:?}"
    );
    let small = shown(10_000);
    assert!(!small.contains("juris: checked"), "{small:?}");
}

/// `--timings` names each stage once, in order, on standard error, and leaves the
/// report and the exit code as they are.
#[test]
fn timings_go_to_stderr_in_stage_order() {
    let plain = run(&[
        "check",
        "--format",
        "json",
        "--today",
        "2026-06-01",
        SEED_PLAN,
    ]);
    let timed = run(&[
        "check",
        "--format",
        "json",
        "--today",
        "2026-06-01",
        "--timings",
        SEED_PLAN,
    ]);
    assert_eq!(timed.code, plain.code, "{}", timed.dump());
    assert_eq!(timed.stdout, plain.stdout);
    assert!(!plain.stderr.contains("timings"), "{}", plain.dump());
    let stages = [
        "compiled the policies, read the catalog and the first input file",
        "read the input",
        "parsed it and built the model",
        "evaluated",
        "wrote the report",
    ];
    let at: Vec<usize> = stages
        .iter()
        .map(|s| {
            timed
                .stderr
                .find(&format!("  {s} "))
                .unwrap_or_else(|| panic!("no `{s}` line\n{}", timed.dump()))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{}", timed.dump());
    // Each line ends with a number of milliseconds.
    for line in timed.stderr.lines().filter(|l| l.contains(" took ")) {
        let took = line.rsplit(' ').next().unwrap_or_default();
        assert!(took.parse::<f64>().is_ok(), "{line}");
    }
}
