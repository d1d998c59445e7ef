//! `juris check`: compile the policies, read the inputs, evaluate, report, and exit
//! 0 (pass), 1 (blocking findings) or 2 (bad invocation, policy or input).

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;

use super::config::{self, Config};
use super::{
    ColorChoice, EXIT_FAIL, EXIT_PASS, Failure, PolicyArgs, input, output, print_warnings,
};
use crate::ir::Enforcement;
use crate::report;
use crate::runner::RunOptions;

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Plan, state or inventory JSON files, or Terraform source (a root module folder or
    /// its `.tf` files) checked without a plan; `-` reads standard input.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<String>,
    #[command(flatten)]
    pub source: input::SourceArgs,
    /// Prefix for Markdown links to source lines, e.g.
    /// "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA" [default: relative links].
    #[arg(long, value_name = "URL")]
    pub link_base: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format(report::Format::Human))]
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
    #[command(flatten)]
    pub model: input::ModelArgs,
    /// Evaluate with the in-process evaluator, or through the compiled WebAssembly module.
    #[arg(long, value_enum, default_value_t = Engine::Native)]
    pub engine: Engine,
    /// Also write an audit record (JSON) of what was checked to FILE.
    #[arg(long, value_name = "FILE")]
    pub audit_record: Option<PathBuf>,
    /// Print to standard error when each stage ended (policies and catalog ready, input
    /// read, model built, evaluated, reported), in milliseconds since the start.
    #[arg(long)]
    pub timings: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// The in-process evaluator.
    Native,
    /// The policy set compiled to WebAssembly and run sandboxed under wasmtime.
    Wasm,
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
    crate::semantics::date::parse(s)
        .ok_or_else(|| format!("`{s}` is not a date: write YYYY-MM-DD, e.g. 2026-11-26"))
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

/// `--output` and `--audit-record` name the same file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("--output and --audit-record both name {path}")]
#[diagnostic(
    code(juris::E0021),
    help(
        "write the report and the audit record to different files, e.g. --output juris.sarif --audit-record juris-audit.json"
    )
)]
struct SameOutputs {
    path: String,
}

/// Inventories larger than this show progress on a terminal.
const PROGRESS_THRESHOLD: usize = 10_000;

