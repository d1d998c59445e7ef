//! Strings: escapes, interpolation `{expr}` and `{{`/`}}`, raw strings, text blocks
//! and their dedent rules.

use crate::language_support as support;

use support::*;

/// The message a rule with `message <literal>` renders over `subject()`.
fn message(literal: &str) -> String {
    let set = compile_ok(&rule_src(
        "",
        &format!("  deny if true\n  message {literal}"),
    ));
    run(&set, &inventory(vec![subject()])).findings[0]
        .message
        .clone()
}

/// The value of a string literal used as a constant.
fn constant(literal: &str) -> String {
    show_with(&format!("const s = {literal}"), "s")
}

#[test]
fn escapes() {
    assert_eq!(constant(r#""a\"b\\c""#), "a\"b\\c");
    assert_eq!(constant(r#""tab\there""#), "tab\there");
    assert_eq!(constant(r#""line\nnext\r""#), "line\nnext\r");
    assert_eq!(constant(r#""\{not interpolated\}""#), "{not interpolated}");
    assert_eq!(constant(r#""\u{48}\u{e9}\u{1F600}""#), "Hé😀");
    assert_eq!(
        constant(r#""unicode as written: 中文 é""#),
        "unicode as written: 中文 é"
    );
}

#[test]
fn bad_escapes_are_syntax_errors() {
    assert_eq!(
        error_codes(&rule_src(r#"const s = "\q""#, "  deny if false")),
        ["juris::E0104"]
    );
    assert_eq!(
        error_codes(&rule_src(r#"const s = "\u{110000}""#, "  deny if false")),
        ["juris::E0110"]
    );
    assert_eq!(
        error_codes(&rule_src(r#"const s = "\u{}""#, "  deny if false")),
        ["juris::E0110"]
    );
    assert_eq!(
        error_codes(&rule_src(r#"const s = "\u41""#, "  deny if false")),
        ["juris::E0110"]
    );
}

#[test]
fn interpolation() {
    assert_eq!(
        message(r#""{r.address} in {r.location.region}""#),
        "aws_s3_bucket.logs in us-east-1"
    );
    assert_eq!(message(r#""{{literal}} and {1 + 1}""#), "{literal} and 2");
    assert_eq!(message(r#""}}{{""#), "}{");
    assert_eq!(message(r#""{ r.name }""#), "logs");
    assert_eq!(
        message(r#""{[1, 2]}; {r.location.countries}; {true}; {2026-03-01}""#),
        "1, 2; US; true; 2026-03-01"
    );
    assert_eq!(
        message(r#""{r.custody.jurisdiction} / {r.attributes.missing}""#),
        "(unknown) / (none)"
    );
    // Records render readably: a location, a custody, a company.
    assert_eq!(
        message(r#""{r.location} | {r.custody}""#),
        "us-east-1 (US) | Amazon Web Services, Inc. ((unknown))"
    );
    // Sets inside interpolations need a space after the opening brace.
    assert_eq!(
        message(r#""{ {"b", "a"} }""#.replace("\"b\"", "2").replace("\"a\"", "1").as_str()),
        "1, 2"
    );
}

#[test]
fn interpolation_errors() {
    let cases = [
        (r#""{r.name""#, "juris::E0111"),
        (r#""{}""#, "juris::E0112"),
        (r#""a } b""#, "juris::E0113"),
        (r#""{r.nme}""#, "juris::E0202"),
        (r#""{lower("x")}""#, "juris::E0111"),
    ];
    for (lit, code) in cases {
        let codes = error_codes(&rule_src("", &format!("  deny if true\n  message {lit}")));
        assert_eq!(codes, [code], "{lit}");
    }
}

#[test]
fn raw_strings_take_every_character() {
    assert_eq!(constant(r#"r"\d+\.{1}""#), r"\d+\.{1}");
    assert_eq!(
        constant(r#"r"{not} {{interpolated}}""#),
        "{not} {{interpolated}}"
    );
    assert_eq!(
        constant("r\"\"\"\n  {\"json\": [1]}\n  \"\"\""),
        "{\"json\": [1]}"
    );
}

#[test]
fn text_blocks_dedent() {
    // The first line break and the indentation of the closing quotes go; the common
    // indentation of the lines goes; relative indentation stays.
    let block = "\"\"\"\n    first\n      indented\n    last\n    \"\"\"";
    assert_eq!(constant(block), "first\n  indented\nlast");
    // Blank lines do not count towards the common indentation.
    let block = "\"\"\"\n    a\n\n    b\n  \"\"\"";
    assert_eq!(constant(block), "a\n\nb");
    // Text on the opening line is kept as written.
    let block = "\"\"\"one line\"\"\"";
    assert_eq!(constant(block), "one line");
    // Escapes and interpolation work in text blocks; so do quotes.
    let block = "\"\"\"\n  say \"hi\" to {r.name}\\t!\n  \"\"\"";
    assert_eq!(message(block), "say \"hi\" to logs\t!");
    // Strings inside interpolations are allowed in text blocks.
    assert_eq!(message("\"\"\"{lower(\"AB\")}\"\"\""), "ab");
    // Windows line endings are read as plain ones.
    let block = "\"\"\"\r\n  a\r\n  b\r\n  \"\"\"";
    assert_eq!(constant(block), "a\nb");
}

#[test]
fn unterminated_strings_and_comments() {
    assert_eq!(
        error_codes("package t\nconst s = \"abc\n"),
        ["juris::E0102"]
    );
    assert_eq!(
        error_codes("package t\nconst s = \"\"\"abc\n"),
        ["juris::E0102"]
    );
    assert_eq!(
        error_codes("package t\nconst s = r\"abc\n"),
        ["juris::E0102"]
    );
    assert_eq!(
        error_codes("package t\n/* never closed\nconst s = 1\n"),
        ["juris::E0103"]
    );
}

#[test]
fn comments_are_ignored_everywhere() {
    let src = "package t # trailing\n/* block\n comment */\n/// doc\nconst /* inline */ s = \"#not a comment\" # end\n";
    let set = compile_ok(&format!(
        "{src}\nrule r {{ id: \"A\" severity: low enforce: hard for r in resources deny if s == \"#not a comment\" }}"
    ));
    assert_eq!(run(&set, &inventory(vec![subject()])).findings.len(), 1);
}
