//! Everything the checker rejects or warns about: names, types, metadata.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

type Src = NamedSource<Arc<str>>;

#[derive(Debug, Error, Diagnostic)]
pub enum CheckError {
    /// A name that is not a local binding, a declaration, an import or a builtin.
    #[error("unknown name `{name}`")]
    #[diagnostic(code(juris::E0201))]
    UnknownName {
        name: String,
        #[source_code]
        src: Src,
        #[label("not defined")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// A field the record type does not have.
    #[error("`{ty}` has no field `{field}`")]
    #[diagnostic(code(juris::E0202))]
    UnknownField {
        field: String,
        ty: String,
        #[source_code]
        src: Src,
        #[label("unknown field")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// A call to a function that is neither declared nor built in.
    #[error("unknown function `{name}`")]
    #[diagnostic(code(juris::E0203))]
    UnknownFunction {
        name: String,
        #[source_code]
        src: Src,
        #[label("not a function")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// Two declarations of the same name in one package.
    #[error("`{name}` is declared twice in package `{package}`")]
    #[diagnostic(code(juris::E0204), help("rename one of them"))]
    Duplicate {
        name: String,
        package: String,
        #[source_code]
        src: Src,
        #[label("declared again here")]
        at: SourceSpan,
    },

    /// An import of a package no policy file declares.
    #[error("no package named `{name}`")]
    #[diagnostic(code(juris::E0205))]
    UnknownPackage {
        name: String,
        #[source_code]
        src: Src,
        #[label("imported here")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// Functions that call themselves, directly or through others.
    #[error("recursive function: {cycle}")]
    #[diagnostic(
        code(juris::E0208),
        help(
            "functions may not call themselves, so every evaluation terminates; unroll the recursion or use a quantifier"
        )
    )]
    Recursion {
        cycle: String,
        #[source_code]
        src: Src,
        #[label("this call closes the cycle")]
        at: SourceSpan,
    },

    /// Constants whose values depend on each other.
    #[error("constant `{name}` depends on itself: {cycle}")]
    #[diagnostic(
        code(juris::E0209),
        help("a constant's value must not refer back to it")
    )]
    ConstCycle {
        name: String,
        cycle: String,
        #[source_code]
        src: Src,
        #[label("refers back here")]
        at: SourceSpan,
    },

    /// Calls nested more deeply than the evaluator allows.
    #[error("function calls nest more than {limit} levels deep: {chain}")]
    #[diagnostic(code(juris::E0210), help("flatten the chain of helper functions"))]
    CallChainTooDeep {
        limit: usize,
        chain: String,
        #[source_code]
        src: Src,
        #[label("the chain starts here")]
        at: SourceSpan,
    },