pub fn run(args: CheckArgs) -> Result<u8, Failure> {
    if let (Some(out), Some(audit)) = (&args.output, &args.audit_record)
        && out == audit
    {
        return Err(SameOutputs {
            path: out.display().to_string(),
        }
        .into());
    }
    let timings = super::timings::Timings::new(args.timings);
    let config = Config::load(args.policy.config.as_deref())?;
    let base = input::InputOptions {
        timings: timings.clone(),
        ..input::InputOptions::new(&config, &args.model, &args.source)
    };
    // The catalog (its TOML) is read while the policies compile: neither needs the
    // other, and together they are most of a small check's start-up.
    // So is the first input, when it is a file.
    let (policy, catalog, first) = std::thread::scope(|s| {
        let catalog = super::beside(s, "catalog", || input::catalog(&base.catalogs));
        let (inputs, limit) = (&args.inputs, base.limits.input_bytes);
        let first = super::beside(s, "read", move || input::read_first(inputs, limit));
        let policy = config::compile_policies(&args.policy, &config);
        (policy, catalog(), first())
    });
    let policy = policy.map_err(Failure)?;
    print_warnings(policy.warnings(), args.color);
    if policy.rules().is_empty() {
        return Err(NoRules.into());
    }
    let catalog = catalog?;
    // Everything before this is the fixed cost of a check: the time to first resource.
    timings.mark("compiled the policies, read the catalog and the first input file");
    let input_options = input::InputOptions {
        attribute_keys: policy.program().attribute_keys(),
        digests: args.audit_record.is_some(),
        ..base
    };
    let limits = input_options.limits;
    let loaded = input::load_inputs_with(&args.inputs, &input_options, catalog, first)?;
    let options = RunOptions {
        today: args.today.unwrap_or_else(crate::semantics::date::today_utc),
        rules: args.rules.clone(),
        fail_on: args
            .fail_on
            .map(Enforcement::from)
            .or(config.fail_on)
            .unwrap_or(Enforcement::Soft),
        limits: limits.eval(),
        record_applied: args.format.0 == report::Format::Junit,
        ..RunOptions::new(0)
    };
    let report = match args.engine {
        Engine::Native => evaluate(&policy, &loaded.inventory, &options)?,
        Engine::Wasm => evaluate_wasm(&policy, &loaded.inventory, &options, limits.wasm())?,
    };
    timings.mark("evaluated");
    let ctx = report::Context {
        report: &report,
        policy: &policy,
        inventory: &loaded.inventory,
        options: &options,
        inputs: &args.inputs,
        color: args.format.0 == report::Format::Human
            && args.output.is_none()
            && args.color.enabled(true),
        link_base: args.link_base.as_deref(),
    };
    // A JSON report to standard output is streamed: on a large plan it is tens of
    // megabytes that need not be built as one string first.
    let stream_json = args.format.0 == report::Format::Json && args.output.is_none();
    let text = if stream_json {
        String::new()
    } else {
        report::render(args.format.0, &ctx)
    };
    // The audit record goes first: if the report then cannot be written, the record
    // is removed again, so a failed run leaves neither file behind.
    if let Some(path) = &args.audit_record {
        let arguments: Vec<String> = std::env::args_os()
            .skip(1)
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let config_path = config.path.as_ref().map(|p| p.display().to_string());
        let facts = report::audit::AuditFacts {
            arguments: &arguments,
            inputs: &loaded.digests,
            catalog_version: loaded.catalog_version.as_deref(),
            config: config_path.as_deref(),
        };
        output::write_atomic(path, report::audit::render(&ctx, &facts).as_bytes())?;
    }
    let written = if stream_json {
        output::write_json_stdout(&report)
    } else {
        output::write(args.output.as_deref(), &text)
    };
    if let Err(e) = written {
        if let Some(path) = &args.audit_record {
            let _ = std::fs::remove_file(path);
        }
        return Err(e.into());
    }
    // The JSON and JUnit documents have no place for notes, so input warnings (which
    // explain unknowns in the findings) go to standard error instead of nowhere.
    if matches!(args.format.0, report::Format::Json | report::Format::Junit) {
        for w in &loaded.inventory.warnings {
            eprintln!("juris: warning: {}", report::warning_text(w));
        }
    }
    timings.mark("wrote the report");
    timings.print();
    let code = if report.summary.failed {
        EXIT_FAIL
    } else {
        EXIT_PASS
    };
    // The process ends here: freeing a large inventory and report piece by piece
    // would only delay the exit (a tenth of a second on 100,000 resources).
    std::mem::forget(text);
    std::mem::forget(report);
    std::mem::forget(loaded);
    Ok(code)
}

/// Run the policies, with a progress counter on stderr for large inventories when
/// stderr is a terminal (never in CI logs or pipes).
fn evaluate(
    policy: &crate::PolicySet,
    inventory: &crate::model::Inventory,
    options: &RunOptions,
) -> Result<crate::runner::Report, crate::runner::RunError> {
    let resources = inventory.resources.len();
    if resources <= PROGRESS_THRESHOLD || !std::io::stderr().is_terminal() {
        return policy.evaluate(inventory, options);
    }
    let mut progress = |done: usize, total: usize| {
        if done < total {
            eprint!("\rjuris: checked {done} of {total} resources");
        } else {
            // Clear the counter so the report starts on a clean line.
            eprint!("\r\x1b[2K");
        }
    };
    policy.evaluate_with_progress(inventory, options, &mut progress)
}

/// The module's output was not a report (a module compiled by this juris always
/// writes one; anything else is a bug worth reporting).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the WebAssembly module returned something that is not a report: {reason}")]
#[diagnostic(
    code(juris::E1010),
    help("run the same check with --engine native and report the difference")
)]
struct BadModuleOutput {
    reason: String,
}

/// From this many resources, `--engine wasm` evaluates the inventory's two halves in two
/// instances at once (on a machine with two cores or more). Below it, the second
/// instance and thread cost more than they save.
const WASM_HALVES_FROM: usize = 4096;

