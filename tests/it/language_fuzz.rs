//! Property: no policy text makes the compiler or the evaluator panic or overflow.
//! Random token soups, random expressions, and mutations (byte flips, token
//! deletions and duplications, truncation, splices) of every shipped policy and
//! every test policy go through parse → check → lower → evaluate.
//!
//! The default number of cases keeps the whole file near a minute in a debug build;
//! `PROPTEST_CASES=N` overrides it. A failing input is kept as a regression test
//! at the bottom of this file.

use crate::language_support as support;

use std::sync::OnceLock;

use juris::diag::{SourceFile, SourceMap};
use juris::syntax::ast;
use proptest::prelude::*;

/// The standard library, parsed once.
fn stdlib() -> &'static Vec<(SourceFile, ast::File)> {
    static STD: OnceLock<Vec<(SourceFile, ast::File)>> = OnceLock::new();
    STD.get_or_init(|| {
        juris::policy::stdlib_sources()
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                let ast = juris::syntax::parse_file(i as u32, &f).expect("stdlib parses");
                (f, ast)
            })
            .collect()
    })
}

/// Every policy the fuzzer mutates: the shipped ones and the test fixtures.
fn corpus() -> &'static Vec<(String, String)> {
    static CORPUS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut files: Vec<(String, String)> = juris::policy::stdlib_sources()
            .into_iter()
            .chain(juris::policy::standard_rule_sources())
            .map(|f| (f.name.clone(), f.text.to_string()))
            .collect();
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/language/policies"
        );
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .expect("fixture folder")
            .flatten()
            .map(|e| e.path())
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p).expect("fixture text");
            files.push((p.display().to_string(), text));
        }
        files
    })
}

fn inventory() -> &'static juris::model::Inventory {
    static INV: OnceLock<juris::model::Inventory> = OnceLock::new();
    INV.get_or_init(|| {
        let unknown = support::resource(
            "alicloud_oss_bucket.u",
            serde_json::json!({
                "location": {"region": {"unknown": true}, "countries": {"unknown": true}, "derivation": "var"},
                "custody": {"company": {"unknown": true}, "jurisdiction": {"unknown": true}},
                "tags": {"unknown": true}
            }),
        );
        support::inventory(vec![
            support::subject(),
            unknown,
            support::resource("module.legacy.aws_db_instance.main", serde_json::json!({"tags": {"data-classification": "pii", "data-subjects": "us,eu"}})),
        ])
    })
}

/// Compile `text` as file `name` beside the standard library (replacing the file of
/// the same name, if it is one) and evaluate it. Any outcome is fine but a panic.
fn exercise(name: &str, text: &str) -> Stage {
    let mut sm = SourceMap::default();
    let mut asts = Vec::new();
    let mut replaced = false;
    for (f, ast) in stdlib() {
        if f.name == name {
            // A mutated standard file takes the place (and file id) of the original.
            let id = sm.add(SourceFile::new(name, text));
            match juris::syntax::parse_file(id, sm.file(id)) {
                Ok(ast) => asts.push(ast),
                Err(_) => return Stage::Parse,
            }
            replaced = true;
        } else {
            sm.add(f.clone());
            asts.push(ast.clone());
        }
    }
    if !replaced {
        let id = sm.add(SourceFile::new(name, text));
        match juris::syntax::parse_file(id, sm.file(id)) {
            Ok(ast) => asts.push(ast),
            Err(_) => return Stage::Parse,
        }
    }
    let Ok(checked) = juris::check::check(&asts, &sm) else {
        return Stage::Check;
    };
    let program = juris::fold::finish(checked.program);
    let compiled = juris::eval::Compiled::new(&program);
    let today = support::today();
    let _ = juris::runner::run(
        &program,
        &compiled,
        inventory(),
        &juris::runner::RunOptions::new(today),
    );
    Stage::Evaluated
}