    /// A rule or function whose evaluation would recurse deeper than the evaluator allows.
    #[error("{what} nests {depth} levels deep when evaluated, over the limit of {limit}")]
    #[diagnostic(
        code(juris::E0212),
        help(
            "split deep expressions with `let` bindings, and shorten chains of helper functions that call each other"
        )
    )]
    EvalTooDeep {
        what: String,
        depth: usize,
        limit: usize,
        #[source_code]
        src: Option<Src>,
        #[label("declared here")]
        at: Option<SourceSpan>,
    },

    /// Two imports bind the same name.
    #[error("`{name}` is imported twice")]
    #[diagnostic(code(juris::E0211), help("give one import another name with `as`"))]
    DuplicateImport {
        name: String,
        #[source_code]
        src: Src,
        #[label("imported again here")]
        at: SourceSpan,
    },

    /// A value of the wrong type.
    #[error("expected {expected}, found `{found}`")]
    #[diagnostic(code(juris::E0301))]
    TypeMismatch {
        expected: String,
        found: String,
        #[source_code]
        src: Src,
        #[label("this is `{found}`")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// A call with too many or too few arguments.
    #[error("`{name}` takes {expected} argument(s), found {found}")]
    #[diagnostic(code(juris::E0302))]
    WrongArity {
        name: String,
        expected: String,
        found: usize,
        #[source_code]
        src: Src,
        #[label("wrong number of arguments")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// Iteration over something that is not a collection.
    #[error("cannot iterate over `{ty}`")]
    #[diagnostic(
        code(juris::E0303),
        help("quantifiers and comprehensions range over lists, sets, maps and json arrays")
    )]
    NotIterable {
        ty: String,
        #[source_code]
        src: Src,
        #[label("not a collection")]
        at: SourceSpan,
    },

    /// An unknown type name in a parameter or annotation.
    #[error("unknown type `{name}`")]
    #[diagnostic(code(juris::E0305))]
    UnknownType {
        name: String,
        #[source_code]
        src: Src,
        #[label("not a type")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// An operator applied to types it does not accept.
    #[error("`{op}` cannot combine `{left}` and `{right}`")]
    #[diagnostic(code(juris::E0306))]
    BadOperands {
        op: String,
        left: String,
        right: String,
        #[source_code]
        src: Src,
        #[label("here")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// Field access on a value that has no fields.
    #[error("`{ty}` has no fields")]
    #[diagnostic(code(juris::E0307))]
    NoFields {
        ty: String,
        #[source_code]
        src: Src,
        #[label("field access on `{ty}`")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// Indexing a value that cannot be indexed, or with the wrong key type.
    #[error("cannot index `{ty}` with `{index}`")]
    #[diagnostic(
        code(juris::E0308),
        help("lists take an int, maps their key type, json a string or an int")
    )]
    NotIndexable {
        ty: String,
        index: String,
        #[source_code]
        src: Src,
        #[label("here")]
        at: SourceSpan,
    },

    /// An argument that must be known when the policy is compiled.
    #[error("{what} must be a constant")]
    #[diagnostic(
        code(juris::E0309),
        help("write the pattern as a string literal (raw strings r\"...\" avoid escaping)")
    )]
    NotConstant {
        what: String,
        #[source_code]
        src: Src,
        #[label("computed at run time")]
        at: SourceSpan,
    },

    /// A collection literal whose elements have different types.
    #[error("elements of different types: `{first}` and `{other}`")]
    #[diagnostic(code(juris::E0311), help("a list or set holds values of one type"))]
    MixedElements {
        first: String,
        other: String,
        #[source_code]
        src: Src,
        #[label("this is `{other}`")]
        at: SourceSpan,
    },

    /// A record literal outside a test's expectations.
    #[error("record literals only appear in test expectations")]
    #[diagnostic(code(juris::E0312), help("to group values, use a list or a set"))]
    RecordLiteral {
        #[source_code]
        src: Src,
        #[label("record literal")]
        at: SourceSpan,
    },

    /// A constant whose value needs run-time data.
    #[error("the value of constant `{name}` cannot be computed before evaluation")]
    #[diagnostic(
        code(juris::E0313),
        help(
            "constants are built from literals, other constants, set operators and string functions; use a function for values that depend on resources"
        )
    )]
    ConstNotConstant {
        name: String,
        #[source_code]
        src: Src,
        #[label("not constant")]
        at: SourceSpan,
    },

    /// A constant whose value goes over an evaluation limit (it would be huge).
    #[error("the value of constant `{name}` goes over the evaluation limit `{limit}`")]
    #[diagnostic(
        code(juris::E0216),
        help(
            "a constant this large is almost always a mistake (one that doubles another); the limits are in docs/limits.md"
        )
    )]
    ConstTooCostly {
        name: String,
        limit: &'static str,
        #[source_code]
        src: Src,
        #[label("too large")]
        at: SourceSpan,
    },

    /// A function or package used as a value.
    #[error("`{name}` is a {what}, not a value")]
    #[diagnostic(code(juris::E0314))]
    NotAValue {
        name: String,
        what: String,
        #[source_code]
        src: Src,
        #[label("used as a value")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// A required metadata entry is missing.
    #[error("{what} `{name}` has no `{key}`")]
    #[diagnostic(code(juris::E0401))]
    MissingMeta {
        what: String,
        name: String,
        key: String,
        #[source_code]
        src: Src,
        #[label("declared here")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// Two rules with one id.
    #[error("rule id `{id}` is used twice")]
    #[diagnostic(
        code(juris::E0402),
        help(
            "rule ids are stable identifiers across the whole policy set: give each rule its own (first used at {first})"
        )
    )]
    DuplicateRuleId {
        id: String,
        first: String,
        #[source_code]
        src: Src,
        #[label("used again here")]
        at: SourceSpan,
    },

    /// An enforcement level other than advisory, soft or hard.
    #[error("unknown enforcement level `{value}`")]
    #[diagnostic(code(juris::E0403))]
    BadEnforcement {
        value: String,
        #[source_code]
        src: Src,
        #[label("not an enforcement level")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// A severity other than info, low, medium, high or critical.
    #[error("unknown severity `{value}`")]
    #[diagnostic(code(juris::E0404))]
    BadSeverity {
        value: String,
        #[source_code]
        src: Src,
        #[label("not a severity")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// A metadata key the declaration does not take.
    #[error("unknown {what} metadata `{key}`")]
    #[diagnostic(code(juris::E0405))]
    UnknownMetaKey {
        what: String,
        key: String,
        #[source_code]
        src: Src,
        #[label("not recognised")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// A metadata key given twice.
    #[error("`{key}` is given twice")]
    #[diagnostic(code(juris::E0406), help("keep one"))]
    DuplicateMetaKey {
        key: String,
        #[source_code]
        src: Src,
        #[label("again here")]
        at: SourceSpan,
    },

    /// Metadata that is not a literal of the expected kind.
    #[error("`{key}` must be {expected}")]
    #[diagnostic(code(juris::E0407))]
    BadMetaValue {
        key: String,
        expected: String,
        #[source_code]
        src: Src,
        #[label("not {expected}")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// An exception or test naming a rule id no rule has.
    #[error("no rule has id `{id}`")]
    #[diagnostic(code(juris::E0501))]
    UnknownRuleId {
        id: String,
        #[source_code]
        src: Src,
        #[label("unknown rule id")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// A test expecting an outcome that does not exist.
    #[error("unknown outcome `{value}`")]
    #[diagnostic(
        code(juris::E0503),
        help("outcomes are violation, undetermined and excepted (passes are not findings)")
    )]
    BadOutcome {
        value: String,
        #[source_code]
        src: Src,
        #[label("not an outcome")]
        at: SourceSpan,
    },

    /// A regular expression that does not compile.
    #[error("invalid regular expression: {reason}")]
    #[diagnostic(
        code(juris::E0601),
        help("patterns follow the Rust `regex` crate syntax (https://docs.rs/regex)")
    )]
    BadRegex {
        reason: String,
        #[source_code]
        src: Src,
        #[label("this pattern")]
        at: SourceSpan,
    },

    /// A let binding that is never used.
    #[error("`{name}` is never used")]
    #[diagnostic(
        code(juris::W0101),
        severity(Warning),
        help("remove the binding, or use it")
    )]
    UnusedBinding {
        name: String,
        #[source_code]
        src: Src,
        #[label("bound here")]
        at: SourceSpan,
    },

    /// An import nothing refers to.
    #[error("import `{name}` is never used")]
    #[diagnostic(code(juris::W0102), severity(Warning), help("remove the import"))]
    UnusedImport {
        name: String,
        #[source_code]
        src: Src,
        #[label("imported here")]
        at: SourceSpan,
    },
}
