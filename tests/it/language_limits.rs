//! Pathological input: every one gets a clear diagnostic or works, and none
//! overflows the stack or panics. These run on ordinary test threads (2 MiB of
//! stack), as an embedder's threads might be.

use crate::language_support as support;

use std::time::Instant;

use juris::diag::SourceFile;
use juris::syntax::{MAX_EXPR_DEPTH, MAX_NESTING, MAX_POLICY_BYTES};
use support::*;

fn deny(condition: &str) -> String {
    rule_src("", &format!("  deny if {condition}"))
}

#[test]
fn ten_thousand_nested_parentheses() {
    let src = deny(&format!("{}true{}", "(".repeat(10_000), ")".repeat(10_000)));
    assert_eq!(error_codes(&src), ["juris::E0107"]);
    // Just inside the limit works (the rule's braces count too).
    let n = MAX_NESTING - 1;
    assert_eq!(
        truth(&format!("{}true{}", "(".repeat(n), ")".repeat(n))),
        "T"
    );
}

#[test]
fn nesting_inside_interpolations_is_limited_too() {
    let src = rule_src(
        "",
        &format!(
            "  deny if true\n  message \"{{{}1{}}}\"",
            "(".repeat(10_000),
            ")".repeat(10_000)
        ),
    );
    assert_eq!(error_codes(&src), ["juris::E0107"]);
    let src = rule_src(
        "",
        &format!(
            "  deny if true\n  message \"{{{}1{}}}\"",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    );
    assert_eq!(error_codes(&src), ["juris::E0107"]);
}

#[test]
fn unbalanced_brackets() {
    assert_eq!(error_codes(&deny(&"(".repeat(100_000))), ["juris::E0107"]);
    assert_eq!(error_codes(&deny(&")".repeat(100_000))), ["juris::E0101"]);
    assert_eq!(
        error_codes(&format!("package t\nconst a = {}", "[".repeat(50))),
        ["juris::E0101"]
    );
}

#[test]
fn deeply_nested_if_and_quantifiers() {
    let ifs = |n: usize| {
        format!(
            "{}true{}",
            "if true then ".repeat(n),
            " else false".repeat(n)
        )
    };
    assert_eq!(truth(&ifs(50)), "T");
    assert_eq!(error_codes(&deny(&ifs(10_000))), ["juris::E0107"]);
    let anys = |n: usize| {
        format!(
            "{}true",
            (0..n)
                .map(|i| format!("any x{i} in [1]: "))
                .collect::<String>()
        )
    };
    assert_eq!(truth(&anys(50)), "T");
    assert_eq!(error_codes(&deny(&anys(10_000))), ["juris::E0107"]);
    // Quantifiers one after another do not nest.
    let seq = (0..500)
        .map(|i| format!("(any x{i} in [1]: x{i} == 1)"))
        .collect::<Vec<_>>()
        .join(" and\n  ");
    let seq = rule_src(
        "",
        &format!(
            "  where {}\n  deny if true",
            seq.replace(" and\n  ", "\n  where ")
        ),
    );
    assert_eq!(
        run(&compile_ok(&seq), &inventory(vec![subject()]))
            .findings
            .len(),
        1
    );
}

#[test]
fn long_else_if_chains() {
    let chain = |n: usize| {
        let mut s = String::from("if r.attributes.size == 0 then \"zero\"");
        for i in 1..n {
            s.push_str(&format!(
                "\n    else if r.attributes.size == {i} then \"n{i}\""
            ));
        }
        s.push_str("\n    else \"many\"");
        s
    };
    // `else if` does not nest in the grammar; each link is one level of the tree.
    let decls = format!(
        "fn size_name(r: resource) -> string {{\n  {}\n}}",
        chain(200)
    );
    assert_eq!(show_with(&decls, "size_name(r)"), "n3");
    assert_eq!(
        error_codes(&deny(&format!("({}) == \"x\"", chain(10_000)))),
        ["juris::E0114"]
    );
}

#[test]
fn long_operator_chains() {
    let ors = |n: usize| vec!["r.name == \"x\""; n].join(" or ");
    assert_eq!(truth(&ors(MAX_EXPR_DEPTH - 10)), "F");
    // (Long enough to overflow any recursive stage; the whole chain is parsed before
    // the tree is built, so these stay moderate to keep the test quick.)
    assert_eq!(error_codes(&deny(&ors(20_000))), ["juris::E0114"]);
    assert_eq!(
        error_codes(&deny(&format!("{}true", "not ".repeat(20_000)))),
        ["juris::E0114"]
    );
    assert_eq!(
        error_codes(&deny(&format!("{}1 == 1", "-".repeat(20_000)))),
        ["juris::E0114"]
    );
    assert_eq!(
        error_codes(&deny(&format!("r.attributes{} == 1", ".a".repeat(20_000)))),
        ["juris::E0114"]
    );
    assert_eq!(
        error_codes(&deny(&format!("r.attributes{} == 1", "[0]".repeat(20_000)))),
        ["juris::E0114"]
    );
}

#[test]
fn evaluation_at_the_depth_limits_fits_a_small_stack() {
    // One expression as deep as allowed, evaluated on this 2 MiB test thread.
    let n = MAX_EXPR_DEPTH - 10;
    assert_eq!(
        truth(&format!(
            "{}r.name == \"logs\"",
            "not not ".repeat(n / 2 - 2)
        )),
        "T"
    );
    // A chain of functions just under the evaluation-depth limit.
    let tail = " + x".repeat(20);
    let mut decls = String::from("fn f0(x: int) -> int { x }\n");
    for i in 1..23 {
        decls.push_str(&format!(
            "fn f{i}(x: int) -> int {{ f{}(x){tail} }}\n",
            i - 1
        ));
    }
    assert_eq!(show_with(&decls, "f22(1)"), (1 + 22 * 20).to_string());
}

#[test]
fn policy_files_over_the_size_limit() {
    let huge = vec![b'#'; 50 * 1024 * 1024];
    let e = juris::syntax::source_from_bytes("huge.juris", huge).unwrap_err();
    assert!(e.to_string().contains("over the 8388608-byte limit"), "{e}");
    // A source built in memory is held to the same limit.
    let text = format!("package t\n{}", " ".repeat(MAX_POLICY_BYTES as usize));
    let d = match juris::PolicySet::compile_exact(vec![SourceFile::new("big.juris", text)]) {
        Err(d) => d,
        Ok(_) => panic!("should be rejected"),
    };
    assert_eq!(d.codes(), ["juris::E0109"]);
}

#[test]
fn a_large_legal_policy_file() {
    let mut src = String::from("package big\n");
    for i in 0..800 {
        src.push_str(&format!(
            "/// Helper {i}.\nfn helper_{i}(r: resource) -> bool {{\n  r.type == \"type_{i}\" and tag(r, \"team\") in {{\"a\", \"b\", \"c{i}\"}}\n}}\n\n\
             rule rule_{i} {{\n  id: \"BIG-{i:04}\"\n  title: \"Rule number {i}\"\n  severity: low\n  enforce: advisory\n  for r in resources\n  where helper_{i}(r)\n  deny if r.location.region != \"us-east-1\"\n  message \"{{r.address}} is in {{r.location.region}}\"\n}}\n\n"
        ));
    }
    assert!(src.len() > 250_000);
    let start = Instant::now();
    let set = compile_ok(&src);
    eprintln!("{} bytes compiled in {:?}", src.len(), start.elapsed());
    assert_eq!(set.rules().len(), 800);
}

#[test]
fn a_hundred_thousand_element_set_literal() {
    let members: Vec<String> = (0..100_000).map(|i| format!("\"r{i}\"")).collect();
    let src = rule_src(
        &format!("const huge = {{{}}}", members.join(", ")),
        "  deny if r.name in huge",
    );
    let start = Instant::now();
    let set = compile_ok(&src);
    eprintln!("100,000-element set compiled in {:?}", start.elapsed());
    let inv = inventory(vec![
        resource("t.r99999", serde_json::json!({})),
        resource("t.x", serde_json::json!({})),
    ]);
    let report = run(&set, &inv);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].address, "t.r99999");
    // A literal used in place (not through a constant) is interned the same way.
    let src = rule_src(
        "",
        &format!("  deny if r.name in {{{}}}", members.join(", ")),
    );
    let set = compile_ok(&src);
    let hashed = &set.program().sets[0];
    assert_eq!(hashed.strings.len() + hashed.short.len(), 100_000);
}

