//! Loading and calling modules: foreign or malformed modules are refused with a
//! clear error, the sandbox limits (fuel, memory) end a run cleanly, every call
//! starts from a clean state, and input errors come back as documented codes.

use std::sync::OnceLock;

use juris::PolicySet;
use juris::diag::SourceFile;
use juris::wasm::{
    ABI_VERSION, CompileOptions, Limits, META_SECTION, WasmError, WasmPolicy, compile,
};

const POLICY: &str = r#"
package m

rule us_only {
  id: "M-1"  severity: high  enforce: hard
  for r in resources
  require all c in r.location.countries: c == "US"
  message "{r.address} is in {r.location}"
}

exception legacy {
  rule: "M-1"
  resources: "legacy.*"
  reason: "migrating"
  approved_by: "sam"
  expires: 2027-01-31
}
"#;

fn module() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let set = PolicySet::compile(vec![SourceFile::new("m.juris", POLICY)]).expect("compiles");
        compile(set.program(), &CompileOptions { today: 20_783 }).expect("module")
    })
}

fn policy(limits: Limits) -> WasmPolicy {
    WasmPolicy::load(module(), limits).expect("the module loads")
}

fn inventory(n: usize) -> String {
    let resources: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"address": "aws_s3_bucket.b{i}", "type": "aws_s3_bucket", "name": "b{i}",
                "provider": {{"source": "hashicorp/aws", "company": "AWS", "jurisdiction": "US"}},
                "location": {{"region": "eu-west-1", "countries": ["IE"], "derivation": "provider"}},
                "custody": {{"company": "AWS", "jurisdiction": "US"}},
                "attributes": {{"padding": "{}"}}}}"#,
                "x".repeat(64)
            )
        })
        .collect();
    format!(
        r#"{{"version": 1, "resources": [{}]}}"#,
        resources.join(",")
    )
}

/// A module with the given sections after the header, in WebAssembly text.
fn wat_module(text: &str) -> Vec<u8> {
    wat::parse_str(text).expect("test module assembles")
}

fn with_meta(mut bytes: Vec<u8>, payload: &str) -> Vec<u8> {
    let mut body = vec![META_SECTION.len() as u8];
    body.extend_from_slice(META_SECTION.as_bytes());
    body.extend_from_slice(payload.as_bytes());
    bytes.push(0);
    let mut n = body.len();
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            bytes.push(b);
            break;
        }
        bytes.push(b | 0x80);
    }
    bytes.extend_from_slice(&body);
    bytes
}

const ABI_FUNCS: &str = r#"
  (memory (export "memory") 1)
  (func (export "juris_alloc") (param i32) (result i32) (i32.const 0))
  (func (export "juris_eval") (param i32 i32) (result i32) (i32.const 0))
  (func (export "juris_result_ptr") (result i32) (i32.const 0))
  (func (export "juris_result_len") (result i32) (i32.const 0))
"#;

#[test]
fn malformed_bytes_are_refused() {
    let err = WasmPolicy::load(b"not a module", Limits::default()).err();
    assert!(
        matches!(err, Some(WasmError::InvalidModule { .. })),
        "{err:?}"
    );
    let truncated = &module()[..module().len() / 2];
    let err = WasmPolicy::load(truncated, Limits::default()).err();
    assert!(
        matches!(err, Some(WasmError::InvalidModule { .. })),
        "{err:?}"
    );
}

#[test]
fn a_module_without_metadata_is_foreign() {
    let bytes = wat_module(&format!("(module {ABI_FUNCS})"));
    let err = WasmPolicy::load(&bytes, Limits::default()).err();
    match err {
        Some(WasmError::ForeignModule { reason }) => {
            assert!(reason.contains("juris.meta"), "{reason}")
        }
        other => panic!("expected a foreign module, got {other:?}"),
    }
}

