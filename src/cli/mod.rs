//! The command line: argument parsing, configuration, and mapping every outcome to
//! an exit code (0 pass, 1 blocking findings, 2 bad invocation, policy or input).
//! The commands themselves are thin calls into the library.

#![forbid(unsafe_code)]

mod check;
mod compile;
pub mod config;
mod fmt;
mod input;
mod inventory;
mod limits;
pub mod lsp;
mod output;
mod rules;
mod test;
mod timings;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diag::Diagnostics;
pub use output::write_atomic;

/// Exit code: no failing finding.
pub const EXIT_PASS: u8 = 0;
/// Exit code: failing findings.
pub const EXIT_FAIL: u8 = 1;
/// Exit code: bad invocation, bad policy or bad input.
pub const EXIT_ERROR: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "juris",
    version,
    about = "Policy-as-code for data residency and cloud-provider restrictions",
    long_about = "juris checks infrastructure (Terraform plan or state JSON, or juris's own inventory \
                  format) against residency policies: where is the data, who controls the company \
                  holding it, and where is it copied to.",
    after_help = "Examples:\n  terraform show -json plan.out > plan.json\n  juris check plan.json\n  juris check --policy policies/ --format sarif --output juris.sarif plan.json\n  juris inventory plan.json\n  juris rules"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check inputs against the policies; exit 1 if a blocking finding remains.
    #[command(
        after_help = "Examples:\n  juris check plan.json\n  juris check --policy policies/ --no-standard plan.json\n  juris check --format markdown --output summary.md plan-a.json plan-b.json\n  terraform show -json plan.out | juris check -"
    )]
    Check(Box<check::CheckArgs>),
    /// Print the normalised resource model juris sees for an input.
    #[command(
        after_help = "Examples:\n  juris inventory plan.json\n  juris inventory --output inventory.json state.json"
    )]
    Inventory(inventory::InventoryArgs),
    /// List the rules of the policy set.
    #[command(
        after_help = "Examples:\n  juris rules\n  juris rules --policy policies/ --format json"
    )]
    Rules(rules::RulesArgs),
    /// Run the policy unit tests (`test` blocks in *_test.juris files).
    #[command(after_help = "Examples:\n  juris test policies/\n  juris test policies/ --coverage")]
    Test(test::TestArgs),
    /// Format .juris files in the canonical layout.
    #[command(
        after_help = "Examples:\n  juris fmt\n  juris fmt policies/\n  juris fmt --check policies/"
    )]
    Fmt(fmt::FmtArgs),
    /// Compile the policy set to a self-contained WebAssembly module.
    #[command(
        after_help = "Examples:\n  juris compile -o policies.wasm\n  juris compile --policy policies/ --no-standard -o acme.wasm"
    )]
    Compile(compile::CompileArgs),
    /// Serve the Language Server Protocol over standard input and output (for editors).
    #[command(
        after_help = "Editors start this themselves; see docs/editors.md for VS Code and others.\nExample:\n  juris lsp"
    )]
    Lsp(lsp::LspArgs),
}

/// Where policies come from: shared by every command that compiles policies.
#[derive(Args, Debug, Clone, Default)]
pub struct PolicyArgs {
    /// A .juris file or a folder searched recursively; repeatable. Adds to the standard rules.
    #[arg(long = "policy", short = 'p', value_name = "PATH")]
    pub policies: Vec<PathBuf>,
    /// Leave out the standard rules shipped with juris (the standard library stays importable).
    #[arg(long)]
    pub no_standard: bool,
    /// Configuration file (default: juris.toml found upward from the current directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output written to stdout (`stdout`) or stderr.
    pub fn enabled(self, stdout: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none()
                    && if stdout {
                        std::io::stdout().is_terminal()
                    } else {
                        std::io::stderr().is_terminal()
                    }
            }
        }
    }
}

/// What a command failed with: diagnostics to print on stderr.
pub struct Failure(pub Diagnostics);

impl<E: miette::Diagnostic + Send + Sync + 'static> From<E> for Failure {
    fn from(e: E) -> Failure {
        let mut d = Diagnostics::new();
        d.push(e);
        Failure(d)
    }
}

/// Run the command line; returns the process exit code.
pub fn main() -> ExitCode {
    timings::started();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout with code 0, usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_PASS
            });
        }
    };
    let color = match &cli.command {
        Command::Check(a) => a.color,
        _ => ColorChoice::Auto,
    };
    let result = match cli.command {
        Command::Check(a) => check::run(*a),
        Command::Inventory(a) => inventory::run(a),
        Command::Rules(a) => rules::run(a),
        Command::Test(a) => test::run(a),
        Command::Compile(a) => compile::run(a),
        Command::Fmt(a) => fmt::run(a),
        Command::Lsp(a) => lsp::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Failure(diags)) => {
            eprint!("{}", diags.render(color.enabled(false)));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// `diag::beside` on an ordinary thread named `juris-NAME`.
fn beside<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    name: &str,
    f: impl FnOnce() -> T + Send + 'scope,
) -> impl FnOnce() -> T + 'scope {
    let thread = std::thread::Builder::new().name(format!("juris-{name}"));
    crate::diag::beside(scope, thread, f)
}

/// Print warnings (unused bindings, unknown providers) to stderr.
pub fn print_warnings(diags: &Diagnostics, color: ColorChoice) {
    if !diags.is_empty() {
        eprint!("{}", diags.render(color.enabled(false)));
    }
}
