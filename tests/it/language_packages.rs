//! Packages and imports: qualified names, aliases, unknown packages and the
//! "declared in another package" hints.

use crate::language_support as support;

use support::*;

const LIB: &str = r#"
package acme.lib

const regions = {"us-east-1", "us-west-2"}

fn approved(r: resource) -> bool {
  r.location.region in regions
}
"#;

fn rule_using(import: &str, condition: &str) -> String {
    format!(
        "package acme.rules\n{import}\nrule r {{\n  id: \"A-1\" severity: low enforce: hard\n  for r in resources\n  deny if {condition}\n}}\n"
    )
}

#[test]
fn an_import_binds_the_last_segment() {
    let src = rule_using("import acme.lib", "not lib.approved(r)");
    let set = files_ok(&[("lib.juris", LIB), ("rules.juris", &src)]);
    assert!(run(&set, &inventory(vec![subject()])).findings.is_empty());
}

#[test]
fn an_alias_replaces_the_last_segment() {
    let src = rule_using("import acme.lib as l", "r.location.region not in l.regions");
    let set = files_ok(&[("lib.juris", LIB), ("rules.juris", &src)]);
    assert!(run(&set, &inventory(vec![subject()])).findings.is_empty());
    // The original name is not bound.
    let src = rule_using("import acme.lib as l", "not lib.approved(r)");
    let d = files_err(&[("lib.juris", LIB), ("rules.juris", &src)]);
    assert_eq!(d.codes(), ["juris::E0203", "juris::W0102"]);
}

#[test]
fn one_package_may_span_several_files() {
    let a = "package acme.lib\nconst extra = {\"eu-west-1\"}\n";
    let src = rule_using("import acme.lib", "r.location.region in lib.extra");
    let set = files_ok(&[("lib.juris", LIB), ("a.juris", a), ("rules.juris", &src)]);
    assert!(run(&set, &inventory(vec![subject()])).findings.is_empty());
}

#[test]
fn declarations_of_the_own_package_need_no_import() {
    let src = "package acme.lib\nrule r {\n  id: \"A-1\" severity: low enforce: hard\n  for r in resources\n  deny if not approved(r)\n}\n";
    let set = files_ok(&[("lib.juris", LIB), ("more.juris", src)]);
    assert!(run(&set, &inventory(vec![subject()])).findings.is_empty());
}

#[test]
fn the_standard_library_is_importable() {
    let src = rule_using(
        "import juris.groups\nimport juris.data_types as dt\nimport juris.classification as cls",
        "r.custody.jurisdiction in groups.foreign_adversaries and r.type in dt.data_holding_types and cls.holds_protected_data(r)",
    );
    let set = compile_ok(&src);
    let report = run(&set, &inventory(vec![subject()]));
    // Custody unknown, bucket holding PII: undetermined.
    assert_eq!(report.findings[0].outcome.as_str(), "undetermined");
}

#[test]
fn unknown_packages_are_reported_with_a_suggestion() {
    let src = rule_using("import acme.lbi", "true");
    let d = files_err(&[("lib.juris", LIB), ("rules.juris", &src)]);
    assert_eq!(d.codes(), ["juris::E0205"]);
    assert!(
        d.render_plain().contains("did you mean `acme.lib`?"),
        "{}",
        d.render_plain()
    );
    // Uses of the missing import add no further errors.
    let src = rule_using(
        "import acme.nothing_like_it",
        "nothing_like_it.f(r) and nothing_like_it.c",
    );
    let d = files_err(&[("lib.juris", LIB), ("rules.juris", &src)]);
    assert_eq!(d.codes(), ["juris::E0205"]);
    assert!(
        d.render_plain().contains("known packages:"),
        "{}",
        d.render_plain()
    );
}

#[test]
fn unknown_members_of_a_package() {
    let src = rule_using("import acme.lib", "r.location.region in lib.region");
    let d = files_err(&[("lib.juris", LIB), ("rules.juris", &src)]);
    assert_eq!(d.codes(), ["juris::E0201"]);
    assert!(d.render_plain().contains("did you mean `regions`?"));
    let src = rule_using("import acme.lib", "lib.aproved(r)");
    let d = files_err(&[("lib.juris", LIB), ("rules.juris", &src)]);
    assert_eq!(d.codes(), ["juris::E0203"]);
}

#[test]
fn names_declared_elsewhere_get_an_import_hint() {
    let src = rule_using("", "r.location.region in regions");
    let d = files_err(&[("lib.juris", LIB), ("rules.juris", &src)]);
    let text = d.render_plain();
    assert!(
        text.contains("`regions` is declared in package `acme.lib`: add `import acme.lib` and write `lib.regions`"),
        "{text}"
    );
    let src = rule_using("import acme.lib as l", "approved(r)");
    let d = files_err(&[("lib.juris", LIB), ("rules.juris", &src)]);
    let text = d.render_plain();
    assert!(text.contains("write `l.approved`"), "{text}");
}

