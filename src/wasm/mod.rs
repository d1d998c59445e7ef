//! The WebAssembly backend: a policy set compiled to one self-contained module
//! (no imports) that reads an inventory document and writes the report
//! `juris check --format json` prints, byte for byte.
//!
//! [`compile`] turns a [`Program`] into module bytes: each rule and user function
//! becomes a WebAssembly function ([`codegen`]), joined with a runtime written in
//! WebAssembly text (`rt/*.wat`: JSON reader and writer, values, operators,
//! built-ins, regex DFAs, the runner). The functions are WebAssembly text, assembled
//! by `wat`; the static data (strings, tables, automata) and the `juris.meta` section
//! are encoded directly with `wasm-encoder`. [`WasmPolicy`] runs such a module under
//! wasmtime with fuel and memory limits. The ABI is described in
//! `docs/embedding.md`.
//!
//! ```
//! use juris::PolicySet;
//! use juris::diag::SourceFile;
//! use juris::wasm::{compile, CompileOptions, Limits, WasmPolicy};
//!
//! let set = PolicySet::compile(vec![SourceFile::new("p.juris", r#"
//!     package p
//!     rule eu_only {
//!       id: "P-1"  severity: high  enforce: hard
//!       for r in resources
//!       require r.location.region == "eu-west-1"
//!     }
//! "#)]).expect("policy compiles");
//! let bytes = compile(set.program(), &CompileOptions::default()).expect("module");
//! let policy = WasmPolicy::load(&bytes, Limits::default()).expect("loads");
//! let report = policy.evaluate(br#"{"version": 1, "resources": []}"#).expect("runs");
//! assert!(report.contains(r#""failed": false"#));
//! ```

#![forbid(unsafe_code)]

mod codegen;
mod err;
#[cfg(feature = "wasm-runtime")]
mod host;
mod layout;
mod regex;
pub(crate) mod unicode;

use std::fmt::Write;

pub use err::WasmError;
#[cfg(feature = "wasm-runtime")]
pub use host::{Limits, ModuleMeta, WasmInstance, WasmPolicy};
pub use layout::code as error_code;

use crate::ir::Program;
use layout::{Data, code, tag, value};

/// Version of the module ABI (exports, input, output, `juris.meta`).
pub const ABI_VERSION: u32 = 1;

/// The custom section that carries the ABI version and the rules' metadata.
pub const META_SECTION: &str = "juris.meta";

/// How to compile a module.
#[derive(Clone, Debug)]
pub struct CompileOptions {
    /// The date exceptions are judged against when the input document has no
    /// `today` (days since 1970-01-01). Defaults to the day of compilation.
    pub today: i32,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            today: crate::semantics::date::today_utc(),
        }
    }
}

/// The runtime, in the order it is assembled.
const RUNTIME: &[&str] = &[
    include_str!("rt/mem.wat"),
    include_str!("rt/text.wat"),
    include_str!("rt/json.wat"),
    include_str!("rt/model.wat"),
    include_str!("rt/value.wat"),
    include_str!("rt/ops.wat"),
    include_str!("rt/builtins.wat"),
    include_str!("rt/regex.wat"),
    include_str!("rt/report.wat"),
];