#[test]
fn non_utf8_bytes() {
    let e = juris::syntax::source_from_bytes("bad.juris", b"package t\n\xc3\x28\n".to_vec())
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("not UTF-8 text (invalid byte at offset 10)"),
        "{e}"
    );
    // Control characters and unusual Unicode in valid UTF-8 are parse errors, not panics.
    for text in [
        "package t\n\u{0}\n",
        "package t\nconst a = \u{feff}1\n",
        "package t\nconst é = 1\n",
        "\u{feff}package t\n",
    ] {
        let _ = compile(text);
    }
}

#[test]
fn huge_interpolations() {
    let parts = "{r.name}-".repeat(10_000);
    let set = compile_ok(&rule_src(
        "",
        &format!("  deny if true\n  message \"{parts}\""),
    ));
    let report = run(&set, &inventory(vec![subject()]));
    assert_eq!(report.findings[0].message.len(), "logs-".len() * 10_000);
    // A very long literal string.
    let long = "x".repeat(1_000_000);
    assert_eq!(
        show_with(&format!("const s = \"{long}\""), "count(s)"),
        "1000000"
    );
}

#[test]
fn many_errors_do_not_explode() {
    let wheres: Vec<String> = (0..2_000).map(|i| format!("  where unknown_{i}")).collect();
    let src = rule_src("", &format!("{}\n  deny if true", wheres.join("\n")));
    let d = compile_err(&src);
    assert_eq!(d.error_count(), 2_000);
}