#[test]
fn imports_are_checked() {
    // Twice the same bound name.
    let src = rule_using("import acme.lib\nimport other.lib", "lib.approved(r)");
    let d = files_err(&[
        ("lib.juris", LIB),
        ("j.juris", "package other.lib\n"),
        ("rules.juris", &src),
    ]);
    assert_eq!(d.codes(), ["juris::E0211"]);
    // An unused import is a warning, not an error.
    let src = rule_using("import acme.lib", "true");
    let set = files_ok(&[("lib.juris", LIB), ("rules.juris", &src)]);
    assert_eq!(set.warnings().codes(), ["juris::W0102"]);
    // A package is not a value.
    let src = rule_using("import acme.lib", "lib == null");
    let d = files_err(&[("lib.juris", LIB), ("rules.juris", &src)]);
    assert_eq!(d.codes(), ["juris::E0314"]);
}

#[test]
fn duplicate_declarations_in_one_package() {
    let a = "package acme.lib\nconst regions = {\"x\"}\n";
    let d = files_err(&[("lib.juris", LIB), ("a.juris", a)]);
    assert_eq!(d.codes(), ["juris::E0204"]);
}

/// A US residency rule that passes everything, as a user might try to replace the
/// shipped one.
const FAKE_US: &str = r#"package juris.residency.us

rule us_persons_data_not_in_adversary_custody {
  id: "RES-US-001"  severity: low  enforce: advisory
  for r in resources
  deny if false
}
"#;

#[test]
fn the_juris_namespace_is_reserved() {
    for (package, src) in [
        ("juris.residency.us", FAKE_US.to_owned()),
        ("juris", "package juris\n".to_owned()),
        (
            "juris.groups",
            "package juris.groups\nconst eea = {\"US\"}\n".to_owned(),
        ),
        ("juris.acme", "package juris.acme\n".to_owned()),
        // Layouts the grammar reads as `package juris...` however they are spelled: a
        // comment before the keyword or between it and the name, a comment right after.
        (
            "juris.groups",
            "/* mine */ package juris.groups\n".to_owned(),
        ),
        (
            "juris.groups",
            "package # mine\n  juris.groups\n".to_owned(),
        ),
        ("juris", "package juris#mine\n".to_owned()),
    ] {
        for standard in [true, false] {
            let files = vec![juris::diag::SourceFile::new("mine.juris", src.as_str())];
            let result = if standard {
                juris::PolicySet::compile_standard(files)
            } else {
                juris::PolicySet::compile(files)
            };
            let Err(d) = result else {
                panic!("`package {package}` must be refused");
            };
            assert_eq!(d.codes(), ["juris::E0215"], "{package}");
            let text = d.render_plain();
            for hint in [
                "--no-standard",
                "--rule",
                "exception",
                "import juris.groups",
            ] {
                assert!(text.contains(hint), "{hint} in {text}");
            }
        }
    }
    // Only the namespace itself: `jurisdiction` is an ordinary name.
    files_ok(&[("j.juris", "package jurisdiction.rules\n")]);
}

#[test]
fn a_reserved_package_is_reported_at_its_declaration() {
    let files = vec![juris::diag::SourceFile::new("mine.juris", FAKE_US)];
    let d = juris::PolicySet::compile_standard(files)
        .err()
        .expect("refused");
    insta::assert_snapshot!(d.render_plain());
}

#[test]
fn the_shipped_files_themselves_still_load() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let us = std::fs::read_to_string(root.join("policies/residency/us.juris")).unwrap();
    let groups = std::fs::read_to_string(root.join("policies/std/groups.juris")).unwrap();
    // A copy of a shipped file (juris's own `policies/` folder) counts once.
    let files = |crlf: bool| {
        [("us.juris", &us), ("groups.juris", &groups)]
            .into_iter()
            .map(|(n, t)| {
                let t = if crlf {
                    t.replace('\n', "\r\n")
                } else {
                    t.clone()
                };
                juris::diag::SourceFile::new(n, t)
            })
            .collect::<Vec<_>>()
    };
    for crlf in [false, true] {
        let set = juris::PolicySet::compile_standard(files(crlf)).expect("compiles");
        let ids: Vec<&str> = set.rules().iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids.iter().filter(|i| **i == "RES-US-001").count(),
            1,
            "{ids:?}"
        );
        // Without the standard rules, a shipped rule file passed explicitly runs.
        let set = juris::PolicySet::compile(files(crlf)).expect("compiles");
        let ids: Vec<&str> = set.rules().iter().map(|r| r.id.as_str()).collect();
        assert!(ids.contains(&"RES-US-001"), "{ids:?}");
        assert!(!ids.contains(&"RES-EU-001"), "{ids:?}");
    }
}