/// Strings the runtime refers to by name.
const STRINGS: &[(&str, &str)] = &[
    ("S_TRUE", "true"),
    ("S_FALSE", "false"),
    ("S_NULL", "null"),
    ("S_PAREN_UNKNOWN", "(unknown)"),
    ("S_PAREN_NONE", "(none)"),
    ("S_PAREN_GLOBAL", "(global)"),
    ("S_SPACE_PAREN", " ("),
    ("S_COMMA_SPACE", ", "),
    ("S_UNKNOWN_KEY", "unknown"),
    ("S_MANAGED", "managed"),
    ("S_ADVISORY", "advisory"),
    ("S_SOFT", "soft"),
    ("S_HARD", "hard"),
    ("S_VIOLATION", "violation"),
    ("S_UNDETERMINED", "undetermined"),
    ("S_EXCEPTED", "excepted"),
    ("S_APPLIED", "applied"),
    ("S_EXPIRED", "expired"),
    ("S_STALE", "stale"),
    ("S_BACKTICK", "`"),
    ("S_INVALID_JSON", "the input is not valid JSON: "),
    ("S_AT_LINE", " at line "),
    ("S_COLUMN", " column "),
    ("S_TRAILING", "trailing characters"),
    ("S_TRAILING_COMMA", "trailing comma"),
    ("S_EOF_VALUE", "EOF while parsing a value"),
    ("S_EOF_STRING", "EOF while parsing a string"),
    ("S_EOF_LIST", "EOF while parsing a list"),
    ("S_EOF_OBJECT", "EOF while parsing an object"),
    ("S_EXPECTED_VALUE", "expected value"),
    ("S_EXPECTED_IDENT", "expected ident"),
    ("S_EXPECTED_LIST", "expected `,` or `]`"),
    ("S_EXPECTED_OBJECT", "expected `,` or `}`"),
    ("S_KEY_STRING", "key must be a string"),
    ("S_COLON", "expected `:`"),
    (
        "S_CONTROL",
        "control character (\\u0000-\\u001F) found while parsing a string",
    ),
    ("S_BAD_ESCAPE", "invalid escape"),
    ("S_BAD_NUMBER", "invalid number"),
    ("S_INVALID_DOC", "the input is not an inventory document: "),
    (
        "S_NOT_AN_OBJECT",
        "the input is not an inventory document: expected a JSON object with `version` and `resources`",
    ),
    ("S_IN_RESOURCES", " in resources["),
    ("S_DOT_FLOWS", ".flows["),
    ("S_MISSING", "missing field "),
    ("S_DUPLICATE", "duplicate field "),
    ("S_WANT_OBJECT", "expected an object for "),
    ("S_WANT_ARRAY", "expected an array for "),
    ("S_WANT_STRING", "expected a string for "),
    ("S_WANT_U32", "expected an unsigned 32-bit integer for "),
    ("S_WANT_BOOL", "expected a boolean for "),
    ("S_BAD_TEXT", "invalid UTF-8 text or unpaired surrogate in "),
    ("S_TOO_DEEP", "recursion limit exceeded in "),
    (
        "S_BAD_FAIL_ON",
        "`fail_on` must be \"advisory\", \"soft\" or \"hard\"",
    ),
    (
        "S_BAD_TODAY",
        "`today` must be a date written YYYY-MM-DD, found `",
    ),
    (
        "S_BAD_BUFFER",
        "the input buffer lies outside the module's memory",
    ),
    ("S_EXC_1", "exception `"),
    ("S_EXC_2", "` (at "),
    ("S_EXC_3", ") expires on "),
    ("S_EXC_4", ", more than a year after "),
];

/// Object keys and field names (`S_F_<UPPER>`).
const FIELDS: &[&str] = &[
    "actions",
    "address",
    "alias",
    "approved_by",
    "attributes",
    "blocking",
    "chain",
    "code",
    "company",
    "control",
    "countries",
    "custody",
    "depth",
    "derivation",
    "enforcement",
    "error",
    "evaluated",
    "evidence",
    "excepted",
    "exception",
    "exceptions",
    "expired_exception",
    "expired_exceptions",
    "expires",
    "failed",
    "fail_on",
    "family",
    "findings",
    "flows",
    "input",
    "inputs",
    "in_inventory",
    "jurisdiction",
    "kind",
    "location",
    "matched",
    "message",
    "mode",
    "name",
    "operator",
    "outcome",
    "passed",
    "provider",
    "reason",
    "region",
    "resources",
    "rule",
    "rules",
    "severity",
    "source",
    "sources",
    "stale_exceptions",
    "state",
    "summary",
    "tags",
    "target",
    "ticket",
    "today",
    "type",
    "undetermined",
    "unknown_attributes",
    "version",
    "via",
    "violations",
    "waived_outcome",
    "warnings",
];

