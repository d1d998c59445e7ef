//! Let-bindings and user-defined functions: scoping, types, no recursion, and the
//! limit on how deeply calls nest.

use crate::language_support as support;

use support::*;

const HELPERS: &str = r#"
/// Whether a country is in the United States.
fn is_us(c: string) -> bool { c == "US" }

fn all_us(r: resource) -> bool {
  let cs = r.location.countries
  all c in cs: is_us(c)
}

fn describe(r: resource) -> string {
  let where_ = r.location.region
  let who = r.provider.company
  "{r.address} in {where_} with {who}"
}

fn no_return_type(x: int) { x + 1 }

const answer: int = 41
"#;

#[test]
fn functions_compute_values() {
    assert_eq!(truth_with(HELPERS, "all_us(r)"), "T");
    assert_eq!(truth_with(HELPERS, "is_us(\"DE\")"), "F");
    assert_eq!(
        show_with(HELPERS, "describe(r)"),
        "aws_s3_bucket.logs in us-east-1 with Amazon Web Services, Inc."
    );
    assert_eq!(show_with(HELPERS, "no_return_type(answer)"), "42");
}

#[test]
fn lets_bind_in_order_and_shadow() {
    let decls = "fn f(x: int) -> int {\n  let y = x + 1\n  let y = y * 0 + y + 1\n  y\n}";
    // `*` is not an operator: the second let fails to parse, so use + only.
    let _ = decls;
    let decls = "fn f(x: int) -> int {\n  let y = x + 1\n  let y = y + 1\n  y\n}";
    assert_eq!(show_with(decls, "f(1)"), "3");
    // Quantifier variables shadow outer names inside their body only.
    let decls = "fn g(x: int) -> bool { any x in [5]: x == 5 }";
    assert_eq!(truth_with(decls, "g(1)"), "T");
}

#[test]
fn functions_are_type_checked() {
    let cases: &[(&str, &str, &[&str])] = &[
        ("fn f(x: int) -> string { x }", "true", &["juris::E0301"]),
        (
            "fn f(x: int) -> int { x }",
            "f(\"a\") == 1",
            &["juris::E0301"],
        ),
        (
            "fn f(x: int) -> int { x }",
            "f(1, 2) == 1",
            &["juris::E0302"],
        ),
        ("fn f(x: integer) -> int { 1 }", "true", &["juris::E0305"]),
        (
            "fn f(x: set<int, int>) -> int { 1 }",
            "true",
            &["juris::E0305"],
        ),
        ("fn f(x: int) -> int { y }", "true", &["juris::E0201"]),
        ("fn f(x: int) -> int { x }", "f == 1", &["juris::E0314"]),
    ];
    for (decls, cond, codes) in cases {
        assert_eq!(
            error_codes(&rule_src(decls, &format!("  deny if {cond}"))),
            *codes,
            "{decls} / {cond}"
        );
    }
    let d = compile_err(&rule_src("fn f(x: strng) -> int { 1 }", "  deny if true"));
    assert!(d.render_plain().contains("did you mean `string`?"));
}

#[test]
fn recursion_is_rejected() {
    let direct = "fn f(x: int) -> int { f(x) }";
    let codes = error_codes(&rule_src(direct, "  deny if f(1) == 1"));
    assert_eq!(codes, ["juris::E0208"]);
    let mutual =
        "fn a(x: int) -> int { b(x) }\nfn b(x: int) -> int { c(x) }\nfn c(x: int) -> int { a(x) }";
    let d = compile_err(&rule_src(mutual, "  deny if a(1) == 1"));
    assert_eq!(d.codes(), ["juris::E0208"]);
    assert!(
        d.render_plain().contains("t.a → t.b → t.c → t.a"),
        "{}",
        d.render_plain()
    );
}

#[test]
fn constants_may_not_depend_on_themselves() {
    let codes = error_codes(&rule_src(
        "const a = b\nconst b = {1} union a",
        "  deny if 1 in a",
    ));
    assert_eq!(codes, ["juris::E0209"]);
    let codes = error_codes(&rule_src("const a = res.name", "  deny if true"));
    assert_eq!(codes, ["juris::E0201"]);
    let codes = error_codes(&rule_src("const a = today()", "  deny if true"));
    assert_eq!(codes, ["juris::E0313"]);
}

fn chain(n: usize) -> String {
    let mut s = String::from("fn f0(x: int) -> int { x }\n");
    for i in 1..n {
        s.push_str(&format!("fn f{i}(x: int) -> int {{ f{}(x) + 1 }}\n", i - 1));
    }
    s
}

#[test]
fn calls_nest_at_most_max_call_depth() {
    let limit = juris::check::MAX_CALL_DEPTH;
    let ok = chain(limit);
    assert_eq!(
        show_with(&ok, &format!("f{}(0)", limit - 1)),
        (limit - 1).to_string()
    );
    let d = compile_err(&rule_src(&chain(limit + 1), "  deny if true"));
    assert_eq!(d.codes(), ["juris::E0210"]);
}

#[test]
fn evaluation_depth_is_bounded_across_calls() {
    // Each function is shallow, but together they would nest too deeply: the call
    // sits at the bottom of a chain of twenty additions.
    let tail = " + x".repeat(20);
    let mut s = String::from("fn f0(x: int) -> int { x }\n");
    for i in 1..30 {
        s.push_str(&format!(
            "fn f{i}(x: int) -> int {{ f{}(x){tail} }}\n",
            i - 1
        ));
    }
    // Twenty functions of that are fine.
    compile_ok(&rule_src(
        &s.lines().take(20).collect::<Vec<_>>().join("\n"),
        "  deny if f19(0) == 0",
    ));
    let d = compile_err(&rule_src(&s, "  deny if f29(0) == 0"));
    assert_eq!(d.codes(), ["juris::E0212"], "{}", d.render_plain());
}
