//! Why Terraform source was refused: each error names the `.tf` file, line and column
//! and says how to fix it, as a policy error does.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// Terraform source juris cannot read.
#[derive(Debug, Error, Diagnostic)]
pub enum SourceError {
    /// A folder or file could not be read.
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(code(juris::E0801), help("check the path and its permissions"))]
    Io {
        /// The file or folder.
        path: String,
        /// The operating system's reason.
        reason: String,
    },

    /// The folder holds no Terraform configuration.
    #[error("`{path}` has no `.tf` files")]
    #[diagnostic(
        code(juris::E0802),
        help(
            "point juris at the folder of a Terraform root module (the one you run `terraform plan` in), or pass a plan JSON file"
        )
    )]
    NoConfiguration {
        /// The file or folder.
        path: String,
    },

    /// A `.tf` file is not valid HCL.
    #[error("`{}` is not valid Terraform (HCL) syntax: {message}", .src.as_ref().name())]
    #[diagnostic(
        code(juris::E0803),
        help("fix the syntax at the marked spot; `terraform validate` shows the same error")
    )]
    Syntax {
        /// What the parser or reader found wrong.
        message: String,
        #[source_code]
        /// The source file, to show the spot.
        src: Arc<NamedSource<Arc<str>>>,
        #[label("{message}")]
        /// Where the error is.
        span: SourceSpan,
    },

    /// A block Terraform requires to be unique is declared twice.
    #[error("{what} `{name}` is declared twice")]
    #[diagnostic(
        code(juris::E0804),
        help("Terraform refuses duplicate declarations in one module; rename or remove one")
    )]
    Duplicate {
        /// What kind of block is declared twice.
        what: &'static str,
        /// The name declared twice.
        name: String,
        #[source_code]
        /// The source file, to show the spot.
        src: Arc<NamedSource<Arc<str>>>,
        #[label("declared again here")]
        /// Where the error is.
        span: SourceSpan,
    },

    /// A block is missing its labels or has the wrong ones.
    #[error("`{block}` block: {message}")]
    #[diagnostic(
        code(juris::E0805),
        help("write it as Terraform does, e.g. `resource \"aws_s3_bucket\" \"logs\" {{ ... }}`")
    )]
    BadBlock {
        /// The kind of block, as written.
        block: String,
        /// What the parser or reader found wrong.
        message: String,
        #[source_code]
        /// The source file, to show the spot.
        src: Arc<NamedSource<Arc<str>>>,
        #[label("{message}")]
        /// Where the error is.
        span: SourceSpan,
    },

    /// Terraform JSON syntax (`.tf.json`) is not read from source.
    #[error(
        "`{path}` is Terraform configuration in JSON syntax, which juris does not read from source"
    )]
    #[diagnostic(
        code(juris::E0806),
        help(
            "check a plan instead (`terraform show -json plan.out > plan.json`), or write the configuration in native syntax (`.tf`)"
        )
    )]
    JsonSyntax {
        /// The file or folder.
        path: String,
    },

    /// Module calls nest deeper than the limit (a module that calls itself never ends).
    #[error("module `{module}` is nested more than {limit} calls deep")]
    #[diagnostic(
        code(juris::E0807),
        help(
            "a module that calls itself (directly or through others) never ends; Terraform refuses it too"
        )
    )]
    ModuleDepth {
        /// The module call at the limit.
        module: String,
        /// The deepest nesting of module calls accepted.
        limit: usize,
        #[source_code]
        /// The source file, to show the spot.
        src: Arc<NamedSource<Arc<str>>>,
        #[label("this call")]
        /// Where the error is.
        span: SourceSpan,
    },

    /// `count` or `for_each` would make more instances than the limit.
    #[error("`{address}` expands to {count} instances, over the limit of {limit}")]
    #[diagnostic(
        code(juris::E0808),
        help(
            "juris expands `count` and `for_each` to check each instance; a configuration this large is probably a mistake"
        )
    )]
    TooManyInstances {
        /// The resource or module address being expanded.
        address: String,
        /// How many instances it would make.
        count: u64,
        /// The most instances accepted.
        limit: u64,
        #[source_code]
        /// The source file, to show the spot.
        src: Arc<NamedSource<Arc<str>>>,
        #[label("expanded here")]
        /// Where the error is.
        span: SourceSpan,
    },

    /// Evaluating the configuration took more steps than the budget.
    #[error("evaluating the configuration took more than {limit} steps")]
    #[diagnostic(
        code(juris::E0809),
        help(
            "an expression builds very large values (e.g. nested `range`, `join` or `for` over big collections); simplify it, or check a plan instead"
        )
    )]
    Budget {
        /// The evaluation budget, in steps.
        limit: u64,
        #[source_code]
        /// The source file, to show the spot.
        src: Arc<NamedSource<Arc<str>>>,
        #[label("while evaluating this")]
        /// Where the error is.
        span: SourceSpan,
    },

    /// A reference chain (`x = other.x`, locals, module outputs) is deeper than the limit.
    #[error("a chain of references is more than {limit} steps deep")]
    #[diagnostic(
        code(juris::E0810),
        help(
            "values that pass through this many references are beyond static evaluation; check a plan instead"
        )
    )]
    ReferenceDepth {
        /// The longest chain accepted.
        limit: usize,
        #[source_code]
        /// The source file, to show the spot.
        src: Arc<NamedSource<Arc<str>>>,
        #[label("the chain reaches this expression")]
        /// Where the error is.
        span: SourceSpan,
    },

    /// A `--var` argument is not `NAME=VALUE`.
    #[error("`--var {arg}` is not NAME=VALUE")]
    #[diagnostic(
        code(juris::E0811),
        help(
            "write it as Terraform's -var is written, e.g. --var region=eu-west-1 or --var 'zones=[\"a\",\"b\"]'"
        )
    )]
    VarArg {
        /// The argument as given.
        arg: String,
    },

    /// A variable value (tfvars file or `--var`) is not a valid expression.
    #[error("the value of `{name}` from {origin} is not a valid Terraform value: {message}")]
    #[diagnostic(
        code(juris::E0812),
        help(
            "variable files hold constant values only (strings, numbers, lists, maps), as for `terraform plan`"
        )
    )]
    VarValue {
        /// The variable.
        name: String,
        /// Where the value comes from (a file or `--var`).
        origin: String,
        /// What the parser or reader found wrong.
        message: String,
    },
}

impl SourceError {
    /// A span inside a named file, clamped to its text.
    pub(crate) fn at(
        name: &str,
        text: &Arc<str>,
        span: std::ops::Range<usize>,
    ) -> (Arc<NamedSource<Arc<str>>>, SourceSpan) {
        let start = span.start.min(text.len());
        let end = span.end.clamp(start, text.len()).min(start + 200);
        (
            Arc::new(NamedSource::new(name, text.clone())),
            SourceSpan::new(start.into(), end - start),
        )
    }
}