/// Compile a checked program to a self-contained WebAssembly module.
pub fn compile(program: &Program, opts: &CompileOptions) -> Result<Vec<u8>, WasmError> {
    let mut data = Data::default();
    runtime_data(&mut data, program);
    let tables = codegen::Tables {
        sets: program
            .sets
            .iter()
            .map(|s| data.const_set(&s.members))
            .collect(),
        regexes: program
            .regexes
            .iter()
            .map(|p| regex::emit(p, &mut data))
            .collect::<Result<_, _>>()
            .map_err(|reason| WasmError::Compile { reason })?,
    };
    let code = codegen::program(program, &mut data, &tables);
    program_tables(&mut data, program, opts);
    data.align(16);
    let heap_base = data.addr() + 16;
    data.symbol("HEAP_BASE", heap_base as i64);
    let text = assemble(program, &data, &code, heap_base);
    let mut bytes = wat::parse_str(&text).map_err(|e| WasmError::Compile {
        reason: format!("assembling the module: {e}"),
    })?;
    // The static data (strings, tables, regex automata) is most of the module's bytes;
    // encoding it as a section directly, rather than as an escaped WAT string, halves
    // the assembler's work. A data section may follow the code and name sections.
    use wasm_encoder::Section;
    let mut segment = wasm_encoder::DataSection::new();
    segment.active(
        0,
        &wasm_encoder::ConstExpr::i32_const(layout::DATA_BASE as i32),
        data.bytes().iter().copied(),
    );
    segment.append_to(&mut bytes);
    let meta = meta_json(program, opts);
    wasm_encoder::CustomSection {
        name: META_SECTION.into(),
        data: meta.as_slice().into(),
    }
    .append_to(&mut bytes);
    Ok(bytes)
}

/// Static data the runtime needs whatever the program.
fn runtime_data(data: &mut Data, program: &Program) {
    data.align(8);
    let sym = |data: &mut Data, name: &str, at: u32| data.symbol(name, at as i64);
    let nodes: [(&str, &[u32]); 4] = [
        ("NODE_NULL", &[0, 0]),
        ("NODE_FALSE", &[1, 0]),
        ("NODE_TRUE", &[2, 0]),
        ("NODE_EMPTY_OBJ", &[6, 0, 0]),
    ];
    for (name, words) in nodes {
        sym(data, name, data.addr());
        for &w in words {
            data.u32(w);
        }
    }
    let at = data.u32(0);
    sym(data, "EMPTY_LIST", at);
    let at = data.u8s(format!("\n{}", " ".repeat(60)).as_bytes());
    sym(data, "NEWLINE_SPACES", at);
    let at = data.u8s(b"0123456789abcdef");
    sym(data, "HEX_DIGITS", at);
    data.align(8);
    let at = data.u8s(&[0; 32]);
    sym(data, "SCRATCH", at);
    let oom = format!(
        "{{\n  \"error\": {{\n    \"code\": {},\n    \"message\": \"the module ran out of memory\"\n  }}\n}}\n",
        code::MEMORY
    );
    let at = data.u8s(oom.as_bytes());
    sym(data, "OOM_MSG", at);
    data.symbol("OOM_MSG_LEN", oom.len() as i64);
    for (name, text) in STRINGS {
        let at = data.str(text);
        sym(data, name, at);
    }
    for f in FIELDS {
        let at = data.str(f);
        sym(data, &format!("S_F_{}", f.to_uppercase()), at);
    }
    let lists: [(&str, &[&str]); 4] = [
        ("L_INPUT_REQ", &["name", "kind"]),
        ("L_INPUT_OPT", &["tool_version"]),
        ("L_WARNING_REQ", &["message"]),
        ("L_WARNING_OPT", &["input", "address"]),
    ];
    for (name, items) in lists {
        let hs: Vec<u32> = items.iter().map(|s| data.str(s)).collect();
        let at = data.words(&hs);
        sym(data, name, at);
    }
    // Unicode tables, only as far as the program needs them.
    let uses = |b: fn(&crate::ir::Builtin) -> bool| uses_builtin(program, b);
    let lower = uses(|b| matches!(b, crate::ir::Builtin::Lower | crate::ir::Builtin::Tag));
    let upper = uses(|b| matches!(b, crate::ir::Builtin::Upper));
    let sigma = uses(|b| matches!(b, crate::ir::Builtin::Lower));
    case_table(data, "LOWER", if lower { unicode::LOWER } else { &[] });
    case_table(data, "UPPER", if upper { unicode::UPPER } else { &[] });
    range_table(
        data,
        "IGNORABLE",
        if sigma { unicode::CASE_IGNORABLE } else { &[] },
    );
    range_table(data, "CASED", if sigma { unicode::CASED } else { &[] });
    range_table(data, "WS", unicode::WHITE_SPACE);
    data.symbol(
        "USES_TAG",
        uses(|b| matches!(b, crate::ir::Builtin::Tag)) as i64,
    );
    // Tags, kinds, codes and special values.
    let tags = [
        ("NULL", tag::NULL),
        ("UNKNOWN", tag::UNKNOWN),
        ("BOOL", tag::BOOL),
        ("INT", tag::INT),
        ("DATE", tag::DATE),
        ("STR", tag::STR),
        ("RES", tag::RES),
        ("PROV", tag::PROV),
        ("LOC", tag::LOC),
        ("CUST", tag::CUST),
        ("COMP", tag::COMP),
        ("FLOW", tag::FLOW),
        ("LINK", tag::LINK),
        ("JSON", tag::JSON),
        ("JSONT", tag::JSONT),
        ("TAGS", tag::TAGS),
        ("STRLIST", tag::STRLIST),
        ("STRSET", tag::STRSET),
        ("FLOWS", tag::FLOWS),
        ("LINKS", tag::LINKS),
        ("CLIST", tag::CLIST),
        ("CSET", tag::CSET),
        ("LIST", tag::LIST),
        ("SET", tag::SET),
    ];
    for (name, t) in tags {
        data.symbol(&format!("TAG_{name}"), t as i64);
    }
    for (i, k) in ["NULL", "FALSE", "TRUE", "NUM", "STR", "ARR", "OBJ"]
        .iter()
        .enumerate()
    {
        data.symbol(&format!("K_{k}"), i as i64);
    }
    data.symbol("V_NULL", value(tag::NULL, 0));
    data.symbol("V_UNKNOWN", value(tag::UNKNOWN, 0));
    data.symbol("V_FALSE", value(tag::BOOL, 0));
    data.symbol("V_TRUE", value(tag::BOOL, 1));
    data.symbol("E_JSON", code::JSON);
    data.symbol("E_DOCUMENT", code::DOCUMENT);
    data.symbol("E_OPTIONS", code::OPTIONS);
    data.symbol("E_EXCEPTION", code::EXCEPTION);
    data.symbol("E_ABI", code::ABI);
    data.symbol("REPORT_VERSION", crate::semantics::REPORT_VERSION as i64);
    data.symbol(
        "MAX_EXCEPTION_DAYS",
        crate::semantics::MAX_EXCEPTION_DAYS as i64,
    );
}

