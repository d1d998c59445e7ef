//! `juris compile`: the policy set as one self-contained WebAssembly module.

use std::path::PathBuf;

use clap::Args;

use super::check::parse_date;
use super::config::{self, Config};
use super::{EXIT_PASS, Failure, PolicyArgs, output};
use crate::wasm::{self, CompileOptions};

#[derive(Args, Debug)]
pub struct CompileArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Where to write the module.
    #[arg(long, short = 'o', value_name = "FILE", required = true)]
    pub output: PathBuf,
    /// The date used when an input document carries no `today`, YYYY-MM-DD [default: today, UTC].
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<i32>,
}

pub fn run(args: CompileArgs) -> Result<u8, Failure> {
    let config = Config::load(args.policy.config.as_deref())?;
    let policy = config::compile_policies(&args.policy, &config).map_err(Failure)?;
    super::print_warnings(policy.warnings(), super::ColorChoice::Auto);
    let options = CompileOptions {
        today: args.today.unwrap_or_else(crate::semantics::date::today_utc),
    };
    let module = wasm::compile(policy.program(), &options)?;
    output::write_atomic(&args.output, &module)?;
    eprintln!(
        "juris: compiled {} rules into {} ({} bytes)",
        policy.rules().len(),
        args.output.display(),
        module.len()
    );
    Ok(EXIT_PASS)
}