#[test]
fn another_abi_version_is_refused() {
    let bytes = with_meta(
        wat_module(&format!("(module {ABI_FUNCS})")),
        r#"{"abi": 99}"#,
    );
    let err = WasmPolicy::load(&bytes, Limits::default()).err();
    match err {
        Some(WasmError::AbiVersion { found, expected }) => {
            assert_eq!(found, "99");
            assert_eq!(expected, ABI_VERSION);
        }
        other => panic!("expected an ABI version error, got {other:?}"),
    }
    let bytes = with_meta(wat_module(&format!("(module {ABI_FUNCS})")), "not json");
    assert!(matches!(
        WasmPolicy::load(&bytes, Limits::default()),
        Err(WasmError::ForeignModule { .. })
    ));
}

#[test]
fn missing_exports_and_imports_are_refused() {
    let meta = format!(r#"{{"abi": {ABI_VERSION}}}"#);
    let bytes = with_meta(
        wat_module(r#"(module (memory (export "memory") 1))"#),
        &meta,
    );
    match WasmPolicy::load(&bytes, Limits::default()) {
        Err(WasmError::ForeignModule { reason }) => {
            assert!(reason.contains("juris_alloc"), "{reason}")
        }
        other => panic!("expected a foreign module, got {:?}", other.err()),
    }
    let bytes = with_meta(
        wat_module(&format!(
            r#"(module (import "env" "f" (func)) {ABI_FUNCS})"#
        )),
        &meta,
    );
    match WasmPolicy::load(&bytes, Limits::default()) {
        Err(WasmError::ForeignModule { reason }) => assert!(reason.contains("imports"), "{reason}"),
        other => panic!("expected a foreign module, got {:?}", other.err()),
    }
}

#[test]
fn compiled_modules_have_no_imports_and_carry_metadata() {
    let p = policy(Limits::default());
    assert_eq!(p.meta().abi, ABI_VERSION);
    assert_eq!(p.meta().default_today, "2026-11-26");
    assert_eq!(p.meta().rules.len(), 1);
    assert_eq!(p.meta().rules[0]["id"], "M-1");
}

#[test]
fn running_out_of_fuel_is_a_clean_error() {
    let p = policy(Limits {
        fuel: 50_000,
        ..Limits::default()
    });
    match p.evaluate(inventory(200).as_bytes()) {
        Err(WasmError::OutOfFuel { fuel }) => assert_eq!(fuel, 50_000),
        other => panic!("expected fuel exhaustion, got {other:?}"),
    }
}

#[test]
fn the_memory_cap_is_a_clean_error() {
    // The input alone does not fit.
    let p = policy(Limits {
        memory: 1 << 20,
        ..Limits::default()
    });
    let big = inventory(8_000);
    assert!(matches!(
        p.evaluate(big.as_bytes()),
        Err(WasmError::OutOfMemory { .. })
    ));
    // The input fits, but reading it does not.
    let p = policy(Limits {
        memory: 3 << 20,
        ..Limits::default()
    });
    let mid = inventory(3_000);
    assert!(mid.len() < 2 << 20);
    match p.evaluate(mid.as_bytes()) {
        Err(WasmError::OutOfMemory { bytes }) => assert_eq!(bytes, 3 << 20),
        other => panic!("expected the memory cap, got {:?}", other.map(|s| s.len())),
    }
}

#[test]
fn repeated_calls_start_clean() {
    let p = policy(Limits::default());
    let mut instance = p.instantiate().expect("instantiates");
    let small = inventory(2);
    let large = inventory(300);
    let first = instance.evaluate(small.as_bytes()).expect("evaluates");
    let big = instance.evaluate(large.as_bytes()).expect("evaluates");
    assert!(instance.evaluate(b"{not json").is_err());
    assert_eq!(
        instance.evaluate(small.as_bytes()).expect("evaluates"),
        first
    );
    assert_eq!(instance.evaluate(large.as_bytes()).expect("evaluates"), big);
    assert_eq!(p.evaluate(small.as_bytes()).expect("evaluates"), first);
}

fn code_of(doc: &str) -> (i32, String) {
    match policy(Limits::default()).evaluate(doc.as_bytes()) {
        Err(WasmError::Rejected { code, message }) => (code, message),
        other => panic!("expected a rejection of {doc}, got {other:?}"),
    }
}

#[test]
fn input_errors_have_codes_and_messages() {
    let (code, message) = code_of("{\"version\": 1,\n \"resources\": [}");
    assert_eq!(code, 1);
    assert!(message.contains("line 2 column"), "{message}");
    let (code, message) = code_of(r#"{"version": 1}"#);
    assert_eq!(code, 2);
    assert!(message.contains("missing field `resources`"), "{message}");
    let (code, message) = code_of(r#"{"version": 1, "resources": [{"address": 5}]}"#);
    assert_eq!(code, 2);
    assert!(message.contains("`address` in resources[0]"), "{message}");
    let (code, message) = code_of(r#"{"version": 1, "resources": [], "today": "2026-02-30"}"#);
    assert_eq!(code, 3);
    assert!(message.contains("2026-02-30"), "{message}");
    let (code, _) = code_of(r#"{"version": 1, "resources": [], "fail_on": "never"}"#);
    assert_eq!(code, 3);
    let (code, message) = code_of(r#"{"version": 1, "resources": [], "today": "2025-12-01"}"#);
    assert_eq!(code, 4);
    assert!(message.contains("exception `m.legacy`"), "{message}");
}

#[test]
fn today_and_fail_on_come_from_the_document() {
    let p = policy(Limits::default());
    let doc = |extra: &str| {
        let inv = inventory(1);
        format!(r#"{{{extra} {}"#, &inv[1..])
    };
    let out = p
        .evaluate(doc(r#""today": "2027-01-31", "fail_on": "hard","#).as_bytes())
        .expect("runs");
    assert!(out.contains(r#""today": "2027-01-31""#), "{out}");
    assert!(out.contains(r#""fail_on": "hard""#), "{out}");
    let out = p.evaluate(doc("").as_bytes()).expect("runs");
    assert!(out.contains(r#""today": "2026-11-26""#), "{out}");
    assert!(out.contains(r#""fail_on": "soft""#), "{out}");
}

/// The raw ABI, as a host without juris would call it.
#[test]
fn the_raw_abi() {
    use wasmtime::{Engine, Instance, Module, Store};
    let engine = Engine::default();
    let module = Module::new(&engine, module()).expect("compiles");
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).expect("no imports needed");
    let memory = instance.get_memory(&mut store, "memory").expect("memory");
    let alloc = instance
        .get_typed_func::<i32, i32>(&mut store, "juris_alloc")
        .expect("alloc");
    let eval = instance
        .get_typed_func::<(i32, i32), i32>(&mut store, "juris_eval")
        .expect("eval");
    let rptr = instance
        .get_typed_func::<(), i32>(&mut store, "juris_result_ptr")
        .expect("ptr");
    let rlen = instance
        .get_typed_func::<(), i32>(&mut store, "juris_result_len")
        .expect("len");
    let input = inventory(3);
    let ptr = alloc
        .call(&mut store, input.len() as i32)
        .expect("allocates");
    memory
        .write(&mut store, ptr as usize, input.as_bytes())
        .expect("writes");
    assert_eq!(
        eval.call(&mut store, (ptr, input.len() as i32))
            .expect("runs"),
        0
    );
    let (p, n) = (
        rptr.call(&mut store, ()).unwrap(),
        rlen.call(&mut store, ()).unwrap(),
    );
    let out =
        String::from_utf8(memory.data(&store)[p as usize..(p + n) as usize].to_vec()).unwrap();
    assert!(
        out.ends_with("}\n") && out.contains(r#""violations": 3"#),
        "{out}"
    );
    // A buffer outside memory: error code 6 and an error object.
    assert_eq!(eval.call(&mut store, (i32::MAX, 100)).expect("runs"), 6);
    let (p, n) = (
        rptr.call(&mut store, ()).unwrap(),
        rlen.call(&mut store, ()).unwrap(),
    );
    let out: serde_json::Value =
        serde_json::from_slice(&memory.data(&store)[p as usize..(p + n) as usize]).unwrap();
    assert_eq!(out["error"]["code"], 6);
}