fn case_table(data: &mut Data, name: &str, table: &[(u32, &str)]) {
    let texts: Vec<u32> = table.iter().map(|(_, t)| data.str(t)).collect();
    data.align(4);
    let at = data.addr();
    for ((c, t), h) in table.iter().zip(texts) {
        data.u32(*c);
        data.u32(h + 8);
        data.u32(t.len() as u32);
    }
    data.symbol(&format!("{name}_TAB"), at as i64);
    data.symbol(&format!("{name}_N"), table.len() as i64);
}

fn range_table(data: &mut Data, name: &str, table: &[(u32, u32)]) {
    data.align(4);
    let at = data.addr();
    for (lo, hi) in table {
        data.u32(*lo);
        data.u32(*hi);
    }
    data.symbol(&format!("{name}_TAB"), at as i64);
    data.symbol(&format!("{name}_N"), table.len() as i64);
}

/// Whether any rule or function calls a built-in matching `pred`.
fn uses_builtin(program: &Program, pred: fn(&crate::ir::Builtin) -> bool) -> bool {
    fn walk(e: &crate::ir::Expr, pred: fn(&crate::ir::Builtin) -> bool) -> bool {
        if let crate::ir::ExprKind::Builtin(b, _) = &e.kind
            && pred(b)
        {
            return true;
        }
        e.children().into_iter().any(|c| walk(c, pred))
    }
    program.functions.iter().any(|f| walk(&f.body, pred))
        || program.rules.iter().any(|r| {
            r.clauses.iter().any(|c| match c {
                crate::ir::Clause::Where(e) | crate::ir::Clause::Let(_, e) => walk(e, pred),
            }) || walk(&r.violation, pred)
                || r.message.as_ref().is_some_and(|m| walk(m, pred))
        })
}