/// How far an input got.
#[derive(Debug, PartialEq)]
enum Stage {
    Parse,
    Check,
    Evaluated,
}

/// Tokens for soups besides the keywords (which come from the grammar's own list,
/// [`juris::syntax::KEYWORDS`]): operators, brackets, and some names and literals.
const OTHER_TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    ".",
    "=",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "->",
    "r",
    "x",
    "f",
    "r.name",
    "r.location",
    "r.flows",
    "r.tags",
    "r.attributes",
    "groups",
    "cls",
    "1",
    "0",
    "-1",
    "99999999999999999999",
    "2026-01-01",
    "2026-02-30",
    "\"s\"",
    "\"{r.name}\"",
    "\"{\"",
    "\"}\"",
    "\"\\q\"",
    "r\"raw\"",
    "\"\"\"\n  block\n  \"\"\"",
    "#c\n",
    "/* c */",
    "/*",
    "///doc\n",
    "\n",
    "id:",
    "severity:",
    "enforce:",
    "low",
    "hard",
    "lower(",
    "count(",
    "regex(",
    "tag(",
    "known(",
    "today()",
];

fn tokens() -> Vec<&'static str> {
    juris::syntax::KEYWORDS
        .iter()
        .chain(OTHER_TOKENS)
        .copied()
        .collect()
}

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(tokens()), 0..120).prop_map(|ts| {
        let mut s = String::from("package fuzz\n");
        s.push_str(&ts.join(" "));
        s
    })
}

/// The types the expression generator produces.
#[derive(Clone, Copy, Debug)]
enum Ty {
    Bool,
    Int,
    Str,
    Set,
}