/// The slices of the inventory the module's instances evaluate, in inventory order.
fn wasm_slices(resources: &[crate::model::Resource]) -> Vec<&[crate::model::Resource]> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    if resources.len() >= WASM_HALVES_FROM && cores >= 2 {
        let (a, b) = resources.split_at(resources.len() / 2);
        vec![a, b]
    } else {
        vec![resources]
    }
}

/// Run the policies through their compiled WebAssembly module, as an embedder would.
fn evaluate_wasm(
    policy: &crate::PolicySet,
    inventory: &crate::model::Inventory,
    options: &RunOptions,
    limits: crate::wasm::Limits,
) -> Result<crate::runner::Report, Failure> {
    let mut program = policy.program().clone();
    if !options.rules.is_empty() {
        for id in &options.rules {
            if program.rule(id).is_none() {
                return Err(crate::runner::RunError::UnknownRule {
                    id: id.clone(),
                    known: program.rules.iter().map(|r| r.meta.id.clone()).collect(),
                }
                .into());
            }
        }
        crate::runner::validate_exceptions(&program.exceptions, options.today)?;
        program.rules.retain(|r| options.rules.contains(&r.meta.id));
        program
            .exceptions
            .retain(|e| options.rules.contains(&e.rule));
    }
    let module = crate::wasm::compile(
        &program,
        &crate::wasm::CompileOptions {
            today: options.today,
        },
    )?;
    // Written straight from the model: building it as a `serde_json::Value` first took
    // most of a second at 100,000 resources. A large inventory goes to two instances
    // of the module, a half each, evaluated at once.
    let today = crate::semantics::date::format(options.today);
    let slices = wasm_slices(&inventory.resources);
    let write = |resources| {
        serde_json::to_vec(&crate::model::Document {
            inventory,
            resources,
            run: Some((&today, options.fail_on.as_str())),
        })
        .map_err(|e| BadModuleOutput {
            reason: e.to_string(),
        })
    };
    // wasmtime compiles the module to machine code while the input is written.
    let (module, inputs) = std::thread::scope(|s| {
        let module = super::beside(s, "wasm-compile", || {
            crate::wasm::WasmPolicy::load(&module, limits)
        });
        let inputs: Result<Vec<Vec<u8>>, BadModuleOutput> =
            slices.iter().copied().map(write).collect();
        (module(), inputs)
    });
    let (module, inputs) = (module?, inputs?);
    let outputs: Vec<Result<String, crate::wasm::WasmError>> = std::thread::scope(|s| {
        let module = &module;
        let rest: Vec<_> = inputs[1..]
            .iter()
            .map(|input| super::beside(s, "wasm-eval", move || module.evaluate(input)))
            .collect();
        let first = module.evaluate(&inputs[0]);
        std::iter::once(first)
            .chain(rest.into_iter().map(|joined| joined()))
            .collect()
    });
    // The first slice's error wins, as the first resource's does in one evaluation.
    let mut parts = Vec::with_capacity(outputs.len());
    for output in outputs {
        let part: crate::runner::Report =
            serde_json::from_str(&output?).map_err(|e| BadModuleOutput {
                reason: e.to_string(),
            })?;
        parts.push(part);
    }
    let mut report = crate::runner::merge(parts).ok_or_else(|| BadModuleOutput {
        reason: "the reports of the inventory's two halves disagree on the date, the \
                 failing level, the rules or the exceptions"
            .into(),
    })?;
    crate::runner::locate(&mut report, inventory);
    if options.record_applied {
        // The module reports findings, not the resources each rule applied to: those
        // come from the native engine (both engines select the same resources, as
        // tests/it/wasm_differential.rs checks).
        report.applied = policy.evaluate(inventory, options)?.applied;
    }
    Ok(report)
}

/// `--format`: the library's [`report::Format`], named and described for clap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Format(pub report::Format);

impl clap::ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        const ALL: [Format; 6] = {
            let a = report::Format::ALL;
            [
                Format(a[0]),
                Format(a[1]),
                Format(a[2]),
                Format(a[3]),
                Format(a[4]),
                Format(a[5]),
            ]
        };
        &ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.name()).help(self.0.description()))
    }
}
