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
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: InventoryArgs) -> Result<u8, Failure> {
    let options = input::InputOptions {
        source: args.source,
        ..input::InputOptions::default()
    };
    let mut inventory = input::load_inputs(&args.inputs, &options)?.inventory;
    // The custody chains cite sources by id; the reader gets their titles and URLs.
    let catalog = input::catalog(&options.catalogs)?;
    inventory.sources = crate::adapters::cited_sources(&inventory, &catalog);
    let mut text = serde_json::to_string_pretty(&inventory).unwrap_or_default();
    text.push('\n');
    output::write(args.output.as_deref(), &text)?;
    Ok(EXIT_PASS)
}
