//! regorus-runner: the regorus peer of the juris benchmark.
//!
//! Loads `bench/rego/*.rego` and `catalog.json`, reads the plan as the input document,
//! and evaluates `data.juris.residency.findings` with regorus's tree-walking interpreter
//! (`--mode interp`) or its bytecode VM, RVM (`--mode vm`). Prints the findings in the
//! shape `juris check --format json` uses, so the harness compares every engine alike;
//! phase timings go to stderr.
//!
//! Usage: `regorus-runner --mode interp|vm --rego DIR [--entry RULE] PLAN.json`

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::RegoVM;
use regorus::{Engine, Value};

const ENTRYPOINT: &str = "data.juris.residency.findings";

struct Args {
    vm: bool,
    /// The rule to evaluate; another one than the findings only for debugging.
    entry: String,
    rego: PathBuf,
    plan: PathBuf,
}

fn parse_args() -> Result<Args> {
    let mut mode = None;
    let mut rego = None;
    let mut plan = None;
    let mut entry = ENTRYPOINT.to_string();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--mode" => mode = args.next(),
            "--rego" => rego = args.next().map(PathBuf::from),
            "--entry" => entry = args.next().context("--entry needs a rule path")?,
            _ if plan.is_none() && !a.starts_with("--") => plan = Some(PathBuf::from(a)),
            _ => bail!("unknown argument {a}"),
        }
    }
    let usage = "usage: regorus-runner --mode interp|vm --rego DIR PLAN.json";
    let vm = match mode.as_deref() {
        Some("interp") => false,
        Some("vm") => true,
        _ => bail!(usage),
    };
    Ok(Args {
        vm,
        entry,
        rego: rego.context(usage)?,
        plan: plan.context(usage)?,
    })
}

/// Policies in file-name order, so every run loads them identically.
fn policy_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rego"))
        .collect();
    files.sort();
    Ok(files)
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let start = Instant::now();
    let mut engine = Engine::new();
    for f in policy_files(&args.rego)? {
        engine.add_policy_from_file(&f)?;
    }
    let catalog = Value::from_json_file(args.rego.join("catalog.json"))?;
    let loaded = start.elapsed();

    let text = std::fs::read_to_string(&args.plan)
        .with_context(|| format!("reading {}", args.plan.display()))?;
    let input = Value::from_json_str(&text)?;
    drop(text);
    let parsed = start.elapsed();

    let findings = if args.vm {
        engine.add_data(catalog.clone())?;
        let entry: Arc<str> = Arc::from(args.entry.as_str());
        let compiled = engine.compile_with_entrypoint(&entry)?;
        let program = Compiler::compile_from_policy(&compiled, &[args.entry.as_str()])?;
        let mut vm = RegoVM::new();
        vm.load_program(program);
        // The default budget (25,000 instructions) is for small admission checks.
        vm.set_max_instructions(usize::MAX);
        vm.set_data(catalog)?;
        vm.set_input(input);
        vm.execute()?
    } else {
        engine.add_data(catalog)?;
        engine.set_input(input);
        engine.eval_rule(args.entry.clone())?
    };
    let evaluated = start.elapsed();

    let json = findings.to_json_str()?;
    println!("{{\"version\":1,\"findings\":{json}}}");
    eprintln!(
        "regorus-runner {}: load {:.3}s, parse input {:.3}s, evaluate {:.3}s",
        if args.vm { "vm" } else { "interp" },
        loaded.as_secs_f64(),
        (parsed - loaded).as_secs_f64(),
        (evaluated - parsed).as_secs_f64()
    );
    Ok(())
}
