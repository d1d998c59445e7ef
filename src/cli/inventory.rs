//! `juris inventory`: print the resource model juris builds from an input, the first
//! thing to look at when a verdict surprises.

use std::path::PathBuf;

use clap::Args;

use super::{EXIT_PASS, Failure, input, output};

#[derive(Args, Debug)]
pub struct InventoryArgs {
    /// Plan, state or inventory JSON files, or Terraform source (a root module folder or
    /// its `.tf` files); `-` reads standard input.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<String>,
    #[command(flatten)]
    pub source: input::SourceArgs,
    #[command(flatten)]
    pub model: input::ModelArgs,
    /// Configuration file (default: juris.toml found upward from the current directory):
    /// its catalogs, default regions and limits shape the model as for `juris check`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print to standard error when each stage ended, in milliseconds since the start.
    #[arg(long)]
    pub timings: bool,
}

pub fn run(args: InventoryArgs) -> Result<u8, Failure> {
    let config = super::config::Config::load(args.config.as_deref())?;
    let timings = super::timings::Timings::new(args.timings);
    let options = input::InputOptions {
        timings: timings.clone(),
        ..input::InputOptions::new(&config, &args.model, &args.source)
    };
    let mut inventory = input::load_inputs(&args.inputs, &options)?.inventory;
    // The custody chains cite sources by id; the reader gets their titles and URLs.
    let catalog = input::catalog(&options.catalogs)?;
    inventory.sources = crate::adapters::cited_sources(&inventory, &catalog);
    // Streamed: the model of a large plan is already in memory; its text need not be.
    output::write_json(args.output.as_deref(), &inventory)?;
    timings.mark("wrote the inventory");
    timings.print();
    Ok(EXIT_PASS)
}