/// Random well-typed expressions over the resource (and a local `x: string`), so
/// most reach the evaluator.
fn typed(ty: Ty, depth: u32) -> BoxedStrategy<String> {
    let leaf: BoxedStrategy<String> = match ty {
        Ty::Bool => prop::sample::select(vec![
            "true",
            "false",
            "known(r.custody)",
            "r.flows[0].in_inventory",
        ])
        .prop_map(str::to_owned)
        .boxed(),
        Ty::Int => prop::sample::select(vec![
            "0",
            "1",
            "-7",
            "9223372036854775807",
            "count(r.flows)",
            "r.attributes.size",
            "int(\"12\")",
        ])
        .prop_map(str::to_owned)
        .boxed(),
        Ty::Str => prop::sample::select(vec![
            "r.name",
            "r.address",
            "r.location.region",
            "r.custody.jurisdiction",
            "\"US\"",
            "\"\"",
            "x",
            "tag(r, \"team\")",
            "tag(r, \"later\")",
            "r.attributes.bucket",
            "r.provider.alias",
        ])
        .prop_map(str::to_owned)
        .boxed(),
        Ty::Set => prop::sample::select(vec![
            "{}",
            "{\"US\", \"CN\"}",
            "r.location.countries",
            "groups.eea",
            "groups.foreign_adversaries",
            "keys(r.tags)",
            "cls.classes(r)",
            "cls.subjects(r)",
            "{r.custody.jurisdiction}",
        ])
        .prop_map(str::to_owned)
        .boxed(),
    };
    if depth == 0 {
        return leaf;
    }
    let d = depth - 1;
    let b = || typed(Ty::Bool, d);
    let i = || typed(Ty::Int, d);
    let st = || typed(Ty::Str, d);
    let se = || typed(Ty::Set, d);
    let sel = |v: Vec<&'static str>| prop::sample::select(v);
    let composite: BoxedStrategy<String> = match ty {
        Ty::Bool => prop_oneof![
            (st(), sel(vec!["==", "!=", "<", ">="]), st())
                .prop_map(|(a, o, c)| format!("({a} {o} {c})")),
            (i(), sel(vec!["==", "<", ">", "<="]), i())
                .prop_map(|(a, o, c)| format!("({a} {o} {c})")),
            (st(), sel(vec!["in", "not in"]), se()).prop_map(|(a, o, c)| format!("({a} {o} {c})")),
            (se(), se()).prop_map(|(a, c)| format!("({a} subset {c})")),
            b().prop_map(|a| format!("not {a}")),
            (b(), sel(vec!["and", "or"]), b()).prop_map(|(a, o, c)| format!("({a} {o} {c})")),
            (sel(vec!["all", "any"]), se(), b())
                .prop_map(|(q, c, body)| format!("({q} x in {c}: {body})")),
            (b(), b(), b()).prop_map(|(c, t, e)| format!("(if {c} then {t} else {e})")),
            (
                sel(vec!["starts_with", "ends_with", "contains", "glob"]),
                st(),
                st()
            )
                .prop_map(|(f, a, c)| format!("{f}({a}, {c})")),
            st().prop_map(|a| format!("regex({a}, r\"^[A-Z]+$\")")),
            st().prop_map(|a| format!("known({a})")),
        ]
        .boxed(),
        Ty::Int => prop_oneof![
            (i(), sel(vec!["+", "-"]), i()).prop_map(|(a, o, c)| format!("({a} {o} {c})")),
            i().prop_map(|a| format!("-{a}")),
            se().prop_map(|a| format!("count({a})")),
            st().prop_map(|a| format!("count({a})")),
            st().prop_map(|a| format!("int({a})")),
            (b(), i(), i()).prop_map(|(c, t, e)| format!("(if {c} then {t} else {e})")),
            (2026u32..2028).prop_map(|y| format!("({y}-01-01 - today())")),
        ]
        .boxed(),
        Ty::Str => prop_oneof![
            (sel(vec!["lower", "upper", "trim"]), st()).prop_map(|(f, a)| format!("{f}({a})")),
            (st(), st()).prop_map(|(a, c)| format!("({a} + {c})")),
            (st(), st(), st()).prop_map(|(a, c, e)| format!("replace({a}, {c}, {e})")),
            se().prop_map(|a| format!("join({a}, \",\")")),
            i().prop_map(|a| format!("string({a})")),
            (b(), st(), st()).prop_map(|(c, t, e)| format!("(if {c} then {t} else {e})")),
            // Interpolated parts hold no strings of their own (they would end the string).
            (
                sel(vec![
                    "r.name",
                    "x",
                    "r.location",
                    "r.custody",
                    "r.flows",
                    "r.tags",
                    "r.attributes.size"
                ]),
                i()
            )
                .prop_filter("no strings inside", |(_, c)| !c.contains('"'))
                .prop_map(|(a, c)| format!("\"{{{a}}}-{{{c}}}\"")),
        ]
        .boxed(),
        Ty::Set => prop_oneof![
            (se(), sel(vec!["union", "intersect", "minus"]), se())
                .prop_map(|(a, o, c)| format!("({a} {o} {c})")),
            (se(), b()).prop_map(|(a, c)| format!("{{ lower(x) for x in {a} where {c} }}")),
            (st(), st()).prop_map(|(a, c)| format!("{{{a}, {c}}}")),
            st().prop_map(|a| format!("{{ s for s in split({a}, \",\") }}")),
            st().prop_map(|a| format!("{{ s for s in regex_split({a}, r\"[,;]\") }}")),
            (b(), se(), se()).prop_map(|(c, t, e)| format!("(if {c} then {t} else {e})")),
        ]
        .boxed(),
    };
    prop_oneof![1 => leaf, 3 => composite].boxed()
}

/// One mutation of a text, chosen and placed by the random numbers given.
#[derive(Clone, Debug)]
enum Mutation {
    FlipByte(usize, u8),
    DeleteToken(usize),
    DuplicateToken(usize),
    Truncate(usize),
    Splice(usize, usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::FlipByte(i, b)),
        any::<usize>().prop_map(Mutation::DeleteToken),
        any::<usize>().prop_map(Mutation::DuplicateToken),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<usize>(), any::<usize>())
            .prop_map(|(a, b, c)| Mutation::Splice(a, b, c)),
    ]
}