/// `d0` doubles a string; `d{k}` applies `d{k-1}` twice, so `d{n}("x")` would be
/// 2^(2^n) bytes long after only 2^n calls.
fn doubling(n: usize, d0: &str) -> String {
    let mut decls = format!("fn d0(s: string) -> string {{ {d0} }}\n");
    for k in 1..=n {
        decls.push_str(&format!(
            "fn d{k}(s: string) -> string {{ d{}(d{}(s)) }}\n",
            k - 1,
            k - 1
        ));
    }
    decls
}

fn run_err(src: &str, options: &juris::runner::RunOptions) -> juris::runner::RunError {
    let set = compile_ok(src);
    let inv = inventory(vec![subject()]);
    set.evaluate(&inv, options).expect_err("the run must stop")
}

#[test]
fn a_string_doubled_through_nested_functions_stops_at_the_value_cap() {
    let src = rule_src(
        &doubling(30, "\"{s}{s}\""),
        "  deny if count(d30(r.address)) > 0",
    );
    let start = Instant::now();
    let e = run_err(&src, &juris::runner::RunOptions::new(today()));
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    let text = e.to_string();
    for needed in ["T-001", "aws_s3_bucket.logs", "value_bytes", "16777216"] {
        assert!(text.contains(needed), "{needed} in {text}");
    }
    // `+` on strings and `replace` are held to the same cap.
    for d0 in ["s + s", "replace(s, \"a\", \"aaaa\") + \"a\""] {
        let src = rule_src(&doubling(30, d0), "  deny if count(d30(r.address)) > 0");
        let e = run_err(&src, &juris::runner::RunOptions::new(today()));
        assert!(e.to_string().contains("value_bytes"), "{d0}: {e}");
    }
}

#[test]
fn exponentially_many_calls_stop_at_the_step_budget() {
    // The string stays small; the calls double per level: 2^30 of them.
    let src = rule_src(&doubling(30, "s"), "  deny if d30(r.address) == \"\"");
    let options = juris::runner::RunOptions {
        limits: juris::eval::EvalLimits {
            steps: 100_000,
            ..Default::default()
        },
        ..juris::runner::RunOptions::new(today())
    };
    let start = Instant::now();
    let e = run_err(&src, &options);
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    let text = e.to_string();
    assert!(
        text.contains("eval_steps") && text.contains("100000 steps"),
        "{text}"
    );
    // Under a budget that fits, the same rule runs: the limit is per rule and resource.
    let src = rule_src(&doubling(10, "s"), "  deny if d10(r.address) == \"\"");
    let set = compile_ok(&src);
    let inv = inventory(vec![subject(), subject()]);
    assert!(set.evaluate(&inv, &options).is_ok());
}

#[test]
fn sets_that_double_stop_at_the_value_cap() {
    // Each level is the last one and a renamed copy of it: 2^30 distinct strings.
    let mut decls = "fn l0(x: set<string>) -> set<string> { x }\n".to_owned();
    for k in 1..=30 {
        decls.push_str(&format!(
            "fn l{k}(x: set<string>) -> set<string> {{ l{p}(x) union {{y + \"{k}\" for y in l{p}(x)}} }}\n",
            p = k - 1
        ));
    }
    let src = rule_src(&decls, "  deny if count(l30({r.address})) > 0");
    let start = Instant::now();
    let e = run_err(&src, &juris::runner::RunOptions::new(today()));
    assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
    let text = e.to_string();
    assert!(
        text.contains("value_bytes") || text.contains("eval_steps"),
        "{text}"
    );
}

#[test]
fn constant_folding_respects_the_value_cap() {
    // Thirty constants, each the last twice over: folding stops at the cap, and the
    // constant that would pass it is an error naming the limit.
    let mut decls = "const c0: string = \"ab\"\n".to_owned();
    for k in 1..=30 {
        decls.push_str(&format!(
            "const c{k}: string = \"{{c{p}}}{{c{p}}}\"\n",
            p = k - 1
        ));
    }
    let src = rule_src(&decls, "  deny if count(c30) > 0");
    let start = Instant::now();
    assert_eq!(error_codes(&src), ["juris::E0216"]);
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
}