/// Labels, exceptions and rules (in id order) for the runner.
fn program_tables(data: &mut Data, program: &Program, opts: &CompileOptions) {
    let labels: Vec<u32> = program.labels.iter().map(|l| data.str(l)).collect();
    let at = data.words(&labels);
    data.symbol("LABELS", at as i64);
    let mut exceptions = Vec::new();
    for (i, e) in program.exceptions.iter().enumerate() {
        let globs: Vec<u32> = e.resources.iter().map(|g| data.str(g)).collect();
        let globs = data.words(&globs);
        let fields = [
            data.str(&e.name),
            data.str(&e.rule),
            globs,
            data.str(&e.reason),
            data.str(&e.approved_by),
            e.expires as u32,
            data.str(&crate::semantics::date::format(e.expires)),
            e.ticket.as_deref().map(|t| data.str(t)).unwrap_or(0),
            data.str(&e.position.to_string()),
            i as u32,
        ];
        let at = data.record(&fields);
        exceptions.push(at);
    }
    let at = data.words(&exceptions);
    data.symbol("EXCEPTIONS", at as i64);
    let mut order: Vec<usize> = (0..program.rules.len()).collect();
    order.sort_by(|a, b| program.rules[*a].meta.id.cmp(&program.rules[*b].meta.id));
    let mut rules = Vec::new();
    for i in order {
        let meta = &program.rules[i].meta;
        let own: Vec<u32> = program
            .exceptions
            .iter()
            .enumerate()
            .filter(|(_, e)| e.rule == meta.id)
            .map(|(j, _)| exceptions[j])
            .collect();
        let own = data.words(&own);
        let fields = [
            data.str(&meta.id),
            data.str(&meta.title),
            meta.enforcement as u32,
            data.str(meta.severity.as_str()),
            meta.undetermined_blocks as u32,
            2 + i as u32,
            own,
            data.str(meta.enforcement.as_str()),
        ];
        let at = data.record(&fields);
        rules.push(at);
    }
    let at = data.words(&rules);
    data.symbol("RULES", at as i64);
    data.symbol("DEFAULT_TODAY", opts.today as i64);
}

fn assemble(program: &Program, data: &Data, code: &str, heap_base: u32) -> String {
    let symbols: std::collections::HashMap<&str, i64> =
        data.symbols.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    let mut text = String::with_capacity(256 * 1024 + code.len());
    let pages = heap_base.div_ceil(65536) + 1;
    let nrules = program.rules.len();
    let _ = writeln!(
        text,
        "(module\n(memory (export \"memory\") {pages})\n(table {} funcref)",
        nrules + 2
    );
    text.push_str("(elem (i32.const 0) $cmp_resources $cmp_strings");
    for i in 0..nrules {
        let _ = write!(text, " $rule{i}");
    }
    text.push_str(")\n");
    for part in RUNTIME {
        // `%NAME%` placeholders become numbers; there is no other `%` in the runtime.
        let mut pieces = part.split('%');
        if let Some(first) = pieces.next() {
            text.push_str(first);
        }
        let mut is_name = true;
        for piece in pieces {
            match (is_name, symbols.get(piece)) {
                (true, Some(v)) => {
                    let _ = write!(text, "{v}");
                }
                (true, None) => {
                    text.push_str("%undefined:");
                    text.push_str(piece);
                }
                (false, _) => text.push_str(piece),
            }
            is_name = !is_name;
        }
    }
    text.push_str(code);
    text.push_str(")\n");
    text
}

fn meta_json(program: &Program, opts: &CompileOptions) -> Vec<u8> {
    let mut rules: Vec<&crate::ir::RuleMeta> = program.rules.iter().map(|r| &r.meta).collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let meta = serde_json::json!({
        "abi": ABI_VERSION,
        "juris": env!("CARGO_PKG_VERSION"),
        "report_version": crate::semantics::REPORT_VERSION,
        "default_today": crate::semantics::date::format(opts.today),
        "rules": rules,
        "exceptions": program.exceptions,
    });
    serde_json::to_vec(&meta).unwrap_or_default()
}