/// Token boundaries: where runs of word characters, spaces or punctuation start.
fn token_starts(text: &[u8]) -> Vec<usize> {
    let class = |c: u8| {
        if c.is_ascii_alphanumeric() || c == b'_' {
            0
        } else if c.is_ascii_whitespace() {
            1
        } else {
            2 + c as usize
        }
    };
    let mut starts = vec![0];
    for i in 1..text.len() {
        if class(text[i]) != class(text[i - 1]) || class(text[i]) > 1 {
            starts.push(i);
        }
    }
    starts.push(text.len());
    starts
}

fn apply(text: &str, m: &Mutation, other: &str) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    if bytes.is_empty() {
        return bytes;
    }
    let starts = token_starts(&bytes);
    let token = |i: usize| {
        let k = i % (starts.len() - 1);
        (starts[k], starts[k + 1])
    };
    match *m {
        Mutation::FlipByte(i, b) => {
            let i = i % bytes.len();
            bytes[i] ^= b.max(1);
        }
        Mutation::DeleteToken(i) => {
            let (a, b) = token(i);
            bytes.drain(a..b);
        }
        Mutation::DuplicateToken(i) => {
            let (a, b) = token(i);
            let t = bytes[a..b].to_vec();
            bytes.splice(b..b, t);
        }
        Mutation::Truncate(i) => bytes.truncate(i % bytes.len()),
        Mutation::Splice(at, from, len) => {
            let other = other.as_bytes();
            let from = from % other.len().max(1);
            let len = len % 400;
            let piece = other
                .get(from..(from + len).min(other.len()))
                .unwrap_or(&[])
                .to_vec();
            let at = at % bytes.len();
            bytes.splice(at..at, piece);
        }
    }
    bytes
}

fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(cases(6000))]

    #[test]
    fn mutated_policies_never_panic(
        file in any::<prop::sample::Index>(),
        donor in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let corpus = corpus();
        let (name, text) = &corpus[file.index(corpus.len())];
        let (_, other) = &corpus[donor.index(corpus.len())];
        let mut bytes = text.as_bytes().to_vec();
        for m in &mutations {
            let current = String::from_utf8_lossy(&bytes).into_owned();
            bytes = apply(&current, m, other);
        }
        // Mutations may break UTF-8: that is the reader's first check.
        if let Ok(source) = juris::syntax::source_from_bytes(name, bytes) {
            let _ = exercise(name, &source.text);
        }
    }
}

proptest! {
    #![proptest_config(cases(4500))]

    #[test]
    fn token_soups_never_panic(text in soup()) {
        let _ = exercise("soup.juris", &text);
    }

    #[test]
    fn random_expressions_never_panic(condition in typed(Ty::Bool, 4), message in typed(Ty::Str, 3)) {
        let src = format!(
            "package fuzz\nimport juris.groups\nimport juris.classification as cls\nrule r {{\n  id: \"F-1\" severity: low enforce: hard\n  for r in resources\n  let x = r.name\n  deny if {condition}\n  message \"\"\"{{ {message} }}\"\"\"\n}}\n"
        );
        let stage = exercise("expr.juris", &src);
        if std::env::var_os("FUZZ_STATS").is_some() {
            eprintln!("stage {stage:?}");
        }
    }
}

// ---------------------------------------------------------------- regressions

#[test]
fn regression_inputs_found_by_fuzzing() {
    let found: &[&str] = &[
        // Found while hardening the parser: nested brackets were parsed once per
        // reading (exponential time), and a string inside a one-line interpolation
        // ended the string early.
        "package f\nconst a = [[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]\n",
        "package f\nconst a = \"{lower(\"x\")}\"\n",
    ];
    for text in found {
        let _ = exercise("regression.juris", text);
    }
}
