//! `juris check`: compile the policies, read the inputs, evaluate, report, and exit
//! 0 (pass), 1 (blocking findings) or 2 (bad invocation, policy or input).

use std::path::PathBuf;

use clap::Args;

use super::config::{self, Config};
use super::{
    ColorChoice, EXIT_FAIL, EXIT_PASS, Failure, PolicyArgs, input, output, print_warnings,
};
use crate::ir::Enforcement;
use crate::report::{self, Format};
use crate::runner::RunOptions;

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Plan, state or inventory JSON files; `-` reads standard input.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Lowest enforcement level whose findings fail the check [default: soft].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,
    /// Run only this rule id; repeatable.
    #[arg(long = "rule", value_name = "ID")]
    pub rules: Vec<String>,
    /// The date exceptions are judged against, YYYY-MM-DD [default: today, UTC].
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<i32>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Region for a provider family whose configuration has none, e.g. aws=us-east-1; repeatable.
    #[arg(long = "default-region", value_name = "FAMILY=REGION", value_parser = parse_pair)]
    pub default_regions: Vec<(String, String)>,
    /// A catalog extension file (TOML, same format as catalog/); repeatable.
    #[arg(long = "catalog", value_name = "FILE")]
    pub catalogs: Vec<PathBuf>,
    /// Also write an audit record (JSON) of what was checked to FILE.
    #[arg(long, value_name = "FILE")]
    pub audit_record: Option<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Advisory,
    Soft,
    Hard,
}

impl From<FailOn> for Enforcement {
    fn from(f: FailOn) -> Enforcement {
        match f {
            FailOn::Advisory => Enforcement::Advisory,
            FailOn::Soft => Enforcement::Soft,
            FailOn::Hard => Enforcement::Hard,
        }
    }
}

pub fn parse_date(s: &str) -> Result<i32, String> {
    crate::date::parse(s)
        .ok_or_else(|| format!("`{s}` is not a date: write YYYY-MM-DD, e.g. 2026-11-26"))
}

fn parse_pair(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() && !v.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(format!("`{s}` is not FAMILY=REGION, e.g. aws=us-east-1")),
    }
}

/// No rule would run: almost certainly a mistake in the invocation.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the policy set has no rules")]
#[diagnostic(
    code(juris::E0003),
    help(
        "drop --no-standard to run the standard rules, or add --policy PATH with rule declarations"
    )
)]
struct NoRules;

pub fn run(args: CheckArgs) -> Result<u8, Failure> {
    let config = Config::load(args.policy.config.as_deref())?;
    let policy = config::compile_policies(&args.policy, &config).map_err(Failure)?;
    print_warnings(policy.warnings(), args.color);
    if policy.rules().is_empty() {
        return Err(NoRules.into());
    }
    let loaded = input::load(&args.inputs, &|name, bytes| input::parse(name, bytes))?;
    let options = RunOptions {
        today: args.today.unwrap_or_else(crate::date::today_utc),
        rules: args.rules.clone(),
        fail_on: args
            .fail_on
            .map(Enforcement::from)
            .or(config.fail_on)
            .unwrap_or(Enforcement::Soft),
    };
    let report = policy.evaluate(&loaded.inventory, &options)?;
    let ctx = report::Context {
        report: &report,
        policy: &policy,
        inventory: &loaded.inventory,
        inputs: &args.inputs,
        color: args.format == Format::Human && args.output.is_none() && args.color.enabled(true),
    };
    let text = report::render(args.format, &ctx);
    output::write(args.output.as_deref(), &text)?;
    Ok(if report.summary.failed {
        EXIT_FAIL
    } else {
        EXIT_PASS
    })
}
