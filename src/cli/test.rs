//! `juris test`: run the `test` blocks of the policy set, print a line per test and
//! a summary; exit 1 if any fails, 2 if a test cannot run.

use std::path::PathBuf;

use clap::Args;

use super::config::Config;
use super::{EXIT_FAIL, EXIT_PASS, Failure, input, output};
use crate::diag::Diagnostics;
use crate::testing::{self, Branch};

#[derive(Args, Debug)]
pub struct TestArgs {
    /// Policy files or folders holding tests (`*_test.juris`) [default: .].
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Leave out the standard rules shipped with juris.
    #[arg(long)]
    pub no_standard: bool,
    /// Report which outcomes of each rule no test reached.
    #[arg(long)]
    pub coverage: bool,
    /// Configuration file (default: juris.toml found upward).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub fn run(args: TestArgs) -> Result<u8, Failure> {
    let config = Config::load(args.config.as_deref())?;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let files = crate::policy::read_policy_paths(&paths, true).map_err(|e| {
        let mut d = crate::diag::Diagnostics::new();
        d.push(super::config::GivenWith::new(
            e,
            "the arguments of `juris test`",
        ));
        Failure(d)
    })?;
    let policy = if config.standard && !args.no_standard {
        crate::PolicySet::compile_standard(files)
    } else {
        crate::PolicySet::compile(files)
    }
    .map_err(Failure)?;
    super::print_warnings(policy.warnings(), super::ColorChoice::Auto);
    let catalog = input::catalog(&config.catalogs)?;
    let mut load_options = crate::adapters::LoadOptions::new(&catalog);
    load_options.default_regions = config.default_regions.clone();
    config.limits.apply(&mut load_options);
    let load = |name: &str, bytes: &[u8]| -> Result<crate::model::Inventory, String> {
        crate::adapters::load_bytes(name, bytes, &load_options).map_err(|e| {
            let mut d = Diagnostics::new();
            d.push(e);
            plain(&d)
        })
    };
    let run = testing::run(&policy, &load, config.limits.eval())?;
    let mut out = String::new();
    for r in &run.results {
        let verdict = if r.passed() { "ok" } else { "FAILED" };
        out.push_str(&format!("test {} ({}) ... {verdict}\n", r.name, r.position));
        for m in &r.missing {
            out.push_str(&format!(
                "    missing:    {} {} {}\n",
                m.rule, m.outcome, m.address
            ));
        }
        for u in &r.unexpected {
            out.push_str(&format!(
                "    unexpected: {} {} {}\n",
                u.rule, u.outcome, u.address
            ));
        }
    }
    let failed = run.results.iter().filter(|r| !r.passed()).count();
    out.push_str(&format!(
        "\n{} tests: {} passed, {failed} failed\n",
        run.results.len(),
        run.results.len() - failed
    ));
    if args.coverage {
        out.push_str("\ncoverage (outcomes no test reached):\n");
        for (rule, reached) in &run.coverage {
            let missing: Vec<&str> = Branch::ALL
                .iter()
                .filter(|b| !reached.contains(b))
                .map(|b| b.as_str())
                .collect();
            if missing.is_empty() {
                out.push_str(&format!("  {rule}: every outcome reached\n"));
            } else {
                out.push_str(&format!("  {rule}: {}\n", missing.join(", ")));
            }
        }
    }
    output::write(None, &out)?;
    Ok(if failed > 0 { EXIT_FAIL } else { EXIT_PASS })
}

/// A diagnostic as one line of text (for test input errors).
fn plain(d: &Diagnostics) -> String {
    d.iter()
        .map(|r| r.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}
